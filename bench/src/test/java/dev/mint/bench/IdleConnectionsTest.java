// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The heap figure of the idle measurement. */
class IdleConnectionsTest {
  private static final int HELD = 8 << 20;

  @Test
  void theHeapFigureCountsWhatTheCollectionLeftAndNothingAllocatedSince() {
    System.gc();
    long afterGc = IdleConnections.heapAfterCollection();
    long usedBefore = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    byte[] held = new byte[HELD];
    long usedAfter = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    // The heap in use moved with the allocation; the figure from the last collection did not.
    assertTrue(usedAfter - usedBefore >= HELD, (usedAfter - usedBefore) + " B");
    assertEquals(afterGc, IdleConnections.heapAfterCollection());
    System.gc();
    long grown = IdleConnections.heapAfterCollection() - afterGc;
    assertTrue(grown >= HELD && grown < 2L * HELD, grown + " B for an array of " + HELD + " B");
    assertEquals(HELD, held.length); // keeps the array reachable through the second collection
  }
}
