// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

/**
 * A window we send within (RFC 9113 §6.9): the server's connection-level window, or one stream's.
 * It owns its invariants: a send never takes more than is available, and neither a WINDOW_UPDATE
 * nor a change of SETTINGS_INITIAL_WINDOW_SIZE may take it past 2^31-1 (§6.9.1). It may be negative
 * after the server lowers SETTINGS_INITIAL_WINDOW_SIZE (§6.9.2): nothing can be sent then.
 */
final class SendWindow {
  private long available;

  SendWindow(long initial) {
    this.available = initial;
  }

  /** The bytes we may send now; may be negative. */
  long available() {
    return available;
  }

  /** Takes {@code n} bytes we are sending; never more than {@link #available()}. */
  void consume(long n) {
    if (n < 0 || n > available) {
      throw new IllegalStateException("sending " + n + " bytes within a window of " + available);
    }
    available -= n;
  }

  /**
   * Adds a WINDOW_UPDATE's increment, or the difference of a new SETTINGS_INITIAL_WINDOW_SIZE.
   *
   * @return false, the window unchanged, when it would pass 2^31-1: a FLOW_CONTROL_ERROR, which the
   *     caller raises with the scope it knows
   */
  boolean grow(long delta) {
    if (available + delta > Http2Limits.MAX_WINDOW) {
      return false;
    }
    available += delta;
    return true;
  }
}
