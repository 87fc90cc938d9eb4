// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live counts of one origin: written by the pool's thread, read by any thread through {@link
 * #snapshot()}.
 */
final class OriginCounters {
  final AtomicInteger idle = new AtomicInteger();
  final AtomicInteger inUse = new AtomicInteger();
  final AtomicInteger draining = new AtomicInteger();
  final AtomicInteger connecting = new AtomicInteger();
  final AtomicInteger pending = new AtomicInteger();
  final AtomicInteger inFlight = new AtomicInteger();
  final AtomicLong opened = new AtomicLong();
  final AtomicLong closed = new AtomicLong();
  final AtomicLong connectFailures = new AtomicLong();
  final AtomicLong retried = new AtomicLong();
  final AtomicLong completed = new AtomicLong();
  final AtomicLong failed = new AtomicLong();

  PoolStats snapshot() {
    return new PoolStats(
        idle.get(),
        inUse.get(),
        draining.get(),
        connecting.get(),
        pending.get(),
        inFlight.get(),
        opened.get(),
        closed.get(),
        connectFailures.get(),
        retried.get(),
        completed.get(),
        failed.get());
  }
}
