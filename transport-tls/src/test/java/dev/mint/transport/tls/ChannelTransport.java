// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import dev.mint.TransportException;
import dev.mint.TransportException.Reason;
import dev.mint.spi.Transport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;

/**
 * A test-only inner transport over a non-blocking {@link SocketChannel}, so these tests do not
 * depend on the {@code tcp} transport module. It can be told to take at most a few bytes per write,
 * to exercise ciphertext held by the TLS transport.
 */
final class ChannelTransport implements Transport {
  private final SocketChannel channel;
  private Selector selector;
  private int writeBudget = -1; // none
  private int budgetLeft;
  private boolean closed;

  private ChannelTransport(SocketChannel channel) {
    this.channel = channel;
  }

  /** Connects (blocking) to 127.0.0.1:port, then switches to non-blocking. */
  static ChannelTransport connect(int port) throws IOException {
    SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", port));
    ch.configureBlocking(false);
    ch.socket().setTcpNoDelay(true);
    return new ChannelTransport(ch);
  }

  /**
   * From now on takes at most {@code bytes} between two waits for writability, like a socket whose
   * send buffer fills up: {@link #write} then returns 0 until {@link #awaitReady} is called.
   */
  ChannelTransport writeBudget(int bytes) {
    this.writeBudget = bytes;
    this.budgetLeft = bytes;
    return this;
  }

  SocketChannel channel() {
    return channel;
  }

  @Override
  public int read(ByteBuffer dst) throws TransportException {
    try {
      return channel.read(dst);
    } catch (IOException e) {
      close();
      throw new TransportException(Reason.IO_ERROR, "read failed: " + e, e);
    }
  }

  @Override
  public long write(ByteBuffer[] srcs) throws TransportException {
    try {
      if (writeBudget < 0) {
        return channel.write(srcs);
      }
      for (ByteBuffer src : srcs) {
        if (src.hasRemaining()) {
          int n = Math.min(src.remaining(), budgetLeft);
          ByteBuffer slice = src.slice().limit(n);
          int written = channel.write(slice);
          src.position(src.position() + written);
          budgetLeft -= written;
          return written;
        }
      }
      return 0;
    } catch (IOException e) {
      close();
      throw new TransportException(Reason.IO_ERROR, "write failed: " + e, e);
    }
  }

  @Override
  public int awaitReady(int ops, Duration timeout) throws TransportException {
    budgetLeft = writeBudget;
    try {
      if (selector == null) {
        selector = Selector.open();
      }
      SelectionKey key = channel.keyFor(selector);
      if (key == null) {
        key = channel.register(selector, ops);
      } else {
        key.interestOps(ops);
      }
      selector.selectedKeys().clear();
      long millis = Math.max(1, timeout.toMillis());
      if (selector.select(millis) == 0) {
        return 0;
      }
      return key.readyOps() & ops;
    } catch (IOException e) {
      close();
      throw new TransportException(Reason.IO_ERROR, "select failed: " + e, e);
    }
  }

  @Override
  public Optional<SelectableChannel> selectableChannel() {
    return Optional.of(channel);
  }

  @Override
  public boolean isOpen() {
    return !closed && channel.isOpen();
  }

  boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    closed = true;
    try {
      if (selector != null) {
        selector.close();
      }
      channel.close();
    } catch (IOException ignored) {
      // closing a test channel
    }
  }
}
