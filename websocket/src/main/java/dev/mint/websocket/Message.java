// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import dev.mint.Bytes;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a WebSocket carries, received or sent. Immutable values: they stay valid forever and may be
 * shared between threads.
 *
 * <p>Receiving with {@link WebSocketOptions.Delivery#MESSAGES} gives whole {@link Text} and {@link
 * Binary} messages; with {@link WebSocketOptions.Delivery#FRAMES} each data frame arrives as a
 * {@link Fragment}, already decompressed and (for text) checked as a prefix of valid UTF-8. Control
 * frames ({@link Ping}, {@link Pong}, {@link Close}) arrive as they are in both, even between the
 * fragments of a message (RFC 6455 §5.4).
 *
 * <p>Sending: every kind may be sent; a message of {@link Fragment}s starts with {@link
 * Opcode#TEXT} or {@link Opcode#BINARY}, continues with {@link Opcode#CONTINUATION} and ends with
 * {@code fin} set.
 */
public sealed interface Message
    permits Message.Text,
        Message.Binary,
        Message.Fragment,
        Message.Ping,
        Message.Pong,
        Message.Close {

  /** A whole text message. */
  record Text(String text) implements Message {
    /** Rejects null. */
    public Text {
      Objects.requireNonNull(text, "text");
    }
  }

  /** A whole binary message. */
  record Binary(Bytes bytes) implements Message {
    /** Rejects null. */
    public Binary {
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  /**
   * One data frame: {@code opcode} is {@link Opcode#TEXT} or {@link Opcode#BINARY} for the first
   * frame of a message and {@link Opcode#CONTINUATION} for the others; {@code fin} marks the last.
   * Received text fragments may end inside a UTF-8 sequence that the next one completes.
   */
  record Fragment(Opcode opcode, Bytes payload, boolean fin) implements Message {
    /** Rejects null and control opcodes. */
    public Fragment {
      Objects.requireNonNull(opcode, "opcode");
      Objects.requireNonNull(payload, "payload");
      if (opcode.isControl()) {
        throw new IllegalArgumentException("a fragment carries data, not " + opcode);
      }
    }
  }

  /** A ping (RFC 6455 §5.5.2): at most 125 bytes of application data. */
  record Ping(Bytes payload) implements Message {
    /** Rejects null. */
    public Ping {
      Objects.requireNonNull(payload, "payload");
    }
  }

  /** A pong (RFC 6455 §5.5.3): at most 125 bytes of application data. */
  record Pong(Bytes payload) implements Message {
    /** Rejects null. */
    public Pong {
      Objects.requireNonNull(payload, "payload");
    }
  }

  /**
   * A close (RFC 6455 §5.5.1): a status code and a reason. A received Close frame without a body
   * gives {@link CloseCodes#NO_STATUS} and an empty reason; sending that code sends a Close frame
   * without a body.
   *
   * @param code {@link CloseCodes#NO_STATUS} or a code {@link CloseCodes#isValidOnWire valid on the
   *     wire}
   * @param reason at most 123 bytes in UTF-8 (§5.5: a control payload is at most 125 bytes, 2 of
   *     which hold the code); empty with {@link CloseCodes#NO_STATUS}
   */
  record Close(int code, String reason) implements Message {
    /** The most bytes the UTF-8 encoding of a reason may take. */
    public static final int MAX_REASON_BYTES = 123;

    /** Checks the code and the reason's length. */
    public Close {
      Objects.requireNonNull(reason, "reason");
      if (code == CloseCodes.NO_STATUS) {
        if (!reason.isEmpty()) {
          throw new IllegalArgumentException("a close without a status code has no reason");
        }
      } else if (!CloseCodes.isValidOnWire(code)) {
        throw new IllegalArgumentException(
            "close code " + code + " may not be sent in a Close frame (RFC 6455 §7.4)");
      }
      int length = reason.getBytes(StandardCharsets.UTF_8).length;
      if (length > MAX_REASON_BYTES) {
        throw new IllegalArgumentException(
            "close reason is " + length + " bytes in UTF-8, more than " + MAX_REASON_BYTES);
      }
    }

    /** A close with {@code code} and no reason. */
    public Close(int code) {
      this(code, "");
    }
  }
}
