// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;

/**
 * What one phase of a client run completed: responses checked against the expected status and body
 * length, their latencies, and the first failure. Recorded from any thread.
 */
final class Recorder {
  private final long expectedBody;
  private final LongAdder completed = new LongAdder();
  private final LatencyHistogram latencies = new LatencyHistogram();
  private final AtomicReference<String> failure = new AtomicReference<>();

  Recorder(long expectedBody) {
    this.expectedBody = expectedBody;
  }

  /**
   * Counts a response that took {@code nanos}, or records a failure when its status is not 200 or
   * its body is not the expected length.
   *
   * @return whether the response was right
   */
  boolean response(int status, long bodyBytes, long nanos) {
    if (status != 200 || bodyBytes != expectedBody) {
      fail(
          "wrong response: status "
              + status
              + ", "
              + bodyBytes
              + " body bytes, expected 200 and "
              + expectedBody);
      return false;
    }
    completed.increment();
    latencies.record(nanos);
    return true;
  }

  /** Records a failure; the first one is kept. */
  void fail(String reason) {
    failure.compareAndSet(null, reason);
  }

  /** Records a failure from an exception. */
  void fail(Throwable error) {
    fail(error.getClass().getSimpleName() + ": " + error.getMessage());
  }

  /** Whether a failure was recorded. */
  boolean failed() {
    return failure.get() != null;
  }

  /** The first failure, or {@code null}. */
  String failure() {
    return failure.get();
  }

  /** Responses completed right. */
  long completed() {
    return completed.sum();
  }

  /** The latency histogram. */
  LatencyHistogram latencies() {
    return latencies;
  }
}
