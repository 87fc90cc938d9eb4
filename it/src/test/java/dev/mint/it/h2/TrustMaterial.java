// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.h2;

import dev.mint.TlsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * The trust material of transport-tls's test certificates (see its {@code certs/README.md}): the
 * test CA as a PKCS12 trust store and as PEM, and the server's key for servers written in tests.
 */
public final class TrustMaterial {
  private TrustMaterial() {}

  /** The trust store holding the test CA ({@code truststore.p12}). */
  public static KeyStore testCaStore() {
    return load(JettyH2Server.CERTS.resolve("truststore.p12"));
  }

  /** The test CA certificate as PEM ({@code ca.pem}). */
  public static Path testCaPem() {
    return JettyH2Server.CERTS.resolve("ca.pem");
  }

  /** TLS options trusting the test CA (and nothing else). */
  public static TlsOptions trustingTestCa() {
    return TlsOptions.defaults().withTrustStore(testCaStore());
  }

  /**
   * A server-side context presenting the test server certificate ({@code server.p12}: localhost and
   * 127.0.0.1, signed by the test CA), for JDK {@code SSLServerSocket}s and {@code SSLEngine}s.
   */
  public static SSLContext serverContext() throws GeneralSecurityException {
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(load(JettyH2Server.CERTS.resolve("server.p12")), "changeit".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  private static KeyStore load(Path p12) {
    try (InputStream in = Files.newInputStream(p12)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, "changeit".toCharArray());
      return store;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
