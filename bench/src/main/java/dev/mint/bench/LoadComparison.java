package dev.mint.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.function.ToDoubleFunction;

/**
 * Measures Mint against the JDK's {@link java.net.http.HttpClient} in one JVM and one run, against
 * one in-process {@link BenchServer} on 127.0.0.1, and prints Markdown tables of the results and of
 * the ratios Mint/JDK.
 *
 * <p>Four clients: Mint passive (one connection, sequential), JDK {@code send} (sequential), Mint
 * active (one selector, N connections, one request in flight on each) and JDK {@code sendAsync} (N
 * in flight). A warm-up round of every client comes first, then the measured rounds; the order of
 * the clients is reversed every other round so that none always runs right after the same one. Each
 * round is bounded in requests and in time. The tables give the median of the measured rounds (and
 * the lowest and highest throughput, to show the noise).
 *
 * <p>Usage: {@code LoadComparison [--requests N] [--connections N] [--body BYTES] [--rounds N]
 * [--seconds S]}; see {@link LoadSettings#parse}.
 */
public final class LoadComparison {
  private LoadComparison() {}

  /** One client under test. */
  private interface Client {
    Round run() throws Exception;
  }

  /**
   * Runs the comparison and prints the tables.
   *
   * @param args see {@link LoadSettings#parse}
   * @throws Exception when a client fails or a response is wrong
   */
  public static void main(String[] args) throws Exception {
    LoadSettings settings = LoadSettings.parse(args);
    System.out.printf(
        Locale.ROOT,
        "Java %s (%s), %d processors; %d requests per round (at most %d s), %d connections for"
            + " the concurrent clients, %d-byte bodies, 1 warm-up + %d measured rounds%n",
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors(),
        settings.requests(),
        settings.roundLimit().toSeconds(),
        settings.connections(),
        settings.bodySize(),
        settings.rounds());

    int commonParallelism = ForkJoinPool.getCommonPoolParallelism();
    System.out.printf(Locale.ROOT, "ForkJoinPool common parallelism: %d%n", commonParallelism);
    if (commonParallelism < 2) {
      // CompletableFuture's default async pool is then a new thread per task, and the JDK
      // client's sendAsync path uses it: on 2 cores that costs the JDK a thread per request.
      System.out.println(
          "note: with parallelism 1 (as on 2 cores) CompletableFuture starts a thread per async"
              + " task, which slows the JDK client's sendAsync; pass"
              + " -Djava.util.concurrent.ForkJoinPool.common.parallelism=2 to give it a pool");
    }

    try (BenchServer server = new BenchServer(settings.bodySize())) {
      JdkLoad jdk = new JdkLoad(server.port());
      String n = String.valueOf(settings.connections());
      Map<String, Client> clients = new LinkedHashMap<>();
      clients.put("Mint passive, sequential", () -> MintLoad.passiveSequential(server, settings));
      clients.put("JDK send, sequential", () -> jdk.sequential(server, settings));
      clients.put(
          "Mint active, 1 selector, " + n + " conns",
          () -> MintLoad.activeConcurrent(server, settings));
      clients.put("JDK sendAsync, " + n + " in flight", () -> jdk.concurrent(server, settings));

      Map<String, List<Round>> measured = new LinkedHashMap<>();
      List<String> names = new ArrayList<>(clients.keySet());
      for (int round = 0; round <= settings.rounds(); round++) {
        List<String> order = new ArrayList<>(names);
        if (round % 2 == 1) {
          Collections.reverse(order);
        }
        for (String name : order) {
          Round r = clients.get(name).run();
          System.out.printf(
              Locale.ROOT,
              "%-9s %-34s %9.0f req/s  p50 %7.1f us  p99 %8.1f us  %d requests%n",
              round == 0 ? "warm-up" : "round " + round,
              name,
              r.throughput(),
              r.latencyMicros(50),
              r.latencyMicros(99),
              r.requests());
          if (round > 0) {
            measured.computeIfAbsent(name, k -> new ArrayList<>()).add(r);
          }
        }
      }
      System.out.println();
      printResults(measured, names);
      System.out.println();
      printRatios(measured, names);
    }
  }

  private static void printResults(Map<String, List<Round>> measured, List<String> names) {
    System.out.println(
        "| client | req/s (median) | req/s (min – max) | p50 µs | p99 µs"
            + " | alloc B/req, caller thread | alloc B/req, all client threads"
            + " | threads started |");
    System.out.println("|---|--:|--:|--:|--:|--:|--:|--:|");
    for (String name : names) {
      List<Round> rounds = measured.get(name);
      System.out.printf(
          Locale.ROOT,
          "| %s | %.0f | %.0f – %.0f | %.1f | %.1f | %.0f | %.0f | %.0f |%n",
          name,
          median(rounds, Round::throughput),
          rounds.stream().mapToDouble(Round::throughput).min().orElseThrow(),
          rounds.stream().mapToDouble(Round::throughput).max().orElseThrow(),
          median(rounds, r -> r.latencyMicros(50)),
          median(rounds, r -> r.latencyMicros(99)),
          median(rounds, Round::callerBytesPerRequest),
          median(rounds, Round::clientBytesPerRequest),
          median(rounds, r -> r.threadsStarted()));
    }
  }

  /** Prints Mint/JDK for the sequential pair (names 0, 1) and the concurrent pair (2, 3). */
  private static void printRatios(Map<String, List<Round>> measured, List<String> names) {
    System.out.println(
        "| Mint / JDK | req/s (higher: Mint faster) | p50 (lower: Mint faster)"
            + " | p99 | alloc B/req, all client threads |");
    System.out.println("|---|--:|--:|--:|--:|");
    for (int i = 0; i + 1 < names.size(); i += 2) {
      List<Round> mint = measured.get(names.get(i));
      List<Round> jdk = measured.get(names.get(i + 1));
      System.out.printf(
          Locale.ROOT,
          "| %s / %s | %.2f | %.2f | %.2f | %.2f |%n",
          names.get(i),
          names.get(i + 1),
          median(mint, Round::throughput) / median(jdk, Round::throughput),
          median(mint, r -> r.latencyMicros(50)) / median(jdk, r -> r.latencyMicros(50)),
          median(mint, r -> r.latencyMicros(99)) / median(jdk, r -> r.latencyMicros(99)),
          median(mint, Round::clientBytesPerRequest) / median(jdk, Round::clientBytesPerRequest));
    }
  }

  /** The median of {@code metric} over {@code rounds} (the mean of the middle two when even). */
  static double median(List<Round> rounds, ToDoubleFunction<Round> metric) {
    double[] values = rounds.stream().mapToDouble(metric).sorted().toArray();
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }
}
