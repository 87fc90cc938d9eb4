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
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP/2 against nghttpd (started by {@code .ci/servers.sh} with {@code --echo-upload} and a
 * trailer on every response), over TLS with ALPN and over h2c with prior knowledge: GET with
 * trailers, POST echo, a streamed upload far larger than nghttpd's 65535-byte window, 100
 * concurrent streams within its SETTINGS_MAX_CONCURRENT_STREAMS, PING.
 */
@NeedsOsServers({OsServers.NGHTTPD_TLS, OsServers.NGHTTPD_H2C})
@Tag("os_servers")
@Timeout(60)
class NghttpdH2Test {

  /** nghttpd's HTTP/2 ports. */
  static List<OsH2Endpoint> endpoints() {
    return List.of(OsH2Endpoint.NGHTTPD_TLS, OsH2Endpoint.NGHTTPD_H2C);
  }

  @ParameterizedTest
  @MethodSource("endpoints")
  void getWithTrailers(OsH2Endpoint endpoint) throws Exception {
    try (HttpConnection conn = endpoint.connect()) {
      Responses.Received r = ServedDocuments.getSmallTxt(conn, new Responses(true), LIMIT);
      assertTrue(r.headers().get("server").startsWith("nghttpd"), r.headers().toString());
      assertEquals("x-mint-trailer", r.headers().get("trailer"));
      assertEquals(Headers.of("x-mint-trailer", "nghttpd"), r.trailers());
    }
  }

  @ParameterizedTest
  @MethodSource("endpoints")
  void postIsEchoed(OsH2Endpoint endpoint) throws Exception {
    byte[] body = BodyPattern.bytes(200_000);
    try (HttpConnection conn = endpoint.connect()) {
      Responses.Received r =
          new Responses(true)
              .exchange(conn, "POST", "/echo", Headers.empty(), RequestBody.of(body), LIMIT);
      assertEquals(200, r.status());
      assertEquals("echo", r.headers().get("nghttpd-response"));
      assertEquals(Integer.toString(body.length), r.headers().get("content-length"));
      assertArrayEquals(body, r.body());
      assertEquals("nghttpd", r.trailers().get("x-mint-trailer"));
    }
  }

  @ParameterizedTest
  @MethodSource("endpoints")
  void streamedPostOfFiveMibThroughTheInitialWindowIsEchoed(OsH2Endpoint endpoint)
      throws Exception {
    long size = 5 << 20;
    try (HttpConnection conn = endpoint.connect()) {
      Responses responses = new Responses(false);
      responses.awaitServerSettings(conn, LIMIT);
      Http2Operations h2 = conn.http2().orElseThrow();
      assertEquals(65_535, h2.serverSettings().initialWindowSize(), "the RFC's initial window");
      Responses.Received r =
          OsServerH2Cases.streamThroughWindows(conn, responses, "POST", "/echo", size);
      assertEquals(200, r.status());
      assertEquals(size, r.length());
      assertEquals(BodyPattern.crc32(size), r.crc32(), "CRC-32 of the echo");
      assertEquals("nghttpd", r.trailers().get("x-mint-trailer"));
    }
  }

  @ParameterizedTest
  @MethodSource("endpoints")
  void hundredConcurrentStreams(OsH2Endpoint endpoint) throws Exception {
    try (HttpConnection conn = endpoint.connect()) {
      Responses responses = new Responses(true);
      List<String> targets = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        targets.add("/small.txt?i=" + i);
      }
      List<RequestRef> refs = responses.getAll(conn, targets, LIMIT);
      long max = conn.http2().orElseThrow().maxConcurrentStreams();
      assertEquals(100, max, "nghttpd's SETTINGS_MAX_CONCURRENT_STREAMS");
      assertTrue(responses.mostOpenStreams() <= max);
      assertEquals(100, responses.mostOpenStreams(), "all 100 were open at once");
      for (RequestRef ref : refs) {
        Responses.Received r = responses.get(ref).ok();
        assertEquals(200, r.status());
        assertEquals(ServedDocuments.SMALL_TXT, r.text());
        assertEquals("nghttpd", r.trailers().get("x-mint-trailer"));
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
