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

  /** Takes no new request (GOAWAY, max age, max requests, half-closed); closes when drained. */
  boolean draining;

  /** The connection refused a stream for the peer's limit; cleared when a request ends. */
  boolean limitBlocked;

  SelectionKey key;

  PooledConnection(HttpConnection conn, OriginPool owner, long now) {
    this.conn = conn;
    this.owner = owner;
    this.openedAt = now;
    this.lastUsedAt = now;
    Optional<Http2Operations> ops = conn.http2();
    this.http2 = ops.orElse(null);
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
    long max = Math.min(http2.maxConcurrentStreams(), streamCap);
    long used = Math.max(inFlight.size(), http2.openStreamCount());
    return (int) Math.max(0, Math.min(Integer.MAX_VALUE, max - used));
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
