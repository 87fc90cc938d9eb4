// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

/**
 * One HTTP client under load in a {@link ClientRun}: it keeps the workload's requests in flight on
 * the workload's connections until a deadline, and records every response.
 */
interface LoadClient {
  /**
   * Keeps {@link Workload#inFlight()} requests in flight until {@code deadlineNanos} (a {@link
   * System#nanoTime()} value), then waits a bounded time for the ones still in flight. Connections
   * are opened on the first call and reused by the next.
   */
  void run(long deadlineNanos, Recorder recorder) throws Exception;

  /** Closes the client's connections and stops its threads. */
  void stop() throws Exception;
}
