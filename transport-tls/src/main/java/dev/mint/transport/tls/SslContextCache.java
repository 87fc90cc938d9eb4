// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import dev.mint.TlsOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Arrays;
import java.util.Collection;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link SSLContext} for a {@link TlsOptions} and keeps it for the next connection with
 * the same trust configuration: building one parses key stores and PEM files, and a context also
 * carries the TLS session cache that makes the next handshake to the same server cheaper.
 *
 * <p>Trust, in the order of {@link TlsOptions}: a caller context is used as given and never cached
 * here; else {@link TlsOptions#insecureTrustAllCertificates()} (named explicitly, logged at WARN
 * for every context built with it); else the trust store; else the PEM file of CA certificates;
 * else the JDK's default trust (the {@code javax.net.ssl.trustStore} system properties or {@code
 * cacerts}). A client key store adds a key manager to any of the built contexts.
 *
 * <p><b>The cache key</b> holds everything that goes into a built context, and nothing else (the
 * TLS versions, ALPN, SNI and host name verification are set per engine):
 *
 * <ul>
 *   <li>the trust store and the client key store by identity ({@link KeyStore} has no value
 *       equality; a store changed after its first use is not reread: pass a new instance);
 *   <li>the client key password by value, so a wrong password fails rather than reusing a context
 *       built with the right one;
 *   <li>a PEM file by its normalized absolute path, size, modification time and file key (device
 *       and inode where the platform has them), read with one {@code stat} per connection. An
 *       edited file (new modification time) and a file replaced by rename, as editors and
 *       certificate rotation do (new inode, even with the old size and time), are reread. Its
 *       content is not hashed: that would read the file on every connection, and a rewrite in place
 *       that keeps size and modification time is not how files are replaced in practice;
 *   <li>whether every certificate is trusted.
 * </ul>
 *
 * A caller {@link TlsOptions#sslContext()} is never cached: it is returned as given. At most {@link
 * #MAX_ENTRIES} contexts are kept: a caller that builds a new key store for every connection must
 * not grow this without bound.
 *
 * <p><b>Thread safety</b> without locks in this code: the map is a {@link ConcurrentHashMap}. Two
 * threads that miss at once may both build a context; {@code putIfAbsent} keeps one and both use it
 * (the other is garbage), which costs a build but is never wrong. The size bound is checked without
 * atomicity, so racing builders may briefly exceed it by their number. A cached context is itself
 * thread-safe ({@link SSLContext} and its session cache are).
 */
final class SslContextCache {
  /** The most contexts kept; past it the cache starts over. */
  static final int MAX_ENTRIES = 32;

  private static final Logger LOG = LoggerFactory.getLogger(SslContextCache.class);

  private final ConcurrentHashMap<Key, SSLContext> contexts = new ConcurrentHashMap<>();

  /**
   * The context for {@code tls}: the caller's, a cached one, or a new one.
   *
   * @throws GeneralSecurityException when a key store, certificate or algorithm is unusable
   * @throws IOException when the PEM file cannot be read
   */
  SSLContext contextFor(TlsOptions tls) throws GeneralSecurityException, IOException {
    if (tls.sslContext() != null) {
      return tls.sslContext();
    }
    Key key = Key.of(tls);
    SSLContext cached = contexts.get(key);
    if (cached != null) {
      return cached;
    }
    SSLContext built = build(tls);
    if (contexts.size() >= MAX_ENTRIES) {
      contexts.clear();
    }
    SSLContext raced = contexts.putIfAbsent(key, built);
    return raced != null ? raced : built;
  }

  /** How many contexts are cached (for tests). */
  int size() {
    return contexts.size();
  }

  private static SSLContext build(TlsOptions tls) throws GeneralSecurityException, IOException {
    KeyManager[] keyManagers = keyManagers(tls);
    TrustManager[] trustManagers = trustManagers(tls);
    if (keyManagers == null && trustManagers == null) {
      // Honours the javax.net.ssl.* system properties, as every JDK client does.
      return SSLContext.getDefault();
    }
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(keyManagers, trustManagers, null);
    return context;
  }

  private static KeyManager[] keyManagers(TlsOptions tls) throws GeneralSecurityException {
    if (tls.clientKeyStore() == null) {
      return null;
    }
    char[] password = tls.clientKeyPassword();
    try {
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(tls.clientKeyStore(), password);
      return kmf.getKeyManagers();
    } finally {
      if (password != null) {
        Arrays.fill(password, '\0');
      }
    }
  }

  private static TrustManager[] trustManagers(TlsOptions tls)
      throws GeneralSecurityException, IOException {
    if (tls.insecureTrustAllCertificates()) {
      LOG.warn(
          "TLS context with insecureTrustAllCertificates: server certificates and host names are"
              + " NOT verified; never use this in production");
      return new TrustManager[] {new TrustAllCertificates()};
    }
    KeyStore anchors;
    if (tls.trustStore() != null) {
      anchors = tls.trustStore();
    } else if (tls.caCertificatesPem() != null) {
      anchors = readPem(tls.caCertificatesPem());
    } else {
      return null;
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(anchors);
    return tmf.getTrustManagers();
  }

  /**
   * A trust store of every certificate in a PEM file (CertificateFactory reads concatenated PEM).
   */
  private static KeyStore readPem(Path pem) throws GeneralSecurityException, IOException {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(pem)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    }
    if (certificates.isEmpty()) {
      throw new GeneralSecurityException("no certificate in PEM file " + pem);
    }
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    int i = 0;
    for (Certificate certificate : certificates) {
      store.setCertificateEntry("ca-" + i++, certificate);
    }
    return store;
  }

  /**
   * What makes two built contexts interchangeable. Key stores compare by identity ({@link KeyStore}
   * does not override {@code equals}); the password by value.
   */
  private record Key(
      KeyStore trustStore,
      Path pem,
      FileTime pemModified,
      long pemSize,
      Object pemFileKey,
      KeyStore clientKeyStore,
      Secret clientKeyPassword,
      boolean trustAll) {

    static Key of(TlsOptions tls) throws IOException {
      Path pem = null;
      FileTime modified = null;
      long size = -1;
      Object fileKey = null;
      if (tls.caCertificatesPem() != null
          && !tls.insecureTrustAllCertificates()
          && tls.trustStore() == null) {
        pem = tls.caCertificatesPem().toAbsolutePath().normalize();
        BasicFileAttributes attributes = Files.readAttributes(pem, BasicFileAttributes.class);
        modified = attributes.lastModifiedTime();
        size = attributes.size();
        fileKey = attributes.fileKey(); // null where the platform has none
      }
      KeyStore trustStore = tls.insecureTrustAllCertificates() ? null : tls.trustStore();
      return new Key(
          trustStore,
          pem,
          modified,
          size,
          fileKey,
          tls.clientKeyStore(),
          tls.clientKeyStore() == null ? null : new Secret(tls.clientKeyPassword()),
          tls.insecureTrustAllCertificates());
    }
  }

  /** A password compared by value; never printed. */
  private static final class Secret {
    private final char[] chars;

    Secret(char[] chars) {
      this.chars = chars;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Secret other && Arrays.equals(chars, other.chars);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(chars);
    }

    @Override
    public String toString() {
      return "Secret[***]";
    }
  }
}
