// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.util.HashMap;
import java.util.Map;

/**
 * What one client (or C tool) measured on one workload, over the measured phase. A figure the
 * client cannot give is -1 (a C tool's allocation, for one).
 *
 * @param requests responses completed and checked
 * @param bodyBytes body bytes received in them
 * @param nanos the phase's length
 * @param p50Micros median latency
 * @param p99Micros 99th-percentile latency
 * @param cpuNanos CPU time of the client's process (user and system)
 * @param allocatedBytes bytes allocated by the client's threads, or -1
 * @param threads threads the client added to its process, or -1
 * @param failure why the run failed, or {@code null}
 */
public record RunResult(
    long requests,
    long bodyBytes,
    long nanos,
    long p50Micros,
    long p99Micros,
    long cpuNanos,
    long allocatedBytes,
    long threads,
    String failure) {

  /** A failed run. */
  public static RunResult failed(String reason) {
    return new RunResult(0, 0, 0, 0, 0, 0, -1, -1, reason == null ? "failed" : reason);
  }

  /** Requests per second. */
  public double requestsPerSecond() {
    return nanos == 0 ? 0 : requests * 1e9 / nanos;
  }

  /** Body MiB per second. */
  public double mibPerSecond() {
    return nanos == 0 ? 0 : bodyBytes * 1e9 / nanos / (1 << 20);
  }

  /** Client CPU microseconds per request, or -1 when unknown. */
  public double cpuMicrosPerRequest() {
    return requests == 0 || cpuNanos < 0 ? -1 : cpuNanos / 1e3 / requests;
  }

  /** Bytes allocated per request, or -1 when unknown. */
  public double allocatedPerRequest() {
    return requests == 0 || allocatedBytes < 0 ? -1 : (double) allocatedBytes / requests;
  }

  /** One line of {@code key=value} pairs, the failure last (it may hold spaces). */
  public String toLine() {
    String line =
        "requests="
            + requests
            + " bodyBytes="
            + bodyBytes
            + " nanos="
            + nanos
            + " p50Micros="
            + p50Micros
            + " p99Micros="
            + p99Micros
            + " cpuNanos="
            + cpuNanos
            + " allocatedBytes="
            + allocatedBytes
            + " threads="
            + threads;
    return failure == null ? line : line + " failure=" + failure.replace('\n', ' ');
  }

  /** Parses {@link #toLine()}. */
  public static RunResult parse(String line) {
    String failure = null;
    int f = line.indexOf(" failure=");
    if (f >= 0) {
      failure = line.substring(f + " failure=".length());
      line = line.substring(0, f);
    }
    Map<String, Long> values = new HashMap<>();
    for (String pair : line.trim().split(" +")) {
      int eq = pair.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("not key=value: " + pair);
      }
      values.put(pair.substring(0, eq), Long.parseLong(pair.substring(eq + 1)));
    }
    return new RunResult(
        get(values, "requests"),
        get(values, "bodyBytes"),
        get(values, "nanos"),
        get(values, "p50Micros"),
        get(values, "p99Micros"),
        get(values, "cpuNanos"),
        get(values, "allocatedBytes"),
        get(values, "threads"),
        failure);
  }

  private static long get(Map<String, Long> values, String key) {
    Long v = values.get(key);
    if (v == null) {
      throw new IllegalArgumentException("missing " + key);
    }
    return v;
  }
}
