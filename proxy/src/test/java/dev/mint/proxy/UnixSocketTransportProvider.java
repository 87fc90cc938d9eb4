// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import dev.mint.TransportException;
import dev.mint.spi.Deadline;
import dev.mint.spi.Transport;
import dev.mint.spi.TransportContext;
import dev.mint.spi.TransportProvider;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * A user's own base transport, written against the SPI alone as an application would: a
 * non-blocking Unix domain socket, its path taken from the extension option {@value #PATH}. It
 * ignores the host and port it is given, so under a proxy it reaches whatever listens at the path
 * (the proxy).
 */
final class UnixSocketTransportProvider implements TransportProvider {
  static final String NAME = "unix";
  static final String PATH = "unix.path";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Transport open(TransportContext context) throws TransportException {
    Path path = context.options().extension(PATH, Path.class);
    try {
      SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
      channel.connect(UnixDomainSocketAddress.of(path)); // blocking: a local socket is immediate
      channel.configureBlocking(false);
      return new UnixSocketTransport(channel);
    } catch (IOException e) {
      throw new TransportException(
          TransportException.Reason.CONNECTION_REFUSED, "cannot connect to " + path, e);
    }
  }

  private static final class UnixSocketTransport implements Transport {
    private final SocketChannel channel;
    private Selector selector;

    UnixSocketTransport(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    public int read(ByteBuffer dst) throws TransportException {
      try {
        return channel.read(dst);
      } catch (IOException e) {
        close();
        throw new TransportException(TransportException.Reason.CLOSED, e.getMessage(), e);
      }
    }

    @Override
    public long write(ByteBuffer[] srcs) throws TransportException {
      try {
        return channel.write(srcs);
      } catch (IOException e) {
        close();
        throw new TransportException(TransportException.Reason.CLOSED, e.getMessage(), e);
      }
    }

    @Override
    public int awaitReady(int ops, Duration timeout) throws TransportException {
      try {
        if (selector == null) {
          selector = Selector.open();
          channel.register(selector, ops);
        } else {
          channel.keyFor(selector).interestOps(ops);
        }
        Deadline deadline = Deadline.after(timeout);
        long millis = Math.max(1, deadline.remainingMillis());
        selector.selectedKeys().clear();
        if (selector.select(millis) == 0) {
          return 0;
        }
        return channel.keyFor(selector).readyOps() & ops;
      } catch (IOException e) {
        close();
        throw new TransportException(TransportException.Reason.IO_ERROR, e.getMessage(), e);
      }
    }

    @Override
    public Optional<SelectableChannel> selectableChannel() {
      return Optional.of(channel);
    }

    @Override
    public boolean isOpen() {
      return channel.isOpen();
    }

    @Override
    public void close() {
      try {
        if (selector != null) {
          selector.close();
        }
        channel.close();
      } catch (IOException ignored) {
        // closing is best effort
      }
    }
  }
}
