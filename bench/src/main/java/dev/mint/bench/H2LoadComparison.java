// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import dev.mint.Protocol;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.Locale;

/**
 * Measures Mint against the JDK's {@link java.net.http.HttpClient} and Jetty's HttpClient over
 * HTTP/2 in cleartext, in one JVM and one run, against one in-process {@link JettyH2cServer} on
 * 127.0.0.1, and prints Markdown tables of the results and of the ratios Mint/JDK and Mint/Jetty.
 *
 * <p>Two patterns, three clients each, every client on one HTTP/2 connection. Sequential: Mint
 * passive, JDK {@code send}, Jetty {@code send()}. Multiplexed, N streams in flight: Mint active
 * (one selector on the calling thread; at most N streams and never more than the server's
 * SETTINGS_MAX_CONCURRENT_STREAMS), JDK {@code sendAsync} and Jetty {@code send(listener)} with N
 * in flight. See {@link Comparison} for how rounds are run.
 *
 * <p>Mint and Jetty's client speak h2c with prior knowledge (RFC 9113 §3.3). The JDK client has no
 * prior-knowledge mode: it reaches HTTP/2 by {@code Upgrade: h2c} on its first request, which
 * {@link JdkLoad#prime} makes before the warm-up round. After every round the line printed ends
 * with the HTTP/2 connections that carried their first request and the HTTP/1.1 requests the server
 * answered during the round: one new connection for Mint (it connects per round), none for the JDK
 * and Jetty after their first round (they keep theirs), and no HTTP/1.1 request.
 *
 * <p>Usage: {@code H2LoadComparison [--requests N] [--streams N] [--body BYTES] [--rounds N]
 * [--seconds S]}; see {@link LoadSettings#parse}. The server announces
 * SETTINGS_MAX_CONCURRENT_STREAMS 128, Jetty's default.
 */
public final class H2LoadComparison {
  /** The server's SETTINGS_MAX_CONCURRENT_STREAMS: Jetty's default. */
  static final int MAX_CONCURRENT_STREAMS = 128;

  private H2LoadComparison() {}

  /**
   * Runs the comparison and prints the tables.
   *
   * @param args see {@link LoadSettings#parse}
   * @throws Exception when a client fails or a response is wrong
   */
  public static void main(String[] args) throws Exception {
    LoadSettings settings = LoadSettings.parse(LoadSettings.http2Defaults(), "--streams", args);
    Comparison.printMachine();
    System.out.printf(
        Locale.ROOT,
        "HTTP/2 cleartext; %d requests per round (at most %d s), %d streams in flight for the"
            + " multiplexed clients (server SETTINGS_MAX_CONCURRENT_STREAMS %d), %d-byte bodies,"
            + " 1 warm-up + %d measured rounds%n",
        settings.requests(),
        settings.roundLimit().toSeconds(),
        settings.concurrency(),
        MAX_CONCURRENT_STREAMS,
        settings.bodySize(),
        settings.rounds());

    try (JettyH2cServer server = new JettyH2cServer(settings.bodySize(), MAX_CONCURRENT_STREAMS);
        JettyLoad jetty = JettyLoad.http2(URI.create("http://127.0.0.1:" + server.port() + "/"))) {
      int port = server.port();
      JdkLoad jdk =
          new JdkLoad(URI.create("http://127.0.0.1:" + port + "/"), HttpClient.Version.HTTP_2);
      System.out.println(
          "JDK clients primed (Upgrade: h2c), responses over: "
              + jdk.prime()
              + "; server: "
              + server.http2Connections()
              + " HTTP/2 connections carried requests, "
              + server.http1Requests()
              + " HTTP/1.1 requests answered");

      String n = String.valueOf(settings.concurrency());
      String sequential = "sequential";
      String multiplexed = n + " streams in flight";
      long[] seen = {server.http2Connections(), server.http1Requests()};
      Comparison comparison =
          new Comparison(
                  () -> {
                    long connections = server.http2Connections();
                    long http1 = server.http1Requests();
                    String note =
                        String.format(
                            Locale.ROOT,
                            "server: +%d h2 conns used, +%d h1 reqs",
                            connections - seen[0],
                            http1 - seen[1]);
                    seen[0] = connections;
                    seen[1] = http1;
                    return note;
                  })
              .add(
                  sequential,
                  Comparison.MINT,
                  "Mint passive, sequential",
                  () -> MintLoad.passiveSequential(port, Protocol.HTTP2, settings))
              .add(sequential, "JDK", "JDK send, sequential", () -> jdk.sequential(settings))
              .add(sequential, "Jetty", "Jetty send, sequential", () -> jetty.sequential(settings))
              .add(
                  multiplexed,
                  Comparison.MINT,
                  "Mint active, 1 selector, " + n + " streams",
                  () -> MintLoad.activeMultiplexed(port, settings))
              .add(
                  multiplexed,
                  "JDK",
                  "JDK sendAsync, " + n + " in flight",
                  () -> jdk.concurrent(settings))
              .add(
                  multiplexed,
                  "Jetty",
                  "Jetty async send, " + n + " in flight",
                  () -> jetty.concurrent(settings));
      comparison.run(settings.rounds());
      comparison.printTables();
    }
  }
}
