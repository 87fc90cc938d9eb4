// SPDX-License-Identifier: Apache-2.0
package dev.mint.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.HttpException;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The fixture over HTTP/2, cleartext with prior knowledge and over TLS, driven by Mint. */
class MockServerHttp2Test {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void h2cRecordsTheRequestAndServesTrailersAndInterims() throws Exception {
    try (MockServer server = MockServer.start();
        HttpConnection conn = Exchange.h2c(server)) {
      assertEquals(Protocol.HTTP2, conn.protocol());
      server.enqueue(
          MockResponse.builder(200)
              .interim(103, new Header("link", "</a.css>; rel=preload"))
              .header("Content-Type", "text/plain")
              .body("hello over h2c")
              .trailer("x-checksum", "42")
              .build());
      Exchange exchange =
          Exchange.recv(
              conn,
              conn.request(
                  "POST", "/submit?q=1", Headers.of("x-custom", "v"), RequestBody.utf8("abc")));

      assertEquals(List.of(103), exchange.interims());
      assertEquals(200, exchange.status());
      assertEquals("text/plain", exchange.headers().get("content-type"));
      assertEquals("hello over h2c", exchange.text());
      assertEquals("42", exchange.trailers().get("x-checksum"));

      RecordedRequest request = server.takeRequest(WAIT);
      assertEquals("POST", request.method());
      assertEquals("/submit?q=1", request.target());
      assertEquals("127.0.0.1:" + server.port(), request.authority());
      assertEquals("v", request.header("x-custom").orElseThrow());
      assertTrue(request.headers().stream().noneMatch(h -> h.name().startsWith(":")));
      assertEquals("abc", request.bodyUtf8());
      assertEquals("h2c", request.protocol());
      assertFalse(request.tls());
      assertEquals(1, request.streamId());
      assertEquals(0, request.sequenceNumber());
      assertTrue(request.headBytes() > 0, "header block of " + request.headBytes() + " bytes");
    }
  }

  @Test
  void tlsNegotiatesH2ByAlpn() throws Exception {
    try (MockServer server = MockServer.start();
        HttpConnection conn = Exchange.tls(server, Protocol.HTTP2, Protocol.HTTP1)) {
      assertEquals(Protocol.HTTP2, conn.protocol());
      server.enqueue(MockResponse.of(200, "secure"));
      assertEquals("secure", Exchange.get(conn, "/s").text());
      RecordedRequest request = server.takeRequest(WAIT);
      assertEquals("h2", request.protocol());
      assertTrue(request.tls());
      assertEquals("localhost:" + server.port(), request.authority());
    }
  }

  @Test
  void tlsServesHttp1WhenTheClientOffersOnlyThat() throws Exception {
    try (MockServer server = MockServer.start();
        HttpConnection conn = Exchange.tls(server, Protocol.HTTP1)) {
      assertEquals(Protocol.HTTP1, conn.protocol());
      server.enqueue(MockResponse.of(200, "secure h1"));
      assertEquals("secure h1", Exchange.get(conn, "/").text());
      RecordedRequest request = server.takeRequest(WAIT);
      assertEquals("http/1.1", request.protocol());
      assertTrue(request.tls());
    }
  }

  @Test
  void streamsAreAnsweredIndependently() throws Exception {
    try (MockServer server = MockServer.start();
        HttpConnection conn = Exchange.h2c(server)) {
      // Long enough that the fast stream is answered first on a loaded machine too.
      server.enqueue(
          MockResponse.builder(200).body("slow").headersDelay(Duration.ofSeconds(1)).build());
      server.enqueue(MockResponse.of(200, "fast"));
      RequestRef slow = conn.request("GET", "/slow", Headers.empty(), RequestBody.none());
      RequestRef fast = conn.request("GET", "/fast", Headers.empty(), RequestBody.none());

      List<RequestRef> doneOrder = new ArrayList<>();
      for (int call = 0; call < 1000 && doneOrder.size() < 2; call++) {
        for (ResponsePart part : conn.recv(Exchange.RECV)) {
          if (part instanceof ResponsePart.Done) {
            doneOrder.add(part.ref());
          }
        }
      }
      assertEquals(List.of(fast, slow), doneOrder);
      RecordedRequest first = server.takeRequest(WAIT);
      RecordedRequest second = server.takeRequest(WAIT);
      assertEquals("/slow", first.target());
      assertEquals(1, first.streamId());
      assertEquals(0, first.sequenceNumber());
      assertEquals("/fast", second.target());
      assertEquals(3, second.streamId());
      assertEquals(1, second.sequenceNumber());
    }
  }

