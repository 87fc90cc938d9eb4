// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

/**
 * The states of an HTTP/2 stream (RFC 9113 §5.1), with every transition in {@link #next}:
 *
 * <pre>
 *                              +--------+
 *                      send PP |        | recv PP
 *                     ,--------+  idle  +--------.
 *                    /         |        |         \
 *                   v          +--------+          v
 *            +----------+          |           +----------+
 *            |          |          | send H /  |          |
 *     ,------+ reserved |          | recv H    | reserved +------.
 *     |      | (local)  |          |           | (remote) |      |
 *     |      +---+------+          v           +------+---+      |
 *     |          |             +--------+             |          |
 *     |          |     recv ES |        | send ES     |          |
 *     |   send H |     ,-------+  open  +-------.     | recv H   |
 *     |          |    /        |        |        \    |          |
 *     |          v   v         +---+----+         v   v          |
 *     |      +----------+          |           +----------+      |
 *     |      |   half-  |          |           |   half-  |      |
 *     |      |  closed  |          | send R /  |  closed  |      |
 *     |      | (remote) |          | recv R    | (local)  |      |
 *     |      +----+-----+          |           +-----+----+      |
 *     |           |                |                 |           |
 *     |           | send ES /      |       recv ES / |           |
 *     |           |  send R /      v        send R / |           |
 *     |           |  recv R    +--------+   recv R   |           |
 *     | send R /  `-----------&gt;|        |&lt;-----------'  send R / |
 *     | recv R                 | closed |               recv R   |
 *     `-----------------------&gt;|        |&lt;-----------------------'
 *                              +--------+
 * </pre>
 *
 * A client opens streams with HEADERS (idle to open) and has streams reserved by the server's
 * PUSH_PROMISE (idle to reserved (remote)); it never reserves streams itself, but the state exists
 * for completeness of the RFC's machine.
 *
 * <p>A stream does not store its state: {@link Stream#state()} derives it from its two sides, and
 * {@link Stream#on} checks each frame received with {@link #next}.
 */
enum StreamState {
  IDLE,
  RESERVED_LOCAL,
  RESERVED_REMOTE,
  OPEN,
  HALF_CLOSED_LOCAL,
  HALF_CLOSED_REMOTE,
  CLOSED;

  /**
   * The state after {@code event} on stream {@code streamId}.
   *
   * @throws Http2Error when a received frame is not allowed in this state: STREAM_CLOSED (a stream
   *     error) for frames after the peer ended or reset the stream (§5.1 half-closed (remote),
   *     closed), PROTOCOL_ERROR (a connection error) for frames on idle or reserved streams
   * @throws IllegalStateException when we would send something this state forbids: a bug, since the
   *     engine refuses such calls as caller errors first
   */
  StreamState next(StreamEvent event, int streamId) throws Http2Error {
    return switch (this) {
      case IDLE ->
          switch (event) {
            case SEND_HEADERS, RECV_HEADERS -> OPEN;
            case RECV_PUSH_PROMISE -> RESERVED_REMOTE;
            case RECV_DATA, RECV_END_STREAM, RECV_RST_STREAM, RECV_WINDOW_UPDATE ->
                throw protocolError(event, streamId);
            case SEND_END_STREAM, SEND_RST_STREAM -> throw bug(event);
          };
      case RESERVED_LOCAL ->
          switch (event) {
            case SEND_HEADERS -> HALF_CLOSED_REMOTE;
            case SEND_RST_STREAM, RECV_RST_STREAM -> CLOSED;
            case RECV_WINDOW_UPDATE -> this;
            case RECV_HEADERS, RECV_DATA, RECV_END_STREAM, RECV_PUSH_PROMISE ->
                throw protocolError(event, streamId);
            case SEND_END_STREAM -> throw bug(event);
          };
      case RESERVED_REMOTE ->
          switch (event) {
            case RECV_HEADERS -> HALF_CLOSED_LOCAL;
            case SEND_RST_STREAM, RECV_RST_STREAM -> CLOSED;
            case RECV_DATA, RECV_END_STREAM, RECV_WINDOW_UPDATE, RECV_PUSH_PROMISE ->
                throw protocolError(event, streamId);
            case SEND_HEADERS, SEND_END_STREAM -> throw bug(event);
          };
      case OPEN ->
          switch (event) {
            case SEND_HEADERS, RECV_HEADERS, RECV_DATA, RECV_WINDOW_UPDATE -> this;
            case SEND_END_STREAM -> HALF_CLOSED_LOCAL;
            case RECV_END_STREAM -> HALF_CLOSED_REMOTE;
            case SEND_RST_STREAM, RECV_RST_STREAM -> CLOSED;
            case RECV_PUSH_PROMISE -> throw protocolError(event, streamId);
          };
      case HALF_CLOSED_LOCAL ->
          switch (event) {
            case RECV_HEADERS, RECV_DATA, RECV_WINDOW_UPDATE -> this;
            case RECV_END_STREAM, SEND_RST_STREAM, RECV_RST_STREAM -> CLOSED;
            case RECV_PUSH_PROMISE -> throw protocolError(event, streamId);
            case SEND_HEADERS, SEND_END_STREAM -> throw bug(event);
          };
      case HALF_CLOSED_REMOTE ->
          switch (event) {
            case SEND_HEADERS, RECV_WINDOW_UPDATE -> this;
            case SEND_END_STREAM, SEND_RST_STREAM, RECV_RST_STREAM -> CLOSED;
            case RECV_HEADERS, RECV_DATA, RECV_END_STREAM -> throw streamClosed(event, streamId);
            case RECV_PUSH_PROMISE -> throw protocolError(event, streamId);
          };
      case CLOSED ->
          switch (event) {
            case SEND_RST_STREAM, RECV_RST_STREAM, RECV_WINDOW_UPDATE -> this;
            case RECV_HEADERS, RECV_DATA, RECV_END_STREAM -> throw streamClosed(event, streamId);
            case RECV_PUSH_PROMISE -> throw protocolError(event, streamId);
            case SEND_HEADERS, SEND_END_STREAM -> throw bug(event);
          };
    };
  }

  /** Whether the stream counts against SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2). */
  boolean isActive() {
    return this == OPEN || this == HALF_CLOSED_LOCAL || this == HALF_CLOSED_REMOTE;
  }

  /** Whether we may still send DATA or HEADERS on the stream. */
  boolean canSend() {
    return this == OPEN || this == HALF_CLOSED_REMOTE;
  }

  private Http2Error protocolError(StreamEvent event, int streamId) {
    return Http2Error.connection(
        ErrorCode.PROTOCOL_ERROR, event + " on stream " + streamId + " in state " + this);
  }

  private Http2Error streamClosed(StreamEvent event, int streamId) {
    return Http2Error.stream(
        streamId, ErrorCode.STREAM_CLOSED, event + " on stream " + streamId + " in state " + this);
  }

  private IllegalStateException bug(StreamEvent event) {
    return new IllegalStateException(event + " is not allowed in stream state " + this);
  }
}
