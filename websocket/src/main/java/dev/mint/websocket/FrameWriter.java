// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import java.security.SecureRandom;

/**
 * Encodes client frames (RFC 6455 §5.2): every one masked (§5.3) with a fresh 4-byte key drawn from
 * a {@link SecureRandom} for that frame, so that a server or intermediary cannot predict the bytes
 * on the wire from the payload (the cache-poisoning attack of §10.3).
 */
final class FrameWriter {
  private final SecureRandom random;
  private final byte[] key = new byte[4];

  FrameWriter(SecureRandom random) {
    this.random = random;
  }

  /** One frame's bytes: header, masking key and masked payload. */
  byte[] encode(Opcode opcode, boolean fin, boolean rsv1, byte[] payload, int offset, int length) {
    int extended = length < 126 ? 0 : length <= 0xFFFF ? 2 : 8;
    byte[] out = new byte[2 + extended + 4 + length];
    out[0] = (byte) ((fin ? 0x80 : 0) | (rsv1 ? 0x40 : 0) | opcode.code());
    int i = 2;
    if (extended == 0) {
      out[1] = (byte) (0x80 | length);
    } else if (extended == 2) {
      out[1] = (byte) (0x80 | 126);
      out[i++] = (byte) (length >>> 8);
      out[i++] = (byte) length;
    } else {
      out[1] = (byte) (0x80 | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        out[i++] = (byte) ((long) length >>> shift);
      }
    }
    random.nextBytes(key);
    System.arraycopy(key, 0, out, i, 4);
    i += 4;
    for (int j = 0; j < length; j++) {
      out[i + j] = (byte) (payload[offset + j] ^ key[j & 3]);
    }
    return out;
  }
}
