// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Http2Operations.Settings;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;

/**
 * Our settings: the values the server acknowledged (in effect) and the SETTINGS frames still
 * awaiting acknowledgement, oldest first. RFC 9113 §6.5.3: values apply when the peer acknowledges
 * them, because only then do we know at which point of its byte stream it started using them.
 */
final class LocalSettings {
  private Settings acked = Settings.defaults();
  private boolean ackedOnce;
  private final ArrayDeque<Settings> pending = new ArrayDeque<>();

  /** The settings in effect. */
  Settings acked() {
    return acked;
  }

  /** Whether the server acknowledged our first SETTINGS frame. */
  boolean ackedOnce() {
    return ackedOnce;
  }

  /** The settings as they will be once everything sent is acknowledged. */
  Settings latest() {
    return pending.isEmpty() ? acked : pending.peekLast();
  }

  /** The SETTINGS frames awaiting acknowledgement. */
  int pendingCount() {
    return pending.size();
  }

  /** Notes {@code wanted} as sent, returning the frame holding what changed. */
  SettingsFrame send(Settings wanted) {
    SettingsFrame frame = new SettingsFrame(false, diff(latest(), wanted));
    pending.addLast(wanted);
    return frame;
  }

  /**
   * Applies the oldest SETTINGS frame awaiting acknowledgement and returns the settings that were
   * in effect before.
   *
   * @throws Http2Error PROTOCOL_ERROR for an acknowledgement of nothing
   */
  Settings acknowledge() throws Http2Error {
    Settings next = pending.pollFirst();
    if (next == null) {
      throw Http2Error.connection(
          ErrorCode.PROTOCOL_ERROR, "SETTINGS ACK without a SETTINGS frame awaiting it");
    }
    Settings before = acked;
    acked = next;
    ackedOnce = true;
    return before;
  }

  /**
   * The largest value of a limit among the settings in effect and those sent: while a change is in
   * flight the peer may still use either value, so receiving accepts the larger. Before the first
   * acknowledgement only what we sent counts (the RFC defaults include "unlimited").
   */
  long receiveLimit(ToLongFunction<Settings> limit) {
    long max = ackedOnce ? limit.applyAsLong(acked) : 0;
    for (Settings s : pending) {
      max = Math.max(max, limit.applyAsLong(s));
    }
    return max;
  }

  /** The parameters that differ between {@code from} and {@code to}. */
  static List<SettingsFrame.Setting> diff(Settings from, Settings to) {
    List<SettingsFrame.Setting> out = new ArrayList<>(6);
    for (int id = SettingsFrame.HEADER_TABLE_SIZE; id <= SettingsFrame.MAX_HEADER_LIST_SIZE; id++) {
      long value = wireValue(to, id);
      if (wireValue(from, id) != value) {
        out.add(new SettingsFrame.Setting(id, value));
      }
    }
    return out;
  }

  /**
   * The value of parameter {@code id} (1 to 6) in {@code s} as sent: "unlimited" has no wire form,
   * so the largest 32-bit value stands for it.
   */
  private static long wireValue(Settings s, int id) {
    return switch (id) {
      case SettingsFrame.HEADER_TABLE_SIZE -> s.headerTableSize();
      case SettingsFrame.ENABLE_PUSH -> s.enablePush() ? 1 : 0;
      case SettingsFrame.MAX_CONCURRENT_STREAMS -> Math.min(s.maxConcurrentStreams(), 0xFFFF_FFFFL);
      case SettingsFrame.INITIAL_WINDOW_SIZE -> s.initialWindowSize();
      case SettingsFrame.MAX_FRAME_SIZE -> s.maxFrameSize();
      default -> Math.min(s.maxHeaderListSize(), 0xFFFF_FFFFL);
    };
  }
}
