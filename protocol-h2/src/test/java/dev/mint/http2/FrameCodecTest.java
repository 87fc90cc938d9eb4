// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every frame record encodes and decodes back, and rejects payloads of the wrong shape. */
class FrameCodecTest {

  private static Frame roundTrip(Frame f) throws Http2Error {
    byte[] wire = f.toByteArray();
    ByteBuffer in = ByteBuffer.wrap(wire);
    FrameHeader h = FrameHeader.decode(in);
    assertEquals(wire.length - FrameHeader.SIZE, h.length());
    assertEquals(f.type(), h.type());
    assertEquals(f.flags(), h.flags());
    assertEquals(f.streamId(), h.streamId());
    Frame back = Frame.decode(h, Bytes.copyOf(in));
    assertEquals(f, back);
    ByteBuffer[] buffers = f.encode();
    int n = 0;
    for (ByteBuffer b : buffers) {
      n += b.remaining();
    }
    assertEquals(wire.length, n, "encode() and toByteArray() agree");
    return back;
  }

  @Test
  void everyTypeRoundTrips() throws Http2Error {
    Bytes block = Bytes.utf8("block");
    List<Frame> frames =
        List.of(
            new DataFrame(1, Bytes.utf8("data"), true),
            new DataFrame(3, Bytes.utf8("padded"), false, 5),
            new DataFrame(5, Bytes.empty(), true, 0),
            new HeadersFrame(1, block, true, true),
            new HeadersFrame(1, block, false, false, 3, new PriorityFrame.Priority(true, 7, 255)),
            new PriorityFrame(9, new PriorityFrame.Priority(false, 3, 16)),
            new RstStreamFrame(1, ErrorCode.CANCEL),
            new RstStreamFrame(1, 0xffff_ffffL),
            Peer.settings(Peer.setting(1, 4096), Peer.setting(0xffff, 0xffff_ffffL)),
            SettingsFrame.ACK,
            new PushPromiseFrame(1, 2, block, true, -1),
            new PushPromiseFrame(1, 4, block, false, 2),
            new PingFrame(false, 0x0102030405060708L),
            new PingFrame(true, -1),
            new GoAwayFrame(7, ErrorCode.PROTOCOL_ERROR.code(), Bytes.utf8("why")),
            new WindowUpdateFrame(0, Integer.MAX_VALUE),
            new ContinuationFrame(1, block, true),
            new UnknownFrame(0xab, 0x5a, 3, Bytes.utf8("ext")));
    for (Frame f : frames) {
      roundTrip(f);
    }
  }

  @Test
  void theReservedBitIsIgnored() {
    ByteBuffer b = ByteBuffer.wrap(Raw.header(0, Frame.DATA, 0, 1));
    b.put(5, (byte) 0x80);
    assertEquals(1, FrameHeader.decode(b).streamId());
    WindowUpdateFrame w =
        (WindowUpdateFrame) decode(Raw.frame(Frame.WINDOW_UPDATE, 0, 0, 0x80, 0, 0, 1));
    assertEquals(1, w.increment());
  }

  @Test
  void paddingRules() {
    // pad length 5 in a 5-byte payload: padding as long as the payload (RFC 9113 §6.1)
    assertError(
        ErrorCode.PROTOCOL_ERROR, true, Raw.frame(Frame.DATA, Frame.FLAG_PADDED, 1, 5, 0, 0, 0, 0));
    assertError(ErrorCode.FRAME_SIZE_ERROR, true, Raw.frame(Frame.DATA, Frame.FLAG_PADDED, 1));
    assertError(
        ErrorCode.PROTOCOL_ERROR,
        true,
        Raw.frame(Frame.HEADERS, Frame.FLAG_PADDED | Frame.FLAG_PRIORITY, 1, 1, 0, 0, 0, 0, 0));
    assertError(
        ErrorCode.FRAME_SIZE_ERROR,
        true,
        Raw.frame(Frame.HEADERS, Frame.FLAG_PRIORITY, 1, 0, 0, 0));
    assertError(ErrorCode.FRAME_SIZE_ERROR, true, Raw.frame(Frame.PUSH_PROMISE, 0, 1, 0, 0, 2));
    assertError(
        ErrorCode.PROTOCOL_ERROR,
        true,
        Raw.frame(Frame.PUSH_PROMISE, Frame.FLAG_PADDED, 1, 1, 0, 0, 0, 2));
    assertEquals(
        0,
        ((DataFrame) decode(Raw.frame(Frame.DATA, Frame.FLAG_PADDED, 1, 4, 0, 0, 0, 0)))
            .data()
            .length());
    DataFrame d =
        (DataFrame)
            decode(Raw.frame(Frame.DATA, Frame.FLAG_PADDED, 1, 2, (int) 'h', (int) 'i', 0, 0));
    assertEquals("hi", d.data().utf8());
    assertEquals(5, d.flowControlledLength());
  }

  @Test
  void fixedLengthRules() {
    assertError(ErrorCode.FRAME_SIZE_ERROR, false, Raw.frame(Frame.PRIORITY, 0, 1, new byte[6]));
    assertError(ErrorCode.FRAME_SIZE_ERROR, true, Raw.frame(Frame.RST_STREAM, 0, 1, new byte[5]));
    assertError(ErrorCode.FRAME_SIZE_ERROR, true, Raw.frame(Frame.SETTINGS, 0, 0, new byte[7]));
    assertError(
        ErrorCode.FRAME_SIZE_ERROR,
        true,
        Raw.frame(Frame.SETTINGS, Frame.FLAG_ACK, 0, new byte[1]));
    assertError(ErrorCode.FRAME_SIZE_ERROR, true, Raw.frame(Frame.PING, 0, 0, new byte[9]));
    assertError(ErrorCode.FRAME_SIZE_ERROR, true, Raw.frame(Frame.GOAWAY, 0, 0, new byte[4]));
    assertError(
        ErrorCode.FRAME_SIZE_ERROR, true, Raw.frame(Frame.WINDOW_UPDATE, 0, 0, new byte[5]));
  }

  private static Frame decode(byte[] wire) {
    ByteBuffer in = ByteBuffer.wrap(wire);
    try {
      return Frame.decode(FrameHeader.decode(in), Bytes.copyOf(in));
    } catch (Http2Error e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  private static void assertError(ErrorCode code, boolean connection, byte[] wire) {
    ByteBuffer in = ByteBuffer.wrap(wire);
    FrameHeader h = FrameHeader.decode(in);
    Http2Error e = assertThrows(Http2Error.class, () -> Frame.decode(h, Bytes.copyOf(in)));
    assertEquals(code, e.code(), e.getMessage());
    assertEquals(connection, e.isConnectionError(), e.getMessage());
  }

  @Test
  void settingsKeepUnknownIdentifiers() throws Http2Error {
    SettingsFrame s = (SettingsFrame) roundTrip(Peer.settings(Peer.setting(0x1234, 5)));
    assertEquals(0x1234, s.settings().get(0).id());
    assertInstanceOf(UnknownFrame.class, decode(Raw.frame(0x20, 0, 0)));
    assertTrue(Frame.frameName(0x20).startsWith("unknown"));
  }
}
