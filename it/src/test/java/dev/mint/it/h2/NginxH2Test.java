package dev.mint.it.h2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Headers;
import dev.mint.Http2Operations;
import dev.mint.HttpConnection;
import dev.mint.Mode;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * HTTP/2 against nginx (started by {@code .ci/servers.sh}), over TLS with ALPN and over h2c with
 * prior knowledge: GET, PUT to its WebDAV location then GET back, a streamed upload far larger than
 * nginx's receive window, 100 concurrent streams, PING.
 */
@Tag("os_servers")
@Timeout(60)
class NginxH2Test {
  private static final Duration LIMIT = Duration.ofSeconds(30);

  /** An nginx port speaking HTTP/2. */
  enum Endpoint {
    /** TLS, ALPN h2 and http/1.1. */
    TLS(true, OsServers.NGINX_TLS),
    /** Cleartext, prior knowledge. */
    H2C(false, OsServers.NGINX_H2C);

    final boolean tls;
    final int port;

    Endpoint(boolean tls, int port) {
      this.tls = tls;
      this.port = port;
    }

    HttpConnection connect() throws Exception {
      return OsServers.connectH2(tls, port, Mode.PASSIVE);
    }
  }

  @BeforeAll
  static void serversRunning() {
    OsServers.require(OsServers.NGINX_TLS, OsServers.NGINX_H2C);
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void get(Endpoint endpoint) throws Exception {
    try (HttpConnection conn = endpoint.connect()) {
      Responses responses = new Responses(true);
      RequestRef ref =
          responses.expect(conn.request("GET", "/small.txt", Headers.empty(), RequestBody.none()));
      responses.awaitAll(conn, LIMIT);
      Responses.Received r = responses.get(ref).ok();
      assertEquals(200, r.status());
      assertEquals(OsServers.SMALL_TXT, r.text());
      assertEquals(
          Integer.toString(OsServers.SMALL_TXT.length()), r.headers().get("content-length"));
      assertTrue(r.headers().get("server").startsWith("nginx"), r.headers().toString());
      RequestRef missing =
          responses.expect(conn.request("GET", "/missing", Headers.empty(), RequestBody.none()));
      responses.awaitAll(conn, LIMIT);
      assertEquals(404, responses.get(missing).ok().status());
    }
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void putThenGetBack(Endpoint endpoint) throws Exception {
    byte[] body = BodyPattern.bytes(300_000);
    String path = "/dav/mint-" + endpoint + "-" + UUID.randomUUID() + ".bin";
    try (HttpConnection conn = endpoint.connect()) {
      Responses responses = new Responses(true);
      RequestRef put =
          responses.expect(conn.request("PUT", path, Headers.empty(), RequestBody.of(body)));
      responses.awaitAll(conn, LIMIT);
      assertEquals(201, responses.get(put).ok().status(), "created");

      RequestRef get =
          responses.expect(conn.request("GET", path, Headers.empty(), RequestBody.none()));
      responses.awaitAll(conn, LIMIT);
      Responses.Received r = responses.get(get).ok();
      assertEquals(200, r.status());
      assertEquals(Integer.toString(body.length), r.headers().get("content-length"));
      assertArrayEquals(body, r.body());
      delete(conn, responses, path);
    }
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void streamedPutOfFiveMibThroughNginxWindowThenGetBack(Endpoint endpoint) throws Exception {
    long size = 5 << 20;
    String path = "/dav/mint-" + endpoint + "-" + UUID.randomUUID() + ".bin";
    try (HttpConnection conn = endpoint.connect()) {
      Responses responses = new Responses(false);
      responses.awaitServerSettings(conn, LIMIT);
      Http2Operations h2 = conn.http2().orElseThrow();
      assertTrue(
          h2.serverSettings().initialWindowSize() < size,
          "nginx's window " + h2.serverSettings().initialWindowSize());
      RequestRef put =
          responses.expect(conn.request("PUT", path, Headers.empty(), RequestBody.streaming()));
      long mostQueued = responses.streamPattern(conn, put, size, 64 * 1024, 1 << 20, LIMIT);
      responses.awaitAll(conn, LIMIT);
      assertEquals(201, responses.get(put).ok().status());
      assertTrue(mostQueued > 0, "body bytes waited for window");

      RequestRef get =
          responses.expect(conn.request("GET", path, Headers.empty(), RequestBody.none()));
      responses.awaitAll(conn, LIMIT);
      Responses.Received r = responses.get(get).ok();
      assertEquals(200, r.status());
      assertEquals(size, r.length());
      assertEquals(BodyPattern.crc32(size), r.crc32(), "CRC-32 of what nginx stored");
      delete(conn, responses, path);
    }
  }

  private static void delete(HttpConnection conn, Responses responses, String path)
      throws Exception {
    RequestRef ref =
        responses.expect(conn.request("DELETE", path, Headers.empty(), RequestBody.none()));
    responses.awaitAll(conn, LIMIT);
    assertEquals(204, responses.get(ref).ok().status());
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void hundredConcurrentStreams(Endpoint endpoint) throws Exception {
    try (HttpConnection conn = endpoint.connect()) {
      Responses responses = new Responses(true);
      List<String> targets = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        targets.add(i % 2 == 0 ? "/small.txt?i=" + i : "/missing-" + i);
      }
      List<RequestRef> refs = responses.getAll(conn, targets, LIMIT);
      assertEquals(128, conn.http2().orElseThrow().maxConcurrentStreams());
      assertEquals(100, responses.mostOpenStreams(), "all 100 were open at once");
      for (int i = 0; i < refs.size(); i++) {
        Responses.Received r = responses.get(refs.get(i)).ok();
        if (i % 2 == 0) {
          assertEquals(200, r.status(), targets.get(i));
          assertEquals(OsServers.SMALL_TXT, r.text());
        } else {
          assertEquals(404, r.status(), targets.get(i));
        }
      }
      assertTrue(conn.isOpen());
    }
  }

  @ParameterizedTest
  @EnumSource(Endpoint.class)
  void ping(Endpoint endpoint) throws Exception {
    try (HttpConnection conn = endpoint.connect()) {
      Responses responses = new Responses(true);
      RequestRef first = responses.expectPong(conn.http2().orElseThrow().ping());
      RequestRef second = responses.expectPong(conn.http2().orElseThrow().ping());
      responses.awaitAll(conn, LIMIT);
      assertEquals(Set.of(first, second), responses.pongs());
    }
  }
}
