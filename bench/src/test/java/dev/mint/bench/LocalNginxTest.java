// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import dev.mint.bench.report.ServerCertificate;
import dev.mint.bench.report.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one nginx launcher of the benchmarks: its configuration, and nginx started from it. */
class LocalNginxTest {
  @Test
  void theConfigurationKeepsWhatEveryHarnessNeeds() throws Exception {
    String conf =
        LocalNginx.configuration(
            LocalNginx.template(), Path.of("/tmp/n"), new int[] {1001, 1002, 1003}, 10_000, true);
    assertFalse(Pattern.compile("@[A-Z0-9]+@").matcher(conf).find(), conf); // all filled in
    assertTrue(conf.contains("user root;"), conf);
    assertTrue(conf.contains("worker_processes 1;"), conf);
    assertTrue(conf.contains("worker_connections 10128;"), conf);
    assertTrue(conf.contains("worker_rlimit_nofile 20256;"), conf);
    assertTrue(conf.contains("sendfile off;"), conf);
    assertTrue(conf.contains("listen 127.0.0.1:1001;"), conf);
    assertTrue(conf.contains("listen 127.0.0.1:1002 http2;"), conf);
    assertTrue(conf.contains("listen 127.0.0.1:1003 ssl http2;"), conf);
    assertTrue(conf.contains("root /tmp/n/www;"), conf);
    String unprivileged =
        LocalNginx.configuration(
            LocalNginx.template(), Path.of("/tmp/n"), new int[] {1, 2, 3}, 64, false);
    assertFalse(unprivileged.contains("user root;"), unprivileged);
    assertTrue(unprivileged.contains("worker_connections 192;"), unprivileged);
  }

  @Test
  @Tag("os_servers")
  void servesBothDocumentsOnItsThreePorts(@TempDir Path dir) throws Exception {
    if (!LocalNginx.installed()) {
      String why = "nginx is not installed at " + LocalNginx.BINARY;
      if (Boolean.getBoolean("mint.requireServers")) {
        throw new AssertionError(why);
      }
      System.out.println("SKIPPED LocalNginxTest: " + why + " (.ci/servers.sh installs it)");
      Assumptions.assumeTrue(false, why);
    }
    ServerCertificate cert = ServerCertificate.create(dir);
    ConnectOptions h1 =
        ConnectOptions.builder()
            .mode(Mode.PASSIVE)
            .protocols(Protocol.HTTP1)
            .connectTimeout(Duration.ofSeconds(10))
            .tls(TlsOptions.defaults().withCaCertificatesPem(cert.certificatePem()))
            .build();
    ConnectOptions h2 = h1.toBuilder().protocols(Protocol.HTTP2).build();
    Path files = dir.resolve("nginx");
    LocalNginx.Setup setup =
        new LocalNginx.Setup(LocalNginx.BINARY, cert.certificatePem(), cert.keyPem(), 16, null);
    try (LocalNginx nginx = LocalNginx.start(setup, files)) {
      assertTrue(nginx.description().contains("1 worker"), nginx.description());
      assertEquals(
          Workload.SMALL_BODY, get(Scheme.HTTP, nginx.plainPort(), h1, Workload.SMALL_PATH));
      assertEquals(Workload.SMALL_BODY, get(Scheme.HTTP, nginx.h2cPort(), h2, Workload.SMALL_PATH));
      assertEquals(
          Workload.SMALL_BODY, get(Scheme.HTTPS, nginx.tlsPort(), h1, Workload.SMALL_PATH));
      assertEquals(
          Workload.SMALL_BODY, get(Scheme.HTTPS, nginx.tlsPort(), h2, Workload.SMALL_PATH));
      assertEquals(
          Workload.LARGE_BODY, get(Scheme.HTTP, nginx.plainPort(), h1, Workload.LARGE_PATH));
    }
    assertTrue(Files.exists(files.resolve("error.log")), "a named directory is kept for its logs");
  }

  private static long get(Scheme scheme, int port, ConnectOptions options, String path)
      throws Exception {
    try (HttpConnection conn = Mint.connect(scheme, "127.0.0.1", port, options)) {
      return IdleConnections.exchange(conn, path);
    }
  }
}
