// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mint.TlsOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What makes the context cache build a new context, and what lets it reuse one. */
class SslContextCacheTest {

  /**
   * Certificate rotation writes the new file aside and renames it over the old one. The new file
   * may have the old one's size and modification time (copied with its times, or within the file
   * system's time granularity): it is still a different file.
   */
  @Test
  void aPemFileReplacedByRenameIsReread(@TempDir Path dir) throws Exception {
    byte[] other = Files.readAllBytes(TestCerts.DIR.resolve("other-ca.pem"));
    byte[] ca = Files.readAllBytes(TestCerts.DIR.resolve("ca.pem"));
    byte[] padded = Arrays.copyOf(ca, other.length); // same size: pad with NULs ...
    Arrays.fill(padded, ca.length, padded.length, (byte) '\n'); // ... made blank lines
    Path pem = dir.resolve("trust.pem");
    Files.write(pem, padded);
    FileTime modified = Files.getLastModifiedTime(pem);
    SslContextCache cache = new SslContextCache();
    TlsOptions tls = TlsOptions.defaults().withCaCertificatesPem(pem);
    SSLContext first = cache.contextFor(tls);
    assertSame(first, cache.contextFor(tls), "an unchanged file is not reread");

    Path next = dir.resolve("trust.pem.new");
    Files.write(next, other);
    Files.setLastModifiedTime(next, modified);
    Files.move(next, pem, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    assertEquals(padded.length, Files.size(pem));
    assertEquals(modified, Files.getLastModifiedTime(pem));

    assertNotSame(first, cache.contextFor(tls), "the renamed-over file is another file");
  }

  /** An edited file (new modification time) is reread; the path is compared normalized. */
  @Test
  void aPemFileEditedInPlaceIsReread(@TempDir Path dir) throws Exception {
    Path pem = dir.resolve("trust.pem");
    Files.copy(TestCerts.DIR.resolve("ca.pem"), pem);
    SslContextCache cache = new SslContextCache();
    SSLContext first = cache.contextFor(TlsOptions.defaults().withCaCertificatesPem(pem));
    assertSame(
        first,
        cache.contextFor(
            TlsOptions.defaults().withCaCertificatesPem(dir.resolve("x/../trust.pem"))));
    Files.write(pem, Files.readAllBytes(TestCerts.DIR.resolve("other-ca.pem")));
    Files.setLastModifiedTime(
        pem, FileTime.fromMillis(Files.getLastModifiedTime(pem).toMillis() + 10_000));
    assertNotSame(first, cache.contextFor(TlsOptions.defaults().withCaCertificatesPem(pem)));
  }

  /**
   * A client key store is part of the key: the same trust with another client key is not shared.
   */
  @Test
  void theClientKeyIsPartOfTheKey() throws Exception {
    SslContextCache cache = new SslContextCache();
    TlsOptions trust = TestIo.trustingTestCa();
    SSLContext plain = cache.contextFor(trust);
    TlsOptions withKey =
        trust.withClientCertificate(TestCerts.store("client"), TestCerts.PASSWORD.toCharArray());
    SSLContext keyed = cache.contextFor(withKey);
    assertNotSame(plain, keyed);
    assertSame(keyed, cache.contextFor(withKey));
    // The password is part of the key: a wrong one fails instead of reusing the context above.
    TlsOptions wrongPassword =
        trust.withClientCertificate(withKey.clientKeyStore(), "wrong".toCharArray());
    assertThrows(GeneralSecurityException.class, () -> cache.contextFor(wrongPassword));
  }
}
