// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The load pattern of the asynchronous peers: {@code inFlight} chains, each sending its next
 * request from the completion of the previous one, on whatever thread the client completes it. The
 * calling thread only starts the chains and waits for them; the client's own threads (event loops,
 * selectors) do the work, as an event-loop application would.
 */
final class InFlightLoop {
  /**
   * How long requests in flight at the deadline may take to finish (a 64 MiB download included).
   */
  static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(30);

  /** Sends one GET for a chain. */
  interface AsyncGet {
    /**
     * Sends one GET on behalf of chain {@code slot} (0 to inFlight - 1) and calls exactly one of
     * {@code done}'s methods when it ends.
     */
    void get(int slot, Completion done);
  }

  /** The end of one GET. */
  interface Completion {
    /** The response ended with {@code status} and {@code bodyBytes} body bytes. */
    void complete(int status, long bodyBytes);

    /** The request failed. */
    void failed(Throwable error);
  }

  private final AsyncGet client;
  private final long deadline;
  private final Recorder recorder;
  private final CountDownLatch chains;

  private InFlightLoop(AsyncGet client, int inFlight, long deadline, Recorder recorder) {
    this.client = client;
    this.deadline = deadline;
    this.recorder = recorder;
    this.chains = new CountDownLatch(inFlight);
  }

  /** Runs {@code inFlight} chains of GETs until {@code deadline}, then waits for them to end. */
  static void run(AsyncGet client, int inFlight, long deadline, Recorder recorder)
      throws InterruptedException {
    InFlightLoop loop = new InFlightLoop(client, inFlight, deadline, recorder);
    for (int slot = 0; slot < inFlight; slot++) {
      loop.issue(slot);
    }
    long wait = deadline + GRACE_NANOS - System.nanoTime();
    if (!loop.chains.await(Math.max(0, wait), TimeUnit.NANOSECONDS)) {
      recorder.fail(loop.chains.getCount() + " requests did not end within 30 s of the deadline");
    }
  }

  private void issue(int slot) {
    long sent = System.nanoTime();
    if (sent - deadline >= 0 || recorder.failed()) {
      chains.countDown();
      return;
    }
    try {
      client.get(
          slot,
          new Completion() {
            @Override
            public void complete(int status, long bodyBytes) {
              if (recorder.response(status, bodyBytes, System.nanoTime() - sent)) {
                issue(slot);
              } else {
                chains.countDown();
              }
            }

            @Override
            public void failed(Throwable error) {
              recorder.fail(error);
              chains.countDown();
            }
          });
    } catch (RuntimeException e) {
      recorder.fail(e);
      chains.countDown();
    }
  }
}
