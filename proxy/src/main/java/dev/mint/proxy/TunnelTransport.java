// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import dev.mint.ProxyResponse;
import dev.mint.TransportException;
import dev.mint.spi.Transport;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * A proxy tunnel once its handshake is done: a byte pipe to the origin through the transport below.
 *
 * <p>The handshake read in blocks and may have read past the proxy's reply (the origin's first
 * bytes in the same packet). Those bytes, the surplus, come first: {@link #read} returns them
 * before reading the inner transport again, and {@link #hasBufferedInput()} and {@link #awaitReady}
 * report them, so that neither a selector loop nor a waiting caller leaves them unseen; a read of
 * surplus is never {@link #lastReadDrained() drained}. Everything else passes straight through:
 * writes, flushing, the selectable channel, and the TLS session of the layer below (an HTTPS
 * proxy's, when the origin itself is not TLS).
 *
 * <p>Not thread-safe, like every transport. Errors are the inner transport's; {@link #read} after
 * {@link #close()} is {@link TransportException.Reason#CLOSED}.
 */
final class TunnelTransport implements Transport {
  private final Transport inner;
  private final ProxyResponse reply;
  private ByteBuffer surplus; // read mode; null once returned
  private boolean drained; // see lastReadDrained()

  TunnelTransport(Transport inner, ProxyResponse reply, ByteBuffer surplus) {
    this.inner = inner;
    this.reply = reply;
    this.surplus = surplus != null && surplus.hasRemaining() ? surplus : null;
  }

  @Override
  public int read(ByteBuffer dst) throws TransportException {
    if (surplus == null) {
      int n = inner.read(dst);
      drained = inner.lastReadDrained();
      return n;
    }
    drained = false; // the surplus says nothing of what the inner transport holds
    int n = Math.min(surplus.remaining(), dst.remaining());
    int limit = surplus.limit();
    surplus.limit(surplus.position() + n);
    dst.put(surplus);
    surplus.limit(limit);
    if (!surplus.hasRemaining()) {
      surplus = null;
    }
    return n;
  }

  /**
   * The inner transport's answer for a read that went to it; false for one that returned surplus,
   * which says nothing of the inner transport.
   */
  @Override
  public boolean lastReadDrained() {
    return drained;
  }

  /** The inner transport's: reads go straight into the caller's buffer through it. */
  @Override
  public int minReadRoom() {
    return inner.minReadRoom();
  }

  @Override
  public long write(ByteBuffer[] srcs) throws TransportException {
    return inner.write(srcs);
  }

  @Override
  public boolean flush() throws TransportException {
    return inner.flush();
  }

  @Override
  public boolean hasPendingOutput() {
    return inner.hasPendingOutput();
  }

  @Override
  public boolean hasBufferedInput() {
    return surplus != null || inner.hasBufferedInput();
  }

  @Override
  public int awaitReady(int ops, Duration timeout) throws TransportException {
    if (surplus != null && (ops & SelectionKey.OP_READ) != 0) {
      return SelectionKey.OP_READ;
    }
    return inner.awaitReady(ops, timeout);
  }

  @Override
  public Optional<SelectableChannel> selectableChannel() {
    return inner.selectableChannel();
  }

  @Override
  public void releaseAwaitResources() {
    inner.releaseAwaitResources();
  }

  @Override
  public Optional<SocketAddress> localAddress() {
    return inner.localAddress();
  }

  /** The inner transport's peer: the proxy (or the next tunnel's far end) carrying this tunnel. */
  @Override
  public Optional<SocketAddress> peerAddress() {
    return inner.peerAddress();
  }

  @Override
  public Optional<SSLSession> sslSession() {
    return inner.sslSession();
  }

  /** A tunnel has no closure alert of its own: the end is as clean as the inner transport's. */
  @Override
  public boolean peerClosedCleanly() {
    return inner.peerClosedCleanly();
  }

  @Override
  public Optional<ProxyResponse> proxyResponse() {
    return Optional.of(reply);
  }

  @Override
  public boolean isOpen() {
    return inner.isOpen();
  }

  /** Drops the surplus and closes the inner transport. */
  @Override
  public void close() {
    surplus = null;
    inner.close();
  }

  @Override
  public String toString() {
    return "TunnelTransport[" + reply + " over " + inner + "]";
  }
}
