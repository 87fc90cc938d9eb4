// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.Http1Options;
import dev.mint.ResponsePart;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sections at their size limit, fed whole and one byte at a time, parse in time linear in their
 * size. These are not performance assertions: the {@link Timeout} is a guard two orders of
 * magnitude above the linear time, which a quadratic step (re-scanning or re-copying a growing
 * buffer per byte or per line) exceeds.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class LinearParsingTest {
  private static final int KIB = 1024;

  /** A response whose header section is {@code head}, {@code line} repeated, and an end. */
  private static byte[] section(String head, String line, String end, int size) {
    StringBuilder sb = new StringBuilder("HTTP/1.1 200 OK\r\n").append(head);
    while (sb.length() + line.length() + end.length() <= size) {
      sb.append(line);
    }
    return Script.bytes(sb.append(end).toString());
  }

  private static List<ResponsePart> feed(byte[] wire, int limit, boolean byteAtATime)
      throws Exception {
    ConnectOptions options =
        Checks.NO_AGENT.toBuilder()
            .http1(
                Http1Options.defaults()
                    .withMaxHeaderSectionSize(limit)
                    .withMaxTrailerSectionSize(limit))
            .build();
    Script.Client c = Checks.client(options);
    c.get("/");
    List<ResponsePart> out = new ArrayList<>();
    if (byteAtATime) {
      ByteBuffer one = ByteBuffer.allocate(1);
      for (byte b : wire) {
        one.clear();
        c.engine.receive(one.put(b).flip(), out);
      }
    } else {
      c.engine.receive(ByteBuffer.wrap(wire), out);
    }
    return out;
  }

  private static Headers headersOf(List<ResponsePart> out) {
    return ((ResponsePart.Headers) out.get(1)).headers();
  }

  @Test
  void headerSectionOf256KibOneByteAtATime() throws Exception {
    int limit = Http1Options.DEFAULT_MAX_HEADER_SECTION_SIZE;
    List<ResponsePart> small =
        feed(section("content-length: 0\r\n", "a: b\r\n", "\r\n", limit), limit, true);
    assertEquals(3, small.size(), "status, headers, done");

    List<ResponsePart> oneLine =
        feed(section("content-length: 0\r\nx: ", "y", "\r\n\r\n", limit), limit, true);
    assertEquals(limit - 17 - 19 - 3 - 4, headersOf(oneLine).value(1).length());

    List<ResponsePart> folded =
        feed(section("content-length: 0\r\nx: a", "\r\n b", "\r\n\r\n", limit), limit, true);
    assertEquals("a b b", headersOf(folded).value(1).substring(0, 5));
  }

  @Test
  void foldedValueOfManyMebibytesParsesInLinearTime() throws Exception {
    // Each obs-fold line extends the value before it (RFC 9112 §5.2); joining by re-copying the
    // value so far for every line took time quadratic in the section size.
    int limit = 2 * KIB * KIB;
    byte[] wire = section("content-length: 0\r\nx: a", "\r\n b", "\r\n\r\n", limit);
    for (boolean byteAtATime : new boolean[] {false, true}) {
      List<ResponsePart> out = feed(wire, limit, byteAtATime);
      String value = headersOf(out).value(1);
      assertEquals((limit - 17 - 19 - 4 - 4) / 4 * 2 + 1, value.length(), "a, then ' b' per fold");
    }
  }

  @Test
  void trailerSectionOfFoldsParsesInLinearTime() throws Exception {
    int limit = 2 * KIB * KIB;
    StringBuilder sb =
        new StringBuilder("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n0\r\nx: a");
    String fold = "\r\n b";
    for (int i = 0; i < limit / fold.length() - 8; i++) {
      sb.append(fold);
    }
    byte[] wire = Script.bytes(sb.append("\r\n\r\n").toString());
    for (boolean byteAtATime : new boolean[] {false, true}) {
      List<ResponsePart> out = feed(wire, limit, byteAtATime);
      Headers trailers = ((ResponsePart.Trailers) out.get(2)).trailers();
      assertEquals(limit / fold.length() - 8, (trailers.value(0).length() - 1) / 2);
    }
  }
}
