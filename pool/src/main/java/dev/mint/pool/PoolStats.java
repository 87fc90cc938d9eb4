// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

/**
 * The counts of one origin at a moment. The gauges ({@code idle}, {@code inUse}, {@code draining},
 * {@code connecting}, {@code pending}, {@code inFlight}) are as the pool's thread last left them;
 * the totals only grow. Every open connection is counted once: idle, in use or draining.
 *
 * @param idle open connections that take new requests and carry none
 * @param inUse open connections that take new requests and carry at least one
 * @param draining open connections that take no new request and are kept for the requests they
 *     carry: after the server's GOAWAY (at most {@link PoolConfig#drainTimeout()}), or retired by
 *     age or request count
 * @param connecting connections being opened
 * @param pending requests waiting for a connection or a stream
 * @param inFlight requests sent and not yet answered
 * @param opened connections opened so far
 * @param closed connections closed so far
 * @param connectFailures connects that failed so far, and connections that died before answering
 *     any request (a server going down accepts and closes them)
 * @param retried requests sent again so far (each retry counts once)
 * @param completed requests answered in full so far
 * @param failed requests that failed so far
 */
public record PoolStats(
    int idle,
    int inUse,
    int draining,
    int connecting,
    int pending,
    int inFlight,
    long opened,
    long closed,
    long connectFailures,
    long retried,
    long completed,
    long failed) {

  /** The sum of these counts and {@code other}'s (of several pools for one origin). */
  public PoolStats plus(PoolStats other) {
    return new PoolStats(
        idle + other.idle,
        inUse + other.inUse,
        draining + other.draining,
        connecting + other.connecting,
        pending + other.pending,
        inFlight + other.inFlight,
        opened + other.opened,
        closed + other.closed,
        connectFailures + other.connectFailures,
        retried + other.retried,
        completed + other.completed,
        failed + other.failed);
  }
}
