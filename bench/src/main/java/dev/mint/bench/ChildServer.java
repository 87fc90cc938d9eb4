// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A {@link BenchServer} in a child JVM, so that a memory measurement in this JVM counts the
 * client's memory alone. The child prints its port on its first line and stops when its standard
 * input closes (so it also ends with the parent).
 */
final class ChildServer implements AutoCloseable {
  private final Process process;
  private final int port;

  private ChildServer(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the child with this JVM's class path and waits for its port. */
  static ChildServer start() throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    Process process =
        new ProcessBuilder(
                List.of(
                    java,
                    "-cp",
                    System.getProperty("java.class.path"),
                    ChildServer.class.getName()))
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    BufferedReader out =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII));
    String line = out.readLine();
    if (line == null) {
      process.destroyForcibly();
      throw new IOException("the child server ended before telling its port");
    }
    return new ChildServer(process, Integer.parseInt(line.strip()));
  }

  int port() {
    return port;
  }

  @Override
  public void close() throws IOException {
    process.getOutputStream().close(); // the child ends when its standard input closes
    LocalNginx.awaitExit(process);
  }

  /** The child: serves a 2-byte body until standard input closes. */
  public static void main(String[] args) throws IOException {
    try (BenchServer server = new BenchServer(2)) {
      System.out.println(server.port());
      System.out.flush();
      while (System.in.read() >= 0) {
        // wait for the parent to close our input
      }
    }
  }
}
