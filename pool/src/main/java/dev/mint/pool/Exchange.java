// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import dev.mint.RequestRef;

/**
 * One request on its way through the pool: its deadlines, where it was last sent, and what of its
 * response has arrived. Confined to the pool's thread (handed over once through the inbox).
 */
final class Exchange {
  final Request request;
  final ResponseHandler handler;

  /** The request timeout's end, in the pool's nanoseconds. */
  final long deadline;

  /** The end of the current wait in the queue. */
  long checkoutDeadline;

  /** How many times the request was sent. */
  int attempts;

  /** Whether a try may have been processed by the server (a failure that was not retry-safe). */
  boolean maybeProcessed;

  /**
   * Whether the one retry of an idempotent request after a connection that had answered before died
   * under it was used.
   */
  boolean closeRetried;

  /**
   * Only connections opened after this time (pool nanoseconds) may carry the request; {@link
   * Long#MIN_VALUE}: any.
   */
  long freshAfter = Long.MIN_VALUE;

  /** Whether this request still holds a place in the bounded queue of new requests. */
  boolean holdsQueueSlot = true;

  /** The connection and reference of the current try; null while queued. */
  PooledConnection connection;

  RequestRef ref;

  /** Whether any part of the current try's response arrived. */
  boolean partSeen;

  /** The final status of the current try, or 0. */
  int status;

  /** Whether {@link ResponseHandler#onResponse} was called (then the request is never retried). */
  boolean responseDelivered;

  boolean finished;

  Exchange(Request request, ResponseHandler handler, long deadline) {
    this.request = request;
    this.handler = handler;
    this.deadline = deadline;
  }

  void sentOn(PooledConnection c, RequestRef newRef) {
    connection = c;
    ref = newRef;
    partSeen = false;
    status = 0;
    attempts++;
  }

  /** Whether a retry must go on a connection opened after the failure that caused it. */
  boolean needsNewConnection() {
    return freshAfter != Long.MIN_VALUE;
  }

  /** Whether the request may go on a connection opened at {@code openedAt}. */
  boolean mayUseConnectionOpenedAt(long openedAt) {
    return freshAfter == Long.MIN_VALUE || openedAt - freshAfter > 0;
  }

  void backToQueue(long newCheckoutDeadline) {
    connection = null;
    ref = null;
    checkoutDeadline = Math.min(newCheckoutDeadline, deadline);
  }
}
