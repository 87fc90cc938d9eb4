// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import static dev.mint.proxy.Connections.connect;
import static dev.mint.proxy.Connections.get;
import static dev.mint.proxy.Connections.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mode;
import dev.mint.ProxyOptions;
import dev.mint.Scheme;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Forwarding through an HTTP proxy (RFC 9112 §3.2.2) over loopback: the scripted proxy answers as
 * the origin would, and checks what arrives: absolute-form targets, the origin's {@code host}, the
 * proxy fields on every request, and one kept-alive connection for them all; over TCP and over TLS
 * to an HTTPS proxy, in both modes.
 */
@Timeout(60)
class ForwardProxyLoopbackTest {
  private static final ProxyOptions.Credentials LOGIN = new ProxyOptions.Credentials("alice", "pw");

  private static void checkHeads(LoopbackServer proxy) {
    assertEquals(1, proxy.accepted(), "one connection to the proxy, kept alive");
    List<String> heads = proxy.sessions().get(0).heads();
    assertEquals(3, heads.size());
    for (int i = 0; i < 3; i++) {
      String head = heads.get(i);
      assertTrue(
          head.startsWith("GET http://origin.test:8080/r" + i + " HTTP/1.1\r\n"), "absolute-form");
      assertEquals("origin.test:8080", Scripts.field(head, "host"), "the origin's host");
      assertEquals("Basic YWxpY2U6cHc=", Scripts.field(head, "proxy-authorization"));
      assertEquals("search", Scripts.field(head, "x-team"));
    }
  }

  private static void threeRequests(Mode mode, HttpConnection conn) throws Exception {
    for (int i = 0; i < 3; i++) {
      Connections.Response r = get(mode, conn, "/r" + i);
      assertEquals(200, r.status());
      assertEquals("hello http://origin.test:8080/r" + i, r.body());
      assertEquals("origin.test:8080", r.headers().get("x-host"));
    }
    assertTrue(conn.proxyResponse().isEmpty(), "forwarding opens no tunnel");
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void requestsAreForwardedInAbsoluteFormWithTheProxyFields(Mode mode) throws Exception {
    try (LoopbackServer proxy = LoopbackServer.tcp(Scripts.origin())) {
      ProxyOptions settings =
          ProxyOptions.http("127.0.0.1", proxy.port())
              .withCredentials(LOGIN)
              .withHeaders(Headers.of("x-team", "search"));
      try (HttpConnection conn =
          connect(Scheme.HTTP, "origin.test", 8080, options(mode).proxy(settings).build())) {
        threeRequests(mode, conn);
      }
      checkHeads(proxy);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void anHttpsProxyForwardsOverTls(Mode mode) throws Exception {
    try (LoopbackServer proxy =
        LoopbackServer.tls(TestCertificates.server("server"), Scripts.origin())) {
      ProxyOptions settings =
          ProxyOptions.https("127.0.0.1", proxy.port())
              .withTls(TestCertificates.trusting("truststore"))
              .withCredentials(LOGIN)
              .withHeaders(Headers.of("x-team", "search"));
      try (HttpConnection conn =
          connect(Scheme.HTTP, "origin.test", 8080, options(mode).proxy(settings).build())) {
        threeRequests(mode, conn);
      }
      checkHeads(proxy);
    }
  }
}
