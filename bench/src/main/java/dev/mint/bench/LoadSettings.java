package dev.mint.bench;

import java.time.Duration;

/**
 * The settings of a load comparison run.
 *
 * @param requests the requests each client sends per round
 * @param connections the connections (and requests in flight) of the concurrent clients
 * @param bodySize the size of every response body, in bytes
 * @param rounds the measured rounds, after one warm-up round
 * @param roundLimit the longest a round may send requests; a round that reaches it stops early and
 *     reports what completed
 */
record LoadSettings(int requests, int connections, int bodySize, int rounds, Duration roundLimit) {

  /** Rejects settings that measure nothing. */
  LoadSettings {
    if (requests < 1 || connections < 1 || bodySize < 0 || rounds < 1) {
      throw new IllegalArgumentException(
          "requests, connections and rounds must be positive, and the body size not negative");
    }
    if (roundLimit.isNegative() || roundLimit.isZero()) {
      throw new IllegalArgumentException("the round limit must be positive: " + roundLimit);
    }
  }

  /** 20,000 requests, 50 connections, 1 KiB bodies, 3 measured rounds of at most 20 s. */
  static LoadSettings defaults() {
    return new LoadSettings(20_000, 50, 1024, 3, Duration.ofSeconds(20));
  }

  /**
   * Reads {@code --requests N}, {@code --connections N}, {@code --body BYTES}, {@code --rounds N}
   * and {@code --seconds S}; anything not given keeps its {@linkplain #defaults() default}.
   */
  static LoadSettings parse(String... args) {
    LoadSettings d = defaults();
    int requests = d.requests();
    int connections = d.connections();
    int body = d.bodySize();
    int rounds = d.rounds();
    long seconds = d.roundLimit().toSeconds();
    for (int i = 0; i < args.length; i += 2) {
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("no value after " + args[i]);
      }
      int value = Integer.parseInt(args[i + 1]);
      switch (args[i]) {
        case "--requests" -> requests = value;
        case "--connections" -> connections = value;
        case "--body" -> body = value;
        case "--rounds" -> rounds = value;
        case "--seconds" -> seconds = value;
        default ->
            throw new IllegalArgumentException(
                "unknown option "
                    + args[i]
                    + "; use --requests, --connections, --body, --rounds, --seconds");
      }
    }
    return new LoadSettings(requests, connections, body, rounds, Duration.ofSeconds(seconds));
  }
}
