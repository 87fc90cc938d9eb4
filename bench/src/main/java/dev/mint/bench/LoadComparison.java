// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import dev.mint.Protocol;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Locale;

/**
 * Measures Mint against the JDK's {@link java.net.http.HttpClient} and Jetty's HttpClient over
 * HTTP/1.1, in one JVM and one run, against one in-process {@link BenchServer} on 127.0.0.1, and
 * prints Markdown tables of the results and of the ratios Mint/JDK and Mint/Jetty.
 *
 * <p>Two patterns, three clients each. Sequential: Mint passive (one connection), JDK {@code send},
 * Jetty {@code send()}. Concurrent, N in flight: Mint active (one selector, N connections, one
 * request in flight on each), JDK {@code sendAsync} and Jetty {@code send(listener)} with N in
 * flight (their pools open N connections). See {@link Comparison} for how rounds are run.
 *
 * <p>Usage: {@code LoadComparison [--requests N] [--connections N] [--body BYTES] [--rounds N]
 * [--seconds S]}; see {@link LoadSettings#parse}.
 */
public final class LoadComparison {
  private LoadComparison() {}

  /**
   * Runs the comparison and prints the tables.
   *
   * @param args see {@link LoadSettings#parse}
   * @throws Exception when a client fails or a response is wrong
   */
  public static void main(String[] args) throws Exception {
    LoadSettings settings = LoadSettings.parse(LoadSettings.http1Defaults(), "--connections", args);
    Comparison.printMachine();
    System.out.printf(
        Locale.ROOT,
        "HTTP/1.1; %d requests per round (at most %d s), %d connections for the concurrent"
            + " clients, %d-byte bodies, 1 warm-up + %d measured rounds%n",
        settings.requests(),
        settings.roundLimit().toSeconds(),
        settings.concurrency(),
        settings.bodySize(),
        settings.rounds());

    try (BenchServer server = new BenchServer(settings.bodySize());
        JettyLoad jetty = JettyLoad.http1(URI.create("http://127.0.0.1:" + server.port() + "/"))) {
      int port = server.port();
      JdkLoad jdk =
          new JdkLoad(URI.create("http://127.0.0.1:" + port + "/"), HttpClient.Version.HTTP_1_1);
      String n = String.valueOf(settings.concurrency());
      String sequential = "sequential";
      String concurrent = n + " in flight";
      Comparison comparison =
          new Comparison(() -> "")
              .add(
                  sequential,
                  Comparison.MINT,
                  "Mint passive, sequential",
                  () -> MintLoad.passiveSequential(port, Protocol.HTTP1, settings))
              .add(sequential, "JDK", "JDK send, sequential", () -> jdk.sequential(settings))
              .add(sequential, "Jetty", "Jetty send, sequential", () -> jetty.sequential(settings))
              .add(
                  concurrent,
                  Comparison.MINT,
                  "Mint active, 1 selector, " + n + " conns",
                  () -> MintLoad.activeConcurrent(port, settings))
              .add(
                  concurrent,
                  "JDK",
                  "JDK sendAsync, " + n + " in flight",
                  () -> jdk.concurrent(settings))
              .add(
                  concurrent,
                  "Jetty",
                  "Jetty async send, " + n + " in flight",
                  () -> jetty.concurrent(settings));
      comparison.run(settings.rounds());
      comparison.printTables();
    }
  }
}
