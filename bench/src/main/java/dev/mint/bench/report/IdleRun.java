// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import dev.mint.ConnectOptions;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import dev.mint.bench.IdleConnections;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * The idle-memory row of the report, in a JVM of its own so that the heap and direct memory are
 * Mint's alone: {@link IdleConnections#measure} on N plain HTTP/1.1 connections, then on M over TLS
 * (ALPN http/1.1), each kept idle in active mode. Started by {@link BenchmarkReport} as:
 *
 * <pre>
 * java -cp benchmarks.jar dev.mint.bench.report.IdleRun H1_PORT TLS_PORT CA_PEM PLAIN_N TLS_N
 * </pre>
 *
 * <p>Prints one line per measurement starting with {@value #PREFIX}: {@code label|connections|heap
 * bytes per connection|direct bytes per connection}, or {@code label|failed: reason}.
 */
public final class IdleRun {
  /** The start of each result line. */
  public static final String PREFIX = "IDLE|";

  private IdleRun() {}

  /**
   * Measures both rows and prints them.
   *
   * @param args the plain port, the TLS port, the CA PEM file, and the two connection counts
   */
  public static void main(String[] args) {
    int h1 = Integer.parseInt(args[0]);
    int tls = Integer.parseInt(args[1]);
    Path ca = Path.of(args[2]);
    ConnectOptions options =
        ConnectOptions.builder()
            .mode(Mode.PASSIVE)
            .protocols(Protocol.HTTP1)
            .connectTimeout(Duration.ofSeconds(30))
            .tls(TlsOptions.defaults().withCaCertificatesPem(ca))
            .build();
    measure("HTTP/1.1 cleartext", Scheme.HTTP, h1, options, Integer.parseInt(args[3]));
    measure("HTTP/1.1 over TLS", Scheme.HTTPS, tls, options, Integer.parseInt(args[4]));
    System.out.flush();
    System.exit(0);
  }

  private static void measure(
      String label, Scheme scheme, int port, ConnectOptions options, int n) {
    try {
      IdleConnections.Result r =
          IdleConnections.measure(
              new IdleConnections.Target(
                  label, scheme, port, options, Workload.SMALL_PATH, Mode.ACTIVE),
              n);
      System.out.println(
          String.format(
              Locale.ROOT,
              "%s%s|%d|%.0f|%.0f",
              PREFIX,
              label,
              r.connections(),
              r.heapBytesPerConnection(),
              r.directBytesPerConnection()));
    } catch (Exception | Error e) {
      System.out.println(
          PREFIX + label + "|failed: " + e.getClass().getSimpleName() + ": " + e.getMessage());
    }
  }
}
