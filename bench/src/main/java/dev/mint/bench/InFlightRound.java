// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One measured round of an asynchronous client: {@code settings.requests()} requests with at most
 * {@code settings.concurrency()} in flight, stopped early by the round's time limit. The client
 * says how to send one request and reports its end through the {@link Request} it is given; this
 * class keeps the permits, the latencies and the first failure.
 */
final class InFlightRound {
  /**
   * Sends one request and ends it exactly once with {@link Request#check} or {@link Request#fail}.
   */
  @FunctionalInterface
  interface Sender {
    void send(Request request);
  }

  /** One request in flight. Ended from any client thread. */
  static final class Request {
    private final InFlightRound round;
    private final long sent = System.nanoTime();

    private Request(InFlightRound round) {
      this.round = round;
    }

    /** The response arrived: runs {@code verification} and counts the request if it passes. */
    void check(Runnable verification) {
      try {
        verification.run();
        // Slots are distinct; the final acquire of every permit publishes them.
        round.latencies[round.done.getAndIncrement()] = System.nanoTime() - sent;
      } catch (RuntimeException e) {
        round.failure.compareAndSet(null, e);
      } finally {
        round.permits.release();
      }
    }

    /** The request failed. */
    void fail(Throwable error) {
      round.failure.compareAndSet(null, error);
      round.permits.release();
    }
  }

  private final long[] latencies;
  private final AtomicInteger done = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final Semaphore permits;

  private InFlightRound(LoadSettings settings) {
    this.latencies = new long[settings.requests()];
    this.permits = new Semaphore(settings.concurrency());
  }

  /** Runs the round and measures it. */
  static Round run(LoadSettings settings, Sender sender) throws InterruptedException {
    return new InFlightRound(settings).measure(settings, sender);
  }

  private Round measure(LoadSettings settings, Sender sender) throws InterruptedException {
    int inFlight = settings.concurrency();
    AllocationMeter meter = AllocationMeter.start();
    long start = System.nanoTime();
    long deadline = start + settings.roundLimit().toNanos();
    for (int i = 0; i < settings.requests() && failure.get() == null; i++) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
        break;
      }
      sender.send(new Request(this));
    }
    // Wait for the requests in flight, within a bounded grace period.
    if (!permits.tryAcquire(inFlight, 5, TimeUnit.SECONDS)) {
      throw new IllegalStateException("requests still in flight 5 s after the round ended");
    }
    long nanos = System.nanoTime() - start;
    permits.release(inFlight);
    if (failure.get() != null) {
      throw new IllegalStateException("a request failed", failure.get());
    }
    return Round.measured(done.get(), nanos, latencies, meter);
  }
}
