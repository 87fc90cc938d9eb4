// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Scheme;
import dev.mint.TransportException.Reason;
import dev.mint.spi.Deadline;
import dev.mint.spi.ProviderRegistry;
import dev.mint.spi.TransportContext;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.CertificateParsingException;
import java.security.cert.PKIXReason;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** The provider without sockets: discovery, SNI rules, and the mapping of handshake failures. */
class TlsTransportProviderTest {

  @Test
  void isFoundByServiceLoaderUnderTls() throws Exception {
    assertInstanceOf(TlsTransportProvider.class, ProviderRegistry.installed().transport("tls"));
    assertEquals("tls", new TlsTransportProvider().name());
  }

  @Test
  void needsAnInnerTransport() {
    TransportContext context =
        new TransportContext(
            Scheme.HTTPS,
            "localhost",
            443,
            "localhost",
            ConnectOptions.defaults(),
            Deadline.after(Duration.ofSeconds(1)),
            Optional.empty(),
            List.of());
    assertThrows(IllegalArgumentException.class, () -> new TlsTransportProvider().open(context));
  }

  @Test
  void sniIsTheHostNameWithoutItsTrailingDot() {
    assertEquals(
        List.of(new SNIHostName("example.com")), TlsTransportProvider.serverNames("example.com"));
    assertEquals(
        List.of(new SNIHostName("example.com")), TlsTransportProvider.serverNames("example.com."));
  }

  @Test
  void noSniForIpLiteralsOrNamesSniCannotCarry() {
    assertEquals(List.of(), TlsTransportProvider.serverNames("127.0.0.1"));
    assertEquals(List.of(), TlsTransportProvider.serverNames("::1"));
    assertEquals(List.of(), TlsTransportProvider.serverNames("2001:db8::1"));
    assertEquals(List.of(), TlsTransportProvider.serverNames("bad name"));
    assertTrue(TlsTransportProvider.isIpLiteral("10.0.0.1"));
    assertFalse(TlsTransportProvider.isIpLiteral("10.0.0.1.example"));
    assertFalse(TlsTransportProvider.isIpLiteral("localhost"));
  }

  @Test
  void mapsHandshakeFailuresByTheTypesOfTheirCauses() {
    assertEquals(
        Reason.EXPIRED_CERTIFICATE,
        reasonOf(handshake(validatorFailure(new CertificateExpiredException()))));
    assertEquals(
        Reason.EXPIRED_CERTIFICATE,
        reasonOf(handshake(new CertificateNotYetValidException("any text"))));
    assertEquals(
        Reason.EXPIRED_CERTIFICATE,
        reasonOf(
            handshake(
                new CertPathValidatorException(
                    "validity check failed",
                    null,
                    null,
                    -1,
                    CertPathValidatorException.BasicReason.NOT_YET_VALID))));
    assertEquals(
        Reason.UNTRUSTED_CERTIFICATE,
        reasonOf(
            handshake(
                new CertificateException("any text", new CertPathBuilderException("any text")))));
    assertEquals(
        Reason.UNTRUSTED_CERTIFICATE,
        reasonOf(
            handshake(
                new CertPathValidatorException(
                    "any text", null, null, -1, PKIXReason.NO_TRUST_ANCHOR))));
    assertEquals(
        Reason.TLS_HANDSHAKE_FAILED,
        reasonOf(
            handshake(
                new CertPathValidatorException(
                    "revoked", null, null, -1, CertPathValidatorException.BasicReason.REVOKED))));
    assertEquals(
        Reason.TLS_HANDSHAKE_FAILED,
        reasonOf(new SSLHandshakeException("Received fatal alert: bad_certificate")));
  }

  @Test
  void aHostNameMismatchIsThePlainCertificateExceptionWhileTheNameIsChecked() {
    // The JDK's text in English, and as a translation would put it: the type decides, not the text.
    for (String text :
        List.of("No subject alternative DNS name matching x found.", "Kein passender Name für x")) {
      assertEquals(
          Reason.HOSTNAME_MISMATCH,
          HandshakeFailures.reasonOf(handshake(new CertificateException(text)), true));
      assertEquals(
          Reason.TLS_HANDSHAKE_FAILED,
          HandshakeFailures.reasonOf(handshake(new CertificateException(text)), false),
          "no name checked, no mismatch");
    }
    // A subclass, or the plain class carrying a cause, is a chain failure, not the name check.
    assertEquals(
        Reason.TLS_HANDSHAKE_FAILED,
        reasonOf(handshake(new CertificateParsingException("No name matching x found"))));
    assertEquals(
        Reason.TLS_HANDSHAKE_FAILED,
        reasonOf(handshake(new CertificateException("x", new IllegalStateException()))));
  }

  @Test
  void theNoApplicationProtocolAlertIsTheOneMatchedByItsRegistryName() {
    assertEquals(
        Reason.ALPN_NOT_NEGOTIATED,
        reasonOf(new SSLHandshakeException("Received fatal alert: no_application_protocol")));
    assertEquals(
        Reason.ALPN_NOT_NEGOTIATED,
        reasonOf(handshake(new SSLException("Received fatal alert: no_application_protocol"))));
    assertEquals(
        Reason.TLS_HANDSHAKE_FAILED,
        reasonOf(new SSLHandshakeException("Received fatal alert: handshake_failure")));
    // A type found anywhere in the chain comes before the alert's name.
    SSLHandshakeException both = new SSLHandshakeException("alert: no_application_protocol");
    both.initCause(new CertificateExpiredException());
    assertEquals(Reason.EXPIRED_CERTIFICATE, reasonOf(both));
  }

  @Test
  void classifiedFailuresNameThePeer() {
    var e =
        HandshakeFailures.classify(
            handshake(new CertificateException("No name matching x found")),
            "x:8443 (10.0.0.1)",
            true);
    assertEquals(Reason.HOSTNAME_MISMATCH, e.reason());
    assertTrue(e.getMessage().contains("x:8443 (10.0.0.1)"), e.getMessage());
    assertInstanceOf(SSLHandshakeException.class, e.getCause());
  }

  /** The reason with the host name checked, as by default. */
  private static Reason reasonOf(Throwable e) {
    return HandshakeFailures.reasonOf(e, true);
  }

  private static CertificateException validatorFailure(Throwable cause) {
    return new CertificateException(
        "PKIX path validation failed",
        new CertPathValidatorException(
            "validity check failed",
            cause,
            null,
            -1,
            CertPathValidatorException.BasicReason.EXPIRED));
  }

  private static SSLHandshakeException handshake(Throwable cause) {
    SSLHandshakeException e = new SSLHandshakeException(cause.getMessage());
    e.initCause(cause);
    return e;
  }
}
