// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import static dev.mint.proxy.Connections.connect;
import static dev.mint.proxy.Connections.get;
import static dev.mint.proxy.Connections.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.HttpConnection;
import dev.mint.Mode;
import dev.mint.ProxyOptions;
import dev.mint.Scheme;
import dev.mint.TransportException;
import dev.mint.TransportException.Reason;
import dev.mint.spi.EngineConnection;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TLS to the origin through a tunnel, and TLS inside TLS through an HTTPS proxy. The proxy presents
 * a certificate of a second CA and the origin one of the first, each trusted only by its own {@link
 * dev.mint.TlsOptions}, so a layer using the other's settings fails.
 */
@Timeout(60)
class TlsThroughProxyLoopbackTest {
  private LoopbackServer origin;

  @BeforeEach
  void startOrigin() throws Exception {
    origin = LoopbackServer.tls(TestCertificates.server("server"), Scripts.origin());
  }

  @AfterEach
  void stopOrigin() throws Exception {
    origin.close();
  }

  private ConnectOptions options(Mode mode, ProxyOptions proxy) throws Exception {
    return Connections.options(mode)
        .proxy(proxy)
        .tls(TestCertificates.trusting("truststore"))
        .build();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void tlsToTheOriginRunsThroughACleartextTunnel(Mode mode) throws Exception {
    try (LoopbackServer proxy = LoopbackServer.tcp(Scripts.connect(Scripts.ESTABLISHED));
        HttpConnection conn =
            connect(
                Scheme.HTTPS,
                "127.0.0.1",
                origin.port(),
                options(mode, ProxyOptions.http("127.0.0.1", proxy.port())))) {
      assertEquals("hello /secure", get(mode, conn, "/secure").body());
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void tlsInsideTlsWithEachLayersOwnTrust(Mode mode) throws Exception {
    try (LoopbackServer proxy =
            LoopbackServer.tls(
                TestCertificates.server("other-server"), Scripts.connect(Scripts.ESTABLISHED));
        HttpConnection conn =
            connect(
                Scheme.HTTPS,
                "127.0.0.1",
                origin.port(),
                options(
                    mode,
                    ProxyOptions.https("127.0.0.1", proxy.port())
                        .withTls(TestCertificates.trusting("other-truststore"))))) {
      assertEquals("hello /inner", get(mode, conn, "/inner").body());
      assertEquals("hello /again", get(mode, conn, "/again").body());
      String issuer =
          ((X509Certificate)
                  ((EngineConnection) conn)
                      .transport()
                      .sslSession()
                      .orElseThrow()
                      .getPeerCertificates()[0])
              .getIssuerX500Principal()
              .getName();
      assertTrue(issuer.contains("CN=Mint Test CA"), "the session is the origin's: " + issuer);
      assertTrue(conn.proxyResponse().isPresent());
    }
  }

  @Test
  void theProxysTlsDoesNotTakeTheOriginsTrust() throws Exception {
    LoopbackServer.Script refusedByTheClient =
        session -> {
          session.expectFailure(); // the client aborts the handshake: a broken socket here
          session.readHead();
        };
    try (LoopbackServer proxy =
        LoopbackServer.tls(TestCertificates.server("other-server"), refusedByTheClient)) {
      TransportException e =
          assertThrows(
              TransportException.class,
              () ->
                  connect(
                      Scheme.HTTPS,
                      "127.0.0.1",
                      origin.port(),
                      options(Mode.PASSIVE, ProxyOptions.https("127.0.0.1", proxy.port()))));
      assertEquals(Reason.UNTRUSTED_CERTIFICATE, e.reason(), e.getMessage());
      assertTrue(e.getMessage().contains(":" + proxy.port()), "names the proxy: " + e.getMessage());
    }
  }
}
