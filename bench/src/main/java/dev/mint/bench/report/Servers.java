// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The server of a report run, on three ports of 127.0.0.1: HTTP/1.1 over cleartext, HTTP/2 over
 * cleartext with prior knowledge (h2c), and TLS with ALPN h2 and http/1.1. Each serves {@link
 * Workload#SMALL_PATH} and {@link Workload#LARGE_PATH}.
 */
interface Servers extends AutoCloseable {
  /** The HTTP/1.1 cleartext port. */
  int h1Port();

  /** The h2c port. */
  int h2cPort();

  /** The TLS port. */
  int tlsPort();

  /** What the server is, for the report: its name, version and placement. */
  String description();

  /** The port that speaks {@code wire}. */
  default int port(Workload.Wire wire) {
    return switch (wire) {
      case H1 -> h1Port();
      case H2C -> h2cPort();
      case H1_TLS, H2_TLS -> tlsPort();
    };
  }

  /** Stops the server. */
  @Override
  void close() throws IOException;

  /** A port of 127.0.0.1 on which nothing listens now. */
  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }

  /** Waits up to 10 s until {@code port} of 127.0.0.1 accepts connections. */
  static void awaitListening(int port) throws IOException {
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return;
      } catch (IOException e) {
        if (System.nanoTime() - deadline >= 0) {
          throw new IOException("nothing listens on 127.0.0.1:" + port + " after 10 s", e);
        }
        try {
          Thread.sleep(50);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted", ie);
        }
      }
    }
  }

  /**
   * Writes the documents into {@code www}: the small one (letters) and the large one (zeros, a
   * sparse file). Readable by all, so that nginx's unprivileged worker can serve them.
   */
  static void writeDocuments(Path www) throws IOException {
    Files.createDirectories(www);
    Path smallFile = www.resolve(Workload.SMALL_PATH.substring(1));
    Files.write(smallFile, Workload.smallBody());
    Path largeFile = www.resolve(Workload.LARGE_PATH.substring(1));
    try (RandomAccessFile f = new RandomAccessFile(largeFile.toFile(), "rw")) {
      f.setLength(Workload.LARGE_BODY);
    }
    for (Path p : new Path[] {smallFile, largeFile}) {
      Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
    }
    Files.setPosixFilePermissions(www, PosixFilePermissions.fromString("rwxr-xr-x"));
  }
}
