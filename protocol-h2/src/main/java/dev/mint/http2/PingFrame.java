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
    if (payload.length() != 8) {
      throw Http2Error.connection(
          ErrorCode.FRAME_SIZE_ERROR, "PING frame of " + payload.length() + " bytes (expected 8)");
    }
    long opaque = (long) Frame.int32(payload, 0) << 32 | Frame.int32(payload, 4) & 0xffff_ffffL;
    return new PingFrame(h.has(FLAG_ACK), opaque);
  }

  @Override
  public int streamId() {
    return 0;
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
    return Bytes.of(ByteBuffer.allocate(8).putLong(opaque).array());
  }
}
