// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import static dev.mint.transport.tls.TestIo.H2_AND_H1;
import static dev.mint.transport.tls.TestIo.open;
import static dev.mint.transport.tls.TestIo.readToEnd;
import static dev.mint.transport.tls.TestIo.trustingTestCa;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.TlsOptions;
import dev.mint.TransportException;
import dev.mint.TransportException.Reason;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** Certificate trust, host names, client certificates, and the failures of each. */
class TlsTrustTest {

  /** Connects to a server presenting {@code keyStore}; returns the transport, closed. */
  private static void connects(String keyStore, String serverName, TlsOptions tls)
      throws Exception {
    try (TlsTestServer server = TlsTestServer.presenting(keyStore).start()) {
      TlsTransport t = open(server.port(), serverName, tls, H2_AND_H1);
      t.close();
      server.awaitDone();
    }
  }

  /** The failure of connecting to a server presenting {@code keyStore}. */
  private static TransportException fails(String keyStore, String serverName, TlsOptions tls)
      throws Exception {
    try (TlsTestServer server = TlsTestServer.presenting(keyStore).start()) {
      ChannelTransport inner = ChannelTransport.connect(server.port());
      TransportException e =
          assertThrows(
              TransportException.class,
              () -> open(inner, server.port(), serverName, tls, H2_AND_H1, TestIo.TIMEOUT));
      assertTrue(e.getMessage().contains(serverName + ":" + server.port()), e.getMessage());
      assertTrue(inner.isClosed(), "the inner transport is closed on failure");
      return e;
    }
  }

  @Test
  void trustsThroughAKeyStore() throws Exception {
    connects("server", "localhost", trustingTestCa());
  }

  @Test
  void trustsThroughAPemFile() throws Exception {
    connects(
        "server",
        "localhost",
        TlsOptions.defaults().withCaCertificatesPem(TestCerts.DIR.resolve("ca.pem")));
  }

  @Test
  void trustsThroughACallerContext() throws Exception {
    SSLContext context = TestCerts.clientContext("truststore");
    TlsOptions tls = TlsOptions.defaults().withSslContext(context);
    connects("server", "localhost", tls);
    assertSame(context, TestIo.PROVIDER.contexts().contextFor(tls));
  }

  @Test
  void cachesOneContextPerTrustConfiguration() throws Exception {
    TlsOptions tls = trustingTestCa();
    SSLContext first = TestIo.PROVIDER.contexts().contextFor(tls);
    assertSame(first, TestIo.PROVIDER.contexts().contextFor(tls.withVerifyHostname(false)));
    SslContextCache fresh = new SslContextCache();
    TlsOptions pem = TlsOptions.defaults().withCaCertificatesPem(TestCerts.DIR.resolve("ca.pem"));
    assertSame(fresh.contextFor(pem), fresh.contextFor(pem));
    assertEquals(1, fresh.size());
    TlsOptions trustAll = TlsOptions.defaults().withInsecureTrustAllCertificates(true);
    assertSame(fresh.contextFor(trustAll), fresh.contextFor(trustAll), "one WARN per context");
    assertEquals(2, fresh.size());
    for (int i = 0; i < SslContextCache.MAX_ENTRIES + 5; i++) {
      fresh.contextFor(TlsOptions.defaults().withTrustStore(TestCerts.store("truststore")));
    }
    assertTrue(fresh.size() <= SslContextCache.MAX_ENTRIES, "bounded: " + fresh.size());
  }

  @Test
  void theJdkDefaultTrustDoesNotKnowTheTestCa() throws Exception {
    assertEquals(
        Reason.UNTRUSTED_CERTIFICATE, fails("server", "localhost", TlsOptions.defaults()).reason());
  }

  @Test
  void untrustedCa() throws Exception {
    TransportException e = fails("other-server", "localhost", trustingTestCa());
    assertEquals(Reason.UNTRUSTED_CERTIFICATE, e.reason());
  }

  @Test
  void expiredCertificate() throws Exception {
    assertEquals(
        Reason.EXPIRED_CERTIFICATE, fails("expired", "localhost", trustingTestCa()).reason());
  }

  @Test
  void hostnameMismatch() throws Exception {
    assertEquals(
        Reason.HOSTNAME_MISMATCH, fails("wronghost", "localhost", trustingTestCa()).reason());
  }

