// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.loopback;

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
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A small, fast HTTP/1.1 server on one thread with one selector, able to hold thousands of
 * keep-alive connections on 127.0.0.1. It answers every request, pipelined or not, in order with
 * {@code 200} and the body {@code ok <target>}. Request bodies must have a {@code content-length}.
 *
 * <p>Written for these tests instead of {@code com.sun.net.httpserver}, which closes idle
 * connections beyond a small limit and would not hold 1,000 of them.
 */
final class NioHttpServer implements AutoCloseable {
  /** The prefix of this server's thread name, so thread checks can leave it out. */
  static final String THREAD_PREFIX = "loopback-nio-server";

  private static final int MAX_REQUEST_BUFFER = 1024 * 1024;

  private final ServerSocketChannel server;
  private final Selector selector;
  private final Thread thread;
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicLong served = new AtomicLong();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private volatile boolean stopping;

  NioHttpServer() throws IOException {
    server = ServerSocketChannel.open();
    server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 2048);
    server.configureBlocking(false);
    selector = Selector.open();
    server.register(selector, SelectionKey.OP_ACCEPT);
    thread = new Thread(this::run, THREAD_PREFIX + "-" + port());
    thread.setDaemon(true);
    thread.start();
  }

  int port() {
    return server.socket().getLocalPort();
  }

  /** Connections accepted so far. */
  int accepted() {
    return accepted.get();
  }

  /** Requests answered so far. */
  long served() {
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
        try {
          key.channel().close();
        } catch (IOException ignored) {
          // shutting down
        }
      }
      try {
        selector.close();
      } catch (IOException ignored) {
        // shutting down
      }
    }
  }

  private void acceptAll() throws IOException {
    for (int i = 0; i < 4096; i++) {
      SocketChannel ch = server.accept();
      if (ch == null) {
        return;
      }
      accepted.incrementAndGet();
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      ch.register(selector, SelectionKey.OP_READ, new Conn(ch));
    }
  }

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
      throw new AssertionError("the NIO server failed", t);
    }
  }

  /** One client connection: bytes in, parsed into requests; responses out, in order. */
  private final class Conn {
    final SocketChannel channel;
    ByteBuffer in = ByteBuffer.allocate(8 * 1024);
    ByteBuffer out = ByteBuffer.allocate(8 * 1024);

    Conn(SocketChannel channel) {
      this.channel = channel;
    }

    void onReady(SelectionKey key) throws IOException {
      if (key.isReadable()) {
        for (int i = 0; i < 16; i++) {
          if (!in.hasRemaining()) {
            if (in.capacity() >= MAX_REQUEST_BUFFER) {
              throw new IOException("request too large");
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
        parse();
      }
      out.flip();
      channel.write(out);
      out.compact();
      key.interestOps(
          out.position() > 0 ? SelectionKey.OP_READ | SelectionKey.OP_WRITE : SelectionKey.OP_READ);
    }

    /** Answers every complete request in the buffer. */
    private void parse() {
      in.flip();
      while (true) {
        int start = in.position();
        int end = headEnd(in, start);
        if (end < 0) {
          break;
        }
        String head = new String(in.array(), start, end - start, StandardCharsets.ISO_8859_1);
        int length = contentLength(head);
        if (in.limit() - end < length) {
          break;
        }
        in.position(end + length);
        String target =
            head.substring(head.indexOf(' ') + 1, head.indexOf(' ', head.indexOf(' ') + 1));
        respond(target);
      }
      in.compact();
    }

    private void respond(String target) {
      byte[] body = ("ok " + target).getBytes(StandardCharsets.UTF_8);
      byte[] head =
          ("HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: "
                  + body.length
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.ISO_8859_1);
      if (out.remaining() < head.length + body.length) {
        out = grow(out, Math.max(out.capacity() * 2, out.position() + head.length + body.length));
      }
      out.put(head).put(body);
      served.incrementAndGet();
    }
  }

  private static ByteBuffer grow(ByteBuffer b, int capacity) {
    ByteBuffer bigger = ByteBuffer.allocate(capacity);
    b.flip();
    bigger.put(b);
    return bigger;
  }

  /** The index just past the CRLFCRLF ending a head that starts at {@code from}, or -1. */
  private static int headEnd(ByteBuffer b, int from) {
    byte[] a = b.array();
    for (int i = from; i + 3 < b.limit(); i++) {
      if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
        return i + 4;
      }
    }
    return -1;
  }

  private static int contentLength(String head) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0
          && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
        return Integer.parseInt(line.substring(colon + 1).trim());
      }
    }
    return 0;
  }
}
