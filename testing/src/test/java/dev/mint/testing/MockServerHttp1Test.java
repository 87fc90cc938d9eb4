// SPDX-License-Identifier: Apache-2.0
package dev.mint.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.RequestBody;
import dev.mint.TransportException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fixture over cleartext HTTP/1.1, driven by the Mint client. */
class MockServerHttp1Test {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void servesQueuedResponsesInOrderAndRecordsEachRequest() throws Exception {
    try (MockServer server = MockServer.start();
        HttpConnection conn = Exchange.http1(server)) {
      server.enqueue(MockResponse.builder(201).header("x-one", "1").body("first").build());
      server.enqueue(MockResponse.of(404, "second"));

      Exchange first =
          Exchange.recv(
              conn,
              conn.request(
                  "POST",
                  "/items?x=1",
                  Headers.of("content-type", "text/plain", "x-custom", "a"),
                  RequestBody.utf8("payload")));
      Exchange second = Exchange.get(conn, "/missing");

      assertEquals(201, first.status());
      assertEquals("1", first.headers().get("x-one"));
      assertEquals("5", first.headers().get("content-length"));
      assertEquals("first", first.text());
      assertEquals(404, second.status());
      assertEquals("second", second.text());

      RecordedRequest a = server.takeRequest(WAIT);
      assertEquals("POST", a.method());
      assertEquals("/items?x=1", a.target());
      assertEquals("payload", a.bodyUtf8());
      assertEquals("a", a.header("x-custom").orElseThrow());
      assertEquals("text/plain", a.header("Content-Type").orElseThrow());
      assertEquals("127.0.0.1:" + server.port(), a.authority());
      assertEquals("http/1.1", a.protocol());
      assertFalse(a.tls());
      assertEquals(0, a.sequenceNumber());
      RecordedRequest b = server.takeRequest(WAIT);
      assertEquals("GET", b.method());
      assertEquals(1, b.sequenceNumber());
      assertEquals(a.connectionIndex(), b.connectionIndex());
      assertEquals(0, b.body().length);
      assertEquals(2, server.requestCount());
      assertEquals(1, server.connectionCount());
    }
  }

