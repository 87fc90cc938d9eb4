// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpException;
import dev.mint.RequestBody;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.http1.Http1Engine;
import dev.mint.spi.EngineContext;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Microbenchmarks of the sans-I/O HTTP/1.1 engine: no socket, bytes in and parts out.
 *
 * <p>The engine matches every response to a request in flight (RFC 9112 §9.3.2), so a parse
 * benchmark must queue a request before each response it parses. It queues the cheapest one there
 * is (a bare {@code GET /}), and {@link #encodeBareGet} measures exactly that cost on its own, so
 * the parse cost is {@code 1/parse - 1/encodeBareGet} per operation.
 *
 * <p>The encode benchmarks drop the queued bytes after each request and replace the engine every
 * {@link #REQUESTS_PER_ENGINE} requests, because requests nobody answers stay in flight and the
 * engine (rightly) refuses more than {@code maxPipelinedRequests} of them. Making an engine costs
 * about as much as one request, so the replacement adds well under 1% per operation.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Http1EngineBenchmark {
  /**
   * Exchanges of {@link #sequentialSmallExchange} between two changes of the response's {@code
   * date}: a server sends a new one every second, and a client at 40,000 exchanges a second sees
   * this many with the same date.
   */
  static final int EXCHANGES_PER_DATE = 40_000;

  /** How many different dates {@link #sequentialSmallExchange} cycles through. */
  static final int DATES = 16;

  private static final EngineContext LOCAL =
      new EngineContext(Scheme.HTTP, "127.0.0.1", 8080, ConnectOptions.defaults());

  /** How many unanswered requests an encode benchmark queues before it starts a new engine. */
  static final int REQUESTS_PER_ENGINE = 512;

  private static final EngineContext CONTEXT =
      new EngineContext(Scheme.HTTP, "api.example.com", 80, ConnectOptions.defaults());

  /** The five request headers of {@link #encodeGet5Headers}, as a typical API client sends. */
  static final Headers FIVE_HEADERS =
      Headers.of(
          "accept", "application/json",
          "accept-encoding", "gzip, deflate",
          "authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJiZW5jaCJ9.c2lnbmF0dXJl",
          "x-request-id", "6f1c2a9e-0b7d-4e51-9a3f-2d8c4b1e7a60",
          "cache-control", "no-cache");

  private final byte[] response1KiB = fixedResponse(1024);
  private final byte[] responseChunked64KiB = chunkedResponse(64 * 1024, 4 * 1024);
  private final List<ResponsePart> parts = new ArrayList<>();
  private final List<ByteBuffer> taken = new ArrayList<>();
  private Http1Engine parser;
  private Http1Engine encoder;

  /** The engine of {@link #sequentialSmallExchange}, warm: one for the whole trial. */
  private Http1Engine sequential;

  /** {@link #smallResponse} for {@link #DATES} successive dates, one second apart. */
  private final byte[][] smallResponses = new byte[DATES][];

  private long exchanges;

  /** A fresh engine for each trial. */
  @Setup
  public void setUp() {
    parser = new Http1Engine(CONTEXT);
    encoder = new Http1Engine(CONTEXT);
    sequential = new Http1Engine(LOCAL);
    for (int i = 0; i < DATES; i++) {
      smallResponses[i] = smallResponse(i);
    }
  }

  /**
   * One warm exchange on one connection, as a client doing sequential small GETs against nginx does
   * it: encodes {@code GET /small} (the engine adds {@code host} and {@code user-agent}), then
   * parses nginx's nine-field response with a 1 KiB body, fed whole; the {@code date} changes every
   * {@link #EXCHANGES_PER_DATE} exchanges.
   */
  @Benchmark
  public void sequentialSmallExchange(Blackhole bh) throws HttpException {
    bh.consume(sequential.request("GET", "/small", Headers.empty(), RequestBody.none()));
    bh.consume(sequential.takeOutput(Long.MAX_VALUE, taken));
    taken.clear();
    byte[] response = smallResponses[(int) (exchanges++ / EXCHANGES_PER_DATE % DATES)];
    sequential.receive(ByteBuffer.wrap(response), parts);
    if (!(parts.get(parts.size() - 1) instanceof ResponsePart.Done)) {
      throw new IllegalStateException("the response did not complete: " + parts);
    }
    bh.consume(parts.get(1));
    parts.clear();
  }

  /** The response nginx 1.22 sends for a 1 KiB static file, its date {@code second}s later. */
  static byte[] smallResponse(int second) {
    String head =
        "HTTP/1.1 200 OK\r\n"
            + "Server: nginx/1.22.1\r\n"
            + "Date: Sun, 06 Dec 2026 01:57:%02d GMT\r\n".formatted(second % 60)
            + "Content-Type: application/octet-stream\r\n"
            + "Content-Length: 1024\r\n"
            + "Last-Modified: Sun, 06 Dec 2026 01:50:00 GMT\r\n"
            + "Connection: keep-alive\r\n"
            + "ETag: \"6932e7e8-400\"\r\n"
            + "Accept-Ranges: bytes\r\n"
            + "\r\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body(1024));
    return out.toByteArray();
  }

  /**
   * Parses a 200 response with 10 header fields and a 1 KiB {@code content-length} body, fed whole:
   * four parts (status, headers, one data, done), after queueing a bare {@code GET}.
   */
  @Benchmark
  public void parse1KiB(Blackhole bh) throws HttpException {
    parseOne(response1KiB, bh);
  }

  /**
   * Parses a 200 response with 10 header fields and a 64 KiB chunked body (16 chunks of 4 KiB), fed
   * whole, after queueing a bare {@code GET}.
   */
  @Benchmark
  public void parseChunked64KiB(Blackhole bh) throws HttpException {
    parseOne(responseChunked64KiB, bh);
  }

  private void parseOne(byte[] response, Blackhole bh) throws HttpException {
    bh.consume(parser.request("GET", "/", Headers.empty(), RequestBody.none()));
    parser.takeOutput(Long.MAX_VALUE, taken);
    taken.clear();
    parser.receive(ByteBuffer.wrap(response), parts);
    bh.consume(parts.get(parts.size() - 1));
    if (!(parts.get(parts.size() - 1) instanceof ResponsePart.Done)) {
      throw new IllegalStateException("the response did not complete: " + parts);
    }
    parts.clear();
  }

  /** Validates and encodes {@code GET /api/items?page=2} with five headers. */
  @Benchmark
  public void encodeGet5Headers(Blackhole bh) throws HttpException {
    encodeOne("/api/items?page=2", FIVE_HEADERS, bh);
  }

  /** Validates and encodes a bare {@code GET /}: the request each parse benchmark queues. */
  @Benchmark
  public void encodeBareGet(Blackhole bh) throws HttpException {
    encodeOne("/", Headers.empty(), bh);
  }

  private void encodeOne(String target, Headers headers, Blackhole bh) throws HttpException {
    if (encoder.openRequestCount() >= REQUESTS_PER_ENGINE) {
      encoder = new Http1Engine(CONTEXT);
    }
    bh.consume(encoder.request("GET", target, headers, RequestBody.none()));
    bh.consume(encoder.takeOutput(Long.MAX_VALUE, taken));
    taken.clear();
  }

  /** The head every benchmark response starts with: a status line and nine fields. */
  private static String head() {
    return "HTTP/1.1 200 OK\r\n"
        + "date: Mon, 24 Nov 2025 10:00:00 GMT\r\n"
        + "server: bench/1.0\r\n"
        + "content-type: application/json; charset=utf-8\r\n"
        + "cache-control: private, max-age=0\r\n"
        + "vary: accept-encoding\r\n"
        + "etag: \"5f3a9c1e-400\"\r\n"
        + "x-request-id: 6f1c2a9e-0b7d-4e51-9a3f-2d8c4b1e7a60\r\n"
        + "x-frame-options: DENY\r\n"
        + "strict-transport-security: max-age=31536000\r\n";
  }

  /** A response with ten fields, the tenth a {@code content-length} of {@code size}. */
  static byte[] fixedResponse(int size) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        (head() + "content-length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(body(size));
    return out.toByteArray();
  }

  /** A response with ten fields, the tenth {@code transfer-encoding: chunked}. */
  static byte[] chunkedResponse(int size, int chunk) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(
        (head() + "transfer-encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
    byte[] body = body(size);
    for (int at = 0; at < size; at += chunk) {
      int n = Math.min(chunk, size - at);
      out.writeBytes((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, at, n);
      out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    return out.toByteArray();
  }

  private static byte[] body(int size) {
    byte[] b = new byte[size];
    for (int i = 0; i < size; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return b;
  }
}
