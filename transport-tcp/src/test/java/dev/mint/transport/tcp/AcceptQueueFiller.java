// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tcp;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * A loopback listener with a backlog of 1 whose accept queue is filled with connections nobody
 * accepts. Once the queue is full the kernel drops further SYNs (it neither answers nor refuses),
 * so a connect to {@link #port()} hangs until the client's own deadline: a connect timeout that
 * never leaves the machine.
 *
 * <p>Public because the {@code it} module uses it too, through this module's test-jar.
 */
public final class AcceptQueueFiller implements AutoCloseable {
  private static final int MAX_FILLERS = 64;
  private static final long PROBE_MILLIS = 200;

  private final ServerSocket server;
  private final List<SocketChannel> fillers;

  /** Whether the last filler's connect hung: proof that further SYNs are being dropped. */
  public final boolean dropsSyns;

  private AcceptQueueFiller(ServerSocket server, List<SocketChannel> fillers, boolean dropsSyns) {
    this.server = server;
    this.fillers = fillers;
    this.dropsSyns = dropsSyns;
  }

  /** Listens on {@code address} and connects until a connect no longer completes (bounded). */
  public static AcceptQueueFiller fill(InetAddress address) throws IOException {
    return fill(address, 0);
  }

  /** As {@link #fill(InetAddress)}, on {@code port} (0 for any free one). */
  public static AcceptQueueFiller fill(InetAddress address, int port) throws IOException {
    ServerSocket server = new ServerSocket(port, 1, address);
    List<SocketChannel> fillers = new ArrayList<>();
    boolean drops = false;
    InetSocketAddress target = new InetSocketAddress(address, server.getLocalPort());
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < MAX_FILLERS && !drops; i++) {
        SocketChannel ch = SocketChannel.open();
        fillers.add(ch);
        ch.configureBlocking(false);
        if (ch.connect(target)) {
          continue;
        }
        SelectionKey key = ch.register(selector, SelectionKey.OP_CONNECT);
        selector.select(PROBE_MILLIS);
        selector.selectedKeys().clear();
        drops = !ch.finishConnect();
        key.cancel();
      }
    } catch (IOException | RuntimeException e) {
      new AcceptQueueFiller(server, fillers, false).close();
      throw e;
    }
    return new AcceptQueueFiller(server, fillers, drops);
  }

  /** The port of the listener whose queue is full. */
  public int port() {
    return server.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    for (SocketChannel ch : fillers) {
      ch.close();
    }
    server.close();
  }
}
