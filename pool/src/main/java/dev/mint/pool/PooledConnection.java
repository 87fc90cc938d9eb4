// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import dev.mint.Http2Operations;
import dev.mint.HttpConnection;
import dev.mint.RequestRef;
import java.nio.channels.SelectionKey;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A connection the pool owns, with what the pool tracks of it. Confined to the pool's thread.
 *
 * <p>Capacity: a connection without HTTP/2 operations carries one request at a time (the pool does
 * not pipeline HTTP/1.1, so a failure never leaves it unknown which requests the server saw). An
 * HTTP/2 connection carries as many as {@link Http2Operations#maxConcurrentStreams()} allows (the
 * conservative limit before the server's SETTINGS, then the server's, followed as it changes),
 * capped by {@link PoolConfig#maxStreamsPerConnection()}.
 */
final class PooledConnection {
  final HttpConnection conn;
  final OriginPool owner;
  final long openedAt;
  private final Http2Operations http2;

  /** The requests in flight, by reference (identity: references do not override equals). */
  final Map<RequestRef, Exchange> inFlight = new HashMap<>();

  long lastUsedAt;
  long requestsStarted;

  /** The requests answered in full on this connection. */
  private long answeredTotal;

  /** Whether its dying before any answer was counted as a failed connect. */
  boolean deathCounted;

  /** Takes no new request (GOAWAY, max age, max requests, half-closed); closes when drained. */
  boolean draining;

  /** Whether the server stopped taking requests (GOAWAY): then the drain ends by a deadline. */
  private boolean goneAway;

  /** When a drain the server started ends at the latest, in pool nanoseconds. */
  private long drainDeadline;

  /** The connection refused a stream for the peer's limit; cleared when a request ends. */
  boolean limitBlocked;

  /**
   * The streams the server took at once when it last refused one with REFUSED_STREAM (RFC 9113
   * §8.7): a limit below its SETTINGS that the pool follows, raised by one at every answer, and
   * forgotten when the server's SETTINGS_MAX_CONCURRENT_STREAMS changes. A server's count of its
   * streams can lag behind the END_STREAM it sent, so a new stream right after one ends may be
   * refused although the limit allows it.
   */
  private long refusedCap = Long.MAX_VALUE;

  /** The server's limit when {@link #refusedCap} was set. */
  private long capSetAtLimit;

  SelectionKey key;

  PooledConnection(HttpConnection conn, OriginPool owner, long now) {
    this.conn = conn;
    this.owner = owner;
    this.openedAt = now;
    this.lastUsedAt = now;
    Optional<Http2Operations> ops = conn.http2();
    this.http2 = ops.orElse(null);
  }

  /** Whether this is an HTTP/2 connection whose server has not sent its SETTINGS yet. */
  boolean awaitsServerPreface() {
    return http2 != null && !http2.serverSettingsReceived();
  }

  boolean isMultiplexed() {
    return http2 != null;
  }

  /** How many more requests this connection takes now. */
  int freeSlots(int streamCap) {
    if (draining || !conn.isOpen(HttpConnection.Direction.WRITE)) {
      return 0;
    }
    if (http2 == null) {
      return inFlight.isEmpty() ? 1 : 0;
    }
    if (limitBlocked) {
      return 0;
    }
    long limit = http2.maxConcurrentStreams();
    if (limit != capSetAtLimit) {
      refusedCap = Long.MAX_VALUE;
    }
    long max = Math.min(Math.min(limit, streamCap), refusedCap);
    long used = Math.max(inFlight.size(), http2.openStreamCount());
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, max - used));
  }

  /** A stream was refused: follow the number the server carried then, at least one. */
  void refused() {
    if (http2 != null) {
      refusedCap = Math.max(1, inFlight.size());
      capSetAtLimit = http2.maxConcurrentStreams();
    }
  }

  /**
   * The server takes no new request here (its GOAWAY): the connection drains, until {@code
   * deadline} at the latest. Returns false when it had already gone away (the first deadline
   * holds).
   */
  boolean goneAway(long deadline) {
    draining = true;
    if (goneAway) {
      return false;
    }
    goneAway = true;
    drainDeadline = deadline;
    return true;
  }

  /** Whether the server stopped taking requests here (its GOAWAY). */
  boolean isGoneAway() {
    return goneAway;
  }

  /** When the drain the server started ends at the latest; meaningful once {@link #isGoneAway}. */
  long drainDeadline() {
    return drainDeadline;
  }

  /** Whether no request was answered on this connection yet. */
  boolean neverAnswered() {
    return answeredTotal == 0;
  }

  /** A request was answered: the server may take one more than before. */
  void answered() {
    answeredTotal++;
    if (refusedCap != Long.MAX_VALUE) {
      refusedCap++;
    }
  }

  /** Re-reads the interest set after a call on the connection. */
  void updateInterest() {
    if (key != null && key.isValid()) {
      key.interestOps(conn.interestOps());
    }
  }

  @Override
  public String toString() {
    return conn.id();
  }
}
