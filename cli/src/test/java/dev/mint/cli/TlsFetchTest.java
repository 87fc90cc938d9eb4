// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import static dev.mint.cli.CommandRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The command over https against JDK {@link HttpsServer}s on 127.0.0.1 presenting the test
 * certificates of transport-tls (see the README in that folder). The JDK server does no ALPN, so
 * the connections speak HTTP/1.1.
 */
@Timeout(30)
class TlsFetchTest {
  /** The test certificates, relative to this module (where surefire runs). */
  static final Path CERTS = Path.of("../transport-tls/src/test/resources/certs");

  static final String BODY = "hello over TLS\n";
  private static final char[] PASSWORD = "changeit".toCharArray();

  /** Presents {@code server.p12}: CN=localhost, IP 127.0.0.1, issued by the test CA. */
  private static HttpsServer valid;

  /** Presents {@code wronghost.p12}: a certificate for other.example only. */
  private static HttpsServer wrongHost;

  @BeforeAll
  static void startServers() throws Exception {
    valid = start("server.p12");
    wrongHost = start("wronghost.p12");
  }

  @AfterAll
  static void stopServers() {
    valid.stop(0);
    wrongHost.stop(0);
  }

  /** A server context presenting the key and certificate of {@code keyStore} in {@link #CERTS}. */
  static SSLContext serverContext(String keyStore) throws IOException, GeneralSecurityException {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(CERTS.resolve(keyStore))) {
      keys.load(in, PASSWORD);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, PASSWORD);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  /** An https server on 127.0.0.1 answering {@code /hello} with {@link #BODY}. */
  static HttpsServer start(String keyStore) throws IOException, GeneralSecurityException {
    SSLContext context = serverContext(keyStore);
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(context));
    server.createContext(
        "/hello",
        exchange -> {
          byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    return server;
  }

  static String url(HttpsServer server) {
    return "https://127.0.0.1:" + server.getAddress().getPort() + "/hello";
  }

  @Test
  void cacertTrustsTheTestCa() {
    CommandRun r = run("--cacert", CERTS.resolve("ca.pem").toString(), url(valid));
    assertEquals(Main.EXIT_OK, r.exit(), r.err());
    assertEquals(BODY, r.out());
    assertTrue(r.err().startsWith("HTTP/1.1 200 OK\n"), r.err());
  }

  @Test
  void verboseShowsTheTlsSessionAndTheServerCertificate() {
    CommandRun r = run("-v", "--cacert", CERTS.resolve("ca.pem").toString(), url(valid));
    assertEquals(Main.EXIT_OK, r.exit(), r.err());
    String err = r.err();
    assertTrue(err.contains("ms * connected, speaking http/1.1\n"), err);
    assertTrue(err.contains("ms * TLS TLSv1.3, cipher TLS_"), err);
    assertTrue(err.contains(", ALPN selected none\n"), err); // the JDK server does no ALPN
    assertTrue(err.contains("ms * server certificate subject: CN=localhost,O=Mint Test\n"), err);
    assertTrue(err.contains("ms * server certificate issuer: CN=Mint Test CA,O=Mint Test\n"), err);
    assertTrue(err.contains("ms * server certificate expires: 2049-12-31T"), err);
  }

  @Test
  void withoutTrustTheCertificateIsUntrusted() {
    // The JDK's default trust store does not hold the test CA.
    CommandRun r = run(url(valid));
    assertEquals(ExitStatus.PEER_FAILED_VERIFICATION, r.exit(), r.err());
    assertTrue(r.err().startsWith("mint: UNTRUSTED_CERTIFICATE: "), r.err());
    assertTrue(r.err().contains("\nmint: --cacert FILE trusts"), r.err()); // the hint line
    assertEquals(2, r.err().lines().count(), r.err());
    assertEquals("", r.out());
  }

  @Test
  void anotherCaDoesNotMakeItTrusted() {
    CommandRun r = run("--cacert", CERTS.resolve("other-ca.pem").toString(), url(valid));
    assertEquals(ExitStatus.PEER_FAILED_VERIFICATION, r.exit(), r.err());
    assertTrue(r.err().startsWith("mint: UNTRUSTED_CERTIFICATE: "), r.err());
  }

  @Test
  void insecureTrustsAnyCertificateAndWarns() {
    CommandRun r = run("--insecure", url(valid));
    assertEquals(Main.EXIT_OK, r.exit(), r.err());
    assertEquals(BODY, r.out());
    assertTrue(r.err().startsWith("mint: warning: --insecure: "), r.err());
    assertTrue(r.err().contains("HTTP/1.1 200 OK\n"), r.err());
  }

  @Test
  void insecureSkipsTheHostNameCheckToo() {
    CommandRun r = run("-k", url(wrongHost));
    assertEquals(Main.EXIT_OK, r.exit(), r.err());
    assertEquals(BODY, r.out());
  }

  @Test
  void aCertificateForAnotherHostIsAHostnameMismatch() {
    CommandRun r = run("--cacert", CERTS.resolve("ca.pem").toString(), url(wrongHost));
    assertEquals(ExitStatus.PEER_FAILED_VERIFICATION, r.exit(), r.err());
    assertTrue(r.err().startsWith("mint: HOSTNAME_MISMATCH: "), r.err());
    assertTrue(r.err().contains("\nmint: the certificate names another host; -k"), r.err());
  }

  @Test
  void http2PriorKnowledgeOverHttpsNeedsTheServerToSelectH2() {
    // ALPN offers h2 alone; the JDK server selects nothing, and HTTP/1.1 is not allowed.
    CommandRun r =
        run("--http2-prior-knowledge", "--cacert", CERTS.resolve("ca.pem").toString(), url(valid));
    assertEquals(ExitStatus.TLS_CONNECT_ERROR, r.exit(), r.err());
    assertTrue(r.err().startsWith("mint: ALPN_NOT_NEGOTIATED: "), r.err());
  }

  @Test
  void http2FallsBackToHttp11WhenTheServerSelectsNothing() {
    CommandRun r = run("--http2", "--cacert", CERTS.resolve("ca.pem").toString(), url(valid));
    assertEquals(Main.EXIT_OK, r.exit(), r.err());
    assertEquals(BODY, r.out());
  }

  @Test
  void aMissingCacertFileExits77AsCurl() {
    CommandRun r = run("--cacert", CERTS.resolve("no-such.pem").toString(), url(valid));
    assertEquals(ExitStatus.CA_CERT_BAD_FILE, r.exit(), r.err());
    assertTrue(r.err().startsWith("mint: cannot read the --cacert file "), r.err());
  }
}
