// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mint.Http1Options;
import dev.mint.HttpException;
import dev.mint.ResponsePart;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The invariant: any bytes give parts, need-more, or a peer protocol error that closes the engine,
 * and nothing else; and the parts of each request follow the documented order. Mutated valid
 * responses, fed at random split points; every case's seed is in the failure message.
 */
class FuzzTest {
  private static final int CASES = 3000;

  private static final String[] SEEDS = {
    "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello",
    "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5;x=y\r\nhello\r\n0\r\nx-t: 1\r\n\r\n",
    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\nx-a: a\r\n b\r\n\r\n",
    "HTTP/1.0 200 OK\r\n\r\nuntil close",
    "HTTP/1.1 101 Switching Protocols\r\nupgrade: x\r\n\r\nraw",
    "HTTP/1.1 304 Not Modified\r\netag: \"x\"\r\n\r\n",
    "HTTP/1.1 200 OK\ncontent-length: 1\n\nxHTTP/1.1 200 OK\r\nconnection: close\r\n\r\n",
  };

  @Test
  void anyBytesGivePartsOrAPeerError() {
    for (int seed = 1; seed <= CASES; seed++) {
      Random random = new Random(seed);
      byte[] input = mutate(Script.bytes(SEEDS[random.nextInt(SEEDS.length)]), random);
      try {
        runCase(input, random);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError(
            "seed " + seed + ", input: " + Script.text(ByteBuffer.wrap(input)), e);
      }
    }
  }

  private static byte[] mutate(byte[] in, Random random) {
    byte[] b = in;
    int edits = random.nextInt(4);
    for (int i = 0; i < edits; i++) {
      int at = random.nextInt(b.length);
      byte value =
          (byte)
              (random.nextBoolean()
                  ? random.nextInt(256)
                  : "\r\n :;0aF\t".charAt(random.nextInt(9)));
      switch (random.nextInt(3)) {
        case 0 -> b[at] = value;
        case 1 -> {
          byte[] longer = new byte[b.length + 1];
          System.arraycopy(b, 0, longer, 0, at);
          longer[at] = value;
          System.arraycopy(b, at, longer, at + 1, b.length - at);
          b = longer;
        }
        default -> {
          if (b.length > 1) {
            byte[] shorter = new byte[b.length - 1];
            System.arraycopy(b, 0, shorter, 0, at);
            System.arraycopy(b, at + 1, shorter, at, b.length - at - 1);
            b = shorter;
          }
        }
      }
    }
    return b;
  }

  private static void runCase(byte[] input, Random random) throws AssertionError {
    Script.Client c =
        Checks.client(
            Http1Options.defaults().withMaxHeaderSectionSize(200).withMaxTrailerSectionSize(50));
    List<ResponsePart> out = new ArrayList<>();
    try {
      c.get("/1");
      c.request(random.nextInt(4) == 0 ? "HEAD" : "GET", "/2", null, null);
      int at = 0;
      while (at < input.length) {
        int n = 1 + random.nextInt(input.length - at);
        ByteBuffer in = ByteBuffer.wrap(input, at, n);
        c.engine.receive(in, out);
        assertFalse(in.hasRemaining(), "receive must consume everything");
        at += n;
      }
      if (random.nextBoolean()) {
        c.engine.receiveEnd(random.nextBoolean(), out);
        assertTrue(c.engine.isClosed(), "closed after receiveEnd");
      }
    } catch (HttpException e) {
      assertEquals(HttpException.Fault.PEER, e.fault(), e.toString());
      assertEquals(HttpException.Scope.CONNECTION, e.scope(), e.toString());
      assertTrue(c.engine.isClosed(), "closed after " + e);
    }
    checkOrder(out);
  }

  /**
   * Per request: (1xx Status, Headers)*, Status, Headers, Data*, Trailers?, Done | RequestError.
   */
  static void checkOrder(List<ResponsePart> parts) {
    Map<Long, String> state = new HashMap<>();
    for (ResponsePart p : parts) {
      long ref = p.ref().sequence();
      String s = state.getOrDefault(ref, "start");
      String next;
      if (p instanceof ResponsePart.Status st) {
        next =
            s.equals("start") || s.equals("interim")
                ? (st.isInformational() && st.code() != 101 ? "status1xx" : "status")
                : null;
      } else if (p instanceof ResponsePart.Headers) {
        next = s.equals("status1xx") ? "interim" : s.equals("status") ? "body" : null;
      } else if (p instanceof ResponsePart.Data d) {
        assertFalse(d.bytes().isEmpty(), "empty data");
        next = s.equals("body") ? "body" : null;
      } else if (p instanceof ResponsePart.Trailers) {
        next = s.equals("body") ? "trailers" : null;
      } else if (p instanceof ResponsePart.Done) {
        next = s.equals("body") || s.equals("trailers") ? "end" : null;
      } else if (p instanceof ResponsePart.RequestError) {
        next = s.equals("end") ? null : "end";
      } else {
        next = null;
      }
      if (next == null) {
        fail(p + " after state " + s + " in " + Script.normalize(parts));
      }
      state.put(ref, next);
    }
  }
}
