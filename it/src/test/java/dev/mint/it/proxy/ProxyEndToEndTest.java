// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.ProxyOptions;
import dev.mint.ProxyResponse;
import dev.mint.RequestBody;
import dev.mint.Scheme;
import dev.mint.TransportException;
import dev.mint.it.h2.JettyH2Server;
import dev.mint.it.h2.Responses;
import dev.mint.it.h2.TrustMaterial;
import dev.mint.proxy.LoopbackServer;
import dev.mint.proxy.Scripts;
import dev.mint.proxy.SocksServer;
import dev.mint.proxy.TestCertificates;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Proxies end to end through {@link Mint#connect} (providers found by {@link
 * java.util.ServiceLoader}), in front of embedded Jetty: TLS and ALPN to the origin run through a
 * {@code CONNECT} tunnel so HTTP/2 works through it, TLS inside TLS through an HTTPS proxy whose
 * certificate only its own trust accepts, cleartext HTTP/2 with prior knowledge through a tunnel,
 * and SOCKS5; in passive mode and with one selector.
 */
@Timeout(60)
class ProxyEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static JettyH2Server jetty;
  private static LoopbackServer connectProxy;
  private static LoopbackServer httpsProxy;
  private static LoopbackServer socksProxy;

  @BeforeAll
  static void start() throws Exception {
    jetty = JettyH2Server.builder().start();
    connectProxy = LoopbackServer.tcp(Scripts.connect(Scripts.ESTABLISHED));
    httpsProxy =
        LoopbackServer.tls(
            TestCertificates.server("other-server"), Scripts.connect(Scripts.ESTABLISHED));
    socksProxy = LoopbackServer.tcp(new SocksServer("127.0.0.1", jetty.tlsPort()));
  }

  @AfterAll
  static void stop() throws Exception {
    jetty.close();
    for (LoopbackServer s : List.of(connectProxy, httpsProxy, socksProxy)) {
      s.close();
    }
  }

  private static ConnectOptions.Builder options(Mode mode, ProxyOptions proxy) {
    return ConnectOptions.builder()
        .mode(mode)
        .connectTimeout(WAIT)
        .tls(TrustMaterial.trustingTestCa())
        .proxy(proxy);
  }

  private static ProxyOptions httpProxy() {
    return ProxyOptions.http("127.0.0.1", connectProxy.port());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void http2ThroughAConnectTunnel(Mode mode) throws Exception {
    try (HttpConnection conn =
        Mint.connect(
            Scheme.HTTPS, "127.0.0.1", jetty.tlsPort(), options(mode, httpProxy()).build())) {
      assertEquals(Protocol.HTTP2, conn.protocol(), "ALPN ran through the tunnel");
      assertEquals(200, ((ProxyResponse.Http) conn.proxyResponse().orElseThrow()).status());
      for (Responses.Received r : smallTimesThree(mode, conn)) {
        assertEquals("HTTP/2.0", r.headers().get("x-protocol"));
        assertEquals(JettyH2Server.SMALL_BODY, r.text());
      }
    }
  }

  @Test
  void http1ThroughAConnectTunnelWhenOnlyHttp1IsAllowed() throws Exception {
    ConnectOptions options = options(Mode.PASSIVE, httpProxy()).protocols(Protocol.HTTP1).build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, "127.0.0.1", jetty.tlsPort(), options)) {
      assertEquals(Protocol.HTTP1, conn.protocol());
      assertEquals("HTTP/1.1", small(conn).headers().get("x-protocol"));
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void tlsInsideTlsThroughAnHttpsProxy(Mode mode) throws Exception {
    ProxyOptions proxy =
        ProxyOptions.https("127.0.0.1", httpsProxy.port())
            .withTls(TestCertificates.trusting("other-truststore"));
    ConnectOptions options = options(mode, proxy).hostname("localhost").build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, "127.0.0.1", jetty.tlsPort(), options)) {
      assertEquals(Protocol.HTTP2, conn.protocol());
      for (Responses.Received r : smallTimesThree(mode, conn)) {
        assertEquals("HTTP/2.0", r.headers().get("x-protocol"));
        assertEquals("localhost", r.headers().get("x-sni"), "the origin's name, not the proxy's");
      }
    }
  }

  @Test
  void cleartextHttp2WithPriorKnowledgeIsTunnelledNotForwarded() throws Exception {
    ConnectOptions options = options(Mode.PASSIVE, httpProxy()).protocols(Protocol.HTTP2).build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTP, "127.0.0.1", jetty.h2cPort(), options)) {
      assertEquals(Protocol.HTTP2, conn.protocol());
      assertTrue(conn.proxyResponse().isPresent(), "a CONNECT tunnel");
      assertEquals("HTTP/2.0", small(conn).headers().get("x-protocol"));
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void http2ThroughSocks5(Mode mode) throws Exception {
    ProxyOptions proxy = ProxyOptions.socks5("127.0.0.1", socksProxy.port());
    try (HttpConnection conn =
        Mint.connect(Scheme.HTTPS, "localhost", 443, options(mode, proxy).build())) {
      // The SOCKS server relays every tunnel to Jetty, whatever the request named.
      assertEquals(Protocol.HTTP2, conn.protocol());
      assertTrue(conn.proxyResponse().orElseThrow() instanceof ProxyResponse.Socks5);
      smallTimesThree(mode, conn);
    }
  }

  private static Responses.Received small(HttpConnection conn) throws MintException {
    return new Responses(true)
        .exchange(conn, "GET", "/small", Headers.empty(), RequestBody.none(), WAIT)
        .ok();
  }

  /** Three GET /small at once: recv in passive mode, one selector in active mode. */
  private static List<Responses.Received> smallTimesThree(Mode mode, HttpConnection conn)
      throws IOException {
    return Exchanges.getAll(mode, conn, List.of("/small", "/small", "/small"));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aProxyThatNeverAnswersIsATunnelTimeout(Mode mode) throws Exception {
    try (LoopbackServer silent = LoopbackServer.tcp(Scripts.silent())) {
      ProxyOptions proxy =
          ProxyOptions.http("127.0.0.1", silent.port()).withTunnelTimeout(Duration.ofMillis(300));
      long start = System.nanoTime();
      TransportException e =
          assertThrows(
              TransportException.class,
              () ->
                  Mint.connect(
                      Scheme.HTTPS, "127.0.0.1", jetty.tlsPort(), options(mode, proxy).build()));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(TransportException.Reason.PROXY_TIMEOUT, e.reason(), e.getMessage());
      assertTrue(millis >= 300 && millis < WAIT.toMillis(), millis + " ms");
      assertTrue(e.proxyResponse().isEmpty());
      String connect = silent.sessions().get(0).awaitHeads(1).get(0);
      assertTrue(connect.startsWith("CONNECT 127.0.0.1:"), connect);
    }
  }
}
