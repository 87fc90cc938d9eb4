// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import dev.mint.MintException;

/**
 * Decides whether a failed request may be sent again, beyond what the pool always retries. The pool
 * retries on its own, whatever the policy says, only what the server is known not to have
 * processed: a request refused by GOAWAY (above its last stream id) or by {@code REFUSED_STREAM},
 * or never sent at all; and an idempotent request whose connection died (closed, reset, or broken
 * by the server, or closed by the pool when {@link PoolConfig#drainTimeout()} passed after the
 * server's GOAWAY) before any part of its response arrived: once, on a new connection, when that
 * connection had answered requests before (a kept-alive connection closed as the request went out,
 * an HTTP/2 connection closed without a GOAWAY naming the stream), and within its deadline when it
 * never answered any (a server going down or restarting, which is a failed connect in effect). RFC
 * 9110 §9.2.2: the server may have processed it, which for an idempotent method has the effect of
 * once. For every other failure before any part of the response arrived, the policy is asked; after
 * a part of the response arrived, nothing is retried. Retries stay within {@link
 * PoolConfig#maxAttempts()} and the request timeout.
 *
 * <p>Called on the thread driving the pool; must not block.
 */
@FunctionalInterface
public interface RetryPolicy {

  /**
   * Whether to send {@code request} again after {@code error}.
   *
   * @param attempts how many times it has been sent so far
   */
  boolean shouldRetry(Request request, MintException error, int attempts);

  /** Retries nothing beyond what is known to be safe (the default). */
  static RetryPolicy safeOnly() {
    return (request, error, attempts) -> false;
  }

  /**
   * Also retries idempotent requests (RFC 9110 §9.2.2) after any transport failure before the
   * response began: the server may have processed them, which for these methods has the effect of
   * once.
   */
  static RetryPolicy idempotent() {
    return (request, error, attempts) ->
        request.isIdempotent() && error instanceof dev.mint.TransportException;
  }
}
