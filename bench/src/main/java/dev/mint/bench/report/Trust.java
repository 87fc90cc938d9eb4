// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The peers' trust in the server: a trust store holding only the self-signed certificate of the
 * run, so every client verifies the server as it would in production (no trust-all shortcut).
 */
final class Trust {
  private final KeyStore store;
  private final X509TrustManager trustManager;
  private final SSLContext context;

  private Trust(KeyStore store, X509TrustManager trustManager, SSLContext context) {
    this.store = store;
    this.trustManager = trustManager;
    this.context = context;
  }

  /** Trusts the certificate in {@code pem} alone. */
  static Trust of(Path pem) throws IOException, GeneralSecurityException {
    Certificate cert;
    try (InputStream in = Files.newInputStream(pem)) {
      cert = CertificateFactory.getInstance("X.509").generateCertificate(in);
    }
    KeyStore store = KeyStore.getInstance("PKCS12");
    store.load(null, null);
    store.setCertificateEntry("server", cert);
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    X509TrustManager manager = (X509TrustManager) factory.getTrustManagers()[0];
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return new Trust(store, manager, context);
  }

  /** The trust store. */
  KeyStore store() {
    return store;
  }

  /** The trust manager. */
  X509TrustManager trustManager() {
    return trustManager;
  }

  /** An SSL context with the trust manager and no key. */
  SSLContext context() {
    return context;
  }

  /** The certificate trusted. */
  X509Certificate certificate() throws GeneralSecurityException {
    return (X509Certificate) store.getCertificate("server");
  }
}
