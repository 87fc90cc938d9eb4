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
import dev.mint.Headers;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.Inflater;
import org.junit.jupiter.api.Test;

/** permessage-deflate (RFC 7692): the §7.2.3 examples, negotiation, and the inflation bound. */
class DeflateTest {
  private static final SecureRandom RANDOM = new SecureRandom();

  private static Supplier<WebSocketCodec> codecs(String accepted, WebSocketOptions options) {
    return () -> {
      try {
        return WebSocketCodec.forResponse(
            options, Headers.of("sec-websocket-extensions", accepted), RANDOM);
      } catch (HandshakeException e) {
        throw new AssertionError(e);
      }
    };
  }

  private static final Supplier<WebSocketCodec> DEFLATE =
      codecs("permessage-deflate", WebSocketOptions.defaults());

  // ---- RFC 7692 §7.2.3 ----

  @Test
  void rfcHelloCompressed() {
    byte[] input = bytes(0xc1, 0x07, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00);
    assertEquals(List.of(new Message.Text("Hello")), Wire.everySplit(DEFLATE, input).messages());
  }

  @Test
  void rfcHelloCompressedInTwoFragments() {
    byte[] input = bytes(0x41, 0x03, 0xf2, 0x48, 0xcd, 0x80, 0x04, 0xc9, 0xc9, 0x07, 0x00);
    assertEquals(List.of(new Message.Text("Hello")), Wire.everySplit(DEFLATE, input).messages());
  }

  @Test
  void framesDeliveryInflatesEachFrameAsItComes() {
    Supplier<WebSocketCodec> frames =
        codecs(
            "permessage-deflate",
            WebSocketOptions.defaults().withDelivery(WebSocketOptions.Delivery.FRAMES));
    byte[] input = bytes(0x41, 0x03, 0xf2, 0x48, 0xcd, 0x80, 0x04, 0xc9, 0xc9, 0x07, 0x00);
    List<Message> got = Wire.everySplit(frames, input).messages();
    assertEquals(2, got.size());
    Message.Fragment first = (Message.Fragment) got.get(0);
    Message.Fragment last = (Message.Fragment) got.get(1);
    assertEquals(Opcode.TEXT, first.opcode());
    assertEquals(Opcode.CONTINUATION, last.opcode());
    assertTrue(last.fin() && !first.fin());
    assertEquals("Hello", first.payload().utf8() + last.payload().utf8());
  }

  @Test
  void rfcSharingTheWindowBetweenMessages() {
    byte[] input =
        concat(
            bytes(0xc1, 0x07, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00),
            bytes(0xc1, 0x05, 0xf2, 0x00, 0x11, 0x00, 0x00));
    assertEquals(
        List.of(new Message.Text("Hello"), new Message.Text("Hello")),
        Wire.everySplit(DEFLATE, input).messages());
  }

  @Test
  void rfcNoCompressionBlock() {
    byte[] input =
        bytes(0xc1, 0x0b, 0x00, 0x05, 0x00, 0xfa, 0xff, 0x48, 0x65, 0x6c, 0x6c, 0x6f, 0x00);
    assertEquals(List.of(new Message.Text("Hello")), Wire.everySplit(DEFLATE, input).messages());
  }

  @Test
  void rfcFinalBlockSet() {
    byte[] input = bytes(0xc1, 0x08, 0xf3, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00, 0x00);
    // twice: after a final block the next message starts a new DEFLATE stream
    assertEquals(
        List.of(new Message.Text("Hello"), new Message.Text("Hello")),
        Wire.everySplit(DEFLATE, concat(input, input)).messages());
  }

  @Test
  void rfcTwoDeflateBlocksInOneMessage() {
    byte[] input =
        bytes(
            0xc1, 0x0d, 0xf2, 0x48, 0x05, 0x00, 0x00, 0x00, 0xff, 0xff, 0xca, 0xc9, 0xc9, 0x07,
            0x00);
    assertEquals(List.of(new Message.Text("Hello")), Wire.everySplit(DEFLATE, input).messages());
  }

  @Test
  void weSendTheRfcBytesForHello() {
    WebSocketCodec codec = DEFLATE.get();
    codec.send(new Message.Text("Hello"));
    Wire.ClientFrame f = Wire.onlyClientFrame(codec);
    assertTrue(f.rsv1());
    assertArrayEquals(bytes(0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00), f.payload());
    codec.send(new Message.Text("Hello"));
    // §7.2.3.2: the second message refers back to the first
    assertArrayEquals(bytes(0xf2, 0x00, 0x11, 0x00, 0x00), Wire.onlyClientFrame(codec).payload());
  }

