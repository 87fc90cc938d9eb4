// SPDX-License-Identifier: Apache-2.0
package dev.mint.it;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.notFound;
import static com.github.tomakehurst.wiremock.client.WireMock.ok;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.core.Options;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.Scheme;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HTTP/1.1 against WireMock (Jetty) on loopback, in passive mode. */
@Timeout(30)
class WireMockTest {

  @RegisterExtension
  static final WireMockExtension WIREMOCK =
      WireMockExtension.newInstance()
          .options(
              wireMockConfig()
                  .bindAddress("127.0.0.1")
                  .dynamicPort()
                  .gzipDisabled(true)
                  .useChunkedTransferEncoding(Options.ChunkedEncodingPolicy.ALWAYS))
          .build();

  private static HttpConnection connect() throws MintException {
    return Mint.connect(
        Scheme.HTTP,
        "127.0.0.1",
        WIREMOCK.getPort(),
        ConnectOptions.builder().mode(Mode.PASSIVE).build());
  }

  private static byte[] randomBytes(int size, long seed) {
    byte[] b = new byte[size];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void getReturnsStatusHeadersAndBody() throws Exception {
    WIREMOCK.stubFor(
        get("/greeting").willReturn(ok("hello, mint").withHeader("Content-Type", "text/plain")));
    try (HttpConnection conn = connect()) {
      RequestRef ref = conn.request("GET", "/greeting", Headers.empty(), RequestBody.none());
      CollectedResponse r = CollectedResponse.recv(conn, ref);
      assertEquals(200, r.status());
      assertEquals("text/plain", r.headers().get("content-type"));
      assertEquals("hello, mint", r.text());
      assertEquals(0, conn.openRequestCount());
      assertTrue(conn.isOpen());
    }
  }

  @Test
  void requestHeadersReachTheServer() throws Exception {
    WIREMOCK.stubFor(get("/h").willReturn(ok()));
    try (HttpConnection conn = connect()) {
      RequestRef ref =
          conn.request("GET", "/h", Headers.of("X-Trace", "abc 123"), RequestBody.none());
      assertEquals(200, CollectedResponse.recv(conn, ref).status());
    }
    WIREMOCK.verify(
        getRequestedFor(urlEqualTo("/h"))
            .withHeader("x-trace", equalTo("abc 123"))
            .withHeader("host", equalTo("127.0.0.1:" + WIREMOCK.getPort()))
            .withHeader("user-agent", equalTo(ConnectOptions.DEFAULT_USER_AGENT)));
  }

  @Test
  void postWithAFixedBody() throws Exception {
    WIREMOCK.stubFor(post("/items").willReturn(aResponse().withStatus(201).withBody("created")));
    String json = "{\"name\":\"mint\"}";
    try (HttpConnection conn = connect()) {
      RequestRef ref =
          conn.request(
              "POST",
              "/items",
              Headers.of("content-type", "application/json"),
              RequestBody.utf8(json));
      CollectedResponse r = CollectedResponse.recv(conn, ref);
      assertEquals(201, r.status());
      assertEquals("created", r.text());
    }
    WIREMOCK.verify(
        postRequestedFor(urlEqualTo("/items"))
            .withHeader("content-length", equalTo(Integer.toString(json.length())))
            .withRequestBody(equalTo(json)));
  }

  @Test
  void streamedPostWithoutLengthIsSentChunkedAndArrivesWhole() throws Exception {
    WIREMOCK.stubFor(post("/upload").willReturn(ok("thanks")));
    byte[] content = randomBytes(1024 * 1024 + 17, 1);
    try (HttpConnection conn = connect()) {
      RequestRef ref = conn.request("POST", "/upload", Headers.empty(), RequestBody.streaming());
      streamInChunks(conn, ref, content, 64 * 1024);
      conn.endRequestBody(ref);
      CollectedResponse r = CollectedResponse.recv(conn, ref);
      assertEquals(200, r.status());
      assertEquals("thanks", r.text());
    }
    LoggedRequest seen = onlyRequestTo("/upload");
    assertEquals("chunked", seen.getHeader("transfer-encoding"));
    assertArrayEquals(content, seen.getBody());
  }

  @Test
  void streamedPostWithDeclaredLengthArrivesWhole() throws Exception {
    WIREMOCK.stubFor(post("/sized").willReturn(ok()));
    byte[] content = randomBytes(300_001, 2);
    Headers headers = Headers.of("content-length", Integer.toString(content.length));
    try (HttpConnection conn = connect()) {
      RequestRef ref = conn.request("POST", "/sized", headers, RequestBody.streaming());
      streamInChunks(conn, ref, content, 10_000);
      conn.endRequestBody(ref);
      assertEquals(200, CollectedResponse.recv(conn, ref).status());
    }
    LoggedRequest seen = onlyRequestTo("/sized");
    assertNull(seen.getHeader("transfer-encoding"));
    assertEquals(Integer.toString(content.length), seen.getHeader("content-length"));
    assertArrayEquals(content, seen.getBody());
  }

  /**
   * WireMock's chunked dribble writes the body in pieces with pauses; with the ALWAYS chunked
   * policy Jetty frames it with {@code transfer-encoding: chunked} (checked, not assumed).
   */
  @Test
  void chunkedResponseArrivesInSeveralDataParts() throws Exception {
    String body = "0123456789".repeat(100);
    WIREMOCK.stubFor(get("/dribble").willReturn(ok(body).withChunkedDribbleDelay(5, 400)));
    try (HttpConnection conn = connect()) {
      RequestRef ref = conn.request("GET", "/dribble", Headers.empty(), RequestBody.none());
      CollectedResponse r = CollectedResponse.recv(conn, ref);
      assertEquals(200, r.status());
      assertEquals("chunked", r.headers().get("transfer-encoding"));
      assertNull(r.headers().get("content-length"));
      assertEquals(body, r.text());
      assertTrue(r.dataParts() >= 2, "data parts: " + r.dataParts());
      assertTrue(conn.isOpen(), "a chunked response leaves the connection reusable");
    }
  }

  @Test
  void headResponseHasNoBodyAndTheConnectionStaysUsable() throws Exception {
    WIREMOCK.stubFor(
        head(urlEqualTo("/doc"))
            .willReturn(ok().withHeader("Content-Length", "12345").withHeader("X-Kind", "doc")));
    WIREMOCK.stubFor(get("/after").willReturn(ok("after")));
    try (HttpConnection conn = connect()) {
      RequestRef head = conn.request("HEAD", "/doc", Headers.empty(), RequestBody.none());
      CollectedResponse r = CollectedResponse.recv(conn, head);
      assertEquals(200, r.status());
      assertEquals("doc", r.headers().get("x-kind"));
      assertEquals(0, r.body().length);

      RequestRef next = conn.request("GET", "/after", Headers.empty(), RequestBody.none());
      assertEquals("after", CollectedResponse.recv(conn, next).text());
    }
  }

  @Test
  void errorStatusesAreResponsesNotExceptions() throws Exception {
    WIREMOCK.stubFor(get("/missing").willReturn(notFound().withBody("no such thing")));
    WIREMOCK.stubFor(get("/empty").willReturn(aResponse().withStatus(204)));
    try (HttpConnection conn = connect()) {
      RequestRef missing = conn.request("GET", "/missing", Headers.empty(), RequestBody.none());
      CollectedResponse r = CollectedResponse.recv(conn, missing);
      assertEquals(404, r.status());
      assertEquals("no such thing", r.text());

      RequestRef empty = conn.request("GET", "/empty", Headers.empty(), RequestBody.none());
      CollectedResponse e = CollectedResponse.recv(conn, empty);
      assertEquals(204, e.status());
      assertEquals(0, e.body().length);
      assertTrue(conn.isOpen());
    }
  }

  @Test
  void pipelinedRequestsCompleteInOrder() throws Exception {
    WIREMOCK.stubFor(get("/p/1").willReturn(ok("one")));
    WIREMOCK.stubFor(get("/p/2").willReturn(ok("two")));
    WIREMOCK.stubFor(get("/p/3").willReturn(ok("three")));
    try (HttpConnection conn = connect()) {
      List<RequestRef> refs = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        refs.add(conn.request("GET", "/p/" + i, Headers.empty(), RequestBody.none()));
      }
      assertEquals(3, conn.openRequestCount());
      Map<RequestRef, CollectedResponse> responses = CollectedResponse.recvAll(conn, refs);
      assertEquals(refs, new ArrayList<>(responses.keySet()));
      assertEquals("one", responses.get(refs.get(0)).text());
      assertEquals("two", responses.get(refs.get(1)).text());
      assertEquals("three", responses.get(refs.get(2)).text());
      assertEquals(0, conn.openRequestCount());
    }
  }

  @Test
  void manySequentialRequestsReuseOneConnection() throws Exception {
    WIREMOCK.stubFor(get("/again").willReturn(ok("again")));
    try (HttpConnection conn = connect()) {
      for (int i = 0; i < 20; i++) {
        RequestRef ref = conn.request("GET", "/again", Headers.empty(), RequestBody.none());
        assertEquals("again", CollectedResponse.recv(conn, ref).text());
      }
      assertTrue(conn.isOpen());
    }
    assertEquals(20, WIREMOCK.findAll(getRequestedFor(urlEqualTo("/again"))).size());
  }

  private static void streamInChunks(
      HttpConnection conn, RequestRef ref, byte[] content, int chunkSize) throws MintException {
    for (int off = 0; off < content.length; off += chunkSize) {
      int n = Math.min(chunkSize, content.length - off);
      conn.streamRequestBody(ref, ByteBuffer.wrap(content, off, n));
    }
  }

  private static LoggedRequest onlyRequestTo(String path) {
    List<LoggedRequest> requests = WIREMOCK.findAll(postRequestedFor(urlEqualTo(path)));
    assertEquals(1, requests.size());
    return requests.get(0);
  }
}
