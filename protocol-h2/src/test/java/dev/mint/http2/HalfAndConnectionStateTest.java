// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every (state, event) pair of the request side ({@link SendHalf}), the response side ({@link
 * ReceiveHalf}) and the connection ({@link ConnectionState}); null in a table marks a pair the
 * engine never produces (a bug if it did).
 */
class HalfAndConnectionStateTest {

  private static <S extends Enum<S>, E extends Enum<E>> void row(
      Map<S, Map<E, S>> table, S state, Class<E> events, Object... eventThenResult) {
    Map<E, S> row = new EnumMap<>(events);
    for (int i = 0; i < eventThenResult.length; i += 2) {
      @SuppressWarnings("unchecked")
      S next = (S) eventThenResult[i + 1];
      row.put(events.cast(eventThenResult[i]), next);
    }
    table.put(state, row);
  }

  @Test
  void everyRequestSidePair() {
    Map<SendHalf, Map<SendHalf.Event, SendHalf>> t = new EnumMap<>(SendHalf.class);
    Class<SendHalf.Event> e = SendHalf.Event.class;
    row(
        t,
        SendHalf.STREAMING,
        e,
        SendHalf.Event.END_BODY,
        SendHalf.ENDING,
        SendHalf.Event.END_BODY_AFTER_DATA,
        SendHalf.ENDING_ALONE,
        SendHalf.Event.END_SENT,
        SendHalf.ENDED,
        SendHalf.Event.RESET,
        SendHalf.RESET);
    for (SendHalf ending : new SendHalf[] {SendHalf.ENDING, SendHalf.ENDING_ALONE}) {
      row(
          t,
          ending,
          e,
          SendHalf.Event.END_BODY,
          null,
          SendHalf.Event.END_BODY_AFTER_DATA,
          null,
          SendHalf.Event.END_SENT,
          SendHalf.ENDED,
          SendHalf.Event.RESET,
          SendHalf.RESET);
    }
    for (SendHalf done : new SendHalf[] {SendHalf.ENDED, SendHalf.RESET}) {
      row(
          t,
          done,
          e,
          SendHalf.Event.END_BODY,
          null,
          SendHalf.Event.END_BODY_AFTER_DATA,
          null,
          SendHalf.Event.END_SENT,
          null,
          SendHalf.Event.RESET,
          SendHalf.RESET);
    }
    for (SendHalf s : SendHalf.values()) {
      for (SendHalf.Event ev : SendHalf.Event.values()) {
        assertPair(t, s, ev, s::next);
      }
    }
  }

  @Test
  void everyResponseSidePair() {
    Map<ReceiveHalf, Map<ReceiveHalf.Event, ReceiveHalf>> t = new EnumMap<>(ReceiveHalf.class);
    Class<ReceiveHalf.Event> e = ReceiveHalf.Event.class;
    for (ReceiveHalf awaiting :
        new ReceiveHalf[] {ReceiveHalf.RESERVED, ReceiveHalf.AWAITING_RESPONSE}) {
      row(
          t,
          awaiting,
          e,
          ReceiveHalf.Event.INTERIM_HEADERS,
          ReceiveHalf.AWAITING_RESPONSE,
          ReceiveHalf.Event.FINAL_HEADERS,
          ReceiveHalf.BODY,
          ReceiveHalf.Event.END_STREAM,
          null,
          ReceiveHalf.Event.FAIL,
          ReceiveHalf.FAILED);
    }
    row(
        t,
        ReceiveHalf.BODY,
        e,
        ReceiveHalf.Event.INTERIM_HEADERS,
        null,
        ReceiveHalf.Event.FINAL_HEADERS,
        null,
        ReceiveHalf.Event.END_STREAM,
        ReceiveHalf.ENDED,
        ReceiveHalf.Event.FAIL,
        ReceiveHalf.FAILED);
    for (ReceiveHalf done : new ReceiveHalf[] {ReceiveHalf.ENDED, ReceiveHalf.FAILED}) {
      row(
          t,
          done,
          e,
          ReceiveHalf.Event.INTERIM_HEADERS,
          null,
          ReceiveHalf.Event.FINAL_HEADERS,
          null,
          ReceiveHalf.Event.END_STREAM,
          null,
          ReceiveHalf.Event.FAIL,
          done);
    }
    for (ReceiveHalf s : ReceiveHalf.values()) {
      for (ReceiveHalf.Event ev : ReceiveHalf.Event.values()) {
        assertPair(t, s, ev, s::next);
      }
    }
  }

