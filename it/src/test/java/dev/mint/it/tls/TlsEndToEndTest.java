// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import dev.mint.TransportException;
import dev.mint.TransportException.Reason;
import dev.mint.it.h2.JettyH2Server;
import dev.mint.it.h2.Responses;
import dev.mint.it.h2.TrustMaterial;
import dev.mint.spi.EngineConnection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS end to end through {@link Mint#connect}: certificate verification failures surface as their
 * specific {@link TransportException} reasons, ALPN picks HTTP/2 or falls back to HTTP/1.1, TLS 1.3
 * and 1.2 both carry requests, and the {@code hostname} option drives SNI and verification when
 * connecting to an address. The servers are embedded Jetty 12 instances on 127.0.0.1, one per
 * certificate or ALPN setup, presenting transport-tls's test certificates.
 */
@Timeout(60)
class TlsEndToEndTest {
  private static final String HOST = "127.0.0.1";

  /** The valid server certificate; ALPN h2 and http/1.1. */
  private static JettyH2Server good;

  /** A certificate for other.example only. */
  private static JettyH2Server wrongHost;

  /** A certificate that expired in 2020. */
  private static JettyH2Server expired;

  /** A certificate from a CA the client does not trust. */
  private static JettyH2Server otherCa;

  /** ALPN offering only http/1.1. */
  private static JettyH2Server h1Alpn;

  /** No ALPN at all: HTTP/1.1 whatever the client offers. */
  private static JettyH2Server noAlpn;

  /** Only TLS 1.2 enabled. */
  private static JettyH2Server tls12Only;

  @BeforeAll
  static void startServers() throws Exception {
    good = JettyH2Server.builder().h2c(false).start();
    wrongHost =
        JettyH2Server.builder()
            .h2c(false)
            .keyStore(JettyH2Server.CERTS.resolve("wronghost.p12"))
            .start();
    expired =
        JettyH2Server.builder()
            .h2c(false)
            .keyStore(JettyH2Server.CERTS.resolve("expired.p12"))
            .start();
    otherCa =
        JettyH2Server.builder()
            .h2c(false)
            .keyStore(JettyH2Server.CERTS.resolve("other-server.p12"))
            .start();
    h1Alpn = JettyH2Server.builder().h2c(false).alpn("http/1.1").start();
    noAlpn = JettyH2Server.builder().h2c(false).alpn().start();
    tls12Only = JettyH2Server.builder().h2c(false).tlsProtocols("TLSv1.2").start();
  }

  @AfterAll
  static void stopServers() {
    for (JettyH2Server s :
        new JettyH2Server[] {good, wrongHost, expired, otherCa, h1Alpn, noAlpn, tls12Only}) {
      if (s != null) {
        s.close();
      }
    }
  }

  private static ConnectOptions.Builder options(TlsOptions tls) {
    return ConnectOptions.builder()
        .mode(Mode.PASSIVE)
        .connectTimeout(Duration.ofSeconds(10))
        .tls(tls);
  }

  private static ConnectOptions trusting() {
    return options(TrustMaterial.trustingTestCa()).build();
  }

  /** GET /small; checks status, headers and body, returns the response. */
  private static Responses.Received getSmall(HttpConnection conn) throws MintException {
    Responses.Received r =
        new Responses(true)
            .exchange(
                conn, "GET", "/small", Headers.empty(), RequestBody.none(), Duration.ofSeconds(10));
    assertEquals(200, r.status());
    assertEquals(JettyH2Server.SMALL_BODY, r.text());
    assertEquals(
        Integer.toString(JettyH2Server.SMALL_BODY.length()), r.headers().get("content-length"));
    return r;
  }

  private static TransportException connectFails(int port, ConnectOptions options) {
    return assertThrows(
        TransportException.class, () -> Mint.connect(Scheme.HTTPS, HOST, port, options).close());
  }

  private static String tlsVersion(HttpConnection conn) {
    return ((EngineConnection) conn).transport().sslSession().orElseThrow().getProtocol();
  }

  @Test
  void trustStoreWithTheTestCaVerifiesTheServerAndAlpnPicksHttp2() throws Exception {
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, HOST, good.tlsPort(), trusting())) {
      assertEquals(Protocol.HTTP2, conn.protocol());
      assertTrue(conn.http2().isPresent());
      assertEquals("HTTP/2.0", getSmall(conn).headers().get("x-protocol"));
      assertEquals("h2", ((EngineConnection) conn).transport().negotiatedProtocol().orElseThrow());
    }
  }

  @Test
  void pemFileWithTheTestCaVerifiesTheServer() throws Exception {
    ConnectOptions options =
        options(TlsOptions.defaults().withCaCertificatesPem(TrustMaterial.testCaPem())).build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, HOST, good.tlsPort(), options)) {
      assertEquals(Protocol.HTTP2, conn.protocol());
      getSmall(conn);
    }
  }

  @Test
  void certificateForAnotherHostIsHostnameMismatch() {
    TransportException e = connectFails(wrongHost.tlsPort(), trusting());
    assertEquals(Reason.HOSTNAME_MISMATCH, e.reason(), e.toString());
  }

  @Test
  void hostnameOptionNamesTheHostToVerifyWhenConnectingToAnAddress() throws Exception {
    // The same wrong-host certificate is right for the name it was issued to.
    ConnectOptions options =
        options(TrustMaterial.trustingTestCa()).hostname("other.example").build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, HOST, wrongHost.tlsPort(), options)) {
      assertEquals("other.example", conn.host());
      Responses.Received r = getSmall(conn);
      assertEquals("other.example:" + wrongHost.tlsPort(), r.headers().get("x-authority"));
    }
  }

  @Test
  void hostnameOptionIsSentAsSniAndAuthority() throws Exception {
    ConnectOptions options = options(TrustMaterial.trustingTestCa()).hostname("localhost").build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, HOST, good.tlsPort(), options)) {
      assertEquals(Protocol.HTTP2, conn.protocol());
      Responses.Received r = getSmall(conn);
      assertEquals("localhost:" + good.tlsPort(), r.headers().get("x-authority"));
      assertEquals("localhost", r.headers().get("x-sni"), "the server name the server saw");
    }
  }

  @Test
  void anAddressIsVerifiedAgainstTheCertificateAndSentWithoutSni() throws Exception {
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, HOST, good.tlsPort(), trusting())) {
      Responses.Received r = getSmall(conn);
      assertEquals(HOST + ":" + good.tlsPort(), r.headers().get("x-authority"));
      // RFC 6066 §3: a literal IP address is not a server name.
      assertEquals("", r.headers().get("x-sni"));
    }
  }

  @Test
  void certificateOfAnUntrustedCaIsUntrusted() {
    TransportException e = connectFails(otherCa.tlsPort(), trusting());
    assertEquals(Reason.UNTRUSTED_CERTIFICATE, e.reason(), e.toString());
  }

  @Test
  void testCaIsNotInTheJdkDefaultTrustStore() {
    TransportException e = connectFails(good.tlsPort(), options(TlsOptions.defaults()).build());
    assertEquals(Reason.UNTRUSTED_CERTIFICATE, e.reason(), e.toString());
  }

  @Test
  void expiredCertificateIsExpired() {
    TransportException e = connectFails(expired.tlsPort(), trusting());
    assertEquals(Reason.EXPIRED_CERTIFICATE, e.reason(), e.toString());
  }

  @Test
  void alpnFallsBackToHttp1WhenTheServerOffersOnlyHttp1() throws Exception {
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, HOST, h1Alpn.tlsPort(), trusting())) {
      assertEquals(Protocol.HTTP1, conn.protocol());
      assertFalse(conn.http2().isPresent());
      assertEquals("HTTP/1.1", getSmall(conn).headers().get("x-protocol"));
      assertEquals(
          "http/1.1", ((EngineConnection) conn).transport().negotiatedProtocol().orElseThrow());
      getSmall(conn); // the connection stays usable
    }
  }

  @Test
  void noAlpnFromTheServerMeansHttp1() throws Exception {
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, HOST, noAlpn.tlsPort(), trusting())) {
      assertEquals(Protocol.HTTP1, conn.protocol());
      assertEquals("HTTP/1.1", getSmall(conn).headers().get("x-protocol"));
    }
  }

  @Test
  void onlyHttp2AllowedAgainstAnHttp1OnlyAlpnServerIsAlpnNotNegotiated() {
    ConnectOptions options =
        options(TrustMaterial.trustingTestCa()).protocols(Protocol.HTTP2).build();
    TransportException e = connectFails(h1Alpn.tlsPort(), options);
    assertEquals(Reason.ALPN_NOT_NEGOTIATED, e.reason(), e.toString());
  }

  @Test
  void onlyHttp2AllowedAgainstAServerWithoutAlpnIsAlpnNotNegotiated() {
    ConnectOptions options =
        options(TrustMaterial.trustingTestCa()).protocols(Protocol.HTTP2).build();
    TransportException e = connectFails(noAlpn.tlsPort(), options);
    assertEquals(Reason.ALPN_NOT_NEGOTIATED, e.reason(), e.toString());
  }

  @Test
  void onlyHttp1AllowedSpeaksHttp1ToAnHttp2Server() throws Exception {
    ConnectOptions options =
        options(TrustMaterial.trustingTestCa()).protocols(Protocol.HTTP1).build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, HOST, good.tlsPort(), options)) {
      assertEquals(Protocol.HTTP1, conn.protocol());
      assertEquals("HTTP/1.1", getSmall(conn).headers().get("x-protocol"));
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void tlsVersionForced(String version) throws Exception {
    ConnectOptions options =
        options(TrustMaterial.trustingTestCa().withProtocols(List.of(version))).build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, HOST, good.tlsPort(), options)) {
      assertEquals(version, tlsVersion(conn));
      assertEquals(Protocol.HTTP2, conn.protocol());
      assertEquals(version, getSmall(conn).headers().get("x-tls-version"));
    }
  }

  @Test
  void defaultsNegotiateTls12WithATls12OnlyServer() throws Exception {
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, HOST, tls12Only.tlsPort(), trusting())) {
      assertEquals("TLSv1.2", tlsVersion(conn));
      assertEquals("TLSv1.2", getSmall(conn).headers().get("x-tls-version"));
    }
  }

  @Test
  void noCommonTlsVersionIsAHandshakeFailure() {
    ConnectOptions options =
        options(TrustMaterial.trustingTestCa().withProtocols(List.of("TLSv1.3"))).build();
    TransportException e = connectFails(tls12Only.tlsPort(), options);
    assertEquals(Reason.TLS_HANDSHAKE_FAILED, e.reason(), e.toString());
  }

  @Test
  void insecureTrustAllAcceptsAnUntrustedCertificateWhenAskedByName() throws Exception {
    ConnectOptions options =
        options(TlsOptions.defaults().withInsecureTrustAllCertificates(true)).build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, HOST, otherCa.tlsPort(), options)) {
      getSmall(conn);
    }
  }
}
