// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import dev.mint.bench.report.Workload;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * nginx for the benchmarks (the memory harnesses and {@code BenchmarkReport}), started from the one
 * configuration template {@code bench/nginx/nginx.conf.in} (in the jar as {@code /nginx.conf.in}):
 * one worker, in the foreground, on 127.0.0.1, with a cleartext HTTP/1.1 port, an h2c (prior
 * knowledge) port and a TLS port (ALPN h2 and http/1.1), each chosen free at start. It serves
 * {@link Workload#SMALL_PATH} ({@link Workload#SMALL_BODY} bytes) and {@link Workload#LARGE_PATH}
 * ({@link Workload#LARGE_BODY} bytes of zeros, a sparse file), with {@code sendfile off}.
 *
 * <p>Its files (configuration, documents, certificate, logs) live in a directory: a fresh temporary
 * one, removed by {@link #close()}, or one the caller names and keeps. Started as root, the worker
 * would drop to {@code nobody}; the configuration then keeps it root instead, so that it reads the
 * files it needs in a directory private to this process.
 */
public final class LocalNginx implements AutoCloseable {
  /** Where nginx is installed on Debian. */
  public static final Path BINARY = Path.of("/usr/sbin/nginx");

  /** The template, in the jar. */
  static final String TEMPLATE = "/nginx.conf.in";

  /**
   * How to start nginx.
   *
   * @param binary the nginx program
   * @param certificatePem the server's certificate chain, PEM
   * @param keyPem its private key, PEM
   * @param connections the most connections one port is to hold at once (idle ones included)
   * @param cpu the CPU list to pin nginx to with {@code taskset -c}, or null to leave it free
   */
  public record Setup(Path binary, Path certificatePem, Path keyPem, int connections, String cpu) {}

  private final Path dir;
  private final boolean ownsDir;
  private final Process process;
  private final int plainPort;
  private final int h2cPort;
  private final int tlsPort;
  private final String description;

  private LocalNginx(Path dir, boolean ownsDir, Process process, int[] ports, String description) {
    this.dir = dir;
    this.ownsDir = ownsDir;
    this.process = process;
    this.plainPort = ports[0];
    this.h2cPort = ports[1];
    this.tlsPort = ports[2];
    this.description = description;
  }

  /** Whether nginx is installed at {@link #BINARY}. */
  public static boolean installed() {
    return Files.isExecutable(BINARY);
  }

  /**
   * Starts nginx with its files in a fresh temporary directory (removed by {@link #close()}) and
   * waits until its ports accept connections (at most 10 s each).
   */
  public static LocalNginx start(Setup setup) throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("mint-bench-nginx");
    try {
      return start(setup, dir, true);
    } catch (IOException | InterruptedException | RuntimeException e) {
      removeTree(dir); // nothing runs from it: the server did not start, or was stopped
      throw e;
    }
  }

  /**
   * Starts nginx with its files in {@code dir} (made if absent, kept after {@link #close()}, for
   * its logs) and waits until its ports accept connections (at most 10 s each).
   */
  public static LocalNginx start(Setup setup, Path dir) throws IOException, InterruptedException {
    Files.createDirectories(dir);
    return start(setup, dir, false);
  }

  private static LocalNginx start(Setup setup, Path dir, boolean ownsDir)
      throws IOException, InterruptedException {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    Files.createDirectories(dir.resolve("tmp"));
    writeDocuments(Files.createDirectories(dir.resolve("www")));
    Files.copy(
        setup.certificatePem(), dir.resolve("server.pem"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(setup.keyPem(), dir.resolve("server.key"), StandardCopyOption.REPLACE_EXISTING);
    int[] ports = {freePort(), freePort(), freePort()};
    boolean root = "root".equals(System.getProperty("user.name"));
    Path confFile = dir.resolve("nginx.conf");
    Files.writeString(confFile, configuration(template(), dir, ports, setup.connections(), root));
    List<String> command = new ArrayList<>();
    if (setup.cpu() != null) {
      command.addAll(List.of("taskset", "-c", setup.cpu())); // taskset execs nginx: same pid
    }
    command.addAll(
        List.of(setup.binary().toString(), "-c", confFile.toString(), "-p", dir.toString()));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("nginx.out").toFile())
            .start();
    String description =
        version(setup.binary())
            + ", 1 worker"
            + (setup.cpu() == null ? "" : ", on CPU " + setup.cpu() + " (taskset)");
    LocalNginx nginx = new LocalNginx(dir, ownsDir, process, ports, description);
    try {
      for (int port : ports) {
        nginx.awaitListening(port);
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      nginx.stop();
      throw e;
    }
    return nginx;
  }

  /**
   * The configuration: {@code template} with each {@code @...@} placeholder filled in.
   *
   * @param ports the HTTP/1.1, h2c and TLS ports
   * @param connections the most connections to hold at once
   * @param root whether nginx runs as root (its worker then stays root)
   */
  static String configuration(
      String template, Path dir, int[] ports, int connections, boolean root) {
    Map<String, String> values =
        Map.of(
            "@USER@", root ? "user root;" : "",
            "@FILES@", Integer.toString(2 * connections + 256),
            "@CONNECTIONS@", Integer.toString(connections + 128),
            "@DIR@", dir.toString(),
            "@H1@", Integer.toString(ports[0]),
            "@H2C@", Integer.toString(ports[1]),
            "@TLS@", Integer.toString(ports[2]));
    String conf = template;
    for (Map.Entry<String, String> e : values.entrySet()) {
      conf = conf.replace(e.getKey(), e.getValue());
    }
    return conf;
  }

  /** The configuration template from the jar. */
  static String template() throws IOException {
    try (InputStream in = LocalNginx.class.getResourceAsStream(TEMPLATE)) {
      if (in == null) {
        throw new IOException(TEMPLATE + " is not on the class path (bench/nginx/nginx.conf.in)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /**
   * Writes the small document (letters) and the large one (zeros, a sparse file) into {@code www}.
   */
  private static void writeDocuments(Path www) throws IOException {
    Files.write(www.resolve(Workload.SMALL_PATH.substring(1)), Workload.smallBody());
    try (RandomAccessFile f =
        new RandomAccessFile(www.resolve(Workload.LARGE_PATH.substring(1)).toFile(), "rw")) {
      f.setLength(Workload.LARGE_BODY); // sparse: no disk used
    }
  }

  /** The HTTP/1.1 cleartext port. */
  public int plainPort() {
    return plainPort;
  }

  /** The h2c (prior knowledge) port. */
  public int h2cPort() {
    return h2cPort;
  }

  /** The TLS port (ALPN h2 and http/1.1). */
  public int tlsPort() {
    return tlsPort;
  }

  /** What runs, for a report: nginx's version, its one worker and its CPU when pinned. */
  public String description() {
    return description;
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
                  + Files.readString(dir.resolve("nginx.out")).strip()
                  + " (see "
                  + dir.resolve("error.log")
                  + ")");
        }
        if (System.nanoTime() - deadline >= 0) {
          throw new IOException("nginx does not listen on port " + port + " after 10 s", e);
        }
        Thread.sleep(50);
      }
    }
  }

  private static String version(Path binary) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(binary.toString(), "-v").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
    p.waitFor(10, TimeUnit.SECONDS);
    return out.replace("nginx version: ", "");
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * Stops nginx (SIGTERM to its master: a fast shutdown that also ends its worker) and removes its
   * directory when it made it.
   */
  @Override
  public void close() throws IOException {
    stop();
    if (ownsDir) {
      removeTree(dir);
    }
  }

  private void stop() {
    process.destroy();
    awaitExit(process);
  }

  /** Waits up to 10 s for {@code process} to end (asked to already), then kills it. */
  static void awaitExit(Process process) {
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  /** Deletes {@code root} and everything under it. */
  public static void removeTree(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
