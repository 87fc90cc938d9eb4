// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;
import java.nio.ByteBuffer;

/**
 * WINDOW_UPDATE (RFC 9113 §6.9): grows a flow-control window, of one stream or (stream 0) of the
 * connection.
 *
 * @param streamId the stream, or 0 for the connection
 * @param increment the 31-bit increment; 0 is a protocol error the engine reports
 */
record WindowUpdateFrame(int streamId, int increment) implements Frame {

  static WindowUpdateFrame decode(FrameHeader h, Bytes payload) throws Http2Error {
    Frame.requireLength(h, payload, payload.length() == 4, "4");
    return new WindowUpdateFrame(h.streamId(), Frame.int32(payload, 0) & 0x7fff_ffff);
  }

  @Override
  public int type() {
    return WINDOW_UPDATE;
  }

  @Override
  public Bytes payload() {
    return Bytes.of(ByteBuffer.allocate(4).putInt(increment).array());
  }
}
