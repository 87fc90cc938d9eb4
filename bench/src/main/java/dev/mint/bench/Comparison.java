// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Runs the clients of a load comparison in interleaved rounds and prints Markdown tables of what
 * they measured, and of the ratios Mint/peer.
 *
 * <p>Clients are grouped by <em>pattern</em> (such as "sequential" or "50 in flight"); in each
 * pattern the client of the peer named {@link #MINT} is the one the others are compared with. One
 * warm-up round of every client comes first, then the measured rounds; the order of the clients is
 * reversed every other round so that none always runs right after the same one. The tables give the
 * median of the measured rounds (and the lowest and highest throughput, to show the noise).
 */
final class Comparison {
  /** The peer name of the clients every other client is compared with. */
  static final String MINT = "Mint";

  /** One client under test: runs one bounded round. */
  interface Client {
    Round run() throws Exception;
  }

  private record Entry(String pattern, String peer, String name, Client client) {}

  private final List<Entry> entries = new ArrayList<>();
  private final Map<String, List<Round>> measured = new LinkedHashMap<>();
  private final Supplier<String> roundNote;

  /**
   * A comparison with no client yet; {@code roundNote} is called after every round and its answer
   * printed at the end of the round's line (say, what the server saw), or {@code ""}.
   */
  Comparison(Supplier<String> roundNote) {
    this.roundNote = roundNote;
  }

  /**
   * Adds a client.
   *
   * @param pattern the load pattern; clients of one pattern are compared with each other
   * @param peer the client library: {@link #MINT} or a peer such as {@code "JDK"}
   * @param name a unique name for the tables
   */
  Comparison add(String pattern, String peer, String name, Client client) {
    if (entries.stream().anyMatch(e -> e.name.equals(name))) {
      throw new IllegalArgumentException("two clients named " + name);
    }
    entries.add(new Entry(pattern, peer, name, client));
    return this;
  }

  /**
   * Prints the JVM, the processor count and the common pool's parallelism, with a note when the
   * parallelism leaves {@code CompletableFuture} without a pool.
   */
  static void printMachine() {
    System.out.printf(
        Locale.ROOT,
        "Java %s (%s), %d processors%n",
        System.getProperty("java.version"),
        System.getProperty("java.vm.name"),
        Runtime.getRuntime().availableProcessors());
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
  }

  /** Runs one warm-up round and {@code rounds} measured rounds, printing a line per client run. */
  void run(int rounds) throws Exception {
    for (int round = 0; round <= rounds; round++) {
      List<Entry> order = new ArrayList<>(entries);
      if (round % 2 == 1) {
        Collections.reverse(order);
      }
      for (Entry e : order) {
        Round r = e.client.run();
        String line =
            String.format(
                Locale.ROOT,
                "%-9s %-40s %9.0f req/s  p50 %8.1f us  p99 %8.1f us  %6d requests  %s",
                round == 0 ? "warm-up" : "round " + round,
                e.name,
                r.throughput(),
                r.latencyMicros(50),
                r.latencyMicros(99),
                r.requests(),
                roundNote.get());
        System.out.println(line.stripTrailing());
        if (round > 0) {
          measured.computeIfAbsent(e.name, k -> new ArrayList<>()).add(r);
        }
      }
    }
  }

  /** Prints the results table and the ratio table of the measured rounds. */
  void printTables() {
    System.out.println();
    printResults();
    System.out.println();
    printRatios();
  }

  private void printResults() {
    System.out.println(
        "| client | req/s (median) | req/s (min – max) | p50 µs | p99 µs | in flight (mean)"
            + " | alloc B/req, caller thread | alloc B/req, all client threads"
            + " | threads started |");
    System.out.println("|---|--:|--:|--:|--:|--:|--:|--:|--:|");
    for (Entry e : entries) {
      List<Round> rounds = measured.get(e.name);
      System.out.printf(
          Locale.ROOT,
          "| %s | %.0f | %.0f – %.0f | %.1f | %.1f | %.1f | %.0f | %.0f | %.0f |%n",
          e.name,
          median(rounds, Round::throughput),
          rounds.stream().mapToDouble(Round::throughput).min().orElseThrow(),
          rounds.stream().mapToDouble(Round::throughput).max().orElseThrow(),
          median(rounds, r -> r.latencyMicros(50)),
          median(rounds, r -> r.latencyMicros(99)),
          median(rounds, Round::meanInFlight),
          median(rounds, Round::callerBytesPerRequest),
          median(rounds, Round::clientBytesPerRequest),
          median(rounds, r -> r.threadsStarted()));
    }
  }

  /**
   * Prints, per pattern, Mint's median divided by each peer's: throughput (above 1: Mint faster),
   * p50 and p99 latency and allocation over all client threads (below 1: Mint faster or leaner).
   */
  private void printRatios() {
    Set<String> peers = new LinkedHashSet<>();
    Set<String> patterns = new LinkedHashSet<>();
    for (Entry e : entries) {
      patterns.add(e.pattern);
      if (!e.peer.equals(MINT)) {
        peers.add(e.peer);
      }
    }
    List<String> metrics = List.of("req/s", "p50", "p99", "alloc B/req, all client threads");
    StringBuilder head = new StringBuilder("| pattern |");
    StringBuilder rule = new StringBuilder("|---|");
    for (String metric : metrics) {
      for (String peer : peers) {
        head.append(' ').append(metric).append(", Mint/").append(peer).append(" |");
        rule.append("--:|");
      }
    }
    System.out.println(head);
    System.out.println(rule);
    List<ToDoubleFunction<Round>> functions =
        List.of(
            Round::throughput,
            r -> r.latencyMicros(50),
            r -> r.latencyMicros(99),
            Round::clientBytesPerRequest);
    for (String pattern : patterns) {
      List<Round> mint = roundsOf(pattern, MINT);
      StringBuilder row = new StringBuilder("| ").append(pattern).append(" |");
      for (ToDoubleFunction<Round> f : functions) {
        for (String peer : peers) {
          List<Round> other = roundsOf(pattern, peer);
          String cell =
              mint == null || other == null
                  ? "—"
                  : String.format(Locale.ROOT, "%.2f", median(mint, f) / median(other, f));
          row.append(' ').append(cell).append(" |");
        }
      }
      System.out.println(row);
    }
  }

  /** The measured rounds of {@code peer}'s client for {@code pattern}, or null when none. */
  private List<Round> roundsOf(String pattern, String peer) {
    for (Entry e : entries) {
      if (e.pattern.equals(pattern) && e.peer.equals(peer)) {
        return measured.get(e.name);
      }
    }
    return null;
  }

  /** The median of {@code metric} over {@code rounds} (the mean of the middle two when even). */
  static double median(List<Round> rounds, ToDoubleFunction<Round> metric) {
    double[] values = rounds.stream().mapToDouble(metric).sorted().toArray();
    int mid = values.length / 2;
    return values.length % 2 == 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  }
}
