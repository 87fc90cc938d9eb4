// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class ProcessCpuTest {
  @Test
  void fieldsAreCountedFromTheLastParenthesisOfTheCommandName() {
    String stat = "4242 (nginx: (worker) x) S 4241 4241 4241 0 -1 4194624 10 0 0 0 37 12 0 0 20 0";
    assertEquals(4241, ProcessCpu.statField(stat, 4));
    assertEquals(37, ProcessCpu.statField(stat, 14));
    assertEquals(12, ProcessCpu.statField(stat, 15));
    assertThrows(IllegalArgumentException.class, () -> ProcessCpu.statField(stat, 40));
    assertThrows(IllegalArgumentException.class, () -> ProcessCpu.statField("no parens", 4));
  }

  @Test
  void theExactTotalIsSplitInTheProportionOfTheTicks() {
    ProcessCpu.Ticks before = new ProcessCpu.Ticks(100, 300);
    // 20 user ticks and 60 system ticks later: a quarter of the exact total was user time
    assertEquals(
        2_500_000L, ProcessCpu.userPart(10_000_000L, before, new ProcessCpu.Ticks(120, 360)));
    assertEquals(
        10_000_000L, ProcessCpu.userPart(10_000_000L, before, new ProcessCpu.Ticks(150, 300)));
    // no tick in between (a phase shorter than a tick), or no reading: unknown, not 0
    assertEquals(-1, ProcessCpu.userPart(10_000_000L, before, before));
    assertEquals(-1, ProcessCpu.userPart(10_000_000L, null, before));
    assertEquals(-1, ProcessCpu.userPart(10_000_000L, before, null));
    assertEquals(-1, ProcessCpu.userPart(-1, before, new ProcessCpu.Ticks(120, 360)));
    // counters that went backwards (another process reusing the pid) split nothing
    assertEquals(-1, ProcessCpu.userPart(10_000_000L, before, new ProcessCpu.Ticks(90, 400)));
  }

  @Test
  void readsThisProcesssTicksAndNoneOfAMissingProcess() {
    Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "no /proc: not Linux");
    ProcessCpu.Ticks self = ProcessCpu.ticks(ProcessHandle.current().pid());
    assertTrue(self != null && self.user() >= 0 && self.system() >= 0, String.valueOf(self));
    assertEquals(null, ProcessCpu.ticks(Long.MAX_VALUE));
    ProcessCpu.Ticks viaSelf = ProcessCpu.selfTicks();
    assertTrue(viaSelf != null && viaSelf.user() >= self.user(), viaSelf + " after " + self);
  }

  @Test
  void readsThisProcesssCpuTimeAndFindsItsChild() throws Exception {
    Assumptions.assumeTrue(Files.isDirectory(Path.of("/proc/self")), "no /proc: not Linux");
    assertEquals(100, ProcessCpu.ticksPerSecond(), "Linux's USER_HZ on every 64-bit JVM platform");
    long self = ProcessHandle.current().pid();
    long before = ProcessCpu.cpuNanos(self);
    long spin = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
    long x = 0;
    while (System.nanoTime() < spin) {
      x += x * 31 + 7;
    }
    long after = ProcessCpu.cpuNanos(self);
    assertTrue(before >= 0 && after > before, before + " then " + after + " (" + x + ")");
    assertEquals(-1, ProcessCpu.cpuNanos(Long.MAX_VALUE));

    Process child = new ProcessBuilder("sleep", "30").start();
    try {
      OptionalLong found = ProcessCpu.childOf(self);
      assertTrue(found.isPresent(), "no child of " + self + " found");
      assertEquals(child.pid(), found.getAsLong());
    } finally {
      child.destroyForcibly();
      child.waitFor(10, TimeUnit.SECONDS);
    }
  }
}
