// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static dev.mint.http2.StreamEvent.RECV_DATA;
import static dev.mint.http2.StreamEvent.RECV_END_STREAM;
import static dev.mint.http2.StreamEvent.RECV_HEADERS;
import static dev.mint.http2.StreamEvent.RECV_PUSH_PROMISE;
import static dev.mint.http2.StreamEvent.RECV_RST_STREAM;
import static dev.mint.http2.StreamEvent.RECV_WINDOW_UPDATE;
import static dev.mint.http2.StreamEvent.SEND_END_STREAM;
import static dev.mint.http2.StreamEvent.SEND_HEADERS;
import static dev.mint.http2.StreamEvent.SEND_RST_STREAM;
import static dev.mint.http2.StreamState.CLOSED;
import static dev.mint.http2.StreamState.HALF_CLOSED_LOCAL;
import static dev.mint.http2.StreamState.HALF_CLOSED_REMOTE;
import static dev.mint.http2.StreamState.IDLE;
import static dev.mint.http2.StreamState.OPEN;
import static dev.mint.http2.StreamState.RESERVED_LOCAL;
import static dev.mint.http2.StreamState.RESERVED_REMOTE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Every (state, event) pair of RFC 9113 §5.1, as this client sees it. */
class StreamStateTest {
  /**
   * What a pair gives: a state, a stream error, a connection error, or a bug (we never send it).
   */
  private record Outcome(StreamState state, ErrorCode code, boolean connection, boolean bug) {
    static Outcome to(StreamState s) {
      return new Outcome(s, null, false, false);
    }

    static Outcome streamClosed() {
      return new Outcome(null, ErrorCode.STREAM_CLOSED, false, false);
    }

    static Outcome protocolError() {
      return new Outcome(null, ErrorCode.PROTOCOL_ERROR, true, false);
    }

    static Outcome aBug() {
      return new Outcome(null, null, false, true);
    }
  }

  private static final Map<StreamState, Map<StreamEvent, Outcome>> TABLE =
      new EnumMap<>(StreamState.class);

  private static void expect(StreamState s, StreamEvent e, Outcome o) {
    TABLE.computeIfAbsent(s, k -> new EnumMap<>(StreamEvent.class)).put(e, o);
  }

