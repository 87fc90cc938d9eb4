// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;
import dev.mint.spi.ApiAccess;
import dev.mint.spi.ReadBuffers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts the server's byte stream into whole frames and checks, from each frame's header and before
 * any per-type handling, the rules that hold whatever the stream state: SETTINGS first (RFC 9113
 * §3.4), our SETTINGS_MAX_FRAME_SIZE (§4.2; checked from the header alone, so an oversized frame is
 * never buffered), stream 0 or not (§6), and a header block without END_HEADERS continued by
 * CONTINUATION frames on its stream with nothing in between (§6.10). The reader joins a block's
 * fragments and hands over one HEADERS or PUSH_PROMISE holding it, so the engine never sees
 * CONTINUATION. A block may span at most {@link Http2Limits#MAX_CONTINUATION_FRAMES} CONTINUATION
 * frames and {@code maxHeaderBlockSize} bytes, else ENHANCE_YOUR_CALM: this stops a peer that
 * streams an endless header block (a "CONTINUATION flood") from growing our buffer.
 *
 * <p>Per-type payload checks happen in each frame's {@code decode}. Bytes are consumed as they
 * come; a frame split across calls is staged in a buffer no larger than the maximum frame size. A
 * DATA payload, which leaves in a response part, is made by {@link ReadBuffers#bodyChunk} (a view
 * of the lent read buffer when large); a large one that had to be staged keeps the staging array
 * when it fills at least half of it, and the next split frame stages in a new one.
 */
final class FrameReader {
  private final ByteBuffer headerBuffer = ByteBuffer.allocate(FrameHeader.SIZE);
  private int maxHeaderBlockSize;
  private int maxFrameSize;
  private boolean prefaceSeen;

  private FrameHeader header;
  private byte[] staged;
  private int stagedLength;

  /** The HEADERS or PUSH_PROMISE whose block is still open (or null), the fragments so far. */
  private Frame blockStart;

  private final List<Bytes> fragments = new ArrayList<>();
  private int blockLength;

  /**
   * A reader that accepts frames up to {@code maxFrameSize} bytes and header blocks up to {@code
   * maxHeaderBlockSize} bytes.
   */
  FrameReader(int maxFrameSize, int maxHeaderBlockSize) {
    limits(maxFrameSize, maxHeaderBlockSize);
  }

  /**
   * Changes the largest payload and header block accepted (our SETTINGS_MAX_FRAME_SIZE and
   * SETTINGS_MAX_HEADER_LIST_SIZE as they apply); a block already open is held to the new bound
   * from its next fragment.
   */
  void limits(int maxFrameSize, int maxHeaderBlockSize) {
    this.maxFrameSize = maxFrameSize;
    this.maxHeaderBlockSize = maxHeaderBlockSize;
  }

  /**
   * The next whole frame from {@code in}, or {@code null} when {@code in} ran out first (the bytes
   * read so far are kept). Consumes only the bytes of the frame returned.
   */
  Frame next(ByteBuffer in) throws Http2Error {
    while (true) {
      if (header == null) {
        while (headerBuffer.hasRemaining() && in.hasRemaining()) {
          headerBuffer.put(in.get());
        }
        if (headerBuffer.hasRemaining()) {
          return null;
        }
        headerBuffer.flip();
        FrameHeader h = FrameHeader.decode(headerBuffer);
        checkHeader(h, headerBuffer);
        headerBuffer.clear();
        header = h;
      }
      Bytes payload;
      int length = header.length();
      boolean data = header.type() == Frame.DATA; // its payload leaves in a part: see receive
      if (stagedLength == 0 && in.remaining() >= length) {
        payload = data ? ReadBuffers.bodyChunk(in, length) : Bytes.copyOf(in, length);
      } else {
        if (staged == null || staged.length < length) {
          staged = new byte[Math.max(length, 64)];
        }
        int n = Math.min(in.remaining(), length - stagedLength);
        in.get(staged, stagedLength, n);
        stagedLength += n;
        if (stagedLength < length) {
          return null;
        }
        if (data && length >= ReadBuffers.MIN_VIEW && staged.length < 2 * length) {
          payload = ApiAccess.bytesOver(staged, 0, length); // given up: the next frame stages anew
          staged = null;
        } else {
          payload = Bytes.of(staged, 0, length);
        }
        stagedLength = 0;
      }
      FrameHeader h = header;
      header = null;
      Frame frame = assemble(Frame.decode(h, payload));
      if (frame != null) {
        return frame;
      }
    }
  }

  private void checkHeader(FrameHeader h, ByteBuffer raw) throws Http2Error {
    if (!prefaceSeen) {
      if (h.type() != Frame.SETTINGS || h.has(Frame.FLAG_ACK)) {
        String text = new String(raw.array(), 0, 5, StandardCharsets.ISO_8859_1);
        throw Http2Error.connection(
            ErrorCode.PROTOCOL_ERROR,
            text.equals("HTTP/")
                ? "the server answered in HTTP/1.x, not HTTP/2"
                : "the server's connection preface must start with SETTINGS (RFC 9113 §3.4), got "
                    + Frame.frameName(h.type())
                    + (h.has(Frame.FLAG_ACK) ? " ACK" : ""));
      }
      prefaceSeen = true;
    }
    if (h.length() > maxFrameSize) {
      throw Http2Error.connection(
          ErrorCode.FRAME_SIZE_ERROR,
          "%s frame of %s bytes exceeds SETTINGS_MAX_FRAME_SIZE %s"
              .formatted(Frame.frameName(h.type()), h.length(), maxFrameSize));
    }
    boolean connectionFrame =
        h.type() == Frame.SETTINGS || h.type() == Frame.PING || h.type() == Frame.GOAWAY;
    // every other known type but WINDOW_UPDATE (either) belongs to a stream
    boolean streamFrame =
        h.type() <= Frame.CONTINUATION && !connectionFrame && h.type() != Frame.WINDOW_UPDATE;
    if (streamFrame && h.streamId() == 0) {
      throw Http2Error.connection(
          ErrorCode.PROTOCOL_ERROR, Frame.frameName(h.type()) + " frame on stream 0");
    }
    if (connectionFrame && h.streamId() != 0) {
      throw Http2Error.connection(
          ErrorCode.PROTOCOL_ERROR,
          Frame.frameName(h.type()) + " frame on stream " + h.streamId() + " (must be 0)");
    }
    if (blockStart != null
        && (h.type() != Frame.CONTINUATION || h.streamId() != blockStart.streamId())) {
      throw Http2Error.connection(
          ErrorCode.PROTOCOL_ERROR,
          "expected CONTINUATION on stream %s, got %s on stream %s"
              .formatted(blockStart.streamId(), Frame.frameName(h.type()), h.streamId()));
    }
    if (blockStart == null && h.type() == Frame.CONTINUATION) {
      throw Http2Error.connection(
          ErrorCode.PROTOCOL_ERROR,
          "CONTINUATION on stream " + h.streamId() + " without HEADERS or PUSH_PROMISE before");
    }
  }

  /**
   * Joins header block fragments; returns the frame to hand over, or null while a block is open.
   */
  private Frame assemble(Frame frame) throws Http2Error {
    if (frame instanceof HeadersFrame h && !h.endHeaders()) {
      blockStart = h;
      append(h.fragment());
      return null;
    }
    if (frame instanceof PushPromiseFrame p && !p.endHeaders()) {
      blockStart = p;
      append(p.fragment());
      return null;
    }
    if (!(frame instanceof ContinuationFrame c)) {
      return frame;
    }
    // the block's first fragment came in HEADERS or PUSH_PROMISE, the others in CONTINUATION
    if (fragments.size() > Http2Limits.MAX_CONTINUATION_FRAMES) {
      throw Http2Error.connection(
          ErrorCode.ENHANCE_YOUR_CALM,
          "header block spans more than "
              + Http2Limits.MAX_CONTINUATION_FRAMES
              + " CONTINUATION frames");
    }
    append(c.fragment());
    if (!c.endHeaders()) {
      return null;
    }
    ByteBuffer joined = ByteBuffer.allocate(blockLength);
    fragments.forEach(f -> joined.put(f.asReadOnlyBuffer()));
    Bytes whole = ApiAccess.bytesOver(joined.array(), 0, blockLength);
    Frame start = blockStart;
    blockStart = null;
    fragments.clear();
    blockLength = 0;
    return start instanceof HeadersFrame h
        ? h.withBlock(whole)
        : ((PushPromiseFrame) start).withBlock(whole);
  }

  private void append(Bytes fragment) throws Http2Error {
    if ((long) blockLength + fragment.length() > maxHeaderBlockSize) {
      throw Http2Error.connection(
          ErrorCode.ENHANCE_YOUR_CALM, "header block exceeds " + maxHeaderBlockSize + " bytes");
    }
    fragments.add(fragment);
    blockLength += fragment.length();
  }
}
