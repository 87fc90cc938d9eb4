// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import dev.mint.TransportException;
import dev.mint.spi.Transport;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * An in-memory inner transport whose far end is a server {@link SSLEngine}, run on the caller's
 * thread: what the client writes is the server's input, and the server's records are what the
 * client reads. The server side is pumped inside {@link #read} and {@link #awaitReady}, so a {@link
 * TlsTransport} over it completes its handshake on one thread with no socket. For {@link
 * TlsTransportBenchmark}; the buffers are sized for one 16 KiB record at a time plus handshake
 * flights, and a write that does not fit is refused, never grown.
 */
final class LoopbackTlsPeer implements Transport {
  private static final int CAPACITY = 1 << 18;

  private final SSLEngine server;
  private final ByteBuffer toServer = ByteBuffer.allocate(CAPACITY); // write mode
  private final ByteBuffer toClient = ByteBuffer.allocate(CAPACITY); // write mode
  private final ByteBuffer serverPlain = ByteBuffer.allocate(CAPACITY); // write mode
  private final ByteBuffer empty = ByteBuffer.allocate(0);
  private boolean discardClientOutput;

  LoopbackTlsPeer(SSLEngine server) {
    this.server = server;
  }

  /** From now on the client's records are dropped unread (for a benchmark of wrap alone). */
  void discardClientOutput() {
    discardClientOutput = true;
    toServer.clear();
  }

  /** The server wraps {@code plaintext} into records for the client to read. */
  void serverSend(ByteBuffer plaintext) throws SSLException {
    while (plaintext.hasRemaining()) {
      SSLEngineResult r = server.wrap(plaintext, toClient);
      if (r.getStatus() != SSLEngineResult.Status.OK) {
        throw new SSLException("server wrap: " + r);
      }
    }
  }

  /** Drops the server's records unread (for a benchmark of the server's wrap alone). */
  void discardServerOutput() {
    toClient.clear();
  }

  @Override
  public int read(ByteBuffer dst) throws TransportException {
    pump();
    toClient.flip();
    int n = Math.min(dst.remaining(), toClient.remaining());
    ByteBuffer slice = toClient.slice();
    slice.limit(n);
    dst.put(slice);
    toClient.position(toClient.position() + n);
    toClient.compact();
    return n;
  }

  @Override
  public long write(ByteBuffer[] srcs) throws TransportException {
    long n = 0;
    for (ByteBuffer src : srcs) {
      n += src.remaining();
      if (discardClientOutput) {
        src.position(src.limit());
      } else if (src.remaining() > toServer.remaining()) {
        throw new TransportException(TransportException.Reason.IO_ERROR, "loopback buffer full");
      } else {
        toServer.put(src);
      }
    }
    pump();
    return n;
  }

  @Override
  public int awaitReady(int ops, Duration timeout) throws TransportException {
    pump();
    return ops;
  }

  /** Lets the server engine run its handshake and read what the client sent, until it waits. */
  private void pump() throws TransportException {
    try {
      for (int step = 0; step < 64; step++) { // bounded: a handshake takes a handful of steps
        switch (server.getHandshakeStatus()) {
          case NEED_TASK -> {
            for (Runnable task; (task = server.getDelegatedTask()) != null; ) {
              task.run();
            }
          }
          case NEED_WRAP -> server.wrap(empty, toClient);
          case NEED_UNWRAP, NEED_UNWRAP_AGAIN, FINISHED, NOT_HANDSHAKING -> {
            if (toServer.position() == 0) {
              return;
            }
            toServer.flip();
            SSLEngineResult r = server.unwrap(toServer, serverPlain);
            toServer.compact();
            serverPlain.clear(); // the server's plaintext is not looked at
            if (r.bytesConsumed() == 0
                && server.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_TASK
                && server.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_WRAP) {
              return; // a partial record: wait for more
            }
          }
        }
      }
    } catch (SSLException e) {
      throw new TransportException(TransportException.Reason.IO_ERROR, "server engine: " + e, e);
    }
  }

  @Override
  public Optional<SelectableChannel> selectableChannel() {
    return Optional.empty();
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public void close() {}
}
