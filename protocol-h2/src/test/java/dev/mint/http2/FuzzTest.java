// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.HttpException;
import dev.mint.ResponsePart;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * One invariant over mutated and random input: any bytes give parts, need more, or a protocol error
 * (a connection error other than INTERNAL_ERROR), and nothing else.
 */
@ExtendWith(SeedReporter.class)
class FuzzTest {
  private static final int RUNS = 400;

  /** A valid server script exercising most frame types. */
  private static byte[] script(Peer p) {
    Bytes block = p.block(":status", "200", "content-type", "text/plain", "x-long", "z".repeat(40));
    return Peer.bytes(
        Peer.settings(Peer.setting(SettingsFrame.MAX_CONCURRENT_STREAMS, 10)),
        SettingsFrame.ACK,
        new PingFrame(false, 42),
        new PushPromiseFrame(
            1,
            2,
            p.block(":method", "GET", ":scheme", "https", ":authority", "a", ":path", "/p"),
            true,
            -1),
        new HeadersFrame(1, block.slice(0, 10), false, false, 3, null),
        new ContinuationFrame(1, block.slice(10, block.length()), true),
        new DataFrame(1, Bytes.utf8("hello"), false, 2),
        new WindowUpdateFrame(0, 1000),
        new WindowUpdateFrame(3, 1000),
        p.headers(2, false, ":status", "200"),
        new DataFrame(2, Bytes.utf8("pushed"), true),
        new PriorityFrame(3, new PriorityFrame.Priority(false, 1, 3)),
        new UnknownFrame(0x77, 1, 0, Bytes.utf8("?")),
        new RstStreamFrame(3, ErrorCode.CANCEL),
        p.headers(1, true, "trailer", "t"),
        new GoAwayFrame(1, 0, Bytes.utf8("bye")));
  }

  private static Peer fresh() throws HttpException {
    return Peer.withTwoRequests();
  }

  @Test
  void theValidScriptRunsClean() throws HttpException {
    Peer p = fresh();
    List<ResponsePart> parts = p.receiveBytes(script(p));
    assertNotEquals(0, parts.size());
  }

  @Test
  void mutatedScriptsGivePartsOrProtocolErrors() throws HttpException {
    Random random = new Random(SeedReporter.SEED);
    for (int run = 0; run < RUNS; run++) {
      Peer p = fresh();
      byte[] bytes = script(p);
      switch (random.nextInt(4)) {
        case 0 -> {
          for (int i = 0; i < 1 + random.nextInt(4); i++) {
            bytes[random.nextInt(bytes.length)] = (byte) random.nextInt(256);
          }
        }
        case 1 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
        case 2 -> {
          int at = random.nextInt(bytes.length);
          byte[] noise = new byte[1 + random.nextInt(20)];
          random.nextBytes(noise);
          bytes =
              Raw.concat(
                  Arrays.copyOf(bytes, at), noise, Arrays.copyOfRange(bytes, at, bytes.length));
        }
        default -> {
          int at = random.nextInt(bytes.length);
          int n = random.nextInt(Math.min(30, bytes.length - at) + 1);
          bytes =
              Raw.concat(Arrays.copyOf(bytes, at), Arrays.copyOfRange(bytes, at + n, bytes.length));
        }
      }
      feed(p, bytes, random, run);
    }
  }

  @Test
  void randomBytesAfterTheHandshakeGivePartsOrProtocolErrors() throws HttpException {
    Random random = new Random(SeedReporter.SEED + 1);
    for (int run = 0; run < RUNS; run++) {
      Peer p = fresh();
      byte[] noise = new byte[random.nextInt(300)];
      random.nextBytes(noise);
      feed(p, Raw.concat(Peer.bytes(Peer.settings(), SettingsFrame.ACK), noise), random, run);
    }
  }

  private static void feed(Peer p, byte[] bytes, Random random, int run) {
    List<ResponsePart> out = new ArrayList<>();
    try {
      int at = 0;
      while (at < bytes.length) {
        int n = Math.min(bytes.length - at, 1 + random.nextInt(64));
        ByteBuffer in = ByteBuffer.wrap(bytes, at, n);
        p.engine.receive(in, out);
        assertEquals(at + n, in.position(), "run " + run + ": consumes its input");
        at += n;
      }
      p.engine.receiveEnd(true, out);
    } catch (HttpException e) {
      String what = "run " + run + ": " + e.getMessage();
      if (e.reason() == HttpException.Reason.PREMATURE_CLOSE) {
        return;
      }
      assertEquals(HttpException.Reason.HTTP2_CONNECTION_ERROR, e.reason(), what);
      assertEquals(HttpException.Scope.CONNECTION, e.scope(), what);
      assertNotEquals(ErrorCode.INTERNAL_ERROR.code(), e.http2ErrorCode(), what);
    } catch (RuntimeException e) {
      throw new AssertionError("run " + run + " threw " + e, e);
    }
    for (ResponsePart part : out) {
      if (part instanceof ResponsePart.RequestError err) {
        HttpException h = (HttpException) err.error();
        // request scope, but for the streams a close after GOAWAY left open: the connection ended
        if (h.reason() != HttpException.Reason.PREMATURE_CLOSE) {
          assertEquals(HttpException.Scope.REQUEST, h.scope(), "run " + run);
        } else {
          assertEquals(HttpException.Scope.CONNECTION, h.scope(), "run " + run);
          assertTrue(p.engine.isClosed(), "run " + run);
        }
      }
    }
  }
}
