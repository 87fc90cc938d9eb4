// SPDX-License-Identifier: Apache-2.0
package com.example.transport;

import dev.mint.TransportException;
import dev.mint.TransportException.Reason;
import dev.mint.spi.Deadline;
import dev.mint.spi.Transport;
import dev.mint.spi.TransportContext;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Optional;

/**
 * A non-blocking TCP socket that adds every byte it reads and writes to its provider's totals. It
 * is a base transport: nothing below it, so TLS or a proxy tunnel layers on top of it. It resolves
 * the host with the system resolver (which the deadline does not bound) and tries the first address
 * only; the built-in {@code tcp} transport does Happy Eyeballs instead.
 *
 * <p>Used by one thread at a time, as every transport. {@link #awaitReady} keeps a private selector
 * between calls; {@link #releaseAwaitResources()} and {@link #close()} let it go.
 */
final class CountingTcpTransport implements Transport {
  private final SocketChannel channel;
  private final CountingTcpTransportProvider totals;
  private Selector selector; // opened by the first wait, for passive mode and the connect

  private CountingTcpTransport(SocketChannel channel, CountingTcpTransportProvider totals) {
    this.channel = channel;
    this.totals = totals;
  }

  /** Connects to the context's host and port before its deadline, or fails and closes. */
  static CountingTcpTransport connect(TransportContext context, CountingTcpTransportProvider totals)
      throws TransportException {
    InetSocketAddress peer = new InetSocketAddress(context.host(), context.port());
    if (peer.isUnresolved()) {
      throw new TransportException(Reason.UNRESOLVED_HOST, "cannot resolve " + context.host());
    }
    CountingTcpTransport transport;
    try {
      transport = new CountingTcpTransport(SocketChannel.open(), totals);
    } catch (IOException e) {
      throw new TransportException(Reason.IO_ERROR, "cannot open a socket", e);
    }
    try {
      transport.finishConnect(peer, context.deadline());
      return transport;
    } catch (TransportException e) {
      transport.close();
      throw e;
    }
  }

  private void finishConnect(InetSocketAddress peer, Deadline deadline) throws TransportException {
    try {
      channel.configureBlocking(false); // read and write must never block
      channel.setOption(StandardSocketOptions.TCP_NODELAY, true); // requests are small writes
      boolean connected = channel.connect(peer);
      while (!connected) {
        if (deadline.isExpired() || select(SelectionKey.OP_CONNECT, deadline.remaining()) == 0) {
          throw new TransportException(Reason.CONNECT_TIMEOUT, "no connection to " + peer);
        }
        connected = channel.finishConnect();
      }
    } catch (ConnectException e) {
      throw new TransportException(Reason.CONNECTION_REFUSED, "refused by " + peer, e);
    } catch (IOException e) {
      throw new TransportException(Reason.IO_ERROR, "cannot connect to " + peer, e);
    }
  }

  @Override
  public int read(ByteBuffer dst) throws TransportException {
    try {
      int n = channel.read(dst); // non-blocking: 0 when nothing has arrived
      if (n > 0) {
        totals.countRead(n);
      }
      return n;
    } catch (IOException e) {
      throw failure("read", e);
    }
  }

  @Override
  public long write(ByteBuffer[] srcs) throws TransportException {
    try {
      long n = channel.write(srcs); // non-blocking: what the socket buffer takes, maybe 0
      totals.countWritten(n);
      return n;
    } catch (IOException e) {
      throw failure("write", e);
    }
  }

  @Override
  public int awaitReady(int ops, Duration timeout) throws TransportException {
    try {
      return select(ops, timeout);
    } catch (IOException e) {
      throw failure("wait on", e);
    }
  }

  /** Waits on the private selector for {@code ops}; returns the ready subset, 0 on timeout. */
  private int select(int ops, Duration timeout) throws IOException {
    if (selector == null) {
      selector = Selector.open();
    }
    SelectionKey key = channel.keyFor(selector);
    if (key == null) {
      key = channel.register(selector, ops);
    } else {
      key.interestOps(ops);
    }
    long millis = Math.max(1, timeout.toMillis()); // select(0) would wait for ever
    selector.selectedKeys().clear();
    return selector.select(millis) == 0 ? 0 : key.readyOps() & ops;
  }

  @Override
  public void releaseAwaitResources() {
    if (selector != null) {
      try {
        selector.close(); // deregisters the channel from it
      } catch (IOException ignored) {
        // nothing is held any more either way
      }
      selector = null;
    }
  }

  @Override
  public Optional<SelectableChannel> selectableChannel() {
    return Optional.of(channel);
  }

  @Override
  public Optional<SocketAddress> localAddress() {
    return address(true);
  }

  @Override
  public Optional<SocketAddress> peerAddress() {
    return address(false);
  }

  private Optional<SocketAddress> address(boolean local) {
    try {
      return Optional.ofNullable(local ? channel.getLocalAddress() : channel.getRemoteAddress());
    } catch (IOException e) {
      return Optional.empty(); // closed: there is no socket to ask
    }
  }

  @Override
  public boolean isOpen() {
    return channel.isOpen();
  }

  @Override
  public void close() {
    releaseAwaitResources();
    try {
      channel.close(); // a second close does nothing
    } catch (IOException ignored) {
      // the socket is released whatever the error
    }
  }

  /** Closes, as after any failure, and names it: a reset or a broken pipe is the peer gone. */
  private TransportException failure(String what, IOException e) {
    String message = e.getMessage() == null ? "" : e.getMessage();
    boolean peerGone =
        !channel.isOpen() || message.contains("reset") || message.contains("Broken pipe");
    close();
    return new TransportException(
        peerGone ? Reason.CLOSED : Reason.IO_ERROR, "cannot " + what + " the socket", e);
  }
}