  @Test
  void emptyMessagesInARowEachSendTheEmptyBlock() throws Exception {
    WebSocketCodec codec = DEFLATE.get();
    codec.send(new Message.Binary(Bytes.empty()));
    codec.send(new Message.Text(""));
    codec.send(new Message.Text("Hello"));
    List<Wire.ClientFrame> frames = Wire.clientFrames(codec.takeOutput());
    assertArrayEquals(bytes(0x00), frames.get(0).payload());
    assertArrayEquals(bytes(0x00), frames.get(1).payload());
    Inflater inflater = new Inflater(true);
    byte[] out = new byte[100];
    int total = 0;
    for (Wire.ClientFrame f : frames) {
      inflater.setInput(concat(f.payload(), bytes(0, 0, 0xff, 0xff)));
      total += inflater.inflate(out, total, out.length - total);
    }
    assertEquals("Hello", new String(out, 0, total, java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void clientNoContextTakeoverCompressesEachMessageAlone() {
    WebSocketCodec codec =
        codecs("permessage-deflate; client_no_context_takeover", WebSocketOptions.defaults()).get();
    codec.send(new Message.Text("Hello"));
    codec.send(new Message.Text("Hello"));
    List<Wire.ClientFrame> frames = Wire.clientFrames(codec.takeOutput());
    assertArrayEquals(frames.get(0).payload(), frames.get(1).payload());
  }

  @Test
  void whatWeSendInflatesBackIncludingFragments() throws Exception {
    WebSocketCodec codec = DEFLATE.get();
    byte[] big = new byte[200_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) (i % 251 < 100 ? 'a' : i);
    }
    codec.send(new Message.Binary(Bytes.of(big)));
    codec.send(new Message.Fragment(Opcode.TEXT, Bytes.utf8("Hel"), false));
    codec.send(new Message.Fragment(Opcode.CONTINUATION, Bytes.empty(), false));
    codec.send(new Message.Fragment(Opcode.CONTINUATION, Bytes.utf8("lo"), true));
    codec.send(new Message.Text(""));
    List<Wire.ClientFrame> frames = Wire.clientFrames(codec.takeOutput());
    assertEquals(
        List.of(true, true, false, false, true), frames.stream().map(f -> f.rsv1()).toList());
    Inflater inflater = new Inflater(true);
    List<String> messages = new ArrayList<>();
    java.io.ByteArrayOutputStream message = new java.io.ByteArrayOutputStream();
    for (Wire.ClientFrame f : frames) {
      message.writeBytes(f.payload());
      if (f.fin()) {
        message.writeBytes(bytes(0, 0, 0xff, 0xff));
        inflater.setInput(message.toByteArray());
        byte[] out = new byte[300_000];
        int n = inflater.inflate(out);
        messages.add(n == big.length ? "big" : new String(out, 0, n, "UTF-8"));
        if (n == big.length) {
          assertArrayEquals(big, java.util.Arrays.copyOf(out, n));
        }
        message.reset();
      }
    }
    assertEquals(List.of("big", "Hello", ""), messages);
  }

  // ---- the bound ----

  @Test
  void aDeflateBombIsTooBigNotOutOfMemory() {
    Deflater deflater = new Deflater(9, true);
    deflater.setInput(new byte[64 * 1024 * 1024]);
    deflater.finish();
    byte[] compressed = new byte[1024 * 1024];
    int n = deflater.deflate(compressed);
    assertTrue(deflater.finished() && n < 100_000, "64 MiB of zeros deflate to " + n);
    byte[] payload = java.util.Arrays.copyOf(compressed, n);
    Supplier<WebSocketCodec> bounded =
        codecs("permessage-deflate", WebSocketOptions.defaults().withMaxMessageSize(1 << 20));
    WebSocketCodec codec = bounded.get();
    WebSocketException e =
        assertThrows(
            WebSocketException.class, () -> codec.receive(ByteBuffer.wrap(frame(0xC2, payload))));
    assertEquals(CloseCodes.TOO_BIG, e.closeCode());
    assertEquals(WebSocketCodec.State.CLOSED, codec.state());
  }

  @Test
  void exactlyTheBudgetPasses() throws Exception {
    byte[] data = new byte[4096];
    Deflater deflater = new Deflater(6, true);
    deflater.setInput(data);
    byte[] out = new byte[8192];
    int n = deflater.deflate(out, 0, out.length, Deflater.SYNC_FLUSH);
    byte[] payload = java.util.Arrays.copyOf(out, n - 4);
    WebSocketCodec exact =
        codecs("permessage-deflate", WebSocketOptions.defaults().withMaxMessageSize(4096)).get();
    assertEquals(
        List.of(new Message.Binary(Bytes.of(data))),
        exact.receive(ByteBuffer.wrap(frame(0xC2, payload))));
    WebSocketCodec under =
        codecs("permessage-deflate", WebSocketOptions.defaults().withMaxMessageSize(4095)).get();
    assertEquals(
        CloseCodes.TOO_BIG,
        assertThrows(
                WebSocketException.class,
                () -> under.receive(ByteBuffer.wrap(frame(0xC2, payload))))
            .closeCode());
  }

  @Test
  void garbageIsInvalidPayload() {
    assertEquals(
        CloseCodes.INVALID_PAYLOAD,
        Wire.everySplit(DEFLATE, frame(0xC1, bytes(0xff, 0xff, 0xff, 0xff))).closeCode());
  }

  @Test
  void rsv1OnAContinuationOrControlFrameIsAProtocolError() {
    assertEquals(
        CloseCodes.PROTOCOL_ERROR,
        Wire.everySplit(DEFLATE, concat(frame(0x41, bytes(0xf2)), frame(0xC0, bytes(0x00))))
            .closeCode());
    assertEquals(
        CloseCodes.PROTOCOL_ERROR, Wire.everySplit(DEFLATE, frame(0xC9, bytes())).closeCode());
  }

  @Test
  void anEmptyCompressedPayloadIsAnEmptyMessageAndTheNextOneStillInflates() {
    byte[] input =
        concat(
            frame(0xC2, bytes()),
            frame(0xC1, bytes(0x00)), // RFC 7692 §7.2.3.6: an empty message as one 0x00
            bytes(0xc1, 0x07, 0xf2, 0x48, 0xcd, 0xc9, 0xc9, 0x07, 0x00));
    assertEquals(
        List.of(new Message.Binary(Bytes.empty()), new Message.Text(""), new Message.Text("Hello")),
        Wire.everySplit(DEFLATE, input).messages());
  }

  @Test
  void uncompressedMessagesStillPassWhenNegotiated() {
    assertEquals(
        List.of(new Message.Text("plain")),
        Wire.everySplit(DEFLATE, frame(0x81, "plain".getBytes())).messages());
  }

  // ---- negotiation (RFC 7692 §7.1) ----

  @Test
  void acceptedParametersAreHonouredOrRefused() throws Exception {
    WebSocketOptions o = WebSocketOptions.defaults();
    for (String ok :
        List.of(
            "permessage-deflate; server_no_context_takeover; client_no_context_takeover",
            "permessage-deflate; server_max_window_bits=8",
            "permessage-deflate; server_max_window_bits=\"10\"",
            "x, permessage-deflate".substring(3))) {
      assertTrue(
          WebSocketCodec.forResponse(o, Headers.of("sec-websocket-extensions", ok), RANDOM)
              .compressing(),
          ok);
    }
    for (String bad :
        List.of(
            "permessage-deflate; client_max_window_bits=15",
            "permessage-deflate; client_max_window_bits",
            "permessage-deflate; server_max_window_bits=7",
            "permessage-deflate; server_max_window_bits=16",
            "permessage-deflate; server_max_window_bits",
            "permessage-deflate; server_no_context_takeover=1",
            "permessage-deflate; server_no_context_takeover; server_no_context_takeover",
            "permessage-deflate; mystery",
            "permessage-deflate, permessage-deflate",
            "x-webkit-deflate-frame")) {
      HandshakeException e =
          assertThrows(
              HandshakeException.class,
              () ->
                  WebSocketCodec.forResponse(
                      o, Headers.of("sec-websocket-extensions", bad), RANDOM),
              bad);
      assertEquals(HandshakeException.Reason.BAD_EXTENSION, e.reason(), bad);
    }
    HandshakeException notOffered =
        assertThrows(
            HandshakeException.class,
            () ->
                WebSocketCodec.forResponse(
                    o.withDeflate(null),
                    Headers.of("sec-websocket-extensions", "permessage-deflate"),
                    RANDOM));
    assertEquals(HandshakeException.Reason.BAD_EXTENSION, notOffered.reason());
    assertFalse(WebSocketCodec.forResponse(o, Headers.empty(), RANDOM).compressing());
  }

  @Test
  void theOfferFollowsTheOptions() {
    assertEquals("permessage-deflate", DeflateOptions.defaults().offer());
    assertEquals(
        "permessage-deflate; server_no_context_takeover; client_no_context_takeover;"
            + " server_max_window_bits=10",
        new DeflateOptions(true, true, 10, -1).offer());
    assertThrows(IllegalArgumentException.class, () -> new DeflateOptions(false, false, 7, -1));
  }
}
