// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import dev.mint.TransportException;
import dev.mint.TransportException.Reason;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.PKIXReason;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Turns the JDK's {@link javax.net.ssl.SSLHandshakeException} into a {@link TransportException}
 * with a specific reason, by the types in its cause chain:
 *
 * <ul>
 *   <li>{@link CertificateExpiredException}, {@link CertificateNotYetValidException}, or a {@link
 *       CertPathValidatorException} whose {@link CertPathValidatorException#getReason() reason} is
 *       {@code EXPIRED}/{@code NOT_YET_VALID}: {@link Reason#EXPIRED_CERTIFICATE};
 *   <li>{@link CertPathBuilderException} (no path to a trust anchor) or a {@link
 *       CertPathValidatorException} of reason {@code NO_TRUST_ANCHOR}: {@link
 *       Reason#UNTRUSTED_CERTIFICATE};
 *   <li>a plain {@link CertificateException} (the class itself, without a cause) while the host
 *       name is checked: {@link Reason#HOSTNAME_MISMATCH}. The JDK's trust manager reports a failed
 *       chain as a subclass of it ({@code sun.security.validator.ValidatorException}) with the
 *       {@code CertPath*} exception as its cause, and a failed host name check (RFC 9110 §4.3.4,
 *       RFC 6125) as the plain class; the JDK has no public type for the latter. A trust manager of
 *       the caller's own that throws the plain class is reported the same way;
 *   <li>the server's fatal {@code no_application_protocol} alert, its answer when it supports none
 *       of the protocols we offered by ALPN (RFC 7301 §3.2): {@link Reason#ALPN_NOT_NEGOTIATED}.
 *       The JDK exposes no alert type; the one place the alert shows is its message, {@code
 *       "Received fatal alert: no_application_protocol"}, where the alert's name is the RFC 8446 §6
 *       registry's, never translated. This check comes last, after every type;
 *   <li>anything else (other alerts, no common protocol or cipher, garbage instead of TLS, a
 *       revoked or algorithm-constrained chain): {@link Reason#TLS_HANDSHAKE_FAILED}.
 * </ul>
 */
final class HandshakeFailures {
  private static final int MAX_CAUSE_DEPTH = 16;

  /** The alert's name as the JDK writes it at the end of a received alert's message. */
  private static final String NO_APPLICATION_PROTOCOL = "no_application_protocol";

  private HandshakeFailures() {}

  /**
   * The exception to throw for {@code e}, naming {@code peer} (server and port).
   *
   * @param hostnameChecked whether the engine checked the server's name (endpoint identification
   *     on); without it no failure is a host name mismatch
   */
  static TransportException classify(SSLException e, String peer, boolean hostnameChecked) {
    Reason reason = reasonOf(e, hostnameChecked);
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

  /** The reason for {@code e}: the first cause of a specific type, else a received alert. */
  static Reason reasonOf(Throwable e, boolean hostnameChecked) {
    List<Throwable> chain = causes(e);
    for (Throwable t : chain) {
      Reason reason = byType(t, hostnameChecked);
      if (reason != null) {
        return reason;
      }
    }
    for (Throwable t : chain) {
      if (isNoApplicationProtocolAlert(t)) {
        return Reason.ALPN_NOT_NEGOTIATED;
      }
    }
    return Reason.TLS_HANDSHAKE_FAILED;
  }

  /** {@code e} and its causes, each once, at most {@value #MAX_CAUSE_DEPTH}. */
  private static List<Throwable> causes(Throwable e) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    List<Throwable> chain = new ArrayList<>();
    for (Throwable t = e; t != null && chain.size() < MAX_CAUSE_DEPTH && seen.add(t); ) {
      chain.add(t);
      t = t.getCause();
    }
    return chain;
  }

  private static Reason byType(Throwable t, boolean hostnameChecked) {
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
    if (hostnameChecked && t.getClass() == CertificateException.class && t.getCause() == null) {
      return Reason.HOSTNAME_MISMATCH;
    }
    return null;
  }

  private static boolean isNoApplicationProtocolAlert(Throwable t) {
    return t instanceof SSLException
        && t.getMessage() != null
        && t.getMessage().endsWith(": " + NO_APPLICATION_PROTOCOL);
  }
}
