// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.io.IOException;
import java.util.OptionalLong;

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

  /**
   * The process id of the server's one worker, whose CPU time the report reads from {@code /proc}
   * ({@link ProcessCpu}), or empty when the server has none of its own (embedded in the report's
   * JVM).
   */
  default OptionalLong workerPid() {
    return OptionalLong.empty();
  }

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
}
