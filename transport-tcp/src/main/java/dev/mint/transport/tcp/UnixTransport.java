// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tcp;

import dev.mint.TransportException;
import dev.mint.spi.Deadline;
import dev.mint.spi.Transport;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A {@link Transport} over a connected, non-blocking Unix domain {@link SocketChannel} ({@link
 * StandardProtocolFamily#UNIX}, {@link UnixDomainSocketAddress}): the HTTP server is a local
 * process listening on a path, as Docker's and many sidecars' are.
 *
 * <p>It moves bytes, waits and fails exactly as {@link TcpTransport} does (the same channel code
 * underneath); only connecting differs: there is no name to resolve and one address to reach, so no
 * racing. TCP socket options do not apply. The connect is non-blocking and waited on by a private
 * {@link Selector} until the deadline, like TCP's (a local connect is immediate unless the
 * listener's backlog is full).
 *
 * <p>Confined to one thread at a time, like the connection that owns it.
 */
public final class UnixTransport implements Transport {
  private final TcpTransport channel;
  private final Path path;

  private UnixTransport(TcpTransport channel, Path path) {
    this.channel = channel;
    this.path = path;
  }

  /**
   * Connects to the Unix domain socket at {@code path} before {@code deadline}.
   *
   * @throws TransportException {@link TransportException.Reason#CONNECTION_REFUSED} when nothing
   *     listens at the path (a stale socket file); {@link
   *     TransportException.Reason#CONNECT_TIMEOUT} when the deadline passed first; {@link
   *     TransportException.Reason#IO_ERROR} for anything else, such as no file at the path or no
   *     permission (the cause says more), or an interrupt. Each message names the path.
   */
  public static UnixTransport connect(Path path, Deadline deadline) throws TransportException {
    String peer = "unix:" + path;
    SocketChannel ch = null;
    try {
      ch = SocketChannel.open(StandardProtocolFamily.UNIX);
      ch.configureBlocking(false);
      if (!ch.connect(UnixDomainSocketAddress.of(path)) && !awaitConnect(ch, deadline)) {
        throw new TransportException(
            TransportException.Reason.CONNECT_TIMEOUT,
            "cannot connect to " + peer + ": the connect deadline passed");
      }
      UnixTransport t = new UnixTransport(TcpTransport.over(ch, peer), path);
      ch = null; // owned by the transport now
      return t;
    } catch (TransportException e) {
      throw e;
    } catch (ConnectException e) {
      throw new TransportException(
          TransportException.Reason.CONNECTION_REFUSED,
          "cannot connect to " + peer + ": nothing listens there",
          e);
    } catch (IOException | RuntimeException e) {
      throw new TransportException(
          TransportException.Reason.IO_ERROR, "cannot connect to " + peer + ": " + e, e);
    } finally {
      if (ch != null) {
        try {
          ch.close();
        } catch (IOException ignored) {
          // the descriptor is released either way
        }
      }
    }
  }

  private static boolean awaitConnect(SocketChannel ch, Deadline deadline) throws IOException {
    try (Selector selector = Selector.open()) {
      ch.register(selector, SelectionKey.OP_CONNECT);
      while (!deadline.isExpired()) {
        if (Thread.currentThread().isInterrupted()) {
          throw new InterruptedIOException("interrupted while connecting");
        }
        selector.select(Math.max(1, deadline.remainingMillis()));
        selector.selectedKeys().clear();
        if (ch.finishConnect()) {
          return true;
        }
      }
      return ch.finishConnect();
    }
  }

  /** The path of the socket this transport is connected to. */
  public Path path() {
    return path;
  }

  @Override
  public int read(ByteBuffer dst) throws TransportException {
    return channel.read(dst);
  }

  /** As {@link TcpTransport#lastReadDrained}: a stream socket's short read took all it held. */
  @Override
  public boolean lastReadDrained() {
    return channel.lastReadDrained();
  }

  @Override
  public long write(ByteBuffer[] srcs) throws TransportException {
    return channel.write(srcs);
  }

  /** As {@link TcpTransport#awaitReady}. */
  @Override
  public int awaitReady(int ops, Duration timeout) throws TransportException {
    return channel.awaitReady(ops, timeout);
  }

  /** The {@link SocketChannel}, for registering with a selector (active mode). */
  @Override
  public Optional<SelectableChannel> selectableChannel() {
    return channel.selectableChannel();
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  /** Closes the channel; idempotent, never throws. */
  @Override
  public void close() {
    channel.close();
  }

  @Override
  public String toString() {
    return "UnixTransport[" + path + (isOpen() ? "" : " closed") + "]";
  }
}
