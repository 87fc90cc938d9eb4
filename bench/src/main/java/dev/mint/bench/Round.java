// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import java.util.Arrays;

/**
 * What one round of one client measured.
 *
 * @param requests the responses completed
 * @param nanos the wall-clock time of the round, from the first request sent to the last response
 *     completed
 * @param latencies the latency of every completed request, in nanoseconds, sorted
 * @param callerAllocated bytes allocated by the thread that drove the round
 * @param clientAllocated bytes allocated by every live thread but the server's (the caller and any
 *     thread the client runs, such as the JDK's and Jetty's selector and pool threads)
 * @param threadsStarted threads started in the JVM during the round
 */
record Round(
    int requests,
    long nanos,
    long[] latencies,
    long callerAllocated,
    long clientAllocated,
    long threadsStarted) {

  /** Sorts the latencies in place; they are the round's own. */
  Round {
    Arrays.sort(latencies);
  }

  /**
   * The round that completed {@code requests} requests in {@code nanos}: their latencies are the
   * first {@code requests} of {@code latencies}, the allocation counts what {@code meter} has
   * counted so far.
   */
  static Round measured(int requests, long nanos, long[] latencies, AllocationMeter meter) {
    return new Round(
        requests,
        nanos,
        Arrays.copyOf(latencies, requests),
        meter.callerAllocated(),
        meter.clientAllocated(),
        meter.threadsStarted());
  }

  /** Requests per second. */
  double throughput() {
    return requests * 1e9 / nanos;
  }

  /** The latency at {@code percentile} (0 to 100) in microseconds, by the nearest-rank method. */
  double latencyMicros(double percentile) {
    if (latencies.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(percentile / 100 * latencies.length);
    return latencies[Math.max(0, rank - 1)] / 1e3;
  }

  /**
   * The mean number of requests in flight during the round, by Little's law: the sum of the
   * latencies over the duration. A client whose issuing thread waits for the processor keeps fewer
   * requests in flight than its bound allows, and its latencies are lower for it: this shows it.
   */
  double meanInFlight() {
    long sum = 0;
    for (long latency : latencies) {
      sum += latency;
    }
    return (double) sum / nanos;
  }

  /** Bytes the driving thread allocated per request. */
  double callerBytesPerRequest() {
    return (double) callerAllocated / requests;
  }

  /** Bytes all client-side threads allocated per request. */
  double clientBytesPerRequest() {
    return (double) clientAllocated / requests;
  }
}
