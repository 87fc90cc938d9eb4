// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * nginx with one worker, from the configuration template {@code bench/nginx/nginx.conf.in} (kept in
 * the jar as {@code /nginx.conf.in}), started in the foreground on core 0 with {@code taskset} when
 * there is one; stopped by its pid.
 */
final class NginxServers implements Servers {
  private final Process process;
  private final int h1;
  private final int h2c;
  private final int tls;
  private final String description;

  private NginxServers(Process process, int h1, int h2c, int tls, String description) {
    this.process = process;
    this.h1 = h1;
    this.h2c = h2c;
    this.tls = tls;
    this.description = description;
  }

  /** Starts nginx ({@code nginx} the path of its program) with its files in {@code dir}. */
  static NginxServers start(Path nginx, Path dir, ServerCertificate cert, String serverCpu)
      throws IOException {
    Files.createDirectories(dir);
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path tmp = dir.resolve("tmp");
    Files.createDirectories(tmp);
    Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxrwxrwx"));
    Servers.writeDocuments(dir.resolve("www"));
    Files.copy(
        cert.certificatePem(),
        dir.resolve("server.pem"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.copy(
        cert.keyPem(),
        dir.resolve("server.key"),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    int h1 = Servers.freePort();
    int h2c = Servers.freePort();
    int tls = Servers.freePort();
    String template;
    try (InputStream in = NginxServers.class.getResourceAsStream("/nginx.conf.in")) {
      if (in == null) {
        throw new IOException("nginx.conf.in is not in the jar");
      }
      template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    String conf =
        template
            .replace("@DIR@", dir.toString())
            .replace("@H1@", Integer.toString(h1))
            .replace("@H2C@", Integer.toString(h2c))
            .replace("@TLS@", Integer.toString(tls));
    Path confFile = dir.resolve("nginx.conf");
    Files.writeString(confFile, conf);
    List<String> command = new ArrayList<>();
    if (serverCpu != null) {
      command.addAll(List.of("taskset", "-c", serverCpu));
    }
    command.addAll(List.of(nginx.toString(), "-p", dir.toString(), "-c", confFile.toString()));
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("nginx.out").toFile())
            .start();
    NginxServers servers =
        new NginxServers(
            process,
            h1,
            h2c,
            tls,
            version(nginx)
                + ", 1 worker"
                + (serverCpu == null ? "" : ", on CPU " + serverCpu + " (taskset)"));
    try {
      for (int port : new int[] {h1, h2c, tls}) {
        Servers.awaitListening(port);
      }
    } catch (IOException e) {
      servers.close();
      throw new IOException(
          "nginx did not start; see " + dir.resolve("nginx.out") + " and nginx-error.log", e);
    }
    return servers;
  }

  private static String version(Path nginx) {
    try {
      Process p = new ProcessBuilder(nginx.toString(), "-v").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      p.waitFor(10, TimeUnit.SECONDS);
      return out.replace("nginx version: ", "");
    } catch (IOException e) {
      return "nginx";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "nginx";
    }
  }

  @Override
  public int h1Port() {
    return h1;
  }

  @Override
  public int h2cPort() {
    return h2c;
  }

  @Override
  public int tlsPort() {
    return tls;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public void close() throws IOException {
    // SIGTERM to the master (taskset execs nginx, so the pid is nginx's): a fast shutdown that
    // also ends its worker.
    process.destroy();
    try {
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
