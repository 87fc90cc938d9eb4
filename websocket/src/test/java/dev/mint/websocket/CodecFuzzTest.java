// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Headers;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;

/**
 * Jazzer target for the codec's receive half. The invariant: any bytes give messages, need-more, or
 * a {@link WebSocketException} whose code is 1002, 1007 or 1009, after which the codec is {@link
 * WebSocketCodec.State#CLOSED} with exactly one Close frame of that code queued; never another
 * exception, unconsumed input, a message over the limits, or a run over one second.
 *
 * <p><b>Input</b>: byte 0 holds flags (bit 0 permessage-deflate negotiated, bit 1 frame delivery,
 * bit 2 small limits: frames 200, messages 300), byte 1 the length of each piece the rest is fed in
 * (0: all at once), the rest is what the server sends.
 *
 * <p><b>Regression mode</b> (every {@code mvn verify}) replays {@code
 * src/test/resources/dev/mint/websocket/CodecFuzzTestInputs/receive/}: hand-written seeds and, as
 * {@code corpus-*}, the corpus of a first campaign (4.4 million inputs, no finding).
 * <b>Fuzzing</b>: {@code JAZZER_FUZZ=1 mvn -o test -pl websocket -am -Dtest=CodecFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false}; a finding is written there as {@code crash-<sha1>}.
 */
class CodecFuzzTest {
  private static final Set<Integer> PEER_CODES =
      Set.of(CloseCodes.PROTOCOL_ERROR, CloseCodes.INVALID_PAYLOAD, CloseCodes.TOO_BIG);
  private static final SecureRandom RANDOM = new SecureRandom();
  private static boolean warm;

  @com.code_intelligence.jazzer.junit.FuzzTest(maxDuration = "5m")
  void receive(byte[] input) throws Exception {
    if (!warm) {
      warm = true;
      run(input); // class loading and instrumentation are not the input's time
    }
    long start = System.nanoTime();
    run(input);
    long took = System.nanoTime() - start;
    assertTrue(took < 1_000_000_000L, "took " + took / 1_000_000 + " ms");
  }

  private static void run(byte[] input) throws Exception {
    if (input.length < 2) {
      return;
    }
    int flags = input[0];
    int piece = input[1] & 0xFF;
    WebSocketOptions options = WebSocketOptions.defaults();
    if ((flags & 2) != 0) {
      options = options.withDelivery(WebSocketOptions.Delivery.FRAMES);
    }
    if ((flags & 4) != 0) {
      options = options.withMaxFrameSize(200).withMaxMessageSize(300);
    }
    WebSocketCodec codec =
        (flags & 1) != 0
            ? WebSocketCodec.forResponse(
                options, Headers.of("sec-websocket-extensions", "permessage-deflate"), RANDOM)
            : new WebSocketCodec(options, RANDOM);
    int from = 2;
    try {
      while (from < input.length) {
        int to = piece == 0 ? input.length : Math.min(input.length, from + piece);
        ByteBuffer in = ByteBuffer.wrap(input, from, to - from);
        List<Message> messages = codec.receive(in);
        assertEquals(0, in.remaining(), "unconsumed input");
        for (Message m : messages) {
          checkSize(m, options);
        }
        from = to;
      }
    } catch (WebSocketException e) {
      assertTrue(PEER_CODES.contains(e.closeCode()), "close code " + e.closeCode());
      assertEquals(WebSocketCodec.State.CLOSED, codec.state());
      List<Wire.ClientFrame> frames = Wire.clientFrames(codec.takeOutput());
      Wire.ClientFrame last = frames.get(frames.size() - 1);
      assertEquals(0x8, last.opcode());
      assertEquals(e.closeCode(), (last.payload()[0] & 0xFF) << 8 | last.payload()[1] & 0xFF);
    } finally {
      codec.release();
    }
  }

  private static void checkSize(Message m, WebSocketOptions options) {
    int size =
        m instanceof Message.Binary b
            ? b.bytes().length()
            : m instanceof Message.Fragment f ? f.payload().length() : 0;
    assertTrue(size <= options.maxMessageSize(), "a message of " + size + " bytes");
  }
}
