// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import java.nio.ByteBuffer;

/**
 * The 9-byte header every HTTP/2 frame starts with (RFC 9113 §4.1): 24-bit payload length, 8-bit
 * type, 8-bit flags, a reserved bit and a 31-bit stream identifier. The reserved bit is ignored on
 * receipt and sent as zero.
 *
 * @param length the payload length, 0..2^24-1
 * @param type the frame type
 * @param flags the type-specific flags
 * @param streamId the stream, 0 for the connection
 */
record FrameHeader(int length, int type, int flags, int streamId) {
  /** The size of a frame header on the wire. */
  static final int SIZE = 9;

  /** Reads a header from the next 9 bytes of {@code in}. */
  static FrameHeader decode(ByteBuffer in) {
    int length = (in.get() & 0xff) << 16 | (in.get() & 0xff) << 8 | in.get() & 0xff;
    int type = in.get() & 0xff;
    int flags = in.get() & 0xff;
    int streamId = in.getInt() & 0x7fff_ffff;
    return new FrameHeader(length, type, flags, streamId);
  }

  /** Writes this header to {@code out}. */
  void encode(ByteBuffer out) {
    out.put((byte) (length >>> 16)).put((byte) (length >>> 8)).put((byte) length);
    out.put((byte) type).put((byte) flags).putInt(streamId & 0x7fff_ffff);
  }

  /** Whether {@code flag} is set. */
  boolean has(int flag) {
    return (flags & flag) != 0;
  }
}
