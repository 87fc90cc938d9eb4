// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;
import java.nio.ByteBuffer;

/**
 * RST_STREAM (RFC 9113 §6.4): ends one stream at once.
 *
 * @param streamId the stream, never 0
 * @param errorCode the 32-bit error code (see {@link ErrorCode})
 */
record RstStreamFrame(int streamId, long errorCode) implements Frame {

  /** A reset with a known code. */
  RstStreamFrame(int streamId, ErrorCode code) {
    this(streamId, code.code());
  }

  static RstStreamFrame decode(FrameHeader h, Bytes payload) throws Http2Error {
    Frame.requireLength(h, payload, payload.length() == 4, "4");
    return new RstStreamFrame(h.streamId(), Frame.int32(payload, 0) & 0xffff_ffffL);
  }

  @Override
  public int type() {
    return RST_STREAM;
  }

  @Override
  public Bytes payload() {
    return Bytes.of(ByteBuffer.allocate(4).putInt((int) errorCode).array());
  }
}
