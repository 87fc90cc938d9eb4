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
  void roundsDefaultToFiveOrOneWhenQuickAndAreBounded() {
    assertEquals(5, BenchmarkReport.Settings.parse(new String[0]).rounds());
    assertEquals(1, BenchmarkReport.Settings.parse(new String[] {"--quick"}).rounds());
    assertEquals(7, BenchmarkReport.Settings.parse(new String[] {"--rounds", "7"}).rounds());
    assertThrows(
        IllegalArgumentException.class,
        () -> BenchmarkReport.Settings.parse(new String[] {"--rounds", "0"}));
  }

  @Test
  void theSequentialWorkloadTakesEveryRoundTheSixteenConnectionsAtMostThreeTheRestOne() {
    BenchmarkReport.Settings defaults = BenchmarkReport.Settings.parse(new String[0]);
    assertEquals(5, defaults.roundsOf(Workload.H1_SEQUENTIAL));
    assertEquals(3, defaults.roundsOf(Workload.H1_16_CONNECTIONS));
    assertEquals(1, defaults.roundsOf(Workload.H2C_100_STREAMS));
    assertEquals(1, defaults.roundsOf(Workload.DOWNLOAD_H1_TLS));
    BenchmarkReport.Settings two = BenchmarkReport.Settings.parse(new String[] {"--rounds", "2"});
    assertEquals(2, two.roundsOf(Workload.H1_SEQUENTIAL));
    assertEquals(2, two.roundsOf(Workload.H1_16_CONNECTIONS));
    BenchmarkReport.Settings quick = BenchmarkReport.Settings.parse(new String[] {"--quick"});
    assertEquals(1, quick.roundsOf(Workload.H1_SEQUENTIAL));
    assertEquals(1, quick.roundsOf(Workload.H1_16_CONNECTIONS));
  }
}