  @Test
  void ipLiteralMismatch() throws Exception {
    assertEquals(
        Reason.HOSTNAME_MISMATCH, fails("wronghost", "127.0.0.1", trustingTestCa()).reason());
  }

  @Test
  void aCallerContextStillGetsTheHostNameChecked() throws Exception {
    TlsOptions tls = TlsOptions.defaults().withSslContext(TestCerts.clientContext("truststore"));
    assertEquals(Reason.HOSTNAME_MISMATCH, fails("wronghost", "localhost", tls).reason());
  }

  @Test
  void hostnameVerificationOffStillChecksTheChain() throws Exception {
    TlsOptions tls = trustingTestCa().withVerifyHostname(false);
    assertEquals(Reason.UNTRUSTED_CERTIFICATE, fails("other-server", "localhost", tls).reason());
    assertEquals(Reason.EXPIRED_CERTIFICATE, fails("expired", "localhost", tls).reason());
  }

  @Test
  void hostnameVerificationCanBeTurnedOff() throws Exception {
    connects("wronghost", "localhost", trustingTestCa().withVerifyHostname(false));
  }

  @Test
  void hostnameMatchesWhenTheNameIsRight() throws Exception {
    connects("wronghost", "other.example", trustingTestCa());
  }

  @Test
  void insecureTrustAllAcceptsAnUntrustedCaAndAWrongHost() throws Exception {
    TlsOptions trustAll = TlsOptions.defaults().withInsecureTrustAllCertificates(true);
    connects("other-server", "localhost", trustAll);
    connects("wronghost", "localhost", trustAll);
    connects("expired", "localhost", trustAll);
  }

  @Test
  void presentsAClientCertificateWhenTheServerRequiresOne() throws Exception {
    AtomicReference<String> client = new AtomicReference<>();
    try (TlsTestServer server =
        TlsTestServer.presenting("server")
            .needClientAuth()
            .handler(
                (tls, raw) -> {
                  client.set(tls.getSession().getPeerPrincipal().getName());
                  tls.getOutputStream().write("ok".getBytes(StandardCharsets.US_ASCII));
                })
            .start()) {
      TlsOptions tls =
          trustingTestCa()
              .withClientCertificate(TestCerts.store("client"), TestCerts.PASSWORD.toCharArray());
      TlsTransport t = open(server.port(), "localhost", tls, H2_AND_H1);
      assertEquals("ok", new String(readToEnd(t, 100), StandardCharsets.US_ASCII));
      t.close();
      server.awaitDone();
      assertTrue(client.get().contains("CN=Mint Test Client"), client.get());
    }
  }

  @Test
  void missingClientCertificateFailsTheTls12Handshake() throws Exception {
    try (TlsTestServer server = TlsTestServer.presenting("server").needClientAuth().start()) {
      TransportException e =
          assertThrows(
              TransportException.class,
              () ->
                  open(
                      server.port(),
                      "localhost",
                      trustingTestCa().withProtocols(List.of("TLSv1.2")),
                      H2_AND_H1));
      assertEquals(Reason.TLS_HANDSHAKE_FAILED, e.reason(), e.toString());
    }
  }

  @Test
  void missingClientCertificateUnderTls13FailsAtTheFirstRead() throws Exception {
    // RFC 8446 §4.4.2.4: the server rejects the client's certificate after the client finished.
    try (TlsTestServer server = TlsTestServer.presenting("server").needClientAuth().start()) {
      TransportException e =
          assertThrows(
              TransportException.class,
              () ->
                  readToEnd(
                      open(
                          server.port(),
                          "localhost",
                          trustingTestCa().withProtocols(List.of("TLSv1.3")),
                          H2_AND_H1),
                      100));
      assertEquals(Reason.TLS_HANDSHAKE_FAILED, e.reason(), e.toString());
    }
  }

  @Test
  void unreadableTrustMaterialFailsBeforeTheHandshake() throws Exception {
    TransportException e =
        fails(
            "server",
            "localhost",
            TlsOptions.defaults().withCaCertificatesPem(TestCerts.DIR.resolve("missing.pem")));
    assertEquals(Reason.TLS_HANDSHAKE_FAILED, e.reason(), e.toString());
    e =
        fails(
            "server",
            "localhost",
            TlsOptions.defaults().withCaCertificatesPem(TestCerts.DIR.resolve("README.md")));
    assertEquals(Reason.TLS_HANDSHAKE_FAILED, e.reason(), e.toString());
  }
}
