// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

/**
 * A flow-control window (RFC 9113 §6.9): the connection's or one stream's, the server's that we
 * send within or ours that the server sends within. It owns its invariants: no WINDOW_UPDATE or
 * grant takes it past 2^31-1 (§6.9.1); a send never takes more than is available; DATA received
 * beyond it is reported, never absorbed. It may be negative after an initial window size shrank
 * (§6.9.2): nothing can be sent within it then.
 *
 * <p>A window we grant is refilled with one WINDOW_UPDATE once a configured share of its level is
 * used, so that a server sending small frames does not get one WINDOW_UPDATE per frame (§6.9 leaves
 * the timing to us). That level is either set ({@link #setLevel}) or follows a level the caller
 * passes: our acknowledged SETTINGS_INITIAL_WINDOW_SIZE for a stream.
 */
final class Window {
  private long available;

  /** The level a window we grant is refilled to, or -1 to follow the level each call passes. */
  private long level;

  /** A window of {@code available} bytes, refilled to {@code level} (or -1: see {@link #level}). */
  Window(long available, long level) {
    this.available = available;
    this.level = level;
  }

  /** The bytes that may be sent now; may be negative. */
  long available() {
    return available;
  }

  // ---- the server's windows, which we send within ----

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

  // ---- our windows, which the server sends within ----

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
