// SPDX-License-Identifier: Apache-2.0
package dev.mint.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.HttpConnection;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The fixture's bounds and its answers to requests it cannot take, at the wire: raw sockets send
 * what no well-behaved client would.
 */
class MockServerLimitsTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void aHeadOverTheLimitIs431() throws Exception {
    try (MockServer server = MockServer.builder().maxHeaderBytes(200).start()) {
      String reply =
          exchange(server, "GET / HTTP/1.1\r\nhost: x\r\nx-big: " + "a".repeat(300) + "\r\n\r\n");
      assertTrue(reply.startsWith("HTTP/1.1 431 "), reply);
      assertTrue(reply.contains("maxHeaderBytes"), reply);
      assertEquals(0, server.requestCount());
    }
  }

  @Test
  void aContentLengthOverTheLimitIs413() throws Exception {
    try (MockServer server = MockServer.builder().maxRequestBodyBytes(10).start()) {
      String reply = exchange(server, "POST / HTTP/1.1\r\nhost: x\r\ncontent-length: 11\r\n\r\n");
      assertTrue(reply.startsWith("HTTP/1.1 413 "), reply);
      assertTrue(reply.contains("content-length 11 exceeds maxRequestBodyBytes 10"), reply);
    }
  }

  @Test
  void aMalformedRequestLineIs400AndAnUnknownVersion505() throws Exception {
    try (MockServer server = MockServer.start()) {
      String bad = exchange(server, "GET /\r\n\r\n");
      assertTrue(bad.startsWith("HTTP/1.1 400 "), bad);
      assertTrue(bad.contains("malformed request line: \"GET /\""), bad);
      String version = exchange(server, "GET / HTTP/3.0\r\n\r\n");
      assertTrue(version.startsWith("HTTP/1.1 505 "), version);
    }
  }

  @Test
  void anInvalidChunkSizeIs400() throws Exception {
    try (MockServer server = MockServer.start()) {
      String reply =
          exchange(
              server, "POST / HTTP/1.1\r\nhost: x\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n");
      assertTrue(reply.startsWith("HTTP/1.1 400 "), reply);
      assertTrue(reply.contains("invalid chunk size line: \"zz\""), reply);
    }
  }

  @Test
  void aFullRecordQueueAnswers503Unrecorded() throws Exception {
    try (MockServer server =
            MockServer.builder()
                .maxRecordedRequests(1)
                .defaultResponse(MockResponse.of(200, "ok"))
                .start();
        HttpConnection conn = Exchange.http1(server)) {
      assertEquals(200, Exchange.get(conn, "/1").status());
      Exchange second = Exchange.get(conn, "/2");
      assertEquals(503, second.status());
      assertTrue(second.text().contains("maxRecordedRequests"), second.text());
      assertEquals("/1", server.takeRequest(WAIT).target());
      assertEquals(1, server.requestCount());
    }
  }

  @Test
  void aFullResponseQueueRefusesTheNextResponse() throws Exception {
    try (MockServer server = MockServer.builder().maxQueuedResponses(2).start()) {
      server.enqueue(MockResponse.of(200, "1"));
      server.enqueue(MockResponse.of(200, "2"));
      IllegalStateException e =
          assertThrows(
              IllegalStateException.class, () -> server.enqueue(MockResponse.of(200, "3")));
      assertTrue(e.getMessage().contains("maxQueuedResponses"), e.getMessage());
    }
  }

  @Test
  void closeStopsADelayedResponseAtOnce() throws Exception {
    MockServer server = MockServer.start();
    server.enqueue(MockResponse.builder(200).headersDelay(Duration.ofHours(1)).build());
    try (Socket socket = new Socket(server.host(), server.port())) {
      socket.getOutputStream().write(ascii("GET / HTTP/1.1\r\nhost: x\r\n\r\n"));
      server.takeRequest(WAIT);
      long start = System.nanoTime();
      server.close();
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertTrue(took.compareTo(Duration.ofSeconds(4)) < 0, "close took " + took);
      socket.setSoTimeout(5_000);
      assertEquals(-1, socket.getInputStream().read(), "the connection is closed, unanswered");
    }
  }

  @Test
  void badResponsesAreRefusedWhenBuilt() {
    assertThrows(IllegalArgumentException.class, () -> MockResponse.builder(99));
    assertThrows(IllegalArgumentException.class, () -> MockResponse.builder(200).interim(200));
    assertThrows(
        IllegalArgumentException.class, () -> MockResponse.builder(200).header("x", "a\r\nb"));
    IllegalStateException e =
        assertThrows(
            IllegalStateException.class,
            () -> MockResponse.builder(200).body("abc").fault(Fault.truncateBody(3)).build());
    assertTrue(e.getMessage().contains("leaves nothing out"), e.getMessage());
  }

  /** Sends {@code request} on a new connection and reads the reply until the server closes. */
  private static String exchange(MockServer server, String request) throws IOException {
    try (Socket socket = new Socket(server.host(), server.port())) {
      socket.setSoTimeout(5_000);
      socket.getOutputStream().write(ascii(request));
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream reply = new ByteArrayOutputStream();
      byte[] buffer = new byte[4096];
      for (int n; reply.size() < 1_000_000 && (n = in.read(buffer)) >= 0; ) {
        reply.write(buffer, 0, n);
      }
      return reply.toString(StandardCharsets.ISO_8859_1);
    }
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
