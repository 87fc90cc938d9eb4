// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

/**
 * A window the server sends within, which we grant (RFC 9113 §6.9): the connection's, or one
 * stream's. It owns its invariants: DATA beyond it is reported, never absorbed; it is refilled with
 * one WINDOW_UPDATE once a configured share of its level is used (so that a server sending small
 * frames does not get one WINDOW_UPDATE per frame; §6.9 leaves the timing to us); and no grant
 * takes it past 2^31-1 (§6.9.1).
 *
 * <p>The level it is refilled to is either set ({@link #setLevel}) or follows a level the caller
 * passes: our acknowledged SETTINGS_INITIAL_WINDOW_SIZE for a stream.
 */
final class ReceiveWindow {
  private long available;

  /** The level refilled to, or -1 to follow the level each call passes. */
  private long level;

  /**
   * A window of {@code available} bytes, refilled to {@code level} (or -1 to follow the level each
   * call passes).
   */
  ReceiveWindow(long available, long level) {
    this.available = available;
    this.level = level;
  }

  /** The bytes the server may send now; negative after our initial window shrank (§6.9.2). */
  long available() {
    return available;
  }

  /**
   * Counts {@code n} flow-controlled bytes of DATA that arrived.
   *
   * @return how many bytes they overran the window by, 0 when within it
   */
  long receive(int n) {
    available -= n;
    return available < 0 ? -available : 0;
  }

  /**
   * Refills the window when at least {@code percent} of its level is used.
   *
   * @param followed the level when none was set
   * @return the increment to send in a WINDOW_UPDATE (already added), or 0 when none is due
   */
  int refill(long followed, int percent) {
    long target = level >= 0 ? level : followed;
    long used = Math.min(target - available, Http2Limits.MAX_WINDOW);
    if (used <= 0 || used < Math.max(1, target * percent / 100)) {
      return 0;
    }
    available += used;
    return (int) used;
  }

  /**
   * Sets the level to {@code size}: growing grants the difference at once (capped so the window
   * stays within 2^31-1), shrinking only lowers what later refills aim at.
   *
   * @param followed the level until now, when none was set
   * @return the increment to send in a WINDOW_UPDATE (already added), or 0 when none
   */
  int setLevel(int size, long followed) {
    long before = level >= 0 ? level : followed;
    long grant = Math.min((long) size - before, Http2Limits.MAX_WINDOW - available);
    level = size;
    if (grant <= 0) {
      return 0;
    }
    available += grant;
    return (int) grant;
  }

  /** Our initial window changed by {@code delta}, acknowledged by the server (§6.9.2). */
  void shift(long delta) {
    available += delta;
  }
}