  static {
    expect(IDLE, SEND_HEADERS, Outcome.to(OPEN));
    expect(IDLE, RECV_HEADERS, Outcome.to(OPEN));
    expect(IDLE, RECV_PUSH_PROMISE, Outcome.to(RESERVED_REMOTE));
    expect(IDLE, RECV_DATA, Outcome.protocolError());
    expect(IDLE, RECV_END_STREAM, Outcome.protocolError());
    expect(IDLE, RECV_RST_STREAM, Outcome.protocolError());
    expect(IDLE, RECV_WINDOW_UPDATE, Outcome.protocolError());
    expect(IDLE, SEND_END_STREAM, Outcome.aBug());
    expect(IDLE, SEND_RST_STREAM, Outcome.aBug());

    expect(RESERVED_LOCAL, SEND_HEADERS, Outcome.to(HALF_CLOSED_REMOTE));
    expect(RESERVED_LOCAL, SEND_RST_STREAM, Outcome.to(CLOSED));
    expect(RESERVED_LOCAL, RECV_RST_STREAM, Outcome.to(CLOSED));
    expect(RESERVED_LOCAL, RECV_WINDOW_UPDATE, Outcome.to(RESERVED_LOCAL));
    expect(RESERVED_LOCAL, RECV_HEADERS, Outcome.protocolError());
    expect(RESERVED_LOCAL, RECV_DATA, Outcome.protocolError());
    expect(RESERVED_LOCAL, RECV_END_STREAM, Outcome.protocolError());
    expect(RESERVED_LOCAL, RECV_PUSH_PROMISE, Outcome.protocolError());
    expect(RESERVED_LOCAL, SEND_END_STREAM, Outcome.aBug());

    expect(RESERVED_REMOTE, RECV_HEADERS, Outcome.to(HALF_CLOSED_LOCAL));
    expect(RESERVED_REMOTE, SEND_RST_STREAM, Outcome.to(CLOSED));
    expect(RESERVED_REMOTE, RECV_RST_STREAM, Outcome.to(CLOSED));
    expect(RESERVED_REMOTE, RECV_DATA, Outcome.protocolError());
    expect(RESERVED_REMOTE, RECV_END_STREAM, Outcome.protocolError());
    expect(RESERVED_REMOTE, RECV_WINDOW_UPDATE, Outcome.protocolError());
    expect(RESERVED_REMOTE, RECV_PUSH_PROMISE, Outcome.protocolError());
    expect(RESERVED_REMOTE, SEND_HEADERS, Outcome.aBug());
    expect(RESERVED_REMOTE, SEND_END_STREAM, Outcome.aBug());

    expect(OPEN, SEND_HEADERS, Outcome.to(OPEN));
    expect(OPEN, RECV_HEADERS, Outcome.to(OPEN));
    expect(OPEN, RECV_DATA, Outcome.to(OPEN));
    expect(OPEN, RECV_WINDOW_UPDATE, Outcome.to(OPEN));
    expect(OPEN, SEND_END_STREAM, Outcome.to(HALF_CLOSED_LOCAL));
    expect(OPEN, RECV_END_STREAM, Outcome.to(HALF_CLOSED_REMOTE));
    expect(OPEN, SEND_RST_STREAM, Outcome.to(CLOSED));
    expect(OPEN, RECV_RST_STREAM, Outcome.to(CLOSED));
    expect(OPEN, RECV_PUSH_PROMISE, Outcome.protocolError());

    expect(HALF_CLOSED_LOCAL, RECV_HEADERS, Outcome.to(HALF_CLOSED_LOCAL));
    expect(HALF_CLOSED_LOCAL, RECV_DATA, Outcome.to(HALF_CLOSED_LOCAL));
    expect(HALF_CLOSED_LOCAL, RECV_WINDOW_UPDATE, Outcome.to(HALF_CLOSED_LOCAL));
    expect(HALF_CLOSED_LOCAL, RECV_END_STREAM, Outcome.to(CLOSED));
    expect(HALF_CLOSED_LOCAL, SEND_RST_STREAM, Outcome.to(CLOSED));
    expect(HALF_CLOSED_LOCAL, RECV_RST_STREAM, Outcome.to(CLOSED));
    expect(HALF_CLOSED_LOCAL, RECV_PUSH_PROMISE, Outcome.protocolError());
    expect(HALF_CLOSED_LOCAL, SEND_HEADERS, Outcome.aBug());
    expect(HALF_CLOSED_LOCAL, SEND_END_STREAM, Outcome.aBug());

    expect(HALF_CLOSED_REMOTE, SEND_HEADERS, Outcome.to(HALF_CLOSED_REMOTE));
    expect(HALF_CLOSED_REMOTE, RECV_WINDOW_UPDATE, Outcome.to(HALF_CLOSED_REMOTE));
    expect(HALF_CLOSED_REMOTE, SEND_END_STREAM, Outcome.to(CLOSED));
    expect(HALF_CLOSED_REMOTE, SEND_RST_STREAM, Outcome.to(CLOSED));
    expect(HALF_CLOSED_REMOTE, RECV_RST_STREAM, Outcome.to(CLOSED));
    expect(HALF_CLOSED_REMOTE, RECV_HEADERS, Outcome.streamClosed());
    expect(HALF_CLOSED_REMOTE, RECV_DATA, Outcome.streamClosed());
    expect(HALF_CLOSED_REMOTE, RECV_END_STREAM, Outcome.streamClosed());
    expect(HALF_CLOSED_REMOTE, RECV_PUSH_PROMISE, Outcome.protocolError());

    expect(CLOSED, SEND_RST_STREAM, Outcome.to(CLOSED));
    expect(CLOSED, RECV_RST_STREAM, Outcome.to(CLOSED));
    expect(CLOSED, RECV_WINDOW_UPDATE, Outcome.to(CLOSED));
    expect(CLOSED, RECV_HEADERS, Outcome.streamClosed());
    expect(CLOSED, RECV_DATA, Outcome.streamClosed());
    expect(CLOSED, RECV_END_STREAM, Outcome.streamClosed());
    expect(CLOSED, RECV_PUSH_PROMISE, Outcome.protocolError());
    expect(CLOSED, SEND_HEADERS, Outcome.aBug());
    expect(CLOSED, SEND_END_STREAM, Outcome.aBug());
  }

  @Test
  void everyPair() {
    int pairs = 0;
    for (StreamState s : StreamState.values()) {
      for (StreamEvent e : StreamEvent.values()) {
        Outcome o = TABLE.get(s).get(e);
        String pair = s + " + " + e;
        if (o == null) {
          throw new AssertionError("no expectation for " + pair);
        }
        pairs++;
        if (o.bug()) {
          IllegalStateException x =
              assertThrows(IllegalStateException.class, () -> s.next(e, 7), pair);
          assertTrue(x.getMessage().contains(s.name()) && x.getMessage().contains(e.name()));
        } else if (o.code() != null) {
          Http2Error x = assertThrows(Http2Error.class, () -> s.next(e, 7), pair);
          assertEquals(o.code(), x.code(), pair);
          assertEquals(o.connection(), x.isConnectionError(), pair);
          assertTrue(x.getMessage().contains(s.name()) && x.getMessage().contains(e.name()), pair);
          if (!o.connection()) {
            assertEquals(7, x.streamId());
          }
        } else {
          try {
            assertEquals(o.state(), s.next(e, 7), pair);
          } catch (Http2Error x) {
            throw new AssertionError(pair + ": " + x.getMessage(), x);
          }
        }
      }
    }
    assertEquals(StreamState.values().length * StreamEvent.values().length, pairs);
  }

  @Test
  void activeAndSendingStates() {
    for (StreamState s : StreamState.values()) {
      assertEquals(
          s == OPEN || s == HALF_CLOSED_LOCAL || s == HALF_CLOSED_REMOTE, s.isActive(), s.name());
      assertEquals(s == OPEN || s == HALF_CLOSED_REMOTE, s.canSend(), s.name());
    }
    assertFalse(IDLE.isActive());
  }
}
