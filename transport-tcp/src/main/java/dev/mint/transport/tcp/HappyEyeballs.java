// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tcp;

import dev.mint.SocketOptions;
import dev.mint.TransportException;
import dev.mint.spi.Deadline;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One connect to the addresses of a host, raced as Happy Eyeballs does (RFC 8305), on the caller's
 * thread.
 *
 * <p><b>Theory of operation.</b> The addresses are put in RFC 8305 §4 order: the family of the
 * first address first, then IPv6 and IPv4 alternating. Attempts start one at a time: a non-blocking
 * {@link SocketChannel} connect registered with one {@link Selector} for {@code OP_CONNECT}. The
 * next attempt starts when the connection attempt delay ({@link SocketOptions#attemptDelay()}, RFC
 * 8305 §5) has passed since the last one started, or at once when an attempt fails; earlier
 * attempts keep running beside it. The first channel whose connect completes wins and every other
 * one is closed (§5: "all other connection attempts are canceled"). The selector waits until the
 * next start or the connect deadline, whichever is first, so a silent address costs one delay, not
 * the whole connect timeout.
 *
 * <p>Left out: resolving A and AAAA separately (§3), which needs the resolver to hand back one
 * family before the other; the resolver here answers once with all addresses. Sorting by RFC 6724
 * is the resolver's job (the JDK's follows the system's preference).
 *
 * <p>Failures are classified by exception type: {@link ConnectException} (the kernel's refusal) is
 * a refusal; anything else ({@link java.net.NoRouteToHostException}, an unsupported family) is
 * another I/O failure of that address. Every address tried is named in the error with how it
 * failed.
 */
final class HappyEyeballs {
  private static final Logger LOG = LoggerFactory.getLogger(HappyEyeballs.class);

  private final String peer;
  private final int port;
  private final Deadline deadline;
  private final SocketOptions socket;
  private final List<InetAddress> order;
  private final List<String> tried = new ArrayList<>(2);
  private final List<SocketChannel> open = new ArrayList<>(2);
  private int started;
  private int refused;
  private int failed;
  private IOException lastError;

  HappyEyeballs(
      String peer, int port, Deadline deadline, SocketOptions socket, List<InetAddress> addresses) {
    this.peer = peer;
    this.port = port;
    this.deadline = deadline;
    this.socket = socket;
    this.order = interleave(sameFamily(addresses, socket));
  }

  /** With a local address to bind, only the addresses of its family can be reached from it. */
  private static List<InetAddress> sameFamily(List<InetAddress> addresses, SocketOptions socket) {
    if (socket.localAddress().isEmpty()) {
      return addresses;
    }
    boolean six = socket.localAddress().get() instanceof Inet6Address;
    List<InetAddress> out = new ArrayList<>(addresses.size());
    for (InetAddress a : addresses) {
      if ((a instanceof Inet6Address) == six) {
        out.add(a);
      }
    }
    return out.isEmpty() ? addresses : out;
  }

  /** A winning channel and the address it reached. */
  record Winner(SocketChannel channel, InetSocketAddress remote) {}

  /**
   * RFC 8305 §4: the family of the first address first, then the two families alternating, each
   * keeping the resolver's order.
   */
  static List<InetAddress> interleave(List<InetAddress> addresses) {
    List<InetAddress> six = new ArrayList<>();
    List<InetAddress> four = new ArrayList<>();
    for (InetAddress a : addresses) {
      (a instanceof Inet6Address ? six : four).add(a);
    }
    boolean sixFirst = !addresses.isEmpty() && addresses.get(0) instanceof Inet6Address;
    List<InetAddress> first = sixFirst ? six : four;
    List<InetAddress> second = sixFirst ? four : six;
    List<InetAddress> out = new ArrayList<>(addresses.size());
    for (int i = 0; i < Math.max(first.size(), second.size()); i++) {
      if (i < first.size()) {
        out.add(first.get(i));
      }
      if (i < second.size()) {
        out.add(second.get(i));
      }
    }
    return out;
  }

  /** Races the addresses until one connects or the deadline passes. */
  Winner run() throws TransportException {
    SocketChannel winner = null;
    try (Selector selector = Selector.open()) {
      winner = race(selector);
      return new Winner(winner, (InetSocketAddress) winner.getRemoteAddress());
    } catch (TransportException e) {
      winner = null; // a failure after the race was won still closes the winner
      throw e;
    } catch (InterruptedIOException e) {
      // The caller wants the thread back: trying the other addresses would ignore that.
      throw new TransportException(
          TransportException.Reason.IO_ERROR,
          "cannot connect to " + peer + ": interrupted while connecting; tried " + tried,
          e);
    } catch (IOException e) {
      winner = null;
      throw new TransportException(
          TransportException.Reason.IO_ERROR, "cannot connect to " + peer + ": " + e, e);
    } finally {
      for (SocketChannel ch : open) {
        if (ch != winner) {
          closeQuietly(ch);
        }
      }
    }
  }

  private SocketChannel race(Selector selector) throws IOException, TransportException {
    int pending = 0;
    long nextStart = System.nanoTime();
    while (true) {
      checkNotInterrupted();
      if (deadline.isExpired()) {
        throw failure(true);
      }
      if (started < order.size() && (pending == 0 || System.nanoTime() - nextStart >= 0)) {
        InetAddress address = order.get(started++);
        nextStart = System.nanoTime() + socket.attemptDelay().toNanos();
        SocketChannel started = start(address, selector);
        if (started != null && started.isConnected()) {
          return won(started, address);
        }
        pending += started != null ? 1 : 0;
        continue;
      }
      if (pending == 0) {
        throw failure(false);
      }
      long waitMillis = deadline.remainingMillis();
      if (started < order.size()) {
        long untilNext = (nextStart - System.nanoTime() + 999_999) / 1_000_000;
        waitMillis = Math.min(waitMillis, Math.max(1, untilNext));
      }
      selector.select(Math.max(1, waitMillis));
      for (SelectionKey key : selector.selectedKeys()) {
        SocketChannel ch = (SocketChannel) key.channel();
        InetAddress address = (InetAddress) key.attachment();
        if (finish(ch, address)) {
          return won(ch, address);
        }
        if (!ch.isOpen()) {
          pending--;
          nextStart = System.nanoTime(); // RFC 8305 §5: a failure starts the next attempt now
        }
      }
      selector.selectedKeys().clear();
    }
  }

  /** Opens a channel to {@code address} and starts its connect; null when that failed at once. */
  private SocketChannel start(InetAddress address, Selector selector) throws IOException {
    SocketChannel ch = SocketChannel.open();
    open.add(ch);
    try {
      ch.configureBlocking(false);
      configure(ch);
      if (ch.connect(new InetSocketAddress(address, port))) {
        return ch;
      }
      ch.register(selector, SelectionKey.OP_CONNECT, address);
      return ch;
    } catch (IOException | UnsupportedAddressTypeException | UnresolvedAddressException e) {
      record(address, e);
      closeQuietly(ch);
      return null;
    }
  }

  private void configure(SocketChannel ch) throws IOException {
    ch.setOption(StandardSocketOptions.TCP_NODELAY, socket.tcpNoDelay());
    ch.setOption(StandardSocketOptions.SO_KEEPALIVE, socket.keepAlive());
    // Before connecting: the receive buffer decides the window scale offered in the SYN.
    if (socket.receiveBufferSize() > 0) {
      ch.setOption(StandardSocketOptions.SO_RCVBUF, socket.receiveBufferSize());
    }
    if (socket.sendBufferSize() > 0) {
      ch.setOption(StandardSocketOptions.SO_SNDBUF, socket.sendBufferSize());
    }
    if (socket.localAddress().isPresent()) {
      ch.bind(new InetSocketAddress(socket.localAddress().get(), 0));
    }
  }

  /** Whether {@code ch} finished connecting; a failure closes it and is recorded. */
  private boolean finish(SocketChannel ch, InetAddress address) {
    try {
      return ch.finishConnect();
    } catch (IOException e) {
      record(address, e);
      closeQuietly(ch);
      return false;
    }
  }

  private SocketChannel won(SocketChannel ch, InetAddress address) {
    tried.add(TcpTransport.literal(address) + " (connected)");
    if (LOG.isDebugEnabled()) {
      LOG.debug("connected to {} via {} after trying {}", peer, address, tried);
    }
    return ch;
  }

  private void record(InetAddress address, Exception e) {
    failed++;
    if (isRefusal(e)) {
      refused++;
    }
    lastError = e instanceof IOException io ? io : new IOException(describe(e), e);
    tried.add(TcpTransport.literal(address) + " (" + describe(e) + ")");
  }

  /**
   * Whether a failed attempt was refused, by type: the JDK reports the kernel's refusal ({@code
   * ECONNREFUSED}, a RST in answer to the SYN) as {@link ConnectException}, and an unreachable
   * network or host as {@link java.net.NoRouteToHostException}, a sibling type; the message is the
   * operating system's text and is never looked at.
   */
  static boolean isRefusal(Exception e) {
    return e instanceof ConnectException;
  }

  private TransportException failure(boolean timedOut) {
    List<String> all = new ArrayList<>(tried);
    for (int i = 0; i < order.size(); i++) {
      String literal = TcpTransport.literal(order.get(i));
      if (all.stream().noneMatch(t -> t.startsWith(literal + " "))) {
        // Still connecting when the deadline passed, or never started before it.
        all.add(literal + (i < started ? " (no answer before the deadline)" : " (not tried)"));
      }
    }
    String what = "cannot connect to " + peer + "; tried " + String.join(", ", all);
    if (timedOut) {
      return new TransportException(
          TransportException.Reason.CONNECT_TIMEOUT,
          what + "; the connect deadline passed",
          lastError);
    }
    if (refused == failed && failed == order.size()) {
      return new TransportException(TransportException.Reason.CONNECTION_REFUSED, what, lastError);
    }
    return new TransportException(TransportException.Reason.IO_ERROR, what, lastError);
  }

  private static String describe(Exception e) {
    String type = e.getClass().getSimpleName();
    return e.getMessage() != null ? type + ": " + e.getMessage() : type;
  }

  /**
   * A selector returns at once while the thread's interrupt status is set, so the wait loop would
   * spin until its deadline; an interrupt ends the wait instead (the status stays set).
   */
  private static void checkNotInterrupted() throws InterruptedIOException {
    if (Thread.currentThread().isInterrupted()) {
      throw new InterruptedIOException("interrupted while waiting");
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // closing is best effort: the descriptor is released either way
    }
  }

  @Override
  public String toString() {
    return "HappyEyeballs[" + peer + " " + tried + "]";
  }
}
