// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import java.time.Duration;

/**
 * The settings of a load comparison run.
 *
 * @param requests the requests each client sends per round
 * @param concurrency the requests in flight of the concurrent clients: connections over HTTP/1.1
 *     (one request in flight on each), streams on one connection over HTTP/2
 * @param bodySize the size of every response body, in bytes
 * @param rounds the measured rounds, after one warm-up round
 * @param roundLimit the longest a round may send requests; a round that reaches it stops early and
 *     reports what completed
 */
record LoadSettings(int requests, int concurrency, int bodySize, int rounds, Duration roundLimit) {

  /** Rejects settings that measure nothing. */
  LoadSettings {
    if (requests < 1 || concurrency < 1 || bodySize < 0 || rounds < 1) {
      throw new IllegalArgumentException(
          "requests, concurrency and rounds must be positive, and the body size not negative");
    }
    if (roundLimit.isNegative() || roundLimit.isZero()) {
      throw new IllegalArgumentException("the round limit must be positive: " + roundLimit);
    }
  }

  /**
   * The HTTP/1.1 comparison's defaults: 20,000 requests, 50 connections, 1 KiB bodies, 3 measured
   * rounds of at most 20 s.
   */
  static LoadSettings http1Defaults() {
    return new LoadSettings(20_000, 50, 1024, 3, Duration.ofSeconds(20));
  }

  /**
   * The HTTP/2 comparison's defaults: 50,000 requests, 100 streams in flight, 1 KiB bodies, 3
   * measured rounds of at most 20 s.
   */
  static LoadSettings http2Defaults() {
    return new LoadSettings(50_000, 100, 1024, 3, Duration.ofSeconds(20));
  }

  /**
   * Reads {@code --requests N}, {@code concurrencyFlag N} (such as {@code --connections} or {@code
   * --streams}), {@code --body BYTES}, {@code --rounds N} and {@code --seconds S}; anything not
   * given keeps its value in {@code defaults}.
   */
  static LoadSettings parse(LoadSettings defaults, String concurrencyFlag, String... args) {
    int requests = defaults.requests();
    int concurrency = defaults.concurrency();
    int body = defaults.bodySize();
    int rounds = defaults.rounds();
    long seconds = defaults.roundLimit().toSeconds();
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("no value after " + args[i]);
      }
      int value = Integer.parseInt(args[i + 1]);
      String flag = args[i];
      if (flag.equals(concurrencyFlag)) {
        concurrency = value;
        continue;
      }
      switch (flag) {
        case "--requests" -> requests = value;
        case "--body" -> body = value;
        case "--rounds" -> rounds = value;
        case "--seconds" -> seconds = value;
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + flag
                    + "; use --requests, "
                    + concurrencyFlag
                    + ", --body, --rounds, --seconds");
      }
    }
    return new LoadSettings(requests, concurrency, body, rounds, Duration.ofSeconds(seconds));
  }
}
