// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RunResultTest {
  /** 1,000 requests in 2 s, 50 µs of client CPU and 2,000 bytes allocated each. */
  private static final RunResult PLAIN =
      new RunResult(1000, 1024000, 2_000_000_000L, 80, 900, 50_000_000L, 2_000_000, 0, null);

  @Test
  void lineRoundTrips() {
    RunResult r = PLAIN;
    assertEquals(r, RunResult.parse(r.toLine()));
    assertEquals(500.0, r.requestsPerSecond(), 1e-9);
    assertEquals(50.0, r.cpuMicrosPerRequest(), 1e-9);
    assertEquals(2000.0, r.allocatedPerRequest(), 1e-9);
  }

  @Test
  void serverCpuAndAllocationProfileRoundTripAndGiveTheirFigures() {
    RunResult r =
        PLAIN
            .withServerCpu(30_000_000L)
            .withAllocationProfile(new AllocationProfile(1000, 400_000, 100_000, 5));
    assertEquals(r, RunResult.parse(r.toLine()));
    assertEquals(30.0, r.serverCpuMicrosPerRequest(), 1e-9);
    assertEquals(0.25, r.tlsAllocationShare(), 1e-9);
    assertEquals(100.0, r.tlsAllocatedPerRequest(), 1e-9);
    assertEquals(400.0, r.profiledAllocatedPerRequest(), 1e-9);
  }

  @Test
  void withoutServerCpuOrProfileTheirFiguresAreUnknown() {
    RunResult r = PLAIN;
    assertEquals(-1, r.serverCpuMicrosPerRequest());
    assertEquals(-1, r.tlsAllocationShare());
    assertEquals(-1, r.tlsAllocatedPerRequest());
    RunResult noSamples = r.withAllocationProfile(new AllocationProfile(0, 0, 0, 0));
    assertEquals(-1, noSamples.tlsAllocatedPerRequest());
  }

  @Test
  void theClientsUserAndKernelSplitRoundTripsAndGivesItsFigures() {
    RunResult r = PLAIN.withUserCpu(12_000_000L);
    assertEquals(r, RunResult.parse(r.toLine()));
    assertEquals(12.0, r.userCpuMicrosPerRequest(), 1e-9);
    assertEquals(38.0, r.kernelCpuMicrosPerRequest(), 1e-9);
  }

  @Test
  void withoutTheSplitUserAndKernelAreUnknownAndAUserTimeAboveTheTotalIsRejected() {
    assertEquals(-1, PLAIN.userCpuNanos());
    assertEquals(-1, PLAIN.userCpuMicrosPerRequest());
    assertEquals(-1, PLAIN.kernelCpuMicrosPerRequest());
    assertEquals(-1, RunResult.parse(PLAIN.toLine()).userCpuMicrosPerRequest());
    assertThrows(IllegalArgumentException.class, () -> PLAIN.withUserCpu(50_000_001L));
  }

  @Test
  void failureWithSpacesRoundTrips() {
    RunResult r = RunResult.failed("IOException: connection reset by peer");
    RunResult back = RunResult.parse(r.toLine());
    assertEquals("IOException: connection reset by peer", back.failure());
    assertEquals(-1, back.allocatedPerRequest());
  }

  @Test
  void aLineWithoutAFieldIsRejected() {
    assertThrows(IllegalArgumentException.class, () -> RunResult.parse("requests=1 nanos=2"));
  }
}
