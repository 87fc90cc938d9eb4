// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class BenchmarkReportTest {
  private static RunResult run(long requests) {
    return new RunResult(requests, requests, 1_000_000_000L, 1, 2, requests, 0, 0, null);
  }

  @Test
  void theMedianRunIsTheMiddleOneByRequestsPerSecondWithAFailureCountedSlowest() {
    RunResult slow = run(100);
    RunResult middle = run(200);
    RunResult fast = run(300);
    assertSame(middle, BenchmarkReport.median(List.of(fast, slow, middle)));
    assertSame(middle, BenchmarkReport.median(List.of(middle)));
    RunResult failed = RunResult.failed("boom");
    assertSame(slow, BenchmarkReport.median(List.of(fast, failed, slow)));
    assertSame(slow, BenchmarkReport.median(List.of(fast, slow)), "the lower middle of two");
  }

  @Test
  void roundsDefaultToThreeOrOneWhenQuickAndAreBounded() {
    assertEquals(3, BenchmarkReport.Settings.parse(new String[0]).rounds());
    assertEquals(1, BenchmarkReport.Settings.parse(new String[] {"--quick"}).rounds());
    assertEquals(5, BenchmarkReport.Settings.parse(new String[] {"--rounds", "5"}).rounds());
    assertThrows(
        IllegalArgumentException.class,
        () -> BenchmarkReport.Settings.parse(new String[] {"--rounds", "0"}));
  }
}