  @Test
  void theHeadIsCountedInBytesAsSent() throws Exception {
    try (MockServer server = MockServer.start();
        java.net.Socket socket = new java.net.Socket(server.host(), server.port())) {
      String head = "GET /count HTTP/1.1\r\nhost: x\r\nx-a:  padded \r\n\r\n";
      socket.getOutputStream().write(head.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
      RecordedRequest request = server.takeRequest(WAIT);
      assertEquals(head.length(), request.headBytes());
      assertEquals("padded", request.header("x-a").orElseThrow());
    }
  }

  @Test
  void startsOnAGivenPort() throws Exception {
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    try (MockServer server = MockServer.builder().port(port).start();
        HttpConnection conn = Exchange.http1(server)) {
      assertEquals(port, server.port());
      assertEquals(java.net.URI.create("http://127.0.0.1:" + port + "/x"), server.httpUri("/x"));
      server.enqueue(MockResponse.of(200, "here"));
      assertEquals("here", Exchange.get(conn, "/x").text());
    }
  }

  @Test
  void aMissingRequestFailsWithWhatDidArrive() throws Exception {
    try (MockServer server = MockServer.start();
        HttpConnection conn = Exchange.http1(server)) {
      server.enqueue(MockResponse.of(200, "ok"));
      Exchange.get(conn, "/only");
      server.takeRequest(WAIT);

      AssertionError e =
          assertThrows(AssertionError.class, () -> server.takeRequest(Duration.ofMillis(50)));
      assertTrue(e.getMessage().contains("no request arrived"), e.getMessage());
      assertTrue(e.getMessage().contains("within 50 ms"), e.getMessage());
      assertTrue(e.getMessage().contains("1 requests received in all"), e.getMessage());
    }
  }

  @Test
  void anEmptyQueueGivesTheDefaultResponse() throws Exception {
    try (MockServer server =
            MockServer.builder().defaultResponse(MockResponse.of(418, "teapot")).start();
        HttpConnection conn = Exchange.http1(server)) {
      Exchange exchange = Exchange.get(conn, "/");
      assertEquals(418, exchange.status());
      assertEquals("teapot", exchange.text());
    }
  }

  @Test
  void aDispatcherAnswersFromTheRequest() throws Exception {
    Dispatcher echo = request -> MockResponse.of(200, request.method() + " " + request.target());
    try (MockServer server = MockServer.builder().dispatcher(echo).start();
        HttpConnection conn = Exchange.http1(server)) {
      assertEquals("GET /a", Exchange.get(conn, "/a").text());
      assertEquals("GET /b", Exchange.get(conn, "/b").text());
      assertThrows(IllegalStateException.class, () -> server.enqueue(MockResponse.of(200, "")));
      assertEquals("/a", server.takeRequest(WAIT).target());
    }
  }

  @Test
  void aFailingDispatcherAnswers500() throws Exception {
    Dispatcher broken =
        request -> {
          throw new IllegalStateException("no route");
        };
    try (MockServer server = MockServer.builder().dispatcher(broken).start();
        HttpConnection conn = Exchange.http1(server)) {
      Exchange exchange = Exchange.get(conn, "/");
      assertEquals(500, exchange.status());
      assertTrue(exchange.text().contains("no route"), exchange.text());
    }
  }

  @Test
  void chunkedBodyWithTrailersAndInterimResponses() throws Exception {
    try (MockServer server = MockServer.start();
        HttpConnection conn = Exchange.http1(server)) {
      server.enqueue(
          MockResponse.builder(200)
              .interim(103, new Header("link", "</a.css>; rel=preload"))
              .body("0123456789")
              .chunked(3)
              .trailer("x-checksum", "abc")
              .build());
      Exchange exchange = Exchange.get(conn, "/");
      assertEquals(List.of(103), exchange.interims());
      assertEquals(200, exchange.status());
      assertEquals("chunked", exchange.headers().get("transfer-encoding"));
      assertNull(exchange.headers().get("content-length"));
      assertEquals("0123456789", exchange.text());
      assertEquals("abc", exchange.trailers().get("x-checksum"));
    }
  }

  @Test
  void aChunkedRequestBodyIsRecordedDechunked() throws Exception {
    try (MockServer server = MockServer.start();
        HttpConnection conn = Exchange.http1(server)) {
      server.enqueue(MockResponse.of(200, ""));
      var ref = conn.request("PUT", "/up", Headers.empty(), RequestBody.streaming());
      conn.streamRequestBody(ref, dev.mint.Bytes.utf8("abc"));
      conn.streamRequestBody(ref, dev.mint.Bytes.utf8("def"));
      conn.endRequestBody(ref, Headers.of("x-trailer", "t"));
      assertEquals(200, Exchange.recv(conn, ref).status());
      RecordedRequest request = server.takeRequest(WAIT);
      assertEquals("abcdef", request.bodyUtf8());
      assertEquals(List.of(new Header("x-trailer", "t")), request.trailers());
    }
  }

  @Test
  void headResponsesHaveNoBody() throws Exception {
    try (MockServer server = MockServer.start();
        HttpConnection conn = Exchange.http1(server)) {
      server.enqueue(MockResponse.of(200, "twelve bytes"));
      Exchange exchange =
          Exchange.recv(conn, conn.request("HEAD", "/", Headers.empty(), RequestBody.none()));
      assertEquals(200, exchange.status());
      assertEquals("12", exchange.headers().get("content-length"));
      assertEquals(0, exchange.body().length);
    }
  }

  @Test
  void aThrottledBodyArrivesWholeInSeveralParts() throws Exception {
    byte[] body = new byte[64];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) i;
    }
    try (MockServer server = MockServer.start();
        HttpConnection conn = Exchange.http1(server)) {
      // The pauses (300 ms in all) outlast what a loaded machine may hold the client thread up:
      // a client that read nothing until the last chunk came would see one part.
      server.enqueue(
          MockResponse.builder(200).body(body).throttle(16, Duration.ofMillis(100)).build());
      Exchange exchange = Exchange.get(conn, "/");
      assertArrayEquals(body, exchange.body());
      assertTrue(exchange.dataParts() >= 2, "data parts: " + exchange.dataParts());
    }
  }

  @Test
  void aDelayBeforeTheHeadersTimesOutAShortRecv() throws Exception {
    try (MockServer server = MockServer.start();
        HttpConnection conn = Exchange.http1(server)) {
      server.enqueue(
          MockResponse.builder(200).body("late").headersDelay(Duration.ofMillis(500)).build());
      conn.request("GET", "/", Headers.empty(), RequestBody.none());
      TransportException e =
          assertThrows(TransportException.class, () -> conn.recv(Duration.ofMillis(50)));
      assertEquals(TransportException.Reason.TIMEOUT, e.reason());
    }
  }
}
