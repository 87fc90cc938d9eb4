// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts the bytes allocated by the client side of a round, through {@link
 * com.sun.management.ThreadMXBean#getThreadAllocatedBytes}: by the calling thread alone, and by
 * every live thread but the server's.
 *
 * <p>The second count matters for clients that work on threads of their own (the JDK client reads
 * and parses on its selector thread and completes on executor threads; Jetty's client works on its
 * selector and pool threads): the caller's count alone would miss that work. A thread that ends
 * during a round takes its count with it, so the count is a lower bound; the JDK's and Jetty's
 * client threads outlive a round.
 *
 * <p>Server threads are recognised by name: every thread whose name starts with {@link
 * #SERVER_THREAD_PREFIX} ({@link BenchServer}'s one thread, every thread of {@link
 * JettyH2cServer}'s pool and scheduler) is left out, including those started during the round.
 */
final class AllocationMeter {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /** The name prefix of every server thread; their allocations are not the client's. */
  static final String SERVER_THREAD_PREFIX = "bench-server";

  private final long callerThread;
  private final long callerAtStart;
  private final Map<Long, Long> allAtStart;
  private final long startedAtStart;

  private AllocationMeter() {
    this.callerThread = Thread.currentThread().getId();
    this.startedAtStart = THREADS.getTotalStartedThreadCount();
    this.allAtStart = snapshot();
    this.callerAtStart = THREADS.getThreadAllocatedBytes(callerThread);
  }

  /** Starts counting on the calling thread, leaving out the server threads. */
  static AllocationMeter start() {
    if (!THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled()) {
      throw new IllegalStateException("this JVM does not count allocated bytes per thread");
    }
    return new AllocationMeter();
  }

  /** Bytes the calling thread allocated since {@link #start}. */
  long callerAllocated() {
    return THREADS.getThreadAllocatedBytes(callerThread) - callerAtStart;
  }

  /** Bytes all live threads but the server's allocated since {@link #start}. */
  long clientAllocated() {
    long total = 0;
    for (Map.Entry<Long, Long> e : snapshot().entrySet()) {
      total += e.getValue() - allAtStart.getOrDefault(e.getKey(), 0L);
    }
    return total;
  }

  /** Threads started in the JVM since {@link #start}. */
  long threadsStarted() {
    return THREADS.getTotalStartedThreadCount() - startedAtStart;
  }

  private Map<Long, Long> snapshot() {
    long[] ids = THREADS.getAllThreadIds();
    // Names first (no stack traces), so that the bytes read last are as fresh as can be.
    ThreadInfo[] infos = THREADS.getThreadInfo(ids);
    long[] bytes = THREADS.getThreadAllocatedBytes(ids);
    Map<Long, Long> byThread = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      // A null info is a thread that ended meanwhile: it has no count left to take.
      boolean client =
          infos[i] != null && !infos[i].getThreadName().startsWith(SERVER_THREAD_PREFIX);
      if (client && bytes[i] >= 0) {
        byThread.put(ids[i], bytes[i]);
      }
    }
    return byThread;
  }
}
