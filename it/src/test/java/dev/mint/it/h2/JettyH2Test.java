// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.h2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.Headers;
import dev.mint.Http2Operations;
import dev.mint.HttpConnection;
import dev.mint.HttpException;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HTTP/2 against embedded Jetty 12, over TLS with ALPN and over cleartext with prior knowledge
 * (every test runs on both): requests with and without bodies, request bodies far larger than the
 * server's flow-control windows, 100 concurrent streams in passive and active mode with the
 * server's SETTINGS_MAX_CONCURRENT_STREAMS respected, trailers, PING.
 */
@Timeout(60)
class JettyH2Test {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  /** Roomy: 128 concurrent streams, 512 KiB stream and 1 MiB session receive windows. */
  private static JettyH2Server roomy;

  /** Tight: 16 concurrent streams, 65535-byte receive windows (the RFC 9113 initial values). */
  private static JettyH2Server tight;

  /** How a test reaches the server. */
  enum Via {
    /** TLS, ALPN offering h2 and http/1.1. */
    TLS,
    /** Cleartext, HTTP/2 with prior knowledge (RFC 9113 §3.3). */
    H2C
  }

  @BeforeAll
  static void startServers() throws Exception {
    roomy = JettyH2Server.builder().start();
    tight = JettyH2Server.builder().maxConcurrentStreams(16).receiveWindows(65_535, 65_535).start();
  }

  @AfterAll
  static void stopServers() {
    if (roomy != null) {
      roomy.close();
    }
    if (tight != null) {
      tight.close();
    }
  }

