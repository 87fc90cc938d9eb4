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
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
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
  void mapsHandshakeFailuresByTheirCauses() {
    assertEquals(
        Reason.EXPIRED_CERTIFICATE,
        HandshakeFailures.reasonOf(handshake(validatorFailure(new CertificateExpiredException()))));
    assertEquals(
        Reason.EXPIRED_CERTIFICATE,
        HandshakeFailures.reasonOf(
            handshake(
                new CertPathValidatorException(
                    "validity check failed",
                    null,
                    null,
                    -1,
                    CertPathValidatorException.BasicReason.NOT_YET_VALID))));
    assertEquals(
        Reason.UNTRUSTED_CERTIFICATE,
        HandshakeFailures.reasonOf(
            handshake(
                new CertificateException(
                    "PKIX path building failed", new CertPathBuilderException()))));
    assertEquals(
        Reason.HOSTNAME_MISMATCH,
        HandshakeFailures.reasonOf(
            handshake(
                new CertificateException("No subject alternative DNS name matching x found."))));
    assertEquals(
        Reason.HOSTNAME_MISMATCH,
        HandshakeFailures.reasonOf(
            handshake(new CertificateException("No name matching x found"))));
    assertEquals(
        Reason.TLS_HANDSHAKE_FAILED,
        HandshakeFailures.reasonOf(
            new SSLHandshakeException("Received fatal alert: bad_certificate")));
    assertEquals(
        Reason.TLS_HANDSHAKE_FAILED,
        HandshakeFailures.reasonOf(
            handshake(
                new CertPathValidatorException(
                    "revoked", null, null, -1, CertPathValidatorException.BasicReason.REVOKED))));
  }

  @Test
  void classifiedFailuresNameThePeer() {
    var e =
        HandshakeFailures.classify(
            handshake(new CertificateException("No name matching x found")), "x:8443 (10.0.0.1)");
    assertEquals(Reason.HOSTNAME_MISMATCH, e.reason());
    assertTrue(e.getMessage().contains("x:8443 (10.0.0.1)"), e.getMessage());
    assertInstanceOf(SSLHandshakeException.class, e.getCause());
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
