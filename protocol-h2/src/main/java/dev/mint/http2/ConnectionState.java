// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

/**
 * Where an HTTP/2 connection stands, from the client's side. All transitions are in {@link #next}.
 *
 * <pre>
 *   STARTING --SETTINGS_RECEIVED--&gt; OPEN --GOAWAY_RECEIVED--&gt; DRAINING
 *      any --CLOSE--&gt; CLOSED
 * </pre>
 *
 * Requests may be made while STARTING (RFC 9113 §3.4: the client need not wait for the server's
 * SETTINGS), within {@link dev.mint.Http2Options#maxConcurrentStreamsBeforeSettings()}. A GOAWAY
 * from the server can only follow its SETTINGS, which the frame reader requires first.
 */
enum ConnectionState {
  /** Our preface is queued; the server's SETTINGS have not arrived. */
  STARTING,
  /** Both prefaces exchanged: requests go by the server's settings. */
  OPEN,
  /** The server sent GOAWAY: no new requests; those it will process may still finish. */
  DRAINING,
  /** Closed by us ({@code close()}), by a connection error, or by the peer's close. */
  CLOSED;

  /** What happens to the connection. */
  enum Event {
    /** The server's SETTINGS (not an ACK) arrived. */
    SETTINGS_RECEIVED,
    /** The server's GOAWAY arrived. */
    GOAWAY_RECEIVED,
    /** The engine closed. */
    CLOSE
  }

  /** The state after {@code event}; every pair is allowed. */
  ConnectionState next(Event event) {
    return switch (event) {
      case SETTINGS_RECEIVED -> this == STARTING ? OPEN : this;
      case GOAWAY_RECEIVED -> this == CLOSED ? CLOSED : DRAINING;
      case CLOSE -> CLOSED;
    };
  }

  /** Whether new requests may be made (stream identifiers aside). */
  boolean acceptsRequests() {
    return this == STARTING || this == OPEN;
  }
}
