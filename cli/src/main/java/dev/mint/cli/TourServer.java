// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * The embedded HTTP/1.1 server the tour talks to: the JDK's {@code com.sun.net.httpserver} on
 * 127.0.0.1 and a free port. This is server code: it runs on its own threads, unlike Mint itself.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>{@code GET /hello}</td><td>a short text with {@code content-length}</td></tr>
 *   <tr><td>{@code GET /items/N}</td><td>the text {@code item N}</td></tr>
 *   <tr><td>{@code POST /upload}</td><td>reads the whole body and answers {@code received N bytes,
 *       crc32 XXXXXXXX}</td></tr>
 *   <tr><td>{@code GET /chunked?n=N&delay=MS}</td><td>N lines, each flushed as its own chunk
 *       (RFC 9112 §7.1), MS milliseconds apart</td></tr>
 * </table>
 */
final class TourServer implements AutoCloseable {
  /** The body of {@code /hello}. */
  static final String HELLO = "Hello from the embedded server!\n";

  private final HttpServer server;
  private final ExecutorService executor;

  private TourServer(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts a server on 127.0.0.1 and a free port. */
  static TourServer start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    // Handlers that pause between chunks must not hold up other connections: one thread each.
    AtomicInteger count = new AtomicInteger();
    ExecutorService executor =
        Executors.newCachedThreadPool(
            task -> {
              Thread t = new Thread(task, "tour-server-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/hello", exchange -> respond(exchange, HELLO));
    server.createContext(
        "/items/",
        exchange -> respond(exchange, "item " + exchange.getRequestURI().getPath().substring(7)));
    server.createContext("/upload", TourServer::upload);
    server.createContext("/chunked", TourServer::chunked);
    server.start();
    return new TourServer(server, executor);
  }

  /** The host to connect to. */
  String host() {
    return server.getAddress().getAddress().getHostAddress();
  }

  /** The port the server listens on. */
  int port() {
    return server.getAddress().getPort();
  }

  /** Stops at once, closing every connection. */
  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  /** The answer {@code /upload} gives for a body of {@code size} bytes with this checksum. */
  static String uploadAnswer(long size, long crc32) {
    return String.format(Locale.ROOT, "received %d bytes, crc32 %08x", size, crc32);
  }

  /** The body {@code /chunked?n=N} sends, line by line. */
  static String chunkLine(int i, int n) {
    return "chunk " + i + " of " + n + "\n";
  }

  private static void respond(HttpExchange exchange, String text) throws IOException {
    byte[] body = text.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("content-type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private static void upload(HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      respond(exchange, uploadAnswer(in));
    }
  }

  /** Reads {@code in} to its end and answers as {@code /upload} does: its size and CRC-32. */
  static String uploadAnswer(InputStream in) throws IOException {
    CRC32 crc = new CRC32();
    long size = 0;
    byte[] buffer = new byte[16 * 1024];
    for (int n; (n = in.read(buffer)) > 0; ) {
      crc.update(buffer, 0, n);
      size += n;
    }
    return uploadAnswer(size, crc.getValue());
  }

  private static void chunked(HttpExchange exchange) throws IOException {
    Map<String, String> query = query(exchange.getRequestURI());
    int n = Integer.parseInt(query.getOrDefault("n", "5"));
    long delay = Long.parseLong(query.getOrDefault("delay", "100"));
    exchange.getResponseHeaders().set("content-type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(200, 0); // length 0 means unknown: the body is sent chunked
    try (OutputStream out = exchange.getResponseBody()) {
      for (int i = 1; i <= n; i++) {
        out.write(chunkLine(i, n).getBytes(StandardCharsets.UTF_8));
        out.flush(); // puts this chunk on the wire now
        if (i < n) {
          Thread.sleep(delay);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the server is stopping
    }
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> params = new HashMap<>();
    if (uri.getQuery() != null) {
      for (String pair : uri.getQuery().split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
      }
    }
    return params;
  }
}
