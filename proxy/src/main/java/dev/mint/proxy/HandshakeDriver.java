// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import dev.mint.ProxyResponse;
import dev.mint.TransportException;
import dev.mint.TransportException.Reason;
import dev.mint.spi.Deadline;
import dev.mint.spi.Transport;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.time.Duration;

/**
 * Runs a {@link Handshake} over the transport below a tunnel, blocking (the connect is the one
 * blocking step of a connection) on {@link Transport#awaitReady} until the handshake ends or its
 * deadline passes.
 *
 * <p>It reads in blocks of {@link #BLOCK} bytes, never one byte at a time, so it may read past the
 * proxy's last reply: the bytes beyond it (the origin's first bytes, in the same packet) are handed
 * back as {@link Result#surplus()} for the tunnel to return first. Stateless.
 */
final class HandshakeDriver {
  /** The read size. Proxy replies are small; this also bounds the surplus a tunnel holds. */
  static final int BLOCK = 16 * 1024;

  private HandshakeDriver() {}

  /**
   * The outcome of a completed handshake.
   *
   * @param response the proxy's reply
   * @param surplus bytes read past the reply (read mode), or {@code null} when there were none
   */
  record Result(ProxyResponse response, ByteBuffer surplus) {}

  /**
   * The limit on one handshake: the proxy's tunnel timeout from its start, or the connection's
   * connect deadline when that comes first; each expires with its own reason.
   */
  static final class Limit {
    private final Deadline deadline;
    private final Reason reason;
    private final String message;

    /**
     * @param connect the connection's deadline
     * @param connectTimeout the connect timeout it came from, for the message
     * @param tunnelTimeout the proxy's tunnel timeout, counted from now
     * @param what the handshake and proxy, for the message, such as {@code "CONNECT to a:443
     *     through the HTTP proxy p:3128"}
     */
    Limit(Deadline connect, Duration connectTimeout, Duration tunnelTimeout, String what) {
      Deadline tunnel = Deadline.after(tunnelTimeout);
      if (tunnel.nanoTime() - connect.nanoTime() < 0) {
        deadline = tunnel;
        reason = Reason.PROXY_TIMEOUT;
        message = what + " not done within the tunnel timeout " + tunnelTimeout;
      } else {
        deadline = connect;
        reason = Reason.CONNECT_TIMEOUT;
        message = what + " not done within the connect timeout " + connectTimeout;
      }
    }

    TransportException expired() {
      return new TransportException(reason, message);
    }
  }

  /**
   * Runs {@code handshake} over {@code inner} until it is done.
   *
   * @throws TransportException the handshake's failure, {@link Reason#PROXY_TIMEOUT} or {@link
   *     Reason#CONNECT_TIMEOUT} when the limit passes, or the inner transport's failure; the inner
   *     transport is left for the caller to close
   */
  static Result run(Transport inner, Handshake handshake, Limit limit) throws TransportException {
    Deadline deadline = limit.deadline;
    ByteBuffer in = ByteBuffer.allocate(BLOCK).flip(); // read mode, empty
    while (true) {
      send(inner, handshake.output(), deadline, limit);
      switch (handshake.receive(in)) {
        case DONE -> {
          return new Result(handshake.response(), surplus(in));
        }
        case SEND -> {} // the next message goes out first; then the rest of `in`
        case NEED_MORE -> {
          in.clear(); // every byte was consumed
          readSome(inner, in, handshake, deadline, limit);
          in.flip();
        }
      }
    }
  }

  /** Writes all of {@code out}, then flushes what the inner transport holds (TLS records). */
  private static void send(Transport inner, ByteBuffer out, Deadline deadline, Limit limit)
      throws TransportException {
    ByteBuffer[] srcs = {out};
    while (out.hasRemaining()) {
      if (inner.write(srcs) == 0) {
        await(inner, SelectionKey.OP_WRITE, deadline, limit);
      }
    }
    while (!inner.flush()) {
      await(inner, SelectionKey.OP_WRITE, deadline, limit);
    }
  }

  /** Reads at least one byte into {@code in} (write mode), waiting as needed. */
  private static void readSome(
      Transport inner, ByteBuffer in, Handshake handshake, Deadline deadline, Limit limit)
      throws TransportException {
    while (true) {
      int n = inner.read(in);
      if (n > 0) {
        return;
      }
      if (n < 0) {
        handshake.receiveEnd(); // always throws
        throw new IllegalStateException("receiveEnd returned");
      }
      if (!inner.hasBufferedInput()) {
        await(inner, SelectionKey.OP_READ, deadline, limit);
      } else if (deadline.isExpired()) {
        throw limit.expired(); // bounds the loop should a layer report input it never gives
      }
    }
  }

  private static void await(Transport inner, int ops, Deadline deadline, Limit limit)
      throws TransportException {
    Duration left = deadline.remaining();
    if (left.isZero() || inner.awaitReady(ops, left) == 0 && deadline.isExpired()) {
      throw limit.expired();
    }
  }

  /** What is left in {@code in} after the reply, copied to its size, or null. */
  private static ByteBuffer surplus(ByteBuffer in) {
    if (!in.hasRemaining()) {
      return null;
    }
    ByteBuffer copy = ByteBuffer.allocate(in.remaining());
    copy.put(in).flip();
    return copy;
  }
}