  /** The RFC 9113 §5.1 state a stream derives from its two sides, along each path. */
  @Test
  void theStreamStateFollowsTheSides() {
    Stream get = stream(false);
    assertEquals(StreamState.OPEN, get.state());
    get.onSendHalf(SendHalf.Event.END_SENT);
    assertEquals(StreamState.HALF_CLOSED_LOCAL, get.state());
    get.onReceive(ReceiveHalf.Event.FINAL_HEADERS);
    assertEquals(StreamState.HALF_CLOSED_LOCAL, get.state());
    get.onReceive(ReceiveHalf.Event.END_STREAM);
    assertEquals(StreamState.CLOSED, get.state());

    Stream post = stream(false);
    post.onReceive(ReceiveHalf.Event.FINAL_HEADERS);
    post.onReceive(ReceiveHalf.Event.END_STREAM);
    assertEquals(StreamState.HALF_CLOSED_REMOTE, post.state());
    post.onSendHalf(SendHalf.Event.RESET);
    assertEquals(StreamState.CLOSED, post.state());

    Stream push = stream(true);
    assertEquals(StreamState.RESERVED_REMOTE, push.state());
    push.onReceive(ReceiveHalf.Event.INTERIM_HEADERS);
    assertEquals(StreamState.HALF_CLOSED_LOCAL, push.state());
    push.onReceive(ReceiveHalf.Event.FAIL);
    assertEquals(StreamState.CLOSED, push.state());
  }

  private static Stream stream(boolean pushed) {
    return new Stream(
        pushed ? 2 : 1, dev.mint.spi.ApiAccess.newRequestRef(1, "test"), "GET", 65_535, 65_535);
  }

  @Test
  void everyConnectionPair() {
    Map<ConnectionState, Map<ConnectionState.Event, ConnectionState>> t =
        new EnumMap<>(ConnectionState.class);
    Class<ConnectionState.Event> e = ConnectionState.Event.class;
    for (ConnectionState s :
        new ConnectionState[] {ConnectionState.STARTING, ConnectionState.OPEN}) {
      row(
          t,
          s,
          e,
          ConnectionState.Event.SETTINGS_RECEIVED,
          ConnectionState.OPEN,
          ConnectionState.Event.GOAWAY_RECEIVED,
          ConnectionState.DRAINING,
          ConnectionState.Event.CLOSE,
          ConnectionState.CLOSED);
    }
    row(
        t,
        ConnectionState.DRAINING,
        e,
        ConnectionState.Event.SETTINGS_RECEIVED,
        ConnectionState.DRAINING,
        ConnectionState.Event.GOAWAY_RECEIVED,
        ConnectionState.DRAINING,
        ConnectionState.Event.CLOSE,
        ConnectionState.CLOSED);
    row(
        t,
        ConnectionState.CLOSED,
        e,
        ConnectionState.Event.SETTINGS_RECEIVED,
        ConnectionState.CLOSED,
        ConnectionState.Event.GOAWAY_RECEIVED,
        ConnectionState.CLOSED,
        ConnectionState.Event.CLOSE,
        ConnectionState.CLOSED);
    for (ConnectionState s : ConnectionState.values()) {
      for (ConnectionState.Event ev : ConnectionState.Event.values()) {
        assertPair(t, s, ev, s::next);
      }
    }
    assertEquals(true, ConnectionState.STARTING.acceptsRequests());
    assertEquals(true, ConnectionState.OPEN.acceptsRequests());
    assertEquals(false, ConnectionState.DRAINING.acceptsRequests());
    assertEquals(false, ConnectionState.CLOSED.acceptsRequests());
  }

  private static <S extends Enum<S>, E extends Enum<E>> void assertPair(
      Map<S, Map<E, S>> table, S state, E event, java.util.function.Function<E, S> next) {
    Map<E, S> row = table.get(state);
    assertEquals(true, row != null && row.containsKey(event), "no row for " + state + ", " + event);
    S expected = row.get(event);
    if (expected == null) {
      assertThrows(IllegalStateException.class, () -> next.apply(event), state + ", " + event);
    } else {
      assertEquals(expected, next.apply(event), state + ", " + event);
    }
  }
}
