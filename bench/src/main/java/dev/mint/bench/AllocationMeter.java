package dev.mint.bench;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * Counts the bytes allocated by the client side of a round, through {@link
 * com.sun.management.ThreadMXBean#getThreadAllocatedBytes}: by the calling thread alone, and by
 * every live thread but the server's.
 *
 * <p>The second count matters for clients that work on threads of their own (the JDK client reads
 * and parses on its selector thread and completes on executor threads): the caller's count alone
 * would miss that work. A thread that ends during a round takes its count with it, so the count is
 * a lower bound; the JDK client's threads outlive a round.
 */
final class AllocationMeter {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private final long excludedThread;
  private final long callerThread;
  private final long callerAtStart;
  private final Map<Long, Long> allAtStart;
  private final long startedAtStart;

  private AllocationMeter(long excludedThread) {
    this.excludedThread = excludedThread;
    this.callerThread = Thread.currentThread().getId();
    this.startedAtStart = THREADS.getTotalStartedThreadCount();
    this.allAtStart = snapshot();
    this.callerAtStart = THREADS.getThreadAllocatedBytes(callerThread);
  }

  /** Starts counting on the calling thread, leaving out the thread {@code excludedThread}. */
  static AllocationMeter start(long excludedThread) {
    if (!THREADS.isThreadAllocatedMemorySupported() || !THREADS.isThreadAllocatedMemoryEnabled()) {
      throw new IllegalStateException("this JVM does not count allocated bytes per thread");
    }
    return new AllocationMeter(excludedThread);
  }

  /** Bytes the calling thread allocated since {@link #start}. */
  long callerAllocated() {
    return THREADS.getThreadAllocatedBytes(callerThread) - callerAtStart;
  }

  /** Bytes all live threads but the excluded one allocated since {@link #start}. */
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
    long[] bytes = THREADS.getThreadAllocatedBytes(ids);
    Map<Long, Long> byThread = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (ids[i] != excludedThread && bytes[i] >= 0) {
        byThread.put(ids[i], bytes[i]);
      }
    }
    return byThread;
  }
}
