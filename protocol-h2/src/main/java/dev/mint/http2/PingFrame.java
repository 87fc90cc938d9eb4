// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;
import java.nio.ByteBuffer;

/**
 * PING (RFC 9113 §6.7): eight opaque bytes, echoed back with ACK.
 *
 * @param ack the ACK flag
 * @param opaque the eight bytes, as a big-endian number
 */
record PingFrame(boolean ack, long opaque) implements Frame {

  static PingFrame decode(FrameHeader h, Bytes payload) throws Http2Error {
    Frame.requireLength(h, payload, payload.length() == 8, "8");
    return new PingFrame(h.has(FLAG_ACK), opaque(payload));
  }

  /** The eight bytes of {@code payload} as a big-endian number. */
  static long opaque(Bytes payload) {
    return (long) Frame.int32(payload, 0) << 32 | Frame.int32(payload, 4) & 0xffff_ffffL;
  }

  /** The eight bytes of {@code opaque}, big-endian. */
  static Bytes payload(long opaque) {
    return Bytes.of(ByteBuffer.allocate(8).putLong(opaque).array());
  }

  @Override
  public int type() {
    return PING;
  }

  @Override
  public int flags() {
    return ack ? FLAG_ACK : 0;
  }

  @Override
  public Bytes payload() {
    return payload(opaque);
  }
}
