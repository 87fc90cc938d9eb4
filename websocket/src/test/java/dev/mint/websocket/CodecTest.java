// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import static dev.mint.websocket.Wire.bytes;
import static dev.mint.websocket.Wire.concat;
import static dev.mint.websocket.Wire.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The codec on byte arrays: RFC 6455 §5.7's examples, every frame rule, the close handshake. */
class CodecTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Supplier<WebSocketCodec> PLAIN =
      () -> new WebSocketCodec(WebSocketOptions.defaults(), RANDOM);

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Wire.Outcome receive(byte[] input) {
    return Wire.everySplit(PLAIN, input);
  }

  /** Asserts the input fails with {@code code} and that the codec queued a Close with it. */
  private static void assertFails(int code, byte[] input) {
    Wire.Outcome outcome = receive(input);
    assertEquals(code, outcome.closeCode(), () -> "outcome " + outcome);
    WebSocketCodec codec = PLAIN.get();
    assertThrows(WebSocketException.class, () -> codec.receive(ByteBuffer.wrap(input)));
    assertEquals(WebSocketCodec.State.CLOSED, codec.state());
    Wire.ClientFrame close = Wire.onlyClientFrame(codec);
    assertEquals(0x8, close.opcode());
    assertEquals(code, (close.payload()[0] & 0xFF) << 8 | close.payload()[1] & 0xFF);
  }

  // ---- RFC 6455 §5.7 ----

  @Test
  void rfcSingleFrameUnmaskedText() {
    assertEquals(
        List.of(new Message.Text("Hello")),
        receive(bytes(0x81, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f)).messages());
  }

  @Test
  void rfcSingleFrameMaskedTextIsWhatWeSend() {
    WebSocketCodec codec =
        new WebSocketCodec(WebSocketOptions.defaults(), Wire.fixedKey(0x37, 0xfa, 0x21, 0x3d));
    codec.send(new Message.Text("Hello"));
    ByteBuffer out = codec.takeOutput();
    assertArrayEquals(
        bytes(0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58),
        Bytes.copyOf(out).toByteArray());
  }

  @Test
  void rfcFragmentedUnmaskedText() {
    byte[] input = bytes(0x01, 0x03, 0x48, 0x65, 0x6c, 0x80, 0x02, 0x6c, 0x6f);
    assertEquals(List.of(new Message.Text("Hello")), receive(input).messages());
    Supplier<WebSocketCodec> frames =
        () ->
            new WebSocketCodec(
                WebSocketOptions.defaults().withDelivery(WebSocketOptions.Delivery.FRAMES), RANDOM);
    assertEquals(
        List.of(
            new Message.Fragment(Opcode.TEXT, Bytes.utf8("Hel"), false),
            new Message.Fragment(Opcode.CONTINUATION, Bytes.utf8("lo"), true)),
        Wire.everySplit(frames, input).messages());
  }

  @Test
  void rfcUnmaskedPingAndMaskedPong() {
    WebSocketCodec codec =
        new WebSocketCodec(WebSocketOptions.defaults(), Wire.fixedKey(0x37, 0xfa, 0x21, 0x3d));
    List<Message> got = assertDoesNotFail(codec, bytes(0x89, 0x05, 0x48, 0x65, 0x6c, 0x6c, 0x6f));
    assertEquals(List.of(new Message.Ping(Bytes.utf8("Hello"))), got);
    assertArrayEquals(
        bytes(0x8a, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58),
        Bytes.copyOf(codec.takeOutput()).toByteArray());
  }

  @Test
  void rfc256BytesAnd64KiBBinary() {
    byte[] small = new byte[256];
    byte[] large = new byte[65536];
    new java.util.Random(1).nextBytes(small);
    new java.util.Random(2).nextBytes(large);
    byte[] head256 = bytes(0x82, 0x7E, 0x01, 0x00);
    byte[] head64k = bytes(0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0);
    assertArrayEquals(head256, java.util.Arrays.copyOf(frame(0x82, small), 4));
    assertArrayEquals(head64k, java.util.Arrays.copyOf(frame(0x82, large), 10));
    assertEquals(
        List.of(new Message.Binary(Bytes.of(small)), new Message.Binary(Bytes.of(large))),
        receive(concat(head256, small, head64k, large)).messages());
  }

  private static List<Message> assertDoesNotFail(WebSocketCodec codec, byte[] input) {
    try {
      return codec.receive(ByteBuffer.wrap(input));
    } catch (WebSocketException e) {
      throw new AssertionError(e);
    }
  }

  // ---- lengths on the send side ----

  @ParameterizedTest
  @ValueSource(ints = {0, 1, 125, 126, 127, 65535, 65536, 70000})
  void sentFramesUseTheMinimalLengthAndMaskEachWithAFreshKey(int size) {
    WebSocketCodec codec = PLAIN.get();
    byte[] payload = new byte[size];
    new java.util.Random(size).nextBytes(payload);
    codec.send(new Message.Binary(Bytes.of(payload)));
    codec.send(new Message.Binary(Bytes.of(payload)));
    ByteBuffer out = codec.takeOutput();
    int second = out.get(1) & 0x7F;
    assertEquals(size < 126 ? size : size <= 0xFFFF ? 126 : 127, second);
    List<Wire.ClientFrame> frames = Wire.clientFrames(out);
    assertEquals(2, frames.size());
    for (Wire.ClientFrame f : frames) {
      assertEquals(0x2, f.opcode());
      assertTrue(f.fin());
      assertArrayEquals(payload, f.payload());
    }
    assertFalse(
        java.util.Arrays.equals(frames.get(0).key(), frames.get(1).key()),
        "a fresh masking key per frame");
  }

  // ---- frame rules (RFC 6455 §5) ----

  @ParameterizedTest
  @ValueSource(ints = {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF})
  void reservedOpcodesAreProtocolErrors(int opcode) {
    assertFails(CloseCodes.PROTOCOL_ERROR, frame(0x80 | opcode, new byte[0]));
  }

  @ParameterizedTest
  @ValueSource(ints = {0x40, 0x20, 0x10})
  void rsvBitsWithoutAnExtensionAreProtocolErrors(int rsv) {
    assertFails(CloseCodes.PROTOCOL_ERROR, frame(0x81 | rsv, utf8("x")));
  }

  @Test
  void controlFramesOver125BytesAreProtocolErrors() {
    assertFails(CloseCodes.PROTOCOL_ERROR, frame(0x89, new byte[126]));
    assertEquals(1, receive(frame(0x89, new byte[125])).messages().size());
  }

  @Test
  void fragmentedControlFramesAreProtocolErrors() {
    assertFails(CloseCodes.PROTOCOL_ERROR, frame(0x09, new byte[0]));
    assertFails(CloseCodes.PROTOCOL_ERROR, frame(0x08, new byte[0]));
  }

  @Test
  void maskedServerFramesAreProtocolErrors() {
    assertFails(CloseCodes.PROTOCOL_ERROR, bytes(0x81, 0x81, 1, 2, 3, 4, 'x' ^ 1));
  }

  @Test
  void lengthsNotInTheirMinimalFormAreProtocolErrors() {
    assertFails(CloseCodes.PROTOCOL_ERROR, concat(bytes(0x82, 126, 0, 125), new byte[125]));
    assertFails(
        CloseCodes.PROTOCOL_ERROR,
        concat(bytes(0x82, 127, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF), new byte[0xFFFF]));
    assertFails(CloseCodes.PROTOCOL_ERROR, bytes(0x82, 127, 0x80, 0, 0, 0, 0, 0, 0, 0));
  }

  @Test
  void framesAndMessagesOverTheLimitsAreTooBig() {
    Supplier<WebSocketCodec> small =
        () ->
            new WebSocketCodec(
                WebSocketOptions.defaults().withMaxFrameSize(1000).withMaxMessageSize(1500),
                RANDOM);
    assertEquals(
        CloseCodes.TOO_BIG, Wire.everySplit(small, frame(0x82, new byte[1001])).closeCode());
    assertEquals(
        List.of(new Message.Binary(Bytes.of(new byte[1000]))),
        Wire.everySplit(small, frame(0x82, new byte[1000])).messages());
    byte[] twoFragments = concat(frame(0x02, new byte[1000]), frame(0x80, new byte[501]));
    assertEquals(CloseCodes.TOO_BIG, Wire.everySplit(small, twoFragments).closeCode());
    // the header alone decides: no payload needs to arrive
    assertEquals(
        CloseCodes.TOO_BIG,
        Wire.everySplit(small, bytes(0x82, 127, 0, 0, 0, 0, 0x7F, 0, 0, 0)).closeCode());
  }

  @Test
  void continuationWithoutAMessageIsAProtocolError() {
    assertFails(CloseCodes.PROTOCOL_ERROR, frame(0x80, utf8("x")));
  }

  @Test
  void aNewMessageInsideAFragmentedOneIsAProtocolError() {
    assertFails(CloseCodes.PROTOCOL_ERROR, concat(frame(0x01, utf8("a")), frame(0x81, utf8("b"))));
    assertFails(CloseCodes.PROTOCOL_ERROR, concat(frame(0x02, utf8("a")), frame(0x02, utf8("b"))));
  }

  @Test
  void controlFramesBetweenFragmentsArriveInOrder() {
    byte[] input =
        concat(
            frame(0x01, utf8("Hel")),
            frame(0x89, utf8("p")),
            frame(0x00, utf8("l")),
            frame(0x8A, utf8("q")),
            frame(0x80, utf8("o")));
    assertEquals(
        List.of(
            new Message.Ping(Bytes.utf8("p")),
            new Message.Pong(Bytes.utf8("q")),
            new Message.Text("Hello")),
        receive(input).messages());
  }

  // ---- UTF-8 (§8.1) ----

  @Test
  void invalidUtf8FailsAtTheFirstBadFragment() {
    // the second fragment is bad; the third would never come: the failure does not wait for it
    byte[] input = concat(frame(0x01, utf8("ok")), frame(0x00, bytes(0xC0, 0x80)));
    Wire.Outcome outcome = receive(input);
    assertEquals(CloseCodes.INVALID_PAYLOAD, outcome.closeCode());
    assertFails(CloseCodes.INVALID_PAYLOAD, frame(0x81, bytes(0xED, 0xA0, 0x80))); // a surrogate
    assertFails(CloseCodes.INVALID_PAYLOAD, frame(0x81, bytes(0xF4, 0x90, 0x80, 0x80)));
  }

  @Test
  void aCharacterMaySpanFragments() {
    byte[] euro = utf8("€"); // E2 82 AC
    byte[] input =
        concat(
            frame(0x01, new byte[] {euro[0]}),
            frame(0x00, new byte[] {euro[1]}),
            frame(0x80, new byte[] {euro[2]}));
    assertEquals(List.of(new Message.Text("€")), receive(input).messages());
  }

  @Test
  void textEndingInsideACharacterIsInvalid() {
    assertFails(CloseCodes.INVALID_PAYLOAD, frame(0x81, bytes(0xE2, 0x82)));
  }

  @Test
  void binaryIsNotCheckedAsUtf8() {
    assertEquals(1, receive(frame(0x82, bytes(0xC0, 0x80))).messages().size());
  }

  // ---- close (§5.5.1, §7.4) ----

  @ParameterizedTest
  @ValueSource(
      ints = {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1014, 3000, 4999})
  void validCloseCodesAreEchoed(int code) throws Exception {
    WebSocketCodec codec = PLAIN.get();
    byte[] payload = concat(bytes(code >>> 8, code & 0xFF), utf8("bye"));
    assertEquals(
        List.of(new Message.Close(code, "bye")),
        codec.receive(ByteBuffer.wrap(frame(0x88, payload))));
    assertEquals(WebSocketCodec.State.CLOSED, codec.state());
    Wire.ClientFrame echo = Wire.onlyClientFrame(codec);
    assertEquals(0x8, echo.opcode());
    assertArrayEquals(bytes(code >>> 8, code & 0xFF), echo.payload());
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535})
  void invalidCloseCodesAreProtocolErrors(int code) {
    assertFails(CloseCodes.PROTOCOL_ERROR, frame(0x88, bytes(code >>> 8, code & 0xFF)));
  }

  @Test
  void closeBodiesOfOneByteOrBadUtf8AreRejected() {
    assertFails(CloseCodes.PROTOCOL_ERROR, frame(0x88, bytes(0x03)));
    assertFails(CloseCodes.INVALID_PAYLOAD, frame(0x88, bytes(0x03, 0xE8, 0xFF)));
  }

  @Test
  void anEmptyCloseIsEchoedEmpty() throws Exception {
    WebSocketCodec codec = PLAIN.get();
    assertEquals(
        List.of(new Message.Close(CloseCodes.NO_STATUS, "")),
        codec.receive(ByteBuffer.wrap(frame(0x88, new byte[0]))));
    assertEquals(0, Wire.onlyClientFrame(codec).payload().length);
  }

  @Test
  void weCloseFirstThenDataStillArrivesThenTheirCloseEndsIt() throws Exception {
    WebSocketCodec codec = PLAIN.get();
    codec.send(new Message.Close(CloseCodes.NORMAL, "done"));
    assertEquals(WebSocketCodec.State.CLOSE_SENT, codec.state());
    Wire.ClientFrame close = Wire.onlyClientFrame(codec);
    assertArrayEquals(concat(bytes(0x03, 0xE8), utf8("done")), close.payload());
    assertThrows(IllegalStateException.class, () -> codec.send(new Message.Text("late")));
    List<Message> got =
        codec.receive(
            ByteBuffer.wrap(
                concat(frame(0x81, utf8("last")), frame(0x88, bytes(0x03, 0xE8)), utf8("junk"))));
    assertEquals(List.of(new Message.Text("last"), new Message.Close(1000, "")), got);
    assertEquals(WebSocketCodec.State.CLOSED, codec.state());
    assertFalse(codec.hasOutput(), "no second Close");
  }

  @Test
  void afterTheirCloseNothingIsSentAndEverythingReceivedIsDropped() throws Exception {
    WebSocketCodec codec = PLAIN.get();
    codec.receive(ByteBuffer.wrap(frame(0x88, bytes(0x03, 0xE8))));
    assertEquals(WebSocketCodec.State.CLOSED, codec.state());
    codec.takeOutput();
    for (Message m :
        List.of(
            new Message.Text("t"),
            new Message.Binary(Bytes.empty()),
            new Message.Ping(Bytes.empty()),
            new Message.Pong(Bytes.empty()),
            new Message.Close(1000),
            new Message.Fragment(Opcode.TEXT, Bytes.empty(), true))) {
      assertThrows(IllegalStateException.class, () -> codec.send(m), m.toString());
    }
    ByteBuffer more = ByteBuffer.wrap(concat(frame(0x81, utf8("late")), bytes(0xFF, 0xFF)));
    assertEquals(List.of(), codec.receive(more));
    assertEquals(0, more.remaining());
    assertFalse(codec.hasOutput());
  }

  @Test
  void afterAFailureNothingMoreIsReceived() throws Exception {
    WebSocketCodec codec = PLAIN.get();
    assertThrows(
        WebSocketException.class, () -> codec.receive(ByteBuffer.wrap(frame(0x83, bytes()))));
    codec.takeOutput();
    assertEquals(List.of(), codec.receive(ByteBuffer.wrap(frame(0x81, utf8("late")))));
    assertThrows(IllegalStateException.class, () -> codec.send(new Message.Text("t")));
  }

  @Test
  void closeReasonsAreAtMost123BytesAndCodesMustBeSendable() {
    new Message.Close(1000, "x".repeat(123));
    assertThrows(IllegalArgumentException.class, () -> new Message.Close(1000, "x".repeat(124)));
    assertThrows(IllegalArgumentException.class, () -> new Message.Close(1000, "é".repeat(62)));
    assertThrows(IllegalArgumentException.class, () -> new Message.Close(1006));
    assertThrows(IllegalArgumentException.class, () -> new Message.Close(1005, "why"));
  }

  // ---- pings ----

  @Test
  void pingsWaitingForAnAnswerAreAnsweredOnceWithTheLatestPayload() throws Exception {
    WebSocketCodec codec = PLAIN.get();
    byte[] input = new byte[0];
    for (int i = 0; i < 1000; i++) {
      input = concat(input, frame(0x89, utf8("p" + i)));
    }
    assertEquals(1000, codec.receive(ByteBuffer.wrap(input)).size());
    Wire.ClientFrame pong = Wire.onlyClientFrame(codec);
    assertEquals(0xA, pong.opcode());
    assertArrayEquals(utf8("p999"), pong.payload());
  }

  @Test
  void autoPongOffLeavesTheAnswerToTheCaller() throws Exception {
    WebSocketCodec codec =
        new WebSocketCodec(WebSocketOptions.defaults().withAutoPong(false), RANDOM);
    codec.receive(ByteBuffer.wrap(frame(0x89, utf8("p"))));
    assertFalse(codec.hasOutput());
  }

  @Test
  void aPongQueuedBeforeAMessageGoesFirst() throws Exception {
    WebSocketCodec codec = PLAIN.get();
    codec.receive(ByteBuffer.wrap(frame(0x89, utf8("p"))));
    codec.send(new Message.Text("t"));
    List<Wire.ClientFrame> frames = Wire.clientFrames(codec.takeOutput());
    assertEquals(List.of(0xA, 0x1), frames.stream().map(Wire.ClientFrame::opcode).toList());
  }

  // ---- sending fragments and control frames ----

  @Test
  void fragmentsAreSentInOrderOnly() {
    WebSocketCodec codec = PLAIN.get();
    assertThrows(
        IllegalStateException.class,
        () -> codec.send(new Message.Fragment(Opcode.CONTINUATION, Bytes.utf8("x"), true)));
    codec.send(new Message.Fragment(Opcode.TEXT, Bytes.utf8("He"), false));
    assertThrows(IllegalStateException.class, () -> codec.send(new Message.Text("other")));
    codec.send(new Message.Ping(Bytes.utf8("between")));
    codec.send(new Message.Fragment(Opcode.CONTINUATION, Bytes.utf8("llo"), true));
    List<Wire.ClientFrame> frames = Wire.clientFrames(codec.takeOutput());
    assertEquals(List.of(0x1, 0x9, 0x0), frames.stream().map(Wire.ClientFrame::opcode).toList());
    assertEquals(List.of(false, true, true), frames.stream().map(Wire.ClientFrame::fin).toList());
  }

  @Test
  void controlPayloadsOver125BytesAreRefused() {
    WebSocketCodec codec = PLAIN.get();
    assertThrows(
        IllegalArgumentException.class,
        () -> codec.send(new Message.Ping(Bytes.of(new byte[126]))));
    assertFalse(codec.hasOutput());
  }
}
