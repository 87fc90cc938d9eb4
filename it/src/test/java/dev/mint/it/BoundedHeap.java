// SPDX-License-Identifier: Apache-2.0
package dev.mint.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The heap of the {@code bounded_heap} surefire execution of it/pom.xml ({@code -Xmx64m}). The test
 * classes tagged {@code bounded_heap} move far more bytes than it holds; each checks that it really
 * runs in it, since in a larger heap they would prove nothing.
 */
public final class BoundedHeap {
  /** The heap those classes are meant to run in. */
  public static final long BYTES = 64L << 20;

  private BoundedHeap() {}

  /** Fails unless the maximum heap is {@link #BYTES}, give or take 8 MiB. */
  public static void assertInEffect() {
    long max = Runtime.getRuntime().maxMemory();
    assertTrue(
        max <= BYTES + (8L << 20),
        "this class must run with -Xmx64m (the bounded-heap surefire execution), max heap is "
            + max);
  }
}
