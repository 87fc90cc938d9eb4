// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The invariants {@link Window} owns, sending and receiving (RFC 9113 §6.9). */
class WindowTest {

  @Test
  void aSendWindowNeverSendsMoreThanItHas() {
    Window w = new Window(100, -1);
    w.consume(60);
    assertEquals(40, w.available());
    assertThrows(IllegalStateException.class, () -> w.consume(41));
    assertThrows(IllegalStateException.class, () -> w.consume(-1));
    assertEquals(40, w.available(), "a refused send changes nothing");
  }

  @Test
  void aSendWindowStopsAt2To31Minus1() {
    Window w = new Window(Http2Limits.MAX_WINDOW - 10, -1);
    assertTrue(w.grow(10));
    assertEquals(Http2Limits.MAX_WINDOW, w.available());
    assertFalse(w.grow(1), "one more is a FLOW_CONTROL_ERROR");
    assertEquals(Http2Limits.MAX_WINDOW, w.available(), "unchanged");
  }

  @Test
  void aSendWindowMayGoNegativeWhenTheInitialWindowShrinks() {
    Window w = new Window(1000, -1);
    w.consume(900);
    assertTrue(w.grow(-500));
    assertEquals(-400, w.available());
    assertThrows(IllegalStateException.class, () -> w.consume(1), "nothing can be sent");
  }

  @Test
  void aReceiveWindowReportsDataBeyondIt() {
    Window w = new Window(100, 100);
    assertEquals(0, w.receive(100));
    assertEquals(7, w.receive(7), "overrun by 7");
  }

  @Test
  void aReceiveWindowRefillsOnceTheShareIsUsed() {
    Window w = new Window(1000, 1000);
    w.receive(499);
    assertEquals(0, w.refill(0, 50), "49.9% used");
    w.receive(1);
    assertEquals(500, w.refill(0, 50));
    assertEquals(1000, w.available());
    assertEquals(0, w.refill(0, 50), "nothing used");
    w.receive(1);
    assertEquals(1, w.refill(0, 0), "0%: every byte");
  }

  @Test
  void aReceiveWindowWithoutALevelFollowsTheOneGiven() {
    Window w = new Window(1000, -1);
    w.receive(600);
    assertEquals(1600, w.refill(2000, 50), "refilled to the followed level");
    assertEquals(2000, w.available());
    w.shift(-1500);
    assertEquals(500, w.available());
    assertEquals(0, w.refill(500, 50), "the level moved with the settings");
  }

  @Test
  void settingALevelGrantsGrowthAtOnceAndNeverPast2To31Minus1() {
    Window w = new Window(1000, -1);
    assertEquals(500, w.setLevel(1500, 1000));
    assertEquals(1500, w.available());
    assertEquals(0, w.setLevel(100, 99_999), "shrinking grants nothing");
    assertEquals(1500, w.available());
    w.receive(1450);
    assertEquals(50, w.refill(99_999, 50), "refilled to the level set (100), not the followed one");
    assertEquals(100, w.available());
    assertEquals(Http2Limits.MAX_WINDOW - 100, w.setLevel(Integer.MAX_VALUE, 0));
    assertEquals(Http2Limits.MAX_WINDOW, w.available());
  }
}
