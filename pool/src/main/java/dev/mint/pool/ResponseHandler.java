// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import dev.mint.Bytes;
import dev.mint.Headers;

/**
 * Receives one response as it arrives, for callers who stream a body instead of holding it. Called
 * only by the thread driving the {@link Pool}, one call at a time; a call must not block (hand the
 * data to another thread instead). The order is {@link #onResponse}, {@link #onData} any number of
 * times, maybe {@link #onTrailers}, then {@link #onComplete}; or {@link #onError} at any point,
 * after which nothing follows. A request is never retried once {@link #onResponse} was called, so
 * no part is seen twice.
 *
 * <p>A method that throws a {@link PoolException} ends the request: the pool cancels it and calls
 * {@link #onError} with that exception. Any other exception thrown is reported the same way, as
 * {@link PoolException.Reason#HANDLER_FAILED}.
 */
public interface ResponseHandler {

  /** The final status and header fields (interim 1xx responses are not reported). */
  void onResponse(int status, Headers headers) throws PoolException;

  /** A piece of the body, never empty. */
  void onData(Bytes bytes) throws PoolException;

  /** The trailer fields, when the response has any. */
  default void onTrailers(Headers trailers) throws PoolException {}

  /**
   * The response is complete.
   *
   * @param attempts how many times the request was sent
   */
  void onComplete(int attempts);

  /** The request failed; see {@link PoolException#reason()}. */
  void onError(PoolException error);

  /**
   * Whether the caller gave the request up. Asked by the pool's thread at every {@link Pool#poll}:
   * a waiting request is then dropped unsent, one in flight is cancelled on its connection (over
   * HTTP/1.1 that closes the connection, which cannot skip the rest of a response); either ends
   * with {@link #onError} and {@link PoolException.Reason#CANCELLED}. May be called from the pool's
   * thread while another thread cancels, so an implementation reads a thread-safe flag. Default:
   * never.
   */
  default boolean isCancelled() {
    return false;
  }
}
