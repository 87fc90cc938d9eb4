// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;
import java.nio.ByteBuffer;

/**
 * PRIORITY (RFC 9113 §6.3). RFC 9113 deprecates the priority scheme; the engine validates and
 * otherwise ignores it.
 *
 * @param streamId the stream, never 0
 * @param priority the dependency and weight
 */
record PriorityFrame(int streamId, Priority priority) implements Frame {

  /**
   * A stream dependency and weight, as carried by PRIORITY and by HEADERS with the PRIORITY flag.
   *
   * @param exclusive the E bit
   * @param dependency the stream depended on
   * @param weight the weight as sent, 0..255 (meaning 1..256)
   */
  record Priority(boolean exclusive, int dependency, int weight) {
    static final int SIZE = 5;

    static Priority decode(Bytes payload, int index) {
      int word = Frame.int32(payload, index);
      return new Priority(word < 0, word & 0x7fff_ffff, payload.byteAt(index + 4) & 0xff);
    }

    byte[] encode() {
      return ByteBuffer.allocate(SIZE)
          .putInt(dependency | (exclusive ? 0x8000_0000 : 0))
          .put((byte) weight)
          .array();
    }
  }

  static PriorityFrame decode(FrameHeader h, Bytes payload) throws Http2Error {
    Frame.requireLength(h, payload, payload.length() == Priority.SIZE, "5");
    return new PriorityFrame(h.streamId(), Priority.decode(payload, 0));
  }

  @Override
  public int type() {
    return PRIORITY;
  }

  @Override
  public Bytes payload() {
    return Bytes.of(priority.encode());
  }
}
