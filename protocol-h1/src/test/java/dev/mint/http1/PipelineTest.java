// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mint.http1.Pipeline.ConnectionState;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every (state, next state) pair of the connection lifecycle. */
class PipelineTest {

  private static Pipeline in(ConnectionState state) {
    Pipeline p = new Pipeline();
    if (state != ConnectionState.OPEN) {
      p.moveTo(state);
    }
    return p;
  }

  private static Set<ConnectionState> allowedFrom(ConnectionState from) {
    return switch (from) {
      case OPEN -> EnumSet.allOf(ConnectionState.class);
      case DRAINING ->
          EnumSet.of(ConnectionState.DRAINING, ConnectionState.TUNNEL, ConnectionState.CLOSED);
      case TUNNEL -> EnumSet.of(ConnectionState.TUNNEL, ConnectionState.CLOSED);
      case CLOSED -> EnumSet.of(ConnectionState.CLOSED);
    };
  }

  @Test
  void everyTransitionPair() {
    int checked = 0;
    for (ConnectionState from : ConnectionState.values()) {
      for (ConnectionState to : ConnectionState.values()) {
        Pipeline p = in(from);
        if (allowedFrom(from).contains(to)) {
          p.moveTo(to);
          assertEquals(to, p.state(), from + " -> " + to);
        } else {
          IllegalStateException e = assertThrows(IllegalStateException.class, () -> p.moveTo(to));
          assertEquals("no connection transition from " + from + " to " + to, e.getMessage());
          assertEquals(from, p.state());
        }
        checked++;
      }
    }
    assertEquals(16, checked);
  }

  @Test
  void onlyOpenCanSend() {
    for (ConnectionState s : ConnectionState.values()) {
      assertEquals(s == ConnectionState.OPEN, in(s).canSend(), s.toString());
      assertEquals(s == ConnectionState.CLOSED, in(s).isClosed(), s.toString());
    }
  }
}
