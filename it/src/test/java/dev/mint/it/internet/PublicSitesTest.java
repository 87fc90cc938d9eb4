// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.internet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.Scheme;
import dev.mint.it.h2.Responses;
import java.time.Duration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Mint against public sites over the internet, with the JDK's trust: a plain GET, HTTP/2 chosen by
 * ALPN, a redirect followed by hand (Mint follows none), and a 100 MiB download counted as it
 * streams. Tagged {@code requires_internet_connection}: excluded by default and never run in CI;
 * run them with {@code mvn verify -pl it -am -Dmint.excludedTags= -Dtest=PublicSitesTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@Tag("requires_internet_connection")
@Timeout(300)
class PublicSitesTest {
  private static final Headers HEADERS = Headers.of("user-agent", "mint-java-it", "accept", "*/*");

  private static ConnectOptions.Builder options() {
    return ConnectOptions.builder().mode(Mode.PASSIVE).connectTimeout(Duration.ofSeconds(20));
  }

  private static Responses.Received get(HttpConnection conn, String target, boolean keepBody)
      throws Exception {
    return new Responses(keepBody)
        .exchange(conn, "GET", target, HEADERS, RequestBody.none(), Duration.ofSeconds(240));
  }

  @Test
  void getExampleCom() throws Exception {
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, "example.com", 443, options().build())) {
      Responses.Received r = get(conn, "/", true);
      assertEquals(200, r.status());
      assertTrue(r.text().contains("Example Domain"), r.text());
    }
  }

  @Test
  void http2ByAlpn() throws Exception {
    ConnectOptions only2 = options().protocols(Protocol.HTTP2).build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, "www.google.com", 443, only2)) {
      assertEquals(Protocol.HTTP2, conn.protocol());
      Responses.Received r = get(conn, "/", false);
      assertTrue(r.status() >= 200 && r.status() < 400, "status " + r.status());
      assertTrue(r.length() > 0);
    }
  }

  @Test
  void redirectFollowedByHand() throws Exception {
    String location;
    try (HttpConnection conn = Mint.connect(Scheme.HTTP, "github.com", 80, options().build())) {
      Responses.Received r = get(conn, "/", false);
      assertEquals(301, r.status());
      location = r.headers().get("location");
      assertEquals("https://github.com/", location);
    }
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, "github.com", 443, options().build())) {
      assertEquals(200, get(conn, "/", false).status(), "at " + location);
    }
  }

  @Test
  void largeDownload() throws Exception {
    long size = 100L << 20;
    try (HttpConnection conn =
        Mint.connect(Scheme.HTTPS, "speed.cloudflare.com", 443, options().build())) {
      Responses.Received r = get(conn, "/__down?bytes=" + size, false);
      assertEquals(200, r.status());
      assertEquals(size, r.length(), "bytes counted as they streamed");
    }
  }
}
