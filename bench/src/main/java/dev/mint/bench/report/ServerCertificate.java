// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * The run's self-signed server certificate, made fresh by the JDK's {@code keytool} (an EC P-256
 * key, valid 30 days, for {@code localhost} and IP 127.0.0.1), in the forms the servers and clients
 * read: a PKCS#12 key store (the embedded Jetty server), and PEM files of the certificate (every
 * client's one trust anchor) and of the PKCS#8 private key (nginx).
 *
 * @param keyStore the PKCS#12 key store, alias {@value #ALIAS}, password {@value #PASSWORD}
 * @param certificatePem the certificate, PEM
 * @param keyPem the private key, PEM (PKCS#8)
 */
public record ServerCertificate(Path keyStore, Path certificatePem, Path keyPem) {
  /** The key store's alias. */
  public static final String ALIAS = "server";

  /** The key store's password (a throw-away certificate of one run). */
  public static final String PASSWORD = "changeit";

  /** Makes a certificate in {@code dir}. */
  public static ServerCertificate create(Path dir) throws IOException, GeneralSecurityException {
    Path store = dir.resolve("server.p12");
    Files.deleteIfExists(store);
    Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
    Process p =
        new ProcessBuilder(
                keytool.toString(),
                "-genkeypair",
                "-alias",
                ALIAS,
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=localhost",
                "-ext",
                "SAN=dns:localhost,ip:127.0.0.1",
                "-validity",
                "30",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                PASSWORD,
                "-keypass",
                PASSWORD)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("keytool.log").toFile())
            .start();
    try {
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("keytool failed; see " + dir.resolve("keytool.log"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while keytool ran", e);
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, PASSWORD.toCharArray());
    }
    Key key = ks.getKey(ALIAS, PASSWORD.toCharArray());
    Path certPem = dir.resolve("server.pem");
    Path keyPem = dir.resolve("server.key");
    Files.writeString(
        certPem,
        pem("CERTIFICATE", ks.getCertificate(ALIAS).getEncoded()),
        StandardCharsets.US_ASCII);
    Files.writeString(keyPem, pem("PRIVATE KEY", key.getEncoded()), StandardCharsets.US_ASCII);
    return new ServerCertificate(store, certPem, keyPem);
  }

  private static String pem(String type, byte[] der) {
    String body =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
    return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
  }
}
