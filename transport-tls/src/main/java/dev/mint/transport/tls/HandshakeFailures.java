package dev.mint.transport.tls;

import dev.mint.TransportException;
import dev.mint.TransportException.Reason;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXReason;
import java.util.IdentityHashMap;
import java.util.Map;
import javax.net.ssl.SSLException;

/**
 * Turns the JDK's {@link javax.net.ssl.SSLHandshakeException} into a {@link TransportException}
 * with a specific reason, by looking through its cause chain:
 *
 * <ul>
 *   <li>{@link CertificateExpiredException}, {@link CertificateNotYetValidException}, or a {@link
 *       CertPathValidatorException} of reason {@code EXPIRED}/{@code NOT_YET_VALID}: {@link
 *       Reason#EXPIRED_CERTIFICATE};
 *   <li>{@link CertPathBuilderException} ("PKIX path building failed") or a {@link
 *       CertPathValidatorException} of reason {@code NO_TRUST_ANCHOR}: {@link
 *       Reason#UNTRUSTED_CERTIFICATE};
 *   <li>a {@link CertificateException} from the JDK's host name check ("No subject alternative ...
 *       matching", "No name matching"; RFC 9110 §4.3.4, RFC 6125): {@link
 *       Reason#HOSTNAME_MISMATCH};
 *   <li>the server's fatal {@code no_application_protocol} alert, its answer when it supports none
 *       of the protocols we offered by ALPN (RFC 7301 §3.2): {@link Reason#ALPN_NOT_NEGOTIATED};
 *   <li>anything else (alerts from the server, no common protocol or cipher, garbage instead of
 *       TLS): {@link Reason#TLS_HANDSHAKE_FAILED}.
 * </ul>
 *
 * The host name check and received alerts have no exception type of their own, so their messages
 * are matched; they have been stable since JDK 7 and JDK 9 (ALPN).
 */
final class HandshakeFailures {
  private static final int MAX_CAUSE_DEPTH = 16;

  private HandshakeFailures() {}

  /** The exception to throw for {@code e}, naming {@code peer} (server and port). */
  static TransportException classify(SSLException e, String peer) {
    Reason reason = reasonOf(e);
    String what =
        switch (reason) {
          case EXPIRED_CERTIFICATE -> "the certificate of " + peer + " is expired or not yet valid";
          case UNTRUSTED_CERTIFICATE -> "the certificate of " + peer + " is not trusted";
          case HOSTNAME_MISMATCH -> "the certificate of " + peer + " does not match its name";
          case ALPN_NOT_NEGOTIATED -> peer + " supports none of the protocols offered by ALPN";
          default -> "TLS handshake with " + peer + " failed";
        };
    return new TransportException(reason, what + ": " + e.getMessage(), e);
  }

  /** The reason for {@code e}, from the first cause that says something specific. */
  static Reason reasonOf(Throwable e) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    Throwable t = e;
    for (int depth = 0; t != null && depth < MAX_CAUSE_DEPTH; depth++) {
      if (seen.put(t, Boolean.TRUE) != null) {
        break;
      }
      Reason reason = specificReason(t);
      if (reason != null) {
        return reason;
      }
      t = t.getCause();
    }
    return Reason.TLS_HANDSHAKE_FAILED;
  }

  private static Reason specificReason(Throwable t) {
    if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
      return Reason.EXPIRED_CERTIFICATE;
    }
    if (t instanceof CertPathValidatorException v) {
      if (v.getReason() == CertPathValidatorException.BasicReason.EXPIRED
          || v.getReason() == CertPathValidatorException.BasicReason.NOT_YET_VALID) {
        return Reason.EXPIRED_CERTIFICATE;
      }
      // Revoked or algorithm-constrained chains are not "untrusted CA": leave them generic.
      return v.getReason() == PKIXReason.NO_TRUST_ANCHOR ? Reason.UNTRUSTED_CERTIFICATE : null;
    }
    if (t instanceof CertPathBuilderException) {
      return Reason.UNTRUSTED_CERTIFICATE;
    }
    if (t instanceof CertificateException && isHostnameMismatch(t.getMessage())) {
      return Reason.HOSTNAME_MISMATCH;
    }
    if (t instanceof SSLException
        && t.getMessage() != null
        && t.getMessage().endsWith("alert: no_application_protocol")) {
      return Reason.ALPN_NOT_NEGOTIATED;
    }
    return null;
  }

  private static boolean isHostnameMismatch(String message) {
    return message != null
        && (message.startsWith("No subject alternative") || message.startsWith("No name matching"));
  }
}
