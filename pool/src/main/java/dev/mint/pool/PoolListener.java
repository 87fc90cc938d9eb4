// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import dev.mint.MintException;
import dev.mint.Protocol;

/**
 * Connection and request events, for metrics and tracing. Every method has an empty default; called
 * on the thread driving the pool, so it must be quick and must not block. An exception thrown by a
 * listener is logged and otherwise ignored. The same events are logged through SLF4J (logger {@code
 * dev.mint.pool.Pool}, debug level) whether a listener is set or not.
 */
public interface PoolListener {

  /** A connection to {@code origin} is open, speaking {@code protocol}. */
  default void connectionOpened(Origin origin, String connectionId, Protocol protocol) {}

  /** Opening a connection to {@code origin} failed; the pool retries after a backoff. */
  default void connectFailed(Origin origin, Exception error) {}

  /** A connection closed; {@code why} says who or what closed it. */
  default void connectionClosed(Origin origin, String connectionId, String why) {}

  /** A request is sent again after {@code error}; {@code attempts} is how often it was sent. */
  default void requestRetried(Request request, MintException error, int attempts) {}

  /** A request failed for good. */
  default void requestFailed(Request request, PoolException error) {}
}
