// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import dev.mint.TlsOptions;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The test certificates of transport-tls ({@code src/test/resources/certs} there; see its README):
 * server contexts for scripted TLS proxies and origins, and the client trust for them. Two CAs let
 * a test give the proxy and the origin different trust. Public for the {@code it} module.
 */
public final class TestCertificates {
  /** The certificate directory, relative to this module and to {@code it} alike. */
  public static final Path DIR = Path.of("../transport-tls/src/test/resources/certs");

  private static final char[] PASSWORD = "changeit".toCharArray();

  private TestCertificates() {}

  /** A server context presenting {@code name}.p12 ({@code server}: the test CA's 127.0.0.1). */
  public static SSLContext server(String name) throws Exception {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(store(name), PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  /**
   * TLS options trusting only the CAs of {@code name}.p12 ({@code truststore}, {@code
   * other-truststore}).
   */
  public static TlsOptions trusting(String name) throws Exception {
    return TlsOptions.defaults().withTrustStore(store(name));
  }

  private static KeyStore store(String name) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(DIR.resolve(name + ".p12"))) {
      store.load(in, PASSWORD);
    }
    return store;
  }
}
