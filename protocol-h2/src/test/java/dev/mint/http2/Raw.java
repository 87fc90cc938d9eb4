// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;
import dev.mint.Headers;
import java.nio.ByteBuffer;

/** Hand-made frames, for the malformed ones the frame records cannot express. */
final class Raw {
  private Raw() {}

  /** One header block of {@code fields}, encoded by {@code encoder}. */
  static Bytes block(TwitterHpackEncoder encoder, Headers fields) {
    return Bytes.of(encoder.encode(fields, 0));
  }

  /** A frame of any type, flags, stream and payload. */
  static byte[] frame(int type, int flags, int streamId, int... payload) {
    byte[] b = new byte[payload.length];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) payload[i];
    }
    return frame(type, flags, streamId, b);
  }

  /** A frame of any type, flags, stream and payload. */
  static byte[] frame(int type, int flags, int streamId, byte[] payload) {
    ByteBuffer b = ByteBuffer.allocate(FrameHeader.SIZE + payload.length);
    new FrameHeader(payload.length, type, flags, streamId).encode(b);
    b.put(payload);
    return b.array();
  }

  /** A frame header announcing {@code length} bytes, without the payload. */
  static byte[] header(int length, int type, int flags, int streamId) {
    ByteBuffer b = ByteBuffer.allocate(FrameHeader.SIZE);
    new FrameHeader(length, type, flags, streamId).encode(b);
    return b.array();
  }

  /** Concatenates byte arrays. */
  static byte[] concat(byte[]... parts) {
    int n = 0;
    for (byte[] p : parts) {
      n += p.length;
    }
    ByteBuffer b = ByteBuffer.allocate(n);
    for (byte[] p : parts) {
      b.put(p);
    }
    return b.array();
  }
}