  /** An HTTP/2 connection to {@code server}, reached as {@code via} says. */
  static HttpConnection connect(Via via, JettyH2Server server, Mode mode) throws MintException {
    return switch (via) {
      case TLS -> Http2Connect.open(true, "127.0.0.1", server.tlsPort(), mode);
      case H2C -> Http2Connect.open(false, "127.0.0.1", server.h2cPort(), mode);
    };
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void get(Via via) throws Exception {
    try (HttpConnection conn = connect(via, roomy, Mode.PASSIVE)) {
      Responses responses = new Responses(true);
      Responses.Received r =
          responses.exchange(
              conn, "GET", "/small", Headers.of("accept", "text/plain"), RequestBody.none(), LIMIT);
      assertEquals(200, r.status());
      assertEquals("HTTP/2.0", r.headers().get("x-protocol"));
      assertEquals("text/plain", r.headers().get("content-type"));
      assertEquals(
          Integer.toString(JettyH2Server.SMALL_BODY.length()), r.headers().get("content-length"));
      assertEquals(JettyH2Server.SMALL_BODY, r.text());
      assertTrue(r.trailers().isEmpty());
      assertEquals(0, conn.openRequestCount());
      assertTrue(conn.isOpen());

      // The connection carries more requests, each on a new stream.
      Responses.Received second =
          responses.exchange(conn, "GET", "/missing", Headers.empty(), RequestBody.none(), LIMIT);
      assertEquals(404, second.status());
      assertEquals("no such resource\n", second.text());
    }
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void postEchoesTheBodyWithTrailers(Via via) throws Exception {
    byte[] body = BodyPattern.bytes(100_000);
    try (HttpConnection conn = connect(via, roomy, Mode.PASSIVE)) {
      Responses.Received r =
          new Responses(true)
              .exchange(
                  conn,
                  "POST",
                  "/echo",
                  Headers.of("content-type", "application/octet-stream"),
                  RequestBody.of(body),
                  LIMIT);
      assertEquals(200, r.status());
      assertArrayEquals(body, r.body(), "the echoed body");
      assertEquals(Long.toString(body.length), r.trailers().get("x-body-length"));
      assertEquals(Long.toString(BodyPattern.crc32(body.length)), r.trailers().get("x-body-crc32"));
    }
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void fixedBodyOfFiveMibThroughWindowsOf64Kib(Via via) throws Exception {
    int size = 5 << 20;
    try (HttpConnection conn = connect(via, tight, Mode.PASSIVE)) {
      Responses responses = new Responses(true);
      responses.awaitServerSettings(conn, LIMIT);
      Http2Operations h2 = conn.http2().orElseThrow();
      assertEquals(65_535, h2.serverSettings().initialWindowSize());
      assertEquals(16, h2.maxConcurrentStreams());

      RequestRef ref =
          responses.expect(
              conn.request(
                  "POST", "/crc", Headers.empty(), RequestBody.of(BodyPattern.bytes(size))));
      // Nothing read yet, so no WINDOW_UPDATE: exactly the 65535-byte windows went out, no more.
      assertEquals(0, h2.connectionSendWindow());
      assertEquals(OptionalInt.of(0), h2.streamSendWindow(ref));
      responses.awaitAll(conn, LIMIT);
      Responses.Received r = responses.get(ref).ok();
      assertEquals(200, r.status());
      assertEquals(size + " " + BodyPattern.crc32(size), r.text());
    }
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void streamedBodyOfFiveMibThroughWindowsOf64KibIsEchoed(Via via) throws Exception {
    long size = 5 << 20;
    try (HttpConnection conn = connect(via, tight, Mode.PASSIVE)) {
      Responses responses = new Responses(false);
      responses.awaitServerSettings(conn, LIMIT);
      RequestRef ref =
          responses.expect(conn.request("POST", "/echo", Headers.empty(), RequestBody.streaming()));
      long mostQueued = responses.streamPattern(conn, ref, size, 32 * 1024, 1 << 20, LIMIT);
      responses.awaitAll(conn, LIMIT);

      Responses.Received r = responses.get(ref).ok();
      assertEquals(200, r.status());
      assertEquals(size, r.length());
      assertEquals(BodyPattern.crc32(size), r.crc32(), "CRC-32 of the echoed body");
      assertEquals(Long.toString(size), r.trailers().get("x-body-length"));
      assertEquals(Long.toString(BodyPattern.crc32(size)), r.trailers().get("x-body-crc32"));
      // The windows held the body back: bytes waited inside the connection, and all went out.
      assertTrue(mostQueued > 0, "body bytes waited for window: " + mostQueued);
      assertEquals(0, conn.http2().orElseThrow().queuedRequestBodyBytes());
    }
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void hundredStreamsWithinMaxConcurrentStreamsPassive(Via via) throws Exception {
    int total = 100;
    try (HttpConnection conn = connect(via, tight, Mode.PASSIVE)) {
      Responses responses = new Responses(true);
      responses.awaitServerSettings(conn, LIMIT);
      Http2Operations h2 = conn.http2().orElseThrow();
      long max = h2.maxConcurrentStreams();
      assertEquals(16, max);

      List<RequestRef> refs = new ArrayList<>();
      boolean refusedAtLimit = false;
      long deadline = System.nanoTime() + LIMIT.toNanos();
      while (responses.finishedCount() < total) {
        assertTrue(System.nanoTime() - deadline < 0, responses.finishedCount() + " finished");
        while (refs.size() < total && h2.openStreamCount() < max) {
          refs.add(
              responses.expect(
                  conn.request(
                      "GET", "/slow?chunks=2&delay=5", Headers.empty(), RequestBody.none())));
          assertTrue(h2.openStreamCount() <= max, "open streams " + h2.openStreamCount());
        }
        if (refs.size() < total && !refusedAtLimit) {
          // One more than the server allows is refused by the client, nothing sent.
          HttpException e =
              assertThrows(
                  HttpException.class,
                  () -> conn.request("GET", "/small", Headers.empty(), RequestBody.none()));
          assertEquals(HttpException.Reason.PEER_LIMIT_REACHED, e.reason());
          assertEquals(HttpException.Scope.REQUEST, e.scope());
          refusedAtLimit = true;
        }
        responses.pump(conn, Duration.ofSeconds(1));
      }
      assertTrue(refusedAtLimit);
      for (RequestRef ref : refs) {
        Responses.Received r = responses.get(ref).ok();
        assertEquals(200, r.status());
        assertEquals(2048, r.length());
        assertEquals(BodyPattern.crc32(1024), crcOfFirstKib(r.body()));
      }
      assertTrue(
          tight.maxConcurrentSlow() <= max,
          "the server ran " + tight.maxConcurrentSlow() + " at once, more than " + max);
      assertTrue(tight.maxConcurrentSlow() > 1, "requests ran concurrently");
      assertTrue(conn.isOpen());
    }
  }

  private static long crcOfFirstKib(byte[] body) {
    CRC32 crc = new CRC32();
    crc.update(body, 0, 1024);
    return crc.getValue();
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void hundredConcurrentStreamsActiveWithASelector(Via via) throws Exception {
    int total = 100;
    try (HttpConnection conn = connect(via, roomy, Mode.ACTIVE);
        Selector selector = Selector.open()) {
      Responses responses = new Responses(false);
      List<RequestRef> refs = new ArrayList<>();
      long[] sizes = new long[total];
      for (int i = 0; i < total; i++) {
        sizes[i] = 1 + i * 9_973L; // up to ~1 MiB, none alike
        refs.add(
            responses.expect(
                conn.request("GET", "/stream?n=" + sizes[i], Headers.empty(), RequestBody.none())));
      }
      SelectionKey key =
          conn.selectableChannel().orElseThrow().register(selector, conn.interestOps());
      long deadline = System.nanoTime() + LIMIT.toNanos();
      int rounds = 0;
      while (!responses.allDone()) {
        assertTrue(System.nanoTime() - deadline < 0, responses.finishedCount() + " finished");
        assertTrue(++rounds < 1_000_000, "rounds");
        if (!conn.hasBufferedInput()) {
          selector.select(1_000);
          selector.selectedKeys().clear();
        }
        responses.accept(conn.stream());
        int open = conn.http2().orElseThrow().openStreamCount();
        assertTrue(open <= total, "open streams " + open);
        key.interestOps(conn.interestOps());
      }
      for (int i = 0; i < total; i++) {
        Responses.Received r = responses.get(refs.get(i)).ok();
        assertEquals(200, r.status());
        assertEquals(Long.toString(sizes[i]), r.headers().get("content-length"));
        assertEquals(sizes[i], r.length(), "length of response " + i);
        assertEquals(BodyPattern.crc32(sizes[i]), r.crc32(), "CRC-32 of response " + i);
      }
      assertEquals(0, conn.openRequestCount());
    }
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void trailersArriveAsATrailersPart(Via via) throws Exception {
    try (HttpConnection conn = connect(via, roomy, Mode.PASSIVE)) {
      Responses.Received r =
          new Responses(true)
              .exchange(conn, "GET", "/trailers", Headers.empty(), RequestBody.none(), LIMIT);
      assertEquals(200, r.status());
      assertEquals(JettyH2Server.TRAILERS_BODY, r.text());
      assertEquals("jetty", r.trailers().get("x-mint-trailer"));
      CRC32 crc = new CRC32();
      crc.update(JettyH2Server.TRAILERS_BODY.getBytes(StandardCharsets.UTF_8));
      assertEquals(Long.toString(crc.getValue()), r.trailers().get("x-body-crc32"));
      assertNull(r.headers().get("x-mint-trailer"), "trailers are not headers");
    }
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void pingIsAnsweredWithAPong(Via via) throws Exception {
    try (HttpConnection conn = connect(via, roomy, Mode.PASSIVE)) {
      Http2Operations h2 = conn.http2().orElseThrow();
      Responses responses = new Responses(true);
      List<RequestRef> pings = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        pings.add(responses.expectPong(h2.ping()));
      }
      // A ping between requests does not disturb them.
      Responses.Received r =
          responses.exchange(conn, "GET", "/small", Headers.empty(), RequestBody.none(), LIMIT);
      assertEquals(Set.copyOf(pings), responses.pongs());
      assertEquals(JettyH2Server.SMALL_BODY, r.text());
      assertEquals(0, conn.openRequestCount(), "pings are not requests");
    }
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void pingPayloadComesBackAndWindowsGrowAtRunTime(Via via) throws Exception {
    try (HttpConnection conn = connect(via, roomy, Mode.PASSIVE)) {
      Http2Operations h2 = conn.http2().orElseThrow();
      Bytes payload = Bytes.utf8("8 bytes!");
      RequestRef ping = h2.ping(payload);
      h2.setConnectionReceiveWindow(32 << 20);
      ResponsePart.Pong pong = null;
      while (pong == null) {
        for (ResponsePart part : conn.recv(Duration.ofSeconds(10))) {
          if (part instanceof ResponsePart.Pong p) {
            pong = p;
          }
        }
      }
      assertEquals(new ResponsePart.Pong(ping, payload), pong);
      assertTrue(h2.serverSettingsReceived());
      Responses.Received r =
          new Responses(true)
              .exchange(conn, "GET", "/small", Headers.empty(), RequestBody.none(), LIMIT);
      assertEquals(JettyH2Server.SMALL_BODY, r.text());
    }
  }

  @ParameterizedTest
  @EnumSource(Via.class)
  void bytesBodyOfZeroLengthAndStreamingEndWithoutData(Via via) throws Exception {
    try (HttpConnection conn = connect(via, roomy, Mode.PASSIVE)) {
      Responses responses = new Responses(true);
      RequestRef empty =
          responses.expect(
              conn.request("POST", "/crc", Headers.empty(), RequestBody.of(Bytes.empty())));
      RequestRef streamed =
          responses.expect(conn.request("POST", "/crc", Headers.empty(), RequestBody.streaming()));
      conn.endRequestBody(streamed);
      responses.awaitAll(conn, LIMIT);
      assertEquals("0 0", responses.get(empty).ok().text());
      assertEquals("0 0", responses.get(streamed).ok().text());
    }
  }
}
