// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mint.ConnectOptions;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import dev.mint.TransportException;
import dev.mint.it.h2.Responses;
import dev.mint.it.h2.ServedDocuments;
import dev.mint.it.h2.TrustMaterial;
import dev.mint.it.servers.NeedsOsServers;
import dev.mint.it.servers.OsServers;
import dev.mint.spi.EngineConnection;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * TLS against nginx (OpenSSL), started by {@code .ci/servers.sh}: ALPN falls back to HTTP/1.1 on
 * the port that offers only http/1.1 and fails when only HTTP/2 is allowed there; TLS 1.3 and 1.2
 * each carry HTTP/2; the {@code hostname} option names the certificate's host.
 */
@NeedsOsServers({OsServers.NGINX_TLS, OsServers.NGINX_TLS_H1})
@Tag("os_servers")
@Timeout(60)
class NginxTlsTest {
  private static HttpConnection connect(String key, ConnectOptions options) throws MintException {
    OsServers servers = OsServers.current();
    return Mint.connect(Scheme.HTTPS, servers.host(key), servers.port(key), options);
  }

  private static ConnectOptions.Builder options(TlsOptions tls) {
    return ConnectOptions.builder()
        .mode(Mode.PASSIVE)
        .connectTimeout(Duration.ofSeconds(10))
        .tls(tls);
  }

  private static void getSmall(HttpConnection conn) throws MintException {
    ServedDocuments.getSmallTxt(conn, new Responses(true), Duration.ofSeconds(10));
  }

  @Test
  void alpnFallsBackToHttp1OnAnHttp1OnlyPort() throws Exception {
    ConnectOptions options = options(TrustMaterial.trustingTestCa()).build();
    try (HttpConnection conn = connect(OsServers.NGINX_TLS_H1, options)) {
      assertEquals(Protocol.HTTP1, conn.protocol());
      assertFalse(conn.http2().isPresent());
      getSmall(conn);
      getSmall(conn); // kept alive
    }
  }

  @Test
  void onlyHttp2AllowedOnAnHttp1OnlyPortIsAlpnNotNegotiated() {
    ConnectOptions options =
        options(TrustMaterial.trustingTestCa()).protocols(Protocol.HTTP2).build();
    TransportException e =
        assertThrows(
            TransportException.class, () -> connect(OsServers.NGINX_TLS_H1, options).close());
    assertEquals(TransportException.Reason.ALPN_NOT_NEGOTIATED, e.reason(), e.toString());
  }

  @ParameterizedTest
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void tlsVersionForcedCarriesHttp2(String version) throws Exception {
    ConnectOptions options =
        options(TrustMaterial.trustingTestCa().withProtocols(List.of(version))).build();
    try (HttpConnection conn = connect(OsServers.NGINX_TLS, options)) {
      assertEquals(
          version, ((EngineConnection) conn).transport().sslSession().orElseThrow().getProtocol());
      assertEquals(Protocol.HTTP2, conn.protocol());
      getSmall(conn);
    }
  }

  @Test
  void hostnameOptionVerifiesTheCertificateName() throws Exception {
    ConnectOptions options = options(TrustMaterial.trustingTestCa()).hostname("localhost").build();
    try (HttpConnection conn = connect(OsServers.NGINX_TLS, options)) {
      assertEquals("localhost", conn.host());
      getSmall(conn);
    }
    ConnectOptions wrong =
        options(TrustMaterial.trustingTestCa()).hostname("other.example").build();
    TransportException e =
        assertThrows(TransportException.class, () -> connect(OsServers.NGINX_TLS, wrong).close());
    assertEquals(TransportException.Reason.HOSTNAME_MISMATCH, e.reason(), e.toString());
  }
}
