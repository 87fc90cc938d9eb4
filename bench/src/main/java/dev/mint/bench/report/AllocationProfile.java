// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import dev.mint.bench.report.ClientRun.Client;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;

/**
 * How much of a client's allocation over TLS the JDK's {@code SSLEngine} made, counted exactly
 * ({@link TlsAllocationCounter}) in a phase of its own after the measured one: a fresh client of
 * the same kind, on a fresh connection whose {@code SSLContext} is made while the counter is
 * installed, warmed up, then run for the profile's time.
 *
 * <p>The fresh client is given a copy of the CA file under another name, so that a client that
 * keeps its contexts by their options (Mint does) makes a new one rather than reusing the uncounted
 * context of the measured phase. Should it reuse one anyway, no engine call is counted and the
 * profile says so ({@link #counted()} false) rather than report 0.
 *
 * @param requests responses completed in the profiled phase
 * @param allocated bytes allocated by all the process's threads over it ({@code
 *     ThreadMXBean.getThreadAllocatedBytes})
 * @param insideTls bytes allocated inside the JDK's {@code SSLEngine} calls over it
 * @param calls engine calls counted (wrap, unwrap, delegated tasks)
 */
record AllocationProfile(long requests, long allocated, long insideTls, long calls) {

  /** Whether the engine's calls were counted at all. */
  boolean counted() {
    return calls > 0;
  }

  /**
   * Runs a fresh {@code client} on {@code target} for {@code warmupNanos}, then for {@code nanos}
   * counted.
   */
  static AllocationProfile measure(Client client, Target target, long warmupNanos, long nanos)
      throws Exception {
    Path ca = Files.createTempFile("mint-bench-ca-", ".pem");
    try {
      Files.copy(target.caPem(), ca, StandardCopyOption.REPLACE_EXISTING);
      Target fresh = new Target(target.host(), target.port(), target.workload(), ca);
      TlsAllocationCounter.install();
      LoadClient load = null;
      try {
        load = client.create(fresh);
        Recorder warm = new Recorder(target.workload().bodySize());
        load.run(System.nanoTime() + warmupNanos, warm);
        if (warm.failed()) {
          throw new IllegalStateException("warm-up: " + warm.failure());
        }
        Recorder profiled = new Recorder(target.workload().bodySize());
        Map<Long, Long> before = ClientRun.allocatedByThread();
        TlsAllocationCounter.reset();
        load.run(System.nanoTime() + nanos, profiled);
        long inside = TlsAllocationCounter.bytes();
        long calls = TlsAllocationCounter.calls();
        long allocated = ClientRun.allocatedSince(before);
        if (profiled.failed()) {
          throw new IllegalStateException(profiled.failure());
        }
        return new AllocationProfile(profiled.completed(), allocated, inside, calls);
      } finally {
        TlsAllocationCounter.uninstall();
        if (load != null) {
          load.stop();
        }
      }
    } finally {
      Files.deleteIfExists(ca);
    }
  }
}
