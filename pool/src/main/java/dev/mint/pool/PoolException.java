// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import dev.mint.HttpException;
import dev.mint.MintException;
import java.io.IOException;
import java.util.Objects;

/**
 * A request sent through the pool failed. {@link #reason()} says why; {@link #getCause()} holds the
 * connection's {@link MintException} when one is behind it. {@link #wasSent()} tells whether the
 * request may have reached the server.
 */
public final class PoolException extends IOException {
  private static final long serialVersionUID = 1L;

  /** Why the request failed. */
  public enum Reason {
    /** The pool's queue of waiting requests is full ({@code Pool.Builder.maxPendingRequests}). */
    QUEUE_FULL,
    /** No connection (or HTTP/2 stream) became free within {@link PoolConfig#checkoutTimeout()}. */
    CHECKOUT_TIMEOUT,
    /** The response did not complete within the request timeout. */
    REQUEST_TIMEOUT,
    /**
     * A connection could not be opened for a reason that waiting will not cure (an untrusted
     * certificate, an unknown host, no protocol installed); the cause says which.
     */
    CONNECT_FAILED,
    /**
     * The request failed on its connection and was not retried: the cause is the connection's error
     * (a reset stream, a connection closed after the request may have been processed, a malformed
     * response, ...).
     */
    REQUEST_FAILED,
    /** The connection refused the request as given (an invalid header, ...): nothing was sent. */
    INVALID_REQUEST,
    /** A buffered response's body exceeded {@link PoolConfig#maxResponseBodyBytes()}. */
    BODY_TOO_LARGE,
    /** A streamed response's consumer fell behind by more than its buffer allows. */
    BODY_BUFFER_FULL,
    /** The {@link ResponseHandler} threw an exception (the cause). */
    HANDLER_FAILED,
    /**
     * The caller gave the request up: cancelled its future, was interrupted in {@link
     * MintClient#send}, closed a streamed body before its end, or its handler said so ({@link
     * ResponseHandler#isCancelled()}).
     */
    CANCELLED,
    /** The pool is shutting down or closed. */
    SHUT_DOWN
  }

  private final Reason reason;
  private final boolean sent;

  /**
   * A failure.
   *
   * @param sent whether the request may have reached the server
   */
  public PoolException(Reason reason, String message, boolean sent, Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.sent = sent;
  }

  /** Why the request failed. */
  public Reason reason() {
    return reason;
  }

  /**
   * Whether the request may have reached the server; {@code false} means it certainly was not
   * processed (it never left the pool, or the server said so).
   */
  public boolean wasSent() {
    return sent;
  }

  /**
   * Whether sending the request again is known to be safe: it was not processed, or the last error
   * says the server did not process it ({@link HttpException#isRetrySafe()}).
   */
  public boolean isRetrySafe() {
    return !sent || (getCause() instanceof HttpException h && h.isRetrySafe());
  }
}
