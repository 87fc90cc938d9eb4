// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tcp;

import dev.mint.Resolver;
import dev.mint.SocketOptions;
import dev.mint.TransportException;
import dev.mint.spi.Deadline;
import dev.mint.spi.Transport;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Transport} over a connected, non-blocking {@link SocketChannel}, with the {@link
 * SocketOptions} of the connection ({@code TCP_NODELAY} on by default: HTTP writes whole requests;
 * Nagle's algorithm would only delay the last segment).
 *
 * <p><b>Connecting</b> ({@link #connect}): an address literal is used as it is; a name goes to the
 * {@link Resolver} (the JDK's by default, which blocks and is bounded by the system resolver's own
 * timeouts, not by the deadline: bounding it would need a thread). The addresses are then raced as
 * Happy Eyeballs does (RFC 8305): IPv6 and IPv4 interleaved, a new attempt every {@link
 * SocketOptions#attemptDelay()} (or as soon as one fails) while earlier ones keep going, all on one
 * private {@link Selector} inside the call, until the first connects or the deadline passes. An
 * address that never answers costs one attempt delay, not the whole connect timeout.
 *
 * <p><b>Interrupts:</b> waiting (in {@link #connect} and {@link #awaitReady}) ends when the calling
 * thread is interrupted, with {@link TransportException.Reason#IO_ERROR} and the transport closed,
 * like a JDK interruptible channel; the interrupt status stays set.
 *
 * <p><b>Moving bytes:</b> {@link #read} and {@link #write} never block. A read that fills less than
 * its room took all the socket held ({@link #lastReadDrained()}). An {@link IOException} closes the
 * transport and becomes a {@link TransportException}, classified by the exception's type, never by
 * its text (see {@link #ofReadOrWrite}): {@link TransportException.Reason#CLOSED} when the peer
 * reset the connection, the pipe is broken or the connection is otherwise gone, {@link
 * TransportException.Reason#IO_ERROR} when the network reported the peer unreachable. Using a
 * closed transport fails with {@code CLOSED}.
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
  private boolean drained; // the last read filled less than its room: see lastReadDrained()

  private TcpTransport(SocketChannel channel, String peer, InetSocketAddress remote) {
    this.channel = channel;
    this.peer = peer;
    this.remote = remote;
  }

  /**
   * Connects to {@code host}:{@code port} before {@code deadline}, resolving with {@link
   * Resolver#system()} and the default {@link SocketOptions}.
   *
   * @see #connect(String, int, Deadline, Resolver, SocketOptions)
   */
  public static TcpTransport connect(String host, int port, Deadline deadline)
      throws TransportException {
    return connect(host, port, deadline, Resolver.system(), SocketOptions.defaults());
  }

  /**
   * Connects to {@code host}:{@code port} before {@code deadline}: an address literal as it is, a
   * name through {@code resolver}; several addresses are raced (Happy Eyeballs, RFC 8305) with
   * {@link SocketOptions#attemptDelay()} between attempts.
   *
   * @param host a name, or an IPv4 or IPv6 literal (with or without brackets)
   * @param port the port, 0 to 65535
   * @param deadline when the connect must be done (resolution is not bounded by it: see {@link
   *     Resolver})
   * @param resolver turns a name into addresses
   * @param socket the socket options set on every attempt
   * @return the connected transport
   * @throws TransportException {@link TransportException.Reason#UNRESOLVED_HOST} when the name does
   *     not resolve or resolves to nothing; {@link TransportException.Reason#CONNECTION_REFUSED}
   *     when every address refused; {@link TransportException.Reason#CONNECT_TIMEOUT} when the
   *     deadline passed first; {@link TransportException.Reason#IO_ERROR} for any other failure
   *     (the cause says more). Each message names the host, the port and every address tried.
   */
  public static TcpTransport connect(
      String host, int port, Deadline deadline, Resolver resolver, SocketOptions socket)
      throws TransportException {
    String bare = stripBrackets(host);
    String peer = hostAndPort(bare, port);
    if (port < 0 || port > 0xFFFF) {
      throw new TransportException(
          TransportException.Reason.IO_ERROR, "cannot connect to " + peer + ": port out of range");
    }
    List<InetAddress> addresses = resolve(bare, port, peer, resolver);
    if (deadline.isExpired()) {
      throw new TransportException(
          TransportException.Reason.CONNECT_TIMEOUT,
          "cannot connect to " + peer + ": the connect deadline passed before connecting");
    }
    HappyEyeballs.Winner won = new HappyEyeballs(peer, port, deadline, socket, addresses).run();
    return new TcpTransport(won.channel(), peer, won.remote());
  }

  private static List<InetAddress> resolve(String host, int port, String peer, Resolver resolver)
      throws TransportException {
    List<InetAddress> addresses;
    try {
      InetAddress literal = Literals.parse(host);
      addresses = literal != null ? List.of(literal) : resolver.resolve(host, port);
    } catch (UnknownHostException e) {
      throw new TransportException(
          TransportException.Reason.UNRESOLVED_HOST,
          "cannot connect to " + peer + ": host '" + host + "' did not resolve" + detail(e, host),
          e);
    }
    if (addresses == null || addresses.isEmpty()) {
      throw new TransportException(
          TransportException.Reason.UNRESOLVED_HOST,
          "cannot connect to " + peer + ": host '" + host + "' resolved to no address");
    }
    return addresses;
  }

  /**
   * What the resolver said beyond the name: the JDK's exception carries only the name, a resolver
   * may say more (an installed one, which ones are installed).
   */
  private static String detail(UnknownHostException e, String host) {
    String m = e.getMessage();
    return m == null || m.isEmpty() || m.startsWith(host) ? "" : " (" + m + ")";
  }

  /**
   * A transport over {@code channel}, connected already (to a Unix domain socket: {@link
   * UnixTransport}); {@code peer} names it in messages.
   */
  static TcpTransport over(SocketChannel channel, String peer) {
    return new TcpTransport(channel, peer, null);
  }

  /** The address this transport is connected to. */
  public InetSocketAddress remoteAddress() {
    return remote;
  }

  @Override
  public int read(ByteBuffer dst) throws TransportException {
    ensureOpen("read from");
    int room = dst.remaining();
    try {
      int n = channel.read(dst);
      drained = n < room;
      return n;
    } catch (IOException e) {
      throw failed("read from", e);
    }
  }

  /**
   * Whether the last {@link #read} filled less than its room: a stream socket's read hands over
   * what the receive buffer holds up to the room, so it then held no more, and whatever arrives
   * later (bytes, or the end of stream) makes the channel readable again. This transport holds no
   * input of its own.
   */
  @Override
  public boolean lastReadDrained() {
    return drained;
  }

  @Override
  public long write(ByteBuffer[] srcs) throws TransportException {
    ensureOpen("write to");
    try {
      // One buffer (a request, a batch the engine laid out in one array) goes by write(2): the
      // JDK's gathering path costs about 0.2 us more per call for the same bytes.
      return srcs.length == 1 ? channel.write(srcs[0]) : channel.write(srcs);
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
      throw failed("wait on", e, ofWait(e));
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
    String via = remote != null ? " via " + remote : "";
    return "TcpTransport[" + peer + via + (closed ? " closed" : "") + "]";
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

  /**
   * Closes the transport and maps {@code e}, a failed read or write: see {@link #ofReadOrWrite}.
   */
  private TransportException failed(String what, IOException e) {
    return failed(what, e, ofReadOrWrite(e));
  }

  private TransportException failed(String what, IOException e, TransportException.Reason reason) {
    close();
    return new TransportException(reason, "cannot " + what + " " + peer + ": " + describe(e), e);
  }

  /**
   * The reason for a failed read or write on the connected channel, by the exception's type:
   *
   * <ul>
   *   <li>{@link ClosedChannelException} (and {@link
   *       java.nio.channels.AsynchronousCloseException}): the channel was closed under us, {@link
   *       TransportException.Reason#CLOSED};
   *   <li>{@link NoRouteToHostException}, {@link PortUnreachableException}: the network reported
   *       the peer unreachable, {@link TransportException.Reason#IO_ERROR};
   *   <li>{@link InterruptedIOException} (with {@link java.net.SocketTimeoutException}): not the
   *       peer's doing, {@link TransportException.Reason#IO_ERROR};
   *   <li>anything else, last: {@link TransportException.Reason#CLOSED}. The JDK reports a reset
   *       seen by a read as a {@link java.net.SocketException} ("Connection reset"), but a write's
   *       failure ({@code EPIPE}, {@code ECONNRESET}) as a plain {@link IOException} whose only
   *       detail is the C library's text for the error number, translated per locale; no type tells
   *       them apart. On a connected stream socket every such error means the connection is gone,
   *       so this fallback goes by where the failure happened, never by its text.
   * </ul>
   */
  static TransportException.Reason ofReadOrWrite(IOException e) {
    if (e instanceof ClosedChannelException) {
      return TransportException.Reason.CLOSED;
    }
    if (e instanceof NoRouteToHostException
        || e instanceof PortUnreachableException
        || e instanceof InterruptedIOException) {
      return TransportException.Reason.IO_ERROR;
    }
    return TransportException.Reason.CLOSED;
  }

  /**
   * The reason for a failed wait: the selector failed, which is not the peer's doing ({@link
   * TransportException.Reason#IO_ERROR}), unless the channel was closed under it.
   */
  static TransportException.Reason ofWait(IOException e) {
    return e instanceof ClosedChannelException
        ? TransportException.Reason.CLOSED
        : TransportException.Reason.IO_ERROR;
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
}
