// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.loopback;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A raw loopback server for exact-byte behaviour: one thread accepts connections on 127.0.0.1 (or
 * another loopback address) and runs the test's script on each, one connection after another. A
 * failure inside the script is kept and rethrown by {@link #close()}, so a broken server fails the
 * test.
 */
final class ScriptedServer implements AutoCloseable {
  /** The prefix of this server's thread names, so thread checks can leave them out. */
  static final String THREAD_PREFIX = "loopback-scripted-server";

  /** What the server does with one accepted connection. */
  @FunctionalInterface
  interface Script {
    void run(Socket socket, InputStream in, OutputStream out) throws Exception;
  }

  private final ServerSocket server;
  private final Thread thread;
  private final AtomicInteger accepted = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();

  ScriptedServer(Script script) throws IOException {
    this(0, script);
  }

  /**
   * A server whose accepted sockets have a receive buffer of {@code receiveBuffer} (0: default).
   */
  ScriptedServer(int receiveBuffer, Script script) throws IOException {
    this(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), receiveBuffer, script);
  }

  /** A server listening on {@code address} (port 0: any free one) rather than 127.0.0.1. */
  ScriptedServer(InetSocketAddress address, Script script) throws IOException {
    this(address, 0, script);
  }

  private ScriptedServer(InetSocketAddress address, int receiveBuffer, Script script)
      throws IOException {
    server = new ServerSocket();
    if (receiveBuffer > 0) {
      server.setReceiveBufferSize(receiveBuffer); // inherited by accepted sockets
    }
    server.bind(address, 50);
    thread = new Thread(() -> serve(script), THREAD_PREFIX + "-" + server.getLocalPort());
    thread.setDaemon(true);
    thread.start();
  }

  private void serve(Script script) {
    while (!server.isClosed()) {
      try (Socket socket = server.accept()) {
        accepted.incrementAndGet();
        socket.setSoTimeout(10_000); // a stuck client cannot hang the server forever
        script.run(socket, socket.getInputStream(), socket.getOutputStream());
      } catch (SocketException closed) {
        if (!server.isClosed()) {
          failure.compareAndSet(null, closed);
        }
      } catch (Throwable t) {
        failure.compareAndSet(null, t);
      }
    }
  }

  int port() {
    return server.getLocalPort();
  }

  /** Connections accepted so far. */
  int accepted() {
    return accepted.get();
  }

  /** Stops accepting, waits for the thread, and fails when the script failed. */
  @Override
  public void close() throws IOException {
    server.close();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    Throwable t = failure.get();
    if (t != null) {
      throw new AssertionError("the scripted server failed", t);
    }
  }

  /** Reads one request head (through the empty line) as ISO-8859-1 text; at most 64 KiB. */
  static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (head.size() < 64 * 1024) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("client closed after " + head.size() + " bytes of a request head");
      }
      head.write(b);
      matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
      if (matched == 4) {
        return head.toString(StandardCharsets.ISO_8859_1);
      }
    }
    throw new IOException("request head longer than 64 KiB");
  }

  /** Reads and drops bytes until the client closes (bounded by the socket's read timeout). */
  static void awaitClose(InputStream in) throws IOException {
    byte[] sink = new byte[8192];
    try {
      while (in.read(sink) >= 0) {
        // discard
      }
    } catch (java.net.SocketException e) {
      // A client that closes with bytes of ours still unread (a close_notify it had no reason to
      // read) makes its kernel answer with RST rather than FIN: that is a close too.
      if (!String.valueOf(e.getMessage()).contains("reset")) {
        throw e;
      }
    }
  }

  /** A complete response with a {@code content-length} body. */
  static byte[] response(int status, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + status + " X\r\ncontent-length: " + b.length + "\r\n\r\n";
    byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[h.length + b.length];
    System.arraycopy(h, 0, all, 0, h.length);
    System.arraycopy(b, 0, all, h.length, b.length);
    return all;
  }
}
