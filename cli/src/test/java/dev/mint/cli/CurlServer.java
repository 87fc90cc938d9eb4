// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * A JDK HTTP server for the curl-flag tests, on 127.0.0.1 and a free port.
 *
 * <table>
 *   <caption>Routes</caption>
 *   <tr><td>{@code /echo}</td><td>the method, each request field as {@code name: value} (sorted,
 *       lower case), a blank line, then the body</td></tr>
 *   <tr><td>{@code /status?code=N[&retry-after=S]}</td><td>status N, body {@code status N}</td></tr>
 *   <tr><td>{@code /redirect?code=N&to=URL}</td><td>status N with {@code location: URL}</td></tr>
 *   <tr><td>{@code /loop}</td><td>302 to itself</td></tr>
 *   <tr><td>{@code /gzip}, {@code /deflate}</td><td>{@link #TEXT}, encoded</td></tr>
 *   <tr><td>{@code /deflate-as-gzip}</td><td>deflate, labelled gzip</td></tr>
 *   <tr><td>{@code /flaky?id=X&fail=K}</td><td>503 for the first K requests of id X, then 200
 *       {@code ok after K}</td></tr>
 *   <tr><td>{@code /big?mib=N}</td><td>N MiB of {@code x}, written 64 KiB at a time</td></tr>
 *   <tr><td>{@code /slow?ms=N}</td><td>waits N ms, then {@code slow}</td></tr>
 * </table>
 */
final class CurlServer implements AutoCloseable {
  /** The text of the compressed routes. */
  static final String TEXT = "hello, compressed world\n".repeat(20);

  private final HttpServer server;
  private final ExecutorService executor;
  private final Map<String, AtomicInteger> flaky = new ConcurrentHashMap<>();

  CurlServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext("/echo", this::echo);
    server.createContext("/status", this::status);
    server.createContext("/redirect", this::redirect);
    server.createContext("/loop", this::loop);
    server.createContext("/gzip", e -> encoded(e, "gzip"));
    server.createContext("/deflate", e -> encoded(e, "deflate"));
    server.createContext("/deflate-as-gzip", e -> encoded(e, "deflate", "gzip"));
    server.createContext("/flaky", this::flaky);
    server.createContext("/big", this::big);
    server.createContext("/slow", this::slow);
    server.start();
  }

  /** {@code http://127.0.0.1:PORT}. */
  String base() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void echo(HttpExchange e) throws IOException {
    StringBuilder sb = new StringBuilder(e.getRequestMethod()).append('\n');
    Map<String, List<String>> sorted = new TreeMap<>();
    e.getRequestHeaders().forEach((k, v) -> sorted.put(k.toLowerCase(), v));
    sorted.forEach(
        (k, v) -> v.forEach(value -> sb.append(k).append(": ").append(value).append('\n')));
    sb.append('\n');
    byte[] body;
    try (InputStream in = e.getRequestBody()) {
      body = in.readAllBytes();
    }
    ByteArrayOutputStream all = new ByteArrayOutputStream();
    all.writeBytes(sb.toString().getBytes(StandardCharsets.UTF_8));
    all.writeBytes(body);
    send(e, 200, all.toByteArray());
  }

  private void status(HttpExchange e) throws IOException {
    Map<String, String> q = query(e);
    int code = Integer.parseInt(q.get("code"));
    if (q.containsKey("retry-after")) {
      e.getResponseHeaders().set("retry-after", q.get("retry-after"));
    }
    send(e, code, ("status " + code).getBytes(StandardCharsets.UTF_8));
  }

  private void redirect(HttpExchange e) throws IOException {
    Map<String, String> q = query(e);
    e.getResponseHeaders().set("location", q.get("to"));
    drain(e);
    send(e, Integer.parseInt(q.getOrDefault("code", "302")), "moved".getBytes());
  }

  private void loop(HttpExchange e) throws IOException {
    e.getResponseHeaders().set("location", "/loop");
    send(e, 302, "again".getBytes(StandardCharsets.UTF_8));
  }

  private void encoded(HttpExchange e, String coding) throws IOException {
    encoded(e, coding, coding);
  }

  /** A body encoded with {@code coding}, labelled {@code label}. */
  private void encoded(HttpExchange e, String coding, String label) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (OutputStream z =
        coding.equals("gzip") ? new GZIPOutputStream(bytes) : new DeflaterOutputStream(bytes)) {
      z.write(TEXT.getBytes(StandardCharsets.UTF_8));
    }
    e.getResponseHeaders().set("content-encoding", label);
    e.getResponseHeaders()
        .set(
            "x-accept-encoding", String.valueOf(e.getRequestHeaders().getFirst("accept-encoding")));
    send(e, 200, bytes.toByteArray());
  }

  private void flaky(HttpExchange e) throws IOException {
    Map<String, String> q = query(e);
    int fail = Integer.parseInt(q.get("fail"));
    int seen = flaky.computeIfAbsent(q.get("id"), k -> new AtomicInteger()).incrementAndGet();
    if (seen <= fail) {
      send(e, 503, ("unavailable " + seen).getBytes(StandardCharsets.UTF_8));
    } else {
      send(e, 200, ("ok after " + fail).getBytes(StandardCharsets.UTF_8));
    }
  }

  private void big(HttpExchange e) throws IOException {
    long mib = Long.parseLong(query(e).get("mib"));
    byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
    e.sendResponseHeaders(200, mib * 1024 * 1024);
    try (OutputStream out = e.getResponseBody()) {
      for (long i = 0; i < mib * 16; i++) {
        out.write(chunk);
      }
    } catch (IOException gone) {
      // the client went away: what the pipe test wants
    }
  }

  private void slow(HttpExchange e) throws IOException {
    try {
      Thread.sleep(Long.parseLong(query(e).get("ms")));
    } catch (InterruptedException stop) {
      Thread.currentThread().interrupt();
      return;
    }
    send(e, 200, "slow".getBytes());
  }

  private static void drain(HttpExchange e) throws IOException {
    try (InputStream in = e.getRequestBody()) {
      in.readAllBytes();
    }
  }

  private static void send(HttpExchange e, int code, byte[] body) throws IOException {
    e.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
    try (OutputStream out = e.getResponseBody()) {
      out.write(body);
    }
  }

  private static Map<String, String> query(HttpExchange e) {
    Map<String, String> params = new HashMap<>();
    String q = e.getRequestURI().getRawQuery();
    if (q != null) {
      for (String pair : q.split("&")) {
        int eq = pair.indexOf('=');
        params.put(
            pair.substring(0, eq),
            java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    return params;
  }
}
