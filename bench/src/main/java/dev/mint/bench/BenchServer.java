// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The load comparison's server: HTTP/1.1 on 127.0.0.1, one thread, one selector, keep-alive. It
 * answers every request, pipelined or not, in order, with the same {@code 200} response: a few
 * header fields and a fixed body of a configured size. It reads request heads only: a request with
 * a body is not supported (the clients measured send {@code GET}s).
 *
 * <p>The response bytes are encoded once, so the server's cost per request is a scan for the end of
 * the request head and one copy into the output buffer; every client meets the same server in the
 * same run. Written for the benchmark (a copy in spirit of the {@code it} module's test server)
 * because {@code com.sun.net.httpserver} adds a thread hand-off per exchange.
 */
public final class BenchServer implements AutoCloseable {
  private static final int MAX_REQUEST_HEAD = 64 * 1024;

  private final byte[] response;
  private final ServerSocketChannel server;
  private final Selector selector;
  private final Thread thread;
  private final AtomicLong served = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean stopping;

  /** Starts a server whose responses carry a body of {@code bodySize} bytes. */
  public BenchServer(int bodySize) throws IOException {
    this.response = response(bodySize);
    server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 1024);
    server.configureBlocking(false);
    selector = Selector.open();
    server.register(selector, SelectionKey.OP_ACCEPT);
    thread = new Thread(this::run, AllocationMeter.SERVER_THREAD_PREFIX + "-h1-" + port());
    thread.setDaemon(true);
    thread.start();
  }

  /** The bytes of every response: a status line, three fields and the body. */
  static byte[] response(int bodySize) {
    byte[] head =
        ("HTTP/1.1 200 OK\r\n"
                + "server: mint-bench\r\n"
                + "content-type: application/octet-stream\r\n"
                + "content-length: "
                + bodySize
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[head.length + bodySize];
    System.arraycopy(head, 0, all, 0, head.length);
    for (int i = 0; i < bodySize; i++) {
      all[head.length + i] = (byte) ('a' + i % 26);
    }
    return all;
  }

  /** The port bound on 127.0.0.1. */
  public int port() {
    return server.socket().getLocalPort();
  }

  /** Requests answered so far. */
  public long served() {
    return served.get();
  }

  private void run() {
    try {
      while (!stopping) {
        selector.select(100);
        Iterator<SelectionKey> it = selector.selectedKeys().iterator();
        while (it.hasNext()) {
          SelectionKey key = it.next();
          it.remove();
          if (!key.isValid()) {
            continue;
          }
          if (key.isAcceptable()) {
            acceptAll();
          } else {
            Conn conn = (Conn) key.attachment();
            try {
              conn.onReady(key);
            } catch (IOException e) {
              key.cancel();
              conn.channel.close();
            }
          }
        }
      }
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
    } finally {
      for (SelectionKey key : selector.keys()) {
        closeQuietly(key.channel());
      }
      closeQuietly(selector);
    }
  }

  private void acceptAll() throws IOException {
    for (int i = 0; i < 1024; i++) {
      SocketChannel ch = server.accept();
      if (ch == null) {
        return;
      }
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ch.register(selector, SelectionKey.OP_READ, new Conn(ch));
    }
  }

  /**
   * Stops the thread and closes every socket.
   *
   * @throws IOException when closing fails, or when the server thread had failed
   */
  @Override
  public void close() throws IOException {
    stopping = true;
    selector.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    server.close();
    Throwable t = failure.get();
    if (t != null) {
      throw new IOException("the bench server failed", t);
    }
  }

  private static void closeQuietly(AutoCloseable c) {
    try {
      c.close();
    } catch (Exception ignored) {
      // shutting down: nothing left to tell
    }
  }

  /** One client connection: request heads in, responses out, in order. */
  private final class Conn {
    final SocketChannel channel;
    ByteBuffer in = ByteBuffer.allocate(8 * 1024);
    ByteBuffer out = ByteBuffer.allocate(Math.max(16 * 1024, 2 * response.length));

    Conn(SocketChannel channel) {
      this.channel = channel;
    }

    void onReady(SelectionKey key) throws IOException {
      if (key.isReadable()) {
        for (int i = 0; i < 16; i++) {
          if (!in.hasRemaining()) {
            if (in.capacity() >= MAX_REQUEST_HEAD) {
              throw new IOException("request head too large");
            }
            in = grow(in, in.capacity() * 2);
          }
          int n = channel.read(in);
          if (n < 0) {
            throw new IOException("client closed"); // closes our side too
          }
          if (n == 0) {
            break;
          }
        }
        answerComplete();
      }
      out.flip();
      channel.write(out);
      out.compact();
      key.interestOps(
          out.position() > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    /** Queues one response for every complete request head in the input. */
    private void answerComplete() {
      in.flip();
      byte[] a = in.array();
      int start = in.position();
      int limit = in.limit();
      for (int i = start; i + 3 < limit; i++) {
        if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
          if (out.remaining() < response.length) {
            out = grow(out, Math.max(out.capacity() * 2, out.position() + response.length));
          }
          out.put(response);
          served.incrementAndGet();
          i += 3;
          start = i + 1;
        }
      }
      in.position(start);
      in.compact();
    }
  }

  private static ByteBuffer grow(ByteBuffer b, int capacity) {
    ByteBuffer bigger = ByteBuffer.allocate(capacity);
    b.flip();
    bigger.put(b);
    return bigger;
  }
}
