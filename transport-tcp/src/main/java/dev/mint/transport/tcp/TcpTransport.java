package dev.mint.transport.tcp;

import dev.mint.TransportException;
import dev.mint.spi.Deadline;
import dev.mint.spi.Transport;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnsupportedAddressTypeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Transport} over a connected, non-blocking {@link SocketChannel} with {@code TCP_NODELAY}
 * on (HTTP writes whole requests; Nagle's algorithm would only delay the last segment).
 *
 * <p><b>Connecting</b> ({@link #connect}): the host is resolved with the JDK resolver, then each
 * address is tried in the order given, with a non-blocking connect waited on by a private {@link
 * Selector} until the deadline. An address that refuses or fails moves on to the next one; an
 * address that does not answer uses up the deadline (there is no Happy Eyeballs racing, which would
 * need concurrent attempts). Resolution itself blocks in the JDK resolver and is bounded by the
 * system resolver's own timeouts, not by the deadline: bounding it would need a thread.
 *
 * <p><b>Interrupts:</b> waiting (in {@link #connect} and {@link #awaitReady}) ends when the calling
 * thread is interrupted, with {@link TransportException.Reason#IO_ERROR} and the transport closed,
 * like a JDK interruptible channel; the interrupt status stays set.
 *
 * <p><b>Moving bytes:</b> {@link #read} and {@link #write} never block. An {@link IOException}
 * closes the transport and becomes a {@link TransportException}: {@link
 * TransportException.Reason#CLOSED} when the peer reset the connection or the pipe is broken,
 * {@link TransportException.Reason#IO_ERROR} otherwise. Using a closed transport fails with {@code
 * CLOSED}.
 *
 * <p><b>Waiting:</b> {@link #awaitReady} uses a second private selector, opened on first use and
 * kept until {@link #close()}. The channel may at the same time be registered with the caller's own
 * selector (active mode); NIO allows a channel in several selectors.
 *
 * <p>Confined to one thread at a time, like the connection that owns it.
 */
public final class TcpTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(TcpTransport.class);

  private final SocketChannel channel;
  private final String peer;
  private final InetSocketAddress remote;
  private Selector selector;
  private SelectionKey selectorKey;
  private boolean closed;

  private TcpTransport(SocketChannel channel, String peer, InetSocketAddress remote) {
    this.channel = channel;
    this.peer = peer;
    this.remote = remote;
  }

  /**
   * Connects to {@code host}:{@code port} before {@code deadline}, resolving with {@link
   * InetAddress#getAllByName}.
   *
   * @param host a name, or an IPv4 or IPv6 literal (with or without brackets)
   * @param port the port, 0 to 65535
   * @param deadline when the connect must be done
   * @return the connected transport
   * @throws TransportException {@link TransportException.Reason#UNRESOLVED_HOST} when the name does
   *     not resolve; {@link TransportException.Reason#CONNECTION_REFUSED} when every address
   *     refused; {@link TransportException.Reason#CONNECT_TIMEOUT} when the deadline passed first;
   *     {@link TransportException.Reason#IO_ERROR} for any other failure (the cause says more).
   *     Each message names the host, the port and the addresses tried.
   */
  public static TcpTransport connect(String host, int port, Deadline deadline)
      throws TransportException {
    return connect(host, port, deadline, InetAddress::getAllByName);
  }

  static TcpTransport connect(
      String host, int port, Deadline deadline, TcpTransportProvider.Resolver resolver)
      throws TransportException {
    String bare = stripBrackets(host);
    String peer = hostAndPort(bare, port);
    if (port < 0 || port > 0xFFFF) {
      throw new TransportException(
          TransportException.Reason.IO_ERROR, "cannot connect to " + peer + ": port out of range");
    }
    InetAddress[] addresses;
    try {
      addresses = resolver.resolve(bare);
    } catch (UnknownHostException e) {
      throw new TransportException(
          TransportException.Reason.UNRESOLVED_HOST,
          "cannot connect to " + peer + ": host '" + bare + "' did not resolve",
          e);
    }
    if (addresses == null || addresses.length == 0) {
      throw new TransportException(
          TransportException.Reason.UNRESOLVED_HOST,
          "cannot connect to " + peer + ": host '" + bare + "' resolved to no address");
    }
    return new Attempts(bare, peer, port, deadline).run(addresses);
  }

  /** The address this transport is connected to. */
  public InetSocketAddress remoteAddress() {
    return remote;
  }

  @Override
  public int read(ByteBuffer dst) throws TransportException {
    ensureOpen("read from");
    try {
      return channel.read(dst);
    } catch (IOException e) {
      throw failed("read from", e);
    }
  }

  @Override
  public long write(ByteBuffer[] srcs) throws TransportException {
    ensureOpen("write to");
    try {
      return channel.write(srcs);
    } catch (IOException e) {
      throw failed("write to", e);
    }
  }

  /**
   * Waits until the channel is ready for any of {@code ops} ({@link SelectionKey#OP_READ}, {@link
   * SelectionKey#OP_WRITE}) or {@code timeout} passes; a zero timeout only polls.
   *
   * @return the ready subset of {@code ops}, or 0 on timeout
   * @throws IllegalArgumentException when {@code ops} holds neither {@code OP_READ} nor {@code
   *     OP_WRITE}
   * @throws TransportException {@code CLOSED} when the transport is closed, {@code IO_ERROR} when
   *     the selector fails or the calling thread is interrupted (the transport is then closed, as
   *     an interrupt closes a JDK interruptible channel; the thread's interrupt status stays set)
   */
  @Override
  public int awaitReady(int ops, Duration timeout) throws TransportException {
    int wanted = ops & (SelectionKey.OP_READ | SelectionKey.OP_WRITE);
    if (wanted == 0) {
      throw new IllegalArgumentException("ops must include OP_READ or OP_WRITE, was " + ops);
    }
    ensureOpen("wait on");
    Deadline deadline = Deadline.after(timeout);
    try {
      if (selector == null) {
        selector = Selector.open();
        selectorKey = channel.register(selector, wanted);
      } else {
        selectorKey.interestOps(wanted);
      }
      while (true) {
        checkNotInterrupted();
        long millis = deadline.remainingMillis();
        if (millis == 0) {
          selector.selectNow();
        } else {
          selector.select(millis);
        }
        boolean selected = selector.selectedKeys().remove(selectorKey);
        int ready = selected ? selectorKey.readyOps() & wanted : 0;
        // select() may return early without readiness (a wakeup); wait out the rest then.
        if (ready != 0 || millis == 0 || deadline.isExpired()) {
          return ready;
        }
      }
    } catch (IOException e) {
      throw failed("wait on", e);
    }
  }

  /** Closes the private selector, which deregisters the channel from it at once. */
  @Override
  public void releaseAwaitResources() {
    if (selector != null) {
      closeQuietly(selector);
      selector = null;
      selectorKey = null;
    }
  }

  /** The {@link SocketChannel}, for registering with a selector. */
  @Override
  public Optional<SelectableChannel> selectableChannel() {
    return Optional.of(channel);
  }

  /** The channel's bound address; empty once it is closed. */
  @Override
  public Optional<SocketAddress> localAddress() {
    try {
      return Optional.ofNullable(channel.getLocalAddress());
    } catch (IOException e) {
      return Optional.empty(); // closed: nothing to report
    }
  }

  /** The address connected to (the resolved one among the host's addresses). */
  @Override
  public Optional<SocketAddress> peerAddress() {
    return Optional.of(remote);
  }

  @Override
  public boolean isOpen() {
    return !closed && channel.isOpen();
  }

  /** Closes the channel and the private selector; idempotent, never throws. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (selector != null) {
      closeQuietly(selector);
    }
    closeQuietly(channel);
    if (LOG.isDebugEnabled()) {
      LOG.debug("closed tcp connection to {}", peer);
    }
  }

  @Override
  public String toString() {
    return "TcpTransport[" + peer + " via " + remote + (closed ? " closed" : "") + "]";
  }

  // ---- internals ----

  /**
   * A selector returns at once while the thread's interrupt status is set, so a wait loop that did
   * not look would spin until its deadline; an interrupt ends the wait instead (the status is left
   * set for the caller to see).
   */
  private static void checkNotInterrupted() throws InterruptedIOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("interrupted while waiting");
    }
  }

  private void ensureOpen(String what) throws TransportException {
    if (closed || !channel.isOpen()) {
      throw new TransportException(
          TransportException.Reason.CLOSED,
          "cannot " + what + " " + peer + ": the transport is closed");
    }
  }

  /** Closes the transport and maps {@code e}: a reset or broken pipe means the peer went away. */
  private TransportException failed(String what, IOException e) {
    close();
    TransportException.Reason reason =
        isPeerGone(e) ? TransportException.Reason.CLOSED : TransportException.Reason.IO_ERROR;
    return new TransportException(reason, "cannot " + what + " " + peer + ": " + describe(e), e);
  }

  private static boolean isPeerGone(IOException e) {
    if (e instanceof ClosedChannelException) {
      return true;
    }
    String m = e.getMessage() == null ? "" : e.getMessage().toLowerCase(Locale.ROOT);
    return m.contains("reset") || m.contains("broken pipe");
  }

  private static String describe(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing is best effort: the descriptor is released either way
    }
  }

  private static String stripBrackets(String host) {
    return host.length() > 1 && host.startsWith("[") && host.endsWith("]")
        ? host.substring(1, host.length() - 1)
        : host;
  }

  private static String hostAndPort(String host, int port) {
    return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
  }

  /** An address as people write it: IPv6 in brackets with its longest zero run as "::". */
  static String literal(InetAddress a) {
    if (!(a instanceof Inet6Address)) {
      return a.getHostAddress();
    }
    String full = a.getHostAddress(); // eight groups, each without leading zeros
    int scope = full.indexOf('%');
    String suffix = scope >= 0 ? full.substring(scope) : "";
    String[] groups = (scope >= 0 ? full.substring(0, scope) : full).split(":");
    int bestStart = -1;
    int bestLength = 1; // RFC 5952 §4.2.2: a single zero group is not shortened
    for (int i = 0; i < groups.length; ) {
      int j = i;
      while (j < groups.length && groups[j].equals("0")) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j == i ? i + 1 : j;
    }
    String text;
    if (bestStart < 0) {
      text = String.join(":", groups);
    } else {
      text =
          String.join(":", Arrays.copyOfRange(groups, 0, bestStart))
              + "::"
              + String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
    }
    return "[" + text + suffix + "]";
  }

  /** One connect: the addresses tried so far and how each failed. */
  private static final class Attempts {
    private final String host;
    private final String peer;
    private final int port;
    private final Deadline deadline;
    private final List<String> tried = new ArrayList<>(2);
    private int refused;
    private boolean timedOut;
    private IOException lastError;

    Attempts(String host, String peer, int port, Deadline deadline) {
      this.host = host;
      this.peer = peer;
      this.port = port;
      this.deadline = deadline;
    }

    TcpTransport run(InetAddress[] addresses) throws TransportException {
      for (InetAddress address : addresses) {
        if (deadline.isExpired()) {
          timedOut = true;
          break;
        }
        TcpTransport transport = attempt(address);
        if (transport != null) {
          if (LOG.isDebugEnabled()) {
            LOG.debug("connected to {} via {} after trying {}", peer, literal(address), tried);
          }
          return transport;
        }
        if (timedOut) {
          break;
        }
      }
      throw failure();
    }

    /** Tries one address; null when it failed (recorded in this object). */
    private TcpTransport attempt(InetAddress address) throws TransportException {
      InetSocketAddress target = new InetSocketAddress(address, port);
      SocketChannel channel = null;
      Selector selector = null;
      try {
        channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        boolean connected = channel.connect(target);
        if (!connected) {
          // A selector only for this wait: active-mode connections never need one afterwards, so
          // keeping it would cost a descriptor per connection for nothing.
          selector = Selector.open();
          channel.register(selector, SelectionKey.OP_CONNECT);
          connected = awaitConnect(channel, selector);
        }
        if (!connected) {
          timedOut = true;
          tried.add(literal(address) + " (no answer before the deadline)");
          closeQuietly(channel);
          return null;
        }
        tried.add(literal(address) + " (connected)");
        TcpTransport transport = new TcpTransport(channel, peer, target);
        channel = null; // owned by the transport now
        return transport;
      } catch (InterruptedIOException e) {
        // The caller wants the thread back: trying the other addresses would ignore that.
        throw new TransportException(
            TransportException.Reason.IO_ERROR,
            "cannot connect to " + peer + ": interrupted while connecting to " + literal(address),
            e);
      } catch (ConnectException e) {
        String m = describe(e);
        if (m.toLowerCase(Locale.ROOT).contains("refused")) {
          refused++;
        }
        lastError = e;
        tried.add(literal(address) + " (" + m + ")");
        return null;
      } catch (IOException e) {
        lastError = e;
        tried.add(literal(address) + " (" + describe(e) + ")");
        return null;
      } catch (UnsupportedAddressTypeException e) {
        // An IPv6 address on a machine without IPv6 (or the reverse): try the next one.
        lastError = new IOException("address family not supported", e);
        tried.add(literal(address) + " (address family not supported)");
        return null;
      } finally {
        if (selector != null) {
          closeQuietly(selector);
        }
        if (channel != null) {
          closeQuietly(channel);
        }
      }
    }

    /** Waits for the connect to finish; false when the deadline passed first. */
    private boolean awaitConnect(SocketChannel channel, Selector selector) throws IOException {
      while (true) {
        checkNotInterrupted();
        long millis = deadline.remainingMillis();
        if (millis == 0) {
          return channel.finishConnect();
        }
        selector.select(millis);
        selector.selectedKeys().clear();
        if (channel.finishConnect()) {
          return true;
        }
      }
    }

    private TransportException failure() {
      String what = "cannot connect to " + peer + "; tried " + String.join(", ", tried);
      if (timedOut) {
        return new TransportException(
            TransportException.Reason.CONNECT_TIMEOUT,
            what + "; the connect deadline passed",
            lastError);
      }
      if (refused == tried.size()) {
        return new TransportException(
            TransportException.Reason.CONNECTION_REFUSED, what, lastError);
      }
      return new TransportException(TransportException.Reason.IO_ERROR, what, lastError);
    }

    @Override
    public String toString() {
      return "Attempts[" + host + ":" + port + " " + tried + "]";
    }
  }
}
