// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads server frames (RFC 6455 §5.2) from bytes arriving in any split: a frame comes out once all
 * of it is here; until then the bytes wait inside, bounded by {@code maxFrameSize}.
 *
 * <p>The rules a single frame header can break are checked as soon as the header is here, before
 * any payload is buffered: reserved opcodes and RSV bits (§5.2), control frames fragmented or over
 * 125 bytes (§5.5), masked server frames (§5.1), lengths not in their minimal form or with the top
 * bit set (§5.2), and frames larger than the limit. Rules about sequences of frames (continuations,
 * close) are the codec's.
 */
final class FrameReader {
  /** The first allocation for a payload; it doubles as bytes arrive, up to the announced length. */
  private static final int INITIAL_PAYLOAD_CAPACITY = 64 * 1024;

  /** A whole unmasked frame. The payload array is owned by the receiver. */
  record Frame(Opcode opcode, boolean fin, boolean rsv1, byte[] payload) {}

  private final int maxFrameSize;
  private final boolean rsv1Allowed;

  /** Server frames are unmasked: 2 bytes and at most 8 of extended length. */
  private final byte[] head = new byte[10];

  private int headLength;
  private int headNeeded = 2;
  private boolean inPayload;
  private byte[] payload;
  private int payloadLength;
  private int filled;

  /**
   * @param maxFrameSize the largest payload accepted
   * @param rsv1Allowed whether an extension giving RSV1 a meaning (permessage-deflate) was
   *     negotiated
   */
  FrameReader(int maxFrameSize, boolean rsv1Allowed) {
    this.maxFrameSize = maxFrameSize;
    this.rsv1Allowed = rsv1Allowed;
  }

  /**
   * Reads from {@code in} until a frame is complete or {@code in} is empty.
   *
   * @return the frame, or {@code null} when more bytes are needed (all of {@code in} was taken)
   * @throws WebSocketException 1002 for a frame rule, 1009 for a frame over the limit
   */
  Frame next(ByteBuffer in) throws WebSocketException {
    if (!inPayload) {
      while (headLength < headNeeded) {
        if (!in.hasRemaining()) {
          return null;
        }
        head[headLength++] = in.get();
        if (headLength == 2) {
          headNeeded = checkFirstTwoBytes();
        }
      }
      payloadLength = decodeLength();
      payload = new byte[Math.min(payloadLength, INITIAL_PAYLOAD_CAPACITY)];
      filled = 0;
      inPayload = true;
    }
    while (filled < payloadLength) {
      if (!in.hasRemaining()) {
        return null;
      }
      if (filled == payload.length) {
        payload = Arrays.copyOf(payload, (int) Math.min(2L * payload.length, payloadLength));
      }
      int n = Math.min(in.remaining(), payload.length - filled);
      in.get(payload, filled, n);
      filled += n;
    }
    Frame frame = new Frame(opcode(), (head[0] & 0x80) != 0, (head[0] & 0x40) != 0, payload);
    headLength = 0;
    headNeeded = 2;
    inPayload = false;
    payload = null;
    return frame;
  }

  /** Whether no partial frame is waiting. */
  boolean isAtFrameBoundary() {
    return headLength == 0 && !inPayload;
  }

  private Opcode opcode() {
    return Opcode.of(head[0] & 0x0F);
  }

  /** Checks what the first two bytes decide, and returns the length of the whole header. */
  private int checkFirstTwoBytes() throws WebSocketException {
    int b0 = head[0] & 0xFF;
    int b1 = head[1] & 0xFF;
    Opcode opcode = Opcode.of(b0 & 0x0F);
    if (opcode == null) {
      throw protocolError(String.format("reserved opcode 0x%X (RFC 6455 §5.2)", b0 & 0x0F));
    }
    if ((b0 & 0x30) != 0) {
      throw protocolError("RSV2 or RSV3 set with no extension defining them (RFC 6455 §5.2)");
    }
    if ((b0 & 0x40) != 0 && !(rsv1Allowed && (opcode == Opcode.TEXT || opcode == Opcode.BINARY))) {
      throw protocolError(
          "RSV1 set on a "
              + opcode
              + " frame"
              + (rsv1Allowed
                  ? " (RFC 7692 §6: only the first frame of a message)"
                  : " with no extension negotiated (RFC 6455 §5.2)"));
    }
    int length7 = b1 & 0x7F;
    if (opcode.isControl()) {
      if ((b0 & 0x80) == 0) {
        throw protocolError("a fragmented " + opcode + " frame (RFC 6455 §5.5)");
      }
      if (length7 > 125) {
        throw protocolError("a " + opcode + " frame over 125 bytes (RFC 6455 §5.5)");
      }
    }
    if ((b1 & 0x80) != 0) {
      throw protocolError("a masked frame from the server (RFC 6455 §5.1)");
    }
    return 2 + (length7 == 126 ? 2 : length7 == 127 ? 8 : 0);
  }

  private int decodeLength() throws WebSocketException {
    int length7 = head[1] & 0x7F;
    long length;
    if (length7 < 126) {
      length = length7;
    } else if (length7 == 126) {
      length = (head[2] & 0xFF) << 8 | head[3] & 0xFF;
      if (length < 126) {
        throw protocolError("length " + length + " in the 16-bit form (RFC 6455 §5.2: minimal)");
      }
    } else {
      length = 0;
      for (int i = 2; i < 10; i++) {
        length = length << 8 | head[i] & 0xFF;
      }
      if (length < 0) {
        throw protocolError("a 64-bit length with its most significant bit set (RFC 6455 §5.2)");
      }
      if (length < 0x10000) {
        throw protocolError("length " + length + " in the 64-bit form (RFC 6455 §5.2: minimal)");
      }
    }
    if (length > maxFrameSize) {
      throw new WebSocketException(
          CloseCodes.TOO_BIG,
          "a " + opcode() + " frame of " + length + " bytes, over maxFrameSize " + maxFrameSize);
    }
    return (int) length;
  }

  private static WebSocketException protocolError(String message) {
    return new WebSocketException(CloseCodes.PROTOCOL_ERROR, message);
  }
}
