// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import dev.mint.HttpConnection;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.MDC;

/**
 * Connection ids and their place in the SLF4J MDC.
 *
 * <p>Why the MDC rather than a prefix in each message: the engines and transports log too, and are
 * sans-I/O or connection-agnostic by design; the MDC reaches every line logged during a call
 * without handing an id to each layer. A call puts the id in and restores the previous value before
 * it returns (a pool may open a connection while serving another), so nothing is left on the
 * thread. The cost without a logging backend is nil (SLF4J's no-op MDC); with one, a map put and
 * remove per call.
 *
 * <p>Ids come from one counter for the JVM: connections are opened on many threads, and an atomic
 * counter is the one piece of shared state that needs no lock.
 */
final class ConnectionLog {
  private static final AtomicLong LAST_ID = new AtomicLong();

  private ConnectionLog() {}

  /** A fresh id: {@code c1}, {@code c2}, ... in the order asked for. */
  static String nextId() {
    return "c" + LAST_ID.incrementAndGet();
  }

  /**
   * Puts {@code id} in the MDC under {@link HttpConnection#LOG_CONTEXT_KEY}.
   *
   * @return the value it replaced, to hand to {@link #exit}
   */
  static String enter(String id) {
    String previous = MDC.get(HttpConnection.LOG_CONTEXT_KEY);
    MDC.put(HttpConnection.LOG_CONTEXT_KEY, id);
    return previous;
  }

  /** Restores what {@link #enter} replaced. */
  static void exit(String previous) {
    if (previous == null) {
      MDC.remove(HttpConnection.LOG_CONTEXT_KEY);
    } else {
      MDC.put(HttpConnection.LOG_CONTEXT_KEY, previous);
    }
  }
}
