// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * SETTINGS (RFC 9113 §6.5): parameters of the sender, or (ACK) the acknowledgement of the peer's.
 * Values are validated by the engine when applied, not here; unknown identifiers are kept so the
 * engine can ignore them (RFC 9113 §6.5.2).
 *
 * @param ack the ACK flag; an ACK carries no settings
 * @param settings the parameters in the order sent
 */
record SettingsFrame(boolean ack, List<Setting> settings) implements Frame {
  // the parameters, SETTINGS_ and the name (RFC 9113 §6.5.2, RFC 8441 §3, RFC 9218 §2.1)
  static final int HEADER_TABLE_SIZE = 0x1;
  static final int ENABLE_PUSH = 0x2;
  static final int MAX_CONCURRENT_STREAMS = 0x3;
  static final int INITIAL_WINDOW_SIZE = 0x4;
  static final int MAX_FRAME_SIZE = 0x5;
  static final int MAX_HEADER_LIST_SIZE = 0x6;
  static final int ENABLE_CONNECT_PROTOCOL = 0x8;
  static final int NO_RFC7540_PRIORITIES = 0x9;

  /** The acknowledgement frame. */
  static final SettingsFrame ACK = new SettingsFrame(true, List.of());

  /**
   * One parameter.
   *
   * @param id the 16-bit identifier
   * @param value the 32-bit unsigned value
   */
  record Setting(int id, long value) {}

  /** Copies the list. */
  SettingsFrame {
    settings = List.copyOf(settings);
  }

  static SettingsFrame decode(FrameHeader h, Bytes payload) throws Http2Error {
    int length = payload.length();
    boolean ack = h.has(FLAG_ACK);
    Frame.requireLength(
        h, payload, ack ? length == 0 : length % 6 == 0, ack ? "0 in an ACK" : "a multiple of 6");
    if (ack) {
      return ACK;
    }
    List<Setting> settings = new ArrayList<>(length / 6);
    for (int i = 0; i < length; i += 6) {
      int id = (payload.byteAt(i) & 0xff) << 8 | payload.byteAt(i + 1) & 0xff;
      settings.add(new Setting(id, Frame.int32(payload, i + 2) & 0xffff_ffffL));
    }
    return new SettingsFrame(false, settings);
  }

  @Override
  public int type() {
    return SETTINGS;
  }

  @Override
  public int flags() {
    return ack ? FLAG_ACK : 0;
  }

  @Override
  public Bytes payload() {
    ByteBuffer b = ByteBuffer.allocate(6 * settings.size());
    for (Setting s : settings) {
      b.putShort((short) s.id()).putInt((int) s.value());
    }
    return Bytes.of(b.array());
  }
}
