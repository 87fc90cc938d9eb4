// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.h2;

import static dev.mint.it.h2.OsServerH2Cases.LIMIT;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Headers;
import dev.mint.Http2Operations;
import dev.mint.HttpConnection;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.it.servers.NeedsOsServers;
import dev.mint.it.servers.OsServers;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP/2 against nginx (started by {@code .ci/servers.sh}, addresses from {@link OsServers}), over
 * TLS with ALPN and over h2c with prior knowledge: GET, PUT to its WebDAV location then GET back, a
 * streamed upload far larger than nginx's receive window, 100 concurrent streams, PING.
 */
@NeedsOsServers({OsServers.NGINX_TLS, OsServers.NGINX_H2C})
@Tag("os_servers")
@Timeout(60)
class NginxH2Test {

  /** nginx's HTTP/2 ports. */
  static List<OsH2Endpoint> endpoints() {
    return List.of(OsH2Endpoint.NGINX_TLS, OsH2Endpoint.NGINX_H2C);
  }

  @ParameterizedTest
  @MethodSource("endpoints")
  void get(OsH2Endpoint endpoint) throws Exception {
    try (HttpConnection conn = endpoint.connect()) {
      Responses responses = new Responses(true);
      Responses.Received r = ServedDocuments.getSmallTxt(conn, responses, LIMIT);
      assertEquals(
          Integer.toString(ServedDocuments.SMALL_TXT.length()), r.headers().get("content-length"));
      assertTrue(r.headers().get("server").startsWith("nginx"), r.headers().toString());
      Responses.Received missing =
          responses.exchange(conn, "GET", "/missing", Headers.empty(), RequestBody.none(), LIMIT);
      assertEquals(404, missing.status());
    }
  }

  @ParameterizedTest
  @MethodSource("endpoints")
  void putThenGetBack(OsH2Endpoint endpoint) throws Exception {
    byte[] body = BodyPattern.bytes(300_000);
    String path = "/dav/mint-" + endpoint + "-" + UUID.randomUUID() + ".bin";
    try (HttpConnection conn = endpoint.connect()) {
      Responses responses = new Responses(true);
      Responses.Received put =
          responses.exchange(conn, "PUT", path, Headers.empty(), RequestBody.of(body), LIMIT);
      assertEquals(201, put.status(), "created");

      Responses.Received r =
          responses.exchange(conn, "GET", path, Headers.empty(), RequestBody.none(), LIMIT);
      assertEquals(200, r.status());
      assertEquals(Integer.toString(body.length), r.headers().get("content-length"));
      assertArrayEquals(body, r.body());
      delete(conn, responses, path);
    }
  }

  @ParameterizedTest
  @MethodSource("endpoints")
  void streamedPutOfFiveMibThroughNginxWindowThenGetBack(OsH2Endpoint endpoint) throws Exception {
    long size = 5 << 20;
    String path = "/dav/mint-" + endpoint + "-" + UUID.randomUUID() + ".bin";
    try (HttpConnection conn = endpoint.connect()) {
      Responses responses = new Responses(false);
      responses.awaitServerSettings(conn, LIMIT);
      Http2Operations h2 = conn.http2().orElseThrow();
      assertTrue(
          h2.serverSettings().initialWindowSize() < size,
          "nginx's window " + h2.serverSettings().initialWindowSize());
      Responses.Received put =
          OsServerH2Cases.streamThroughWindows(conn, responses, "PUT", path, size);
      assertEquals(201, put.status());

      Responses.Received r =
          responses.exchange(conn, "GET", path, Headers.empty(), RequestBody.none(), LIMIT);
      assertEquals(200, r.status());
      assertEquals(size, r.length());
      assertEquals(BodyPattern.crc32(size), r.crc32(), "CRC-32 of what nginx stored");
      delete(conn, responses, path);
    }
  }

  private static void delete(HttpConnection conn, Responses responses, String path)
      throws Exception {
    Responses.Received r =
        responses.exchange(conn, "DELETE", path, Headers.empty(), RequestBody.none(), LIMIT);
    assertEquals(204, r.status());
  }

  @ParameterizedTest
  @MethodSource("endpoints")
  void hundredConcurrentStreams(OsH2Endpoint endpoint) throws Exception {
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
          assertEquals(ServedDocuments.SMALL_TXT, r.text());
        } else {
          assertEquals(404, r.status(), targets.get(i));
        }
      }
      assertTrue(conn.isOpen());
    }
  }

  @ParameterizedTest
  @MethodSource("endpoints")
  void ping(OsH2Endpoint endpoint) throws Exception {
    OsServerH2Cases.ping(endpoint);
  }
}
