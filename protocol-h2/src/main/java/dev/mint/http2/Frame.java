// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * One HTTP/2 frame (RFC 9113 §6), an immutable value. Each frame type is a record that decodes
 * itself from a whole payload ({@code decode}, only once the whole frame has arrived) and encodes
 * itself ({@link #payload()}, {@link #encode()}) beside it.
 *
 * <p>Per-type decoding checks what the payload alone can tell: lengths (FRAME_SIZE_ERROR), padding
 * (PROTOCOL_ERROR). Rules that involve the connection (stream 0 or not, CONTINUATION sequences,
 * SETTINGS first) are checked by {@link FrameReader} before, and rules that involve stream state by
 * the engine after.
 */
sealed interface Frame
    permits DataFrame,
        HeadersFrame,
        PriorityFrame,
        RstStreamFrame,
        SettingsFrame,
        PushPromiseFrame,
        PingFrame,
        GoAwayFrame,
        WindowUpdateFrame,
        ContinuationFrame,
        UnknownFrame {

  // the frame types, RFC 9113 §6.1 to §6.10 in order
  int DATA = 0x0;
  int HEADERS = 0x1;
  int PRIORITY = 0x2;
  int RST_STREAM = 0x3;
  int SETTINGS = 0x4;
  int PUSH_PROMISE = 0x5;
  int PING = 0x6;
  int GOAWAY = 0x7;
  int WINDOW_UPDATE = 0x8;
  int CONTINUATION = 0x9;

  /** The RFC names of the types above, by code. */
  List<String> NAMES =
      List.of(
          "DATA HEADERS PRIORITY RST_STREAM SETTINGS PUSH_PROMISE PING GOAWAY WINDOW_UPDATE CONTINUATION"
              .split(" "));

  /** Flag END_STREAM (DATA, HEADERS). */
  int FLAG_END_STREAM = 0x1;

  /** Flag ACK (SETTINGS, PING); same bit as END_STREAM. */
  int FLAG_ACK = 0x1;

  /** Flag END_HEADERS (HEADERS, PUSH_PROMISE, CONTINUATION). */
  int FLAG_END_HEADERS = 0x4;

  /** Flag PADDED (DATA, HEADERS, PUSH_PROMISE). */
  int FLAG_PADDED = 0x8;

  /** Flag PRIORITY (HEADERS). */
  int FLAG_PRIORITY = 0x20;

  /** The stream this frame belongs to; 0 for the connection (the default). */
  default int streamId() {
    return 0;
  }

  /** The frame type code. */
  int type();

  /** The flags as sent; none by default. */
  default int flags() {
    return 0;
  }

  /** The encoded payload. */
  Bytes payload();

  /** The frame's header and payload as buffers ready to queue (the payload is not copied). */
  default ByteBuffer[] encode() {
    Bytes payload = payload();
    ByteBuffer header = ByteBuffer.allocate(FrameHeader.SIZE);
    new FrameHeader(payload.length(), type(), flags(), streamId()).encode(header);
    header.flip();
    return payload.isEmpty()
        ? new ByteBuffer[] {header}
        : new ByteBuffer[] {header, payload.asReadOnlyBuffer()};
  }

  /** The whole encoded frame; for tests and diagnostics. */
  default byte[] toByteArray() {
    ByteBuffer all = ByteBuffer.allocate(FrameHeader.SIZE + payload().length());
    Arrays.stream(encode()).forEach(all::put);
    return all.array();
  }

  /**
   * Decodes the payload of a whole frame by its type; unknown types become {@link UnknownFrame}
   * (RFC 9113 §4.1: they must be ignored).
   */
  static Frame decode(FrameHeader header, Bytes payload) throws Http2Error {
    return switch (header.type()) {
      case DATA -> DataFrame.decode(header, payload);
      case HEADERS -> HeadersFrame.decode(header, payload);
      case PRIORITY -> PriorityFrame.decode(header, payload);
      case RST_STREAM -> RstStreamFrame.decode(header, payload);
      case SETTINGS -> SettingsFrame.decode(header, payload);
      case PUSH_PROMISE -> PushPromiseFrame.decode(header, payload);
      case PING -> PingFrame.decode(header, payload);
      case GOAWAY -> GoAwayFrame.decode(header, payload);
      case WINDOW_UPDATE -> WindowUpdateFrame.decode(header, payload);
      case CONTINUATION -> ContinuationFrame.decode(header, payload);
      default -> new UnknownFrame(header.type(), header.flags(), header.streamId(), payload);
    };
  }

  /**
   * Checks a payload's length against its type's rule ({@code valid}), stated by {@code expected}.
   *
   * @throws Http2Error FRAME_SIZE_ERROR otherwise, of connection scope but for PRIORITY, which
   *     changes no connection state (RFC 9113 §4.2, §6.3)
   */
  static void requireLength(FrameHeader h, Bytes payload, boolean valid, String expected)
      throws Http2Error {
    if (!valid) {
      throw Http2Error.on(
          h.type() == PRIORITY ? h.streamId() : 0,
          ErrorCode.FRAME_SIZE_ERROR,
          "%s frame of %s bytes (expected %s)"
              .formatted(frameName(h.type()), payload.length(), expected));
    }
  }

  /** A 32-bit big-endian integer at {@code index} of {@code bytes}. */
  static int int32(Bytes bytes, int index) {
    return (bytes.byteAt(index) & 0xff) << 24
        | (bytes.byteAt(index + 1) & 0xff) << 16
        | (bytes.byteAt(index + 2) & 0xff) << 8
        | bytes.byteAt(index + 3) & 0xff;
  }

  /**
   * Strips padding (RFC 9113 §6.1): returns {@code [start, end)} of the content after the pad
   * length byte and the {@code fixed} bytes that follow it, and before the padding.
   *
   * @return {@code {start, end, padLength}}, padLength -1 when not padded
   */
  static int[] unpad(FrameHeader header, Bytes payload, int fixed) throws Http2Error {
    int length = payload.length();
    boolean padded = header.has(FLAG_PADDED);
    int start = (padded ? 1 : 0) + fixed;
    if (length < start) {
      throw Http2Error.connection(
          ErrorCode.FRAME_SIZE_ERROR,
          "%s%s frame too short: %s bytes"
              .formatted(padded ? "padded " : "", frameName(header.type()), length));
    }
    int padLength = padded ? payload.byteAt(0) & 0xff : -1;
    if (padLength > length - start) {
      // RFC 9113 §6.1/§6.2/§6.6: padding as long as the payload or longer is a connection error
      throw Http2Error.connection(
          ErrorCode.PROTOCOL_ERROR,
          "padding of %s bytes exceeds the %s payload of %s bytes"
              .formatted(padLength, frameName(header.type()), length));
    }
    return new int[] {start, length - Math.max(padLength, 0), padLength};
  }

  /** The RFC name of a frame type. */
  static String frameName(int type) {
    return type < NAMES.size() ? NAMES.get(type) : "unknown(0x" + Integer.toHexString(type) + ")";
  }

  /** A payload of {@code padLength} padding around {@code fixed} and {@code content}. */
  static Bytes padded(int padLength, byte[] fixed, Bytes content) {
    if (padLength < 0 && fixed.length == 0) {
      return content;
    }
    ByteBuffer b =
        ByteBuffer.allocate((padLength >= 0 ? 1 + padLength : 0) + fixed.length + content.length());
    if (padLength >= 0) {
      b.put((byte) padLength);
    }
    b.put(fixed).put(content.asReadOnlyBuffer()); // the padding stays zero
    return Bytes.of(b.array());
  }
}
