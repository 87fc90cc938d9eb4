// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * nginx for the memory harnesses, started from the configuration {@code nginx-memory.conf} beside
 * this class: one worker, on 127.0.0.1, with a cleartext HTTP/1.1 port, an h2c (prior knowledge)
 * port and a TLS port (ALPN h2 and http/1.1), each chosen free at start. Documents: {@code /small}
 * (2 bytes) and {@code /64m} (64 MiB of zeros). The certificate is the repository's test server
 * certificate ({@code transport-tls/src/test/resources/certs}), trusted through its test CA.
 *
 * <p>Everything lives in a fresh temporary directory, removed by {@link #close()} with the server.
 * Started as root, the worker would drop to {@code nobody}; the configuration then keeps it root
 * instead, so that it reads the files it needs in a directory private to this process.
 */
final class LocalNginx implements AutoCloseable {
  /** Where nginx is installed on Debian. */
  static final Path BINARY = Path.of("/usr/sbin/nginx");

  /** The size of {@code /64m}. */
  static final long DOWNLOAD_SIZE = 64L * 1024 * 1024;

  private final Path dir;
  private final Process process;
  private final int plainPort;
  private final int h2cPort;
  private final int tlsPort;

  private LocalNginx(Path dir, Process process, int plain, int h2c, int tls) {
    this.dir = dir;
    this.process = process;
    this.plainPort = plain;
    this.h2cPort = h2c;
    this.tlsPort = tls;
  }

  /** Whether nginx is installed where this class looks for it. */
  static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /**
   * Starts nginx for up to {@code connections} concurrent connections and waits until its ports
   * accept connections (at most 10 s).
   *
   * @param certs the directory of the test certificates ({@code server-chain.pem}, {@code
   *     server.key})
   */
  static LocalNginx start(Path certs, int connections) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("mint-bench-nginx");
    try {
      return start(dir, certs, connections);
    } catch (IOException | InterruptedException | RuntimeException e) {
      removeTree(dir); // nothing runs from it: the server did not start, or was stopped
      throw e;
    }
  }

  private static LocalNginx start(Path dir, Path certs, int connections)
      throws IOException, InterruptedException {
    Files.createDirectories(dir.resolve("tmp"));
    Path www = Files.createDirectories(dir.resolve("www"));
    Files.writeString(www.resolve("small"), "ok");
    try (RandomAccessFile big = new RandomAccessFile(www.resolve("64m").toFile(), "rw")) {
      big.setLength(DOWNLOAD_SIZE); // sparse: zeros, no disk used
    }
    Files.copy(certs.resolve("server-chain.pem"), dir.resolve("server-chain.pem"));
    Files.copy(certs.resolve("server.key"), dir.resolve("server.key"));
    int plain = freePort();
    int h2c = freePort();
    int tls = freePort();
    boolean root = "root".equals(System.getProperty("user.name"));
    Map<String, String> values =
        Map.of(
            "@USER@", root ? "user root;" : "",
            "@FILES@", Integer.toString(2 * connections + 256),
            "@CONNECTIONS@", Integer.toString(connections + 128),
            "@DIR@", dir.toString(),
            "@PLAIN@", Integer.toString(plain),
            "@H2C@", Integer.toString(h2c),
            "@TLS@", Integer.toString(tls));
    String conf = template();
    for (Map.Entry<String, String> e : values.entrySet()) {
      conf = conf.replace(e.getKey(), e.getValue());
    }
    Path confFile = dir.resolve("nginx.conf");
    Files.writeString(confFile, conf);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    Process process =
        new ProcessBuilder(BINARY.toString(), "-c", confFile.toString(), "-p", dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("stdout.log").toFile())
            .start();
    LocalNginx nginx = new LocalNginx(dir, process, plain, h2c, tls);
    try {
      nginx.awaitListening(plain);
      nginx.awaitListening(h2c);
      nginx.awaitListening(tls);
    } catch (IOException | InterruptedException | RuntimeException e) {
      nginx.stop();
      throw e;
    }
    return nginx;
  }

  int plainPort() {
    return plainPort;
  }

  int h2cPort() {
    return h2cPort;
  }

  int tlsPort() {
    return tlsPort;
  }

  private void awaitListening(int port) throws IOException, InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return;
      } catch (IOException e) {
        if (!process.isAlive()) {
          throw new IOException(
              "nginx exited with status "
                  + process.exitValue()
                  + ": "
                  + Files.readString(dir.resolve("stdout.log")).strip());
        }
        if (System.nanoTime() > deadline) {
          throw new IOException("nginx does not listen on port " + port + " after 10 s", e);
        }
        Thread.sleep(50);
      }
    }
  }

  private static String template() throws IOException {
    try (InputStream in = LocalNginx.class.getResourceAsStream("nginx-memory.conf")) {
      if (in == null) {
        throw new IOException("nginx-memory.conf is missing beside LocalNginx");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** Stops nginx (its master ends its worker) and removes the directory. */
  @Override
  public void close() throws IOException {
    stop();
    removeTree(dir);
  }

  private void stop() {
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void removeTree(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
