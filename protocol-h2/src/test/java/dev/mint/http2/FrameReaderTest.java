// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The generic frame rules, checked before any per-type handling (RFC 9113 §4, §6). */
@ExtendWith(SeedReporter.class)
class FrameReaderTest {
  private static final byte[] PREFACE = Peer.bytes(Peer.settings());

  /** Reads all frames of {@code wire} after the server preface, whole, byte by byte and split. */
  private static List<Frame> read(byte[] wire) throws Http2Error {
    List<Frame> whole = readChunks(wire, wire.length);
    assertEquals(whole, readChunks(wire, 1));
    Random random = new Random(SeedReporter.SEED);
    assertEquals(whole, readChunks(wire, 1 + random.nextInt(Math.max(1, wire.length))));
    return whole;
  }

  private static List<Frame> readChunks(byte[] wire, int chunk) throws Http2Error {
    FrameReader r = new FrameReader(16_384, 64 * 1024);
    List<Frame> frames = new ArrayList<>();
    byte[] all = Raw.concat(PREFACE, wire);
    for (int at = 0; at < all.length; at += chunk) {
      ByteBuffer in = ByteBuffer.wrap(all, at, Math.min(chunk, all.length - at));
      Frame f;
      while ((f = r.next(in)) != null) {
        frames.add(f);
      }
      assertTrue(!in.hasRemaining());
    }
    frames.remove(0); // the preface
    return frames;
  }

  private static void assertError(ErrorCode code, byte[] wire) {
    Http2Error e = assertThrows(Http2Error.class, () -> readChunks(wire, wire.length + 1));
    assertEquals(code, e.code(), e.getMessage());
    assertTrue(e.isConnectionError());
  }

  @Test
  void headerBlocksAreJoined() throws Http2Error {
    byte[] wire =
        Peer.bytes(
            new HeadersFrame(1, Bytes.utf8("ab"), true, false, 2, null),
            new ContinuationFrame(1, Bytes.empty(), false),
            new ContinuationFrame(1, Bytes.utf8("cd"), true),
            new PushPromiseFrame(1, 2, Bytes.utf8("x"), false, -1),
            new ContinuationFrame(1, Bytes.utf8("y"), true));
    assertEquals(
        List.of(
            new HeadersFrame(1, Bytes.utf8("abcd"), true, true, 2, null),
            new PushPromiseFrame(1, 2, Bytes.utf8("xy"), true, -1)),
        read(wire));
  }

  @Test
  void continuationRules() {
    assertError(
        ErrorCode.PROTOCOL_ERROR, Peer.bytes(new ContinuationFrame(1, Bytes.empty(), true)));
    assertError(
        ErrorCode.PROTOCOL_ERROR,
        Peer.bytes(
            new HeadersFrame(1, Bytes.empty(), false, false),
            new ContinuationFrame(3, Bytes.empty(), true)));
    assertError(
        ErrorCode.PROTOCOL_ERROR,
        Peer.bytes(new HeadersFrame(1, Bytes.empty(), false, false), new PingFrame(false, 0)));
    assertError(
        ErrorCode.PROTOCOL_ERROR,
        Peer.bytes(
            new HeadersFrame(1, Bytes.empty(), false, false),
            new UnknownFrame(0xcc, 0, 1, Bytes.empty())));
  }

  @Test
  void continuationFloodsAreStopped() throws Http2Error {
    List<Frame> frames = new ArrayList<>();
    frames.add(new HeadersFrame(1, Bytes.empty(), false, false));
    for (int i = 0; i < Http2Limits.MAX_CONTINUATION_FRAMES - 1; i++) {
      frames.add(new ContinuationFrame(1, Bytes.empty(), false));
    }
    frames.add(new ContinuationFrame(1, Bytes.empty(), true));
    assertEquals(1, read(Peer.bytes(frames.toArray(new Frame[0]))).size(), "at the limit");
    frames.add(frames.size() - 1, new ContinuationFrame(1, Bytes.empty(), false));
    assertError(ErrorCode.ENHANCE_YOUR_CALM, Peer.bytes(frames.toArray(new Frame[0])));
  }

  @Test
  void headerBlocksAreBounded() {
    Bytes chunk = Bytes.of(new byte[16_384]);
    Frame[] frames = new Frame[5];
    frames[0] = new HeadersFrame(1, chunk, false, false);
    for (int i = 1; i < 5; i++) {
      frames[i] = new ContinuationFrame(1, chunk, i == 4);
    }
    assertError(ErrorCode.ENHANCE_YOUR_CALM, Peer.bytes(frames)); // 80 KiB > 64 KiB
  }

  @Test
  void frameSizeIsCheckedFromTheHeaderAlone() throws Http2Error {
    FrameReader r = new FrameReader(16_384, 1 << 20);
    assertEquals(Peer.settings(), r.next(ByteBuffer.wrap(PREFACE)));
    Http2Error e =
        assertThrows(
            Http2Error.class, () -> r.next(ByteBuffer.wrap(Raw.header(16_385, 0xee, 0, 0))));
    assertEquals(ErrorCode.FRAME_SIZE_ERROR, e.code());
    FrameReader big = new FrameReader(16_384, 1 << 20);
    big.next(ByteBuffer.wrap(PREFACE));
    big.limits(100_000, 1 << 20);
    assertNull(big.next(ByteBuffer.wrap(Raw.header(100_000, Frame.DATA, 0, 1))), "needs payload");
  }

  @Test
  void streamZeroRules() {
    for (int type :
        new int[] {
          Frame.DATA,
          Frame.HEADERS,
          Frame.PRIORITY,
          Frame.RST_STREAM,
          Frame.PUSH_PROMISE,
          Frame.CONTINUATION
        }) {
      assertError(ErrorCode.PROTOCOL_ERROR, Raw.frame(type, 0, 0, new byte[5]));
    }
    for (int type : new int[] {Frame.SETTINGS, Frame.PING, Frame.GOAWAY}) {
      assertError(ErrorCode.PROTOCOL_ERROR, Raw.frame(type, 0, 1, new byte[8]));
    }
  }

  @Test
  void thePrefaceMustBeSettings() {
    FrameReader r = new FrameReader(16_384, 1 << 20);
    Http2Error e =
        assertThrows(
            Http2Error.class,
            () -> r.next(ByteBuffer.wrap(Peer.bytes(new WindowUpdateFrame(0, 1)))));
    assertEquals(ErrorCode.PROTOCOL_ERROR, e.code());
  }
}
