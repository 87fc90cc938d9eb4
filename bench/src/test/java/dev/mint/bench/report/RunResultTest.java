// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class RunResultTest {
  @Test
  void lineRoundTrips() {
    RunResult r =
        new RunResult(1000, 1024000, 2_000_000_000L, 80, 900, 50_000_000L, 2_000_000, 0, null);
    assertEquals(r, RunResult.parse(r.toLine()));
    assertEquals(500.0, r.requestsPerSecond(), 1e-9);
    assertEquals(50.0, r.cpuMicrosPerRequest(), 1e-9);
    assertEquals(2000.0, r.allocatedPerRequest(), 1e-9);
  }

  @Test
  void serverCpuAndAllocationProfileRoundTripAndGiveTheirFigures() {
    RunResult r =
        new RunResult(1000, 1024000, 2_000_000_000L, 80, 900, 50_000_000L, 2_000_000, 0, null)
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
    RunResult r =
        new RunResult(1000, 1024000, 2_000_000_000L, 80, 900, 50_000_000L, 2_000_000, 0, null);
    assertEquals(-1, r.serverCpuMicrosPerRequest());
    assertEquals(-1, r.tlsAllocationShare());
    assertEquals(-1, r.tlsAllocatedPerRequest());
    RunResult noSamples = r.withAllocationProfile(new AllocationProfile(0, 0, 0, 0));
    assertEquals(-1, noSamples.tlsAllocatedPerRequest());
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