  @Test
  void aLargeBodyFollowsTheClientsFlowControl() throws Exception {
    byte[] body = new byte[3 * 1024 * 1024 + 17];
    new Random(7).nextBytes(body);
    try (MockServer server = MockServer.start();
        HttpConnection conn = Exchange.h2c(server)) {
      server.enqueue(MockResponse.builder(200).body(body).build());
      Exchange exchange = Exchange.get(conn, "/big");
      assertEquals(200, exchange.status());
      assertArrayEquals(body, exchange.body());
    }
  }

  @Test
  void aLargeRequestBodyIsRecordedWhole() throws Exception {
    byte[] body = new byte[1024 * 1024];
    new Random(8).nextBytes(body);
    try (MockServer server = MockServer.start();
        HttpConnection conn = Exchange.h2c(server)) {
      server.enqueue(MockResponse.of(204, ""));
      Exchange exchange =
          Exchange.recv(conn, conn.request("PUT", "/up", Headers.empty(), RequestBody.of(body)));
      assertEquals(204, exchange.status());
      assertArrayEquals(body, server.takeRequest(WAIT).body());
    }
  }

  @Test
  void aStreamResetCarriesItsCodeAndLeavesTheConnectionUsable() throws Exception {
    try (MockServer server = MockServer.start();
        HttpConnection conn = Exchange.h2c(server)) {
      server.enqueue(MockResponse.builder(200).fault(Fault.resetStream(8)).build());
      server.enqueue(MockResponse.of(200, "after"));
      Exchange reset = Exchange.get(conn, "/reset");
      HttpException e = assertInstanceOf(HttpException.class, reset.error());
      assertEquals(HttpException.Reason.STREAM_RESET_BY_PEER, e.reason());
      assertEquals(8, e.http2ErrorCode());
      assertEquals("after", Exchange.get(conn, "/next").text());
    }
  }

  @Test
  void goAwayEndsTheConnectionWithItsCode() throws Exception {
    try (MockServer server = MockServer.start();
        HttpConnection conn = Exchange.h2c(server)) {
      server.enqueue(MockResponse.builder(200).fault(Fault.goAway(2)).build());
      Exchange exchange = Exchange.get(conn, "/");
      HttpException e = assertInstanceOf(HttpException.class, exchange.error());
      assertEquals(HttpException.Reason.HTTP2_GOAWAY, e.reason());
      assertEquals(2, e.http2ErrorCode());
      assertTrue(e.isRetrySafe(), "GOAWAY's last stream id leaves the request unprocessed");
    }
  }

  @Test
  void aThrottledBodyArrivesInSeveralFrames() throws Exception {
    try (MockServer server = MockServer.start();
        HttpConnection conn = Exchange.h2c(server)) {
      server.enqueue(
          MockResponse.builder(200)
              .body("abcdefghijklmnopqrstuvwxyz")
              .throttle(5, Duration.ofMillis(50)) // 250 ms in all, as in the HTTP/1.1 test
              .build());
      Exchange exchange = Exchange.get(conn, "/");
      assertEquals("abcdefghijklmnopqrstuvwxyz", exchange.text());
      assertTrue(exchange.dataParts() >= 2, "data parts: " + exchange.dataParts());
    }
  }

  @Test
  void aBodyOverTheLimitIsAnswered413AndNotRecorded() throws Exception {
    try (MockServer server = MockServer.builder().maxRequestBodyBytes(1000).start();
        HttpConnection conn = Exchange.h2c(server)) {
      Exchange exchange =
          Exchange.recv(
              conn, conn.request("POST", "/", Headers.empty(), RequestBody.of(new byte[5000])));
      assertEquals(413, exchange.status());
      assertTrue(exchange.text().contains("maxRequestBodyBytes 1000"), exchange.text());
      assertEquals(0, server.requestCount());
    }
  }
}
