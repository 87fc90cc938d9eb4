// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** The certificates of {@code src/test/resources/certs} (see the README there). */
final class TestCerts {
  /** The directory, relative to the module (surefire runs there). */
  static final Path DIR = Path.of("src/test/resources/certs");

  /** The password of every store. */
  static final String PASSWORD = "changeit";

  private TestCerts() {}

  /** The PKCS12 store {@code name}.p12. */
  static KeyStore store(String name) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(DIR.resolve(name + ".p12"))) {
      store.load(in, PASSWORD.toCharArray());
    }
    return store;
  }

  /** A server context presenting {@code keyStore}.p12 and trusting the test CA for clients. */
  static SSLContext serverContext(String keyStore) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store(keyStore), PASSWORD.toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), trustManagers("truststore"), null);
    return context;
  }

  /** A client context trusting the CAs of {@code trustStore}.p12. */
  static SSLContext clientContext(String trustStore) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trustManagers(trustStore), null);
    return context;
  }

  private static javax.net.ssl.TrustManager[] trustManagers(String trustStore) throws Exception {
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store(trustStore));
    return tmf.getTrustManagers();
  }
}
