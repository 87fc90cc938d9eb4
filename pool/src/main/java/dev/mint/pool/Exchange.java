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

  /** Whether the one retry after a reused HTTP/1.1 connection was found closed has been used. */
  boolean reuseRetried;

  /** Whether this request still holds a place in the bounded queue of new requests. */
  boolean holdsQueueSlot = true;

  /** The connection and reference of the current try; null while queued. */
  PooledConnection connection;

  RequestRef ref;

  /** Whether the current try went out on a connection that had carried a request before. */
  boolean sentOnReused;

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

  void sentOn(PooledConnection c, RequestRef newRef, boolean reused) {
    connection = c;
    ref = newRef;
    sentOnReused = reused;
    partSeen = false;
    status = 0;
    attempts++;
  }

  void backToQueue(long newCheckoutDeadline) {
    connection = null;
    ref = null;
    checkoutDeadline = Math.min(newCheckoutDeadline, deadline);
  }
}
