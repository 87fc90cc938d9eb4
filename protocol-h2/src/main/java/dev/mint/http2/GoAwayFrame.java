// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;
import java.nio.ByteBuffer;

/**
 * GOAWAY (RFC 9113 §6.8): the sender will process no stream above {@code lastStreamId} and is
 * shutting the connection down.
 *
 * @param lastStreamId the highest stream the sender might have processed
 * @param errorCode the 32-bit error code (see {@link ErrorCode})
 * @param debugData opaque diagnostic bytes
 */
record GoAwayFrame(int lastStreamId, long errorCode, Bytes debugData) implements Frame {
  static GoAwayFrame decode(FrameHeader h, Bytes payload) throws Http2Error {
    Frame.requireLength(h, payload, payload.length() >= 8, "at least 8");
    return new GoAwayFrame(
        Frame.int32(payload, 0) & 0x7fff_ffff,
        Frame.int32(payload, 4) & 0xffff_ffffL,
        payload.slice(8, payload.length()));
  }

  @Override
  public int type() {
    return GOAWAY;
  }

  @Override
  public Bytes payload() {
    ByteBuffer b = ByteBuffer.allocate(8 + debugData.length());
    b.putInt(lastStreamId).putInt((int) errorCode).put(debugData.asReadOnlyBuffer());
    return Bytes.of(b.array());
  }
}
