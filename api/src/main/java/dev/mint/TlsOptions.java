// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * TLS settings of an {@code https} connection. Immutable; start from {@link #defaults()}.
 *
 * <p>Trust, in order of precedence: a caller {@link #sslContext()} (used as given); else a {@link
 * #trustStore()}; else the CA certificates in the PEM file {@link #caCertificatesPem()}; else the
 * JDK's default trust store. {@link #insecureTrustAllCertificates()} exists for tests against
 * self-signed servers only: it disables certificate and host name verification.
 *
 * @param sslContext a caller-built context, or {@code null}
 * @param trustStore trusted certificates, or {@code null}
 * @param caCertificatesPem a PEM file of trusted CA certificates, or {@code null}
 * @param clientKeyStore a key store holding the client certificate and key, or {@code null}
 * @param clientKeyPassword the password of the client key, or {@code null}
 * @param verifyHostname check the certificate against the host name (RFC 9110 §4.3.4); default
 *     {@code true}
 * @param insecureTrustAllCertificates trust any certificate and skip host name verification;
 *     default {@code false}; never use it in production
 * @param protocols TLS versions to enable; default {@code TLSv1.3, TLSv1.2} (nothing older is
 *     accepted)
 * @param alpn offer the allowed protocols by ALPN (RFC 7301) in the handshake; default {@code
 *     true}. Turned off (like curl's {@code --no-alpn}, for servers that break on the extension),
 *     the handshake carries no ALPN extension and the connection speaks HTTP/1.1, so the
 *     connection's allowed protocols must include HTTP/1.1; otherwise connecting fails with {@link
 *     ProviderException.Reason#NO_USABLE_PROTOCOL}.
 */
public record TlsOptions(
    SSLContext sslContext,
    KeyStore trustStore,
    Path caCertificatesPem,
    KeyStore clientKeyStore,
    char[] clientKeyPassword,
    boolean verifyHostname,
    boolean insecureTrustAllCertificates,
    List<String> protocols,
    boolean alpn) {

  /** The TLS versions enabled by default. */
  public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

  private static final TlsOptions DEFAULTS =
      new TlsOptions(null, null, null, null, null, true, false, DEFAULT_PROTOCOLS, true);

  /** Checks the protocol list: non-empty, TLS 1.2 and 1.3 only. */
  public TlsOptions {
    protocols = List.copyOf(Objects.requireNonNull(protocols, "protocols"));
    if (protocols.isEmpty()) {
      throw new IllegalArgumentException("at least one TLS version must be enabled");
    }
    for (String p : protocols) {
      if (!p.equals("TLSv1.3") && !p.equals("TLSv1.2")) {
        throw new IllegalArgumentException("unsupported TLS version " + p + " (TLSv1.3, TLSv1.2)");
      }
    }
    clientKeyPassword = clientKeyPassword == null ? null : clientKeyPassword.clone();
  }

  /** The defaults: JDK trust store, host name verification on, TLS 1.3 and 1.2. */
  public static TlsOptions defaults() {
    return DEFAULTS;
  }

  /** A copy using {@code context} as given. */
  public TlsOptions withSslContext(SSLContext context) {
    return new TlsOptions(
        context,
        trustStore,
        caCertificatesPem,
        clientKeyStore,
        clientKeyPassword,
        verifyHostname,
        insecureTrustAllCertificates,
        protocols,
        alpn);
  }

  /** A copy trusting the certificates of {@code store}. */
  public TlsOptions withTrustStore(KeyStore store) {
    return new TlsOptions(
        sslContext,
        store,
        caCertificatesPem,
        clientKeyStore,
        clientKeyPassword,
        verifyHostname,
        insecureTrustAllCertificates,
        protocols,
        alpn);
  }

  /** A copy trusting the CA certificates in the PEM file {@code pem}. */
  public TlsOptions withCaCertificatesPem(Path pem) {
    return new TlsOptions(
        sslContext,
        trustStore,
        pem,
        clientKeyStore,
        clientKeyPassword,
        verifyHostname,
        insecureTrustAllCertificates,
        protocols,
        alpn);
  }

  /** A copy presenting the client certificate in {@code store}, its key under {@code password}. */
  public TlsOptions withClientCertificate(KeyStore store, char[] password) {
    return new TlsOptions(
        sslContext,
        trustStore,
        caCertificatesPem,
        store,
        password,
        verifyHostname,
        insecureTrustAllCertificates,
        protocols,
        alpn);
  }

  /** A copy with host name verification on or off. */
  public TlsOptions withVerifyHostname(boolean verify) {
    return new TlsOptions(
        sslContext,
        trustStore,
        caCertificatesPem,
        clientKeyStore,
        clientKeyPassword,
        verify,
        insecureTrustAllCertificates,
        protocols,
        alpn);
  }

  /** A copy trusting every certificate. Insecure: for tests against self-signed servers only. */
  public TlsOptions withInsecureTrustAllCertificates(boolean trustAll) {
    return new TlsOptions(
        sslContext,
        trustStore,
        caCertificatesPem,
        clientKeyStore,
        clientKeyPassword,
        verifyHostname,
        trustAll,
        protocols,
        alpn);
  }

  /** A copy enabling exactly these TLS versions. */
  public TlsOptions withProtocols(List<String> versions) {
    return new TlsOptions(
        sslContext,
        trustStore,
        caCertificatesPem,
        clientKeyStore,
        clientKeyPassword,
        verifyHostname,
        insecureTrustAllCertificates,
        versions,
        alpn);
  }

  /** A copy with ALPN offered ({@code true}, the default) or left out of the handshake. */
  public TlsOptions withAlpn(boolean offer) {
    return new TlsOptions(
        sslContext,
        trustStore,
        caCertificatesPem,
        clientKeyStore,
        clientKeyPassword,
        verifyHostname,
        insecureTrustAllCertificates,
        protocols,
        offer);
  }

  /** The client key password (a copy), or {@code null}. */
  @Override
  public char[] clientKeyPassword() {
    return clientKeyPassword == null ? null : clientKeyPassword.clone();
  }

  @Override
  public String toString() {
    return "TlsOptions[custom context="
        + (sslContext != null)
        + ", trustStore="
        + (trustStore != null)
        + ", caCertificatesPem="
        + caCertificatesPem
        + ", clientCertificate="
        + (clientKeyStore != null)
        + ", verifyHostname="
        + verifyHostname
        + ", insecureTrustAllCertificates="
        + insecureTrustAllCertificates
        + ", protocols="
        + protocols
        + ", alpn="
        + alpn
        + "]";
  }
}
