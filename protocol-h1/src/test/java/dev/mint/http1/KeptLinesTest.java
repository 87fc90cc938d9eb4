// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpException;
import dev.mint.RequestBody;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.spi.EngineContext;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The field lines a section keeps for the next one: a line with the previous section's bytes at its
 * place takes that section's name and value, any other line is parsed anew, whatever changed before
 * or after it, every mode of splitting, heap and direct buffers.
 */
class KeptLinesTest {
  private static final String NGINX =
      "HTTP/1.1 200 OK\r\n"
          + "Server: nginx/1.22.1\r\n"
          + "Date: Sun, 06 Dec 2026 01:57:27 GMT\r\n"
          + "Content-Type: application/octet-stream\r\n"
          + "Content-Length: 2\r\n"
          + "Connection: keep-alive\r\n"
          + "ETag: \"6932e7e8-400\"\r\n"
          + "\r\n"
          + "hi";

  private static Script.Outcome responses(String... wire) throws Exception {
    return Script.of(String.join("", wire))
        .requests(
            c -> {
              for (int i = 0; i < wire.length; i++) {
                c.get("/");
              }
            })
        .run();
  }

  private static List<Headers> headers(Script.Outcome o) {
    return o.headers();
  }

  @Test
  void aValueChangedInTheMiddleIsParsedAnewAndTheLinesAroundItReused() throws Exception {
    String sameLength = NGINX.replace("01:57:27", "01:57:28");
    String longer = sameLength.replace("nginx/1.22.1", "nginx/1.22.10");
    Script.Outcome o = responses(NGINX, sameLength, longer, NGINX);
    List<Headers> h = headers(o);
    assertEquals("Sun, 06 Dec 2026 01:57:28 GMT", h.get(1).value(1));
    assertEquals("nginx/1.22.10", h.get(2).value(0));
    assertEquals(h.get(0), h.get(3));
    for (int i = 0; i < 6; i++) {
      if (i != 1) {
        assertSame(h.get(0).value(i), h.get(1).value(i), "second response, value " + i);
      }
      assertSame(h.get(0).name(i), h.get(2).name(i), "third response, name " + i);
    }
    assertNotSame(h.get(0).value(1), h.get(1).value(1));
    assertEquals(h.get(1).value(1), h.get(2).value(1));
    assertEquals(h.get(0).value(0), h.get(3).value(0));
  }

  @Test
  void anInvalidLineOfAKeptLinesLengthFailsAsOnAFreshConnection() throws Exception {
    // Same length as the kept line, so the lines after it stay comparable: the changed line must
    // still be parsed and refused, with the message (rule, byte, offset) a fresh parser gives.
    String spaceBeforeColon = NGINX.replace("Server: nginx/1.22.1", "Server : nginx/1.22.");
    String nulInValue = NGINX.replace("01:57:27", "01:5\u0000:27");
    for (String bad : new String[] {spaceBeforeColon, nulInValue}) {
      Script.Outcome kept = responses(NGINX, bad);
      Script.Outcome fresh = responses(bad);
      assertNotNull(kept.error, bad);
      assertNotNull(fresh.error, bad);
      assertEquals(fresh.error.reason(), kept.error.reason(), bad);
      assertEquals(fresh.error.getMessage(), kept.error.getMessage(), bad);
      assertEquals(1, headers(kept).size(), "the first response's head came out: " + bad);
    }
  }

  @Test
  void aShorterSectionKeepsOnlyItsOwnLines() throws Exception {
    String twoFields = "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Length: 0\r\n\r\n";
    String four =
        "HTTP/1.1 200 OK\r\nServer: nginx/1.22.1\r\nContent-Length: 0\r\nA: 1\r\nB: 2\r\n\r\n";
    String fourFields = "[server: nginx/1.22.1, content-length: 0, a: 1, b: 2]";
    String two = "[server: nginx/1.22.1, content-length: 0]";
    sections(responses(four, twoFields, four, twoFields), fourFields, two, fourFields, two);
  }

  /** A fold in the middle, then after the last line of a section whose lines all repeat. */
  @Test
  void foldedValuesAreJoinedWhateverWasKept() throws Exception {
    String folded = "HTTP/1.1 200 OK\r\nX-A: one\r\n  two\r\nX-B: b\r\nContent-Length: 0\r\n\r\n";
    String plain = "HTTP/1.1 200 OK\r\nX-A: one\r\nX-B: b\r\nContent-Length: 0\r\n\r\n";
    String end = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-A: one\r\n\r\n";
    String endFolded = end.replace("one\r\n", "one\r\n two\r\n");
    String joined = "[x-a: one two, x-b: b, content-length: 0]";
    String one = "[x-a: one, x-b: b, content-length: 0]";
    String last = "[content-length: 0, x-a: one]";
    sections(
        responses(folded, folded, plain, folded, end, end, endFolded, end),
        joined,
        joined,
        one,
        joined,
        last,
        last,
        "[content-length: 0, x-a: one two]",
        last);
  }

  /** Asserts that the responses completed with these header sections, as {@code [name: value]}. */
  private static void sections(Script.Outcome o, String... expected) {
    assertEquals(null, o.error, "unexpected error");
    assertEquals(
        List.of(expected),
        o.headers().stream().map(h -> h.toString().substring("Headers".length())).toList());
    assertEquals(
        expected.length, o.raw.stream().filter(p -> p instanceof ResponsePart.Done).count());
  }

  @Test
  void trailersAndHeadersAlternate() throws Exception {
    String chunked =
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nx\r\n0\r\nTransfer-Encoding: t\r\n\r\n";
    responses(chunked, chunked)
        .parts(
            "status 1 200",
            "headers 1 Headers[transfer-encoding: chunked]",
            "data 1 x",
            "trailers 1 Headers[transfer-encoding: t]",
            "done 1",
            "status 2 200",
            "headers 2 Headers[transfer-encoding: chunked]",
            "data 2 x",
            "trailers 2 Headers[transfer-encoding: t]",
            "done 2");
  }

  @Test
  void directBuffersReuseTheKeptLinesToo() throws Exception {
    Http1Engine engine = engine();
    List<Headers> seen = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      byte[] wire = Script.bytes(i == 1 ? NGINX.replace("27 GMT", "28 GMT") : NGINX);
      ByteBuffer direct = ByteBuffer.allocateDirect(wire.length).put(wire).flip();
      seen.add(exchange(engine, direct));
    }
    assertEquals(seen.get(0), seen.get(2));
    assertEquals("Sun, 06 Dec 2026 01:57:28 GMT", seen.get(1).value(1));
    assertSame(seen.get(0).value(2), seen.get(1).value(2));
    assertSame(seen.get(0).value(0), seen.get(2).value(0));
  }

  /**
   * Random sections from a small set of lines, so that they repeat, change in place, grow, shrink
   * and fold, on one connection, against a model that parses each line from scratch.
   */
  @Test
  void randomSectionsMatchAModelParse() throws Exception {
    String[] names = {"Server", "date", "X-Long", "ETag", "a", "Content-Type", "VARY"};
    String[] values = {"", "v", "  padded\t", "nginx/1.22.1", "x".repeat(300), "\"6932e7e8-400\""};
    for (int seed = 1; seed <= 40; seed++) {
      Random random = new Random(seed);
      Http1Engine engine = engine();
      for (int response = 0; response < 12; response++) {
        StringBuilder section = new StringBuilder();
        int lines = 1 + random.nextInt(8);
        for (int i = 0; i < lines; i++) {
          boolean fold = i > 0 && random.nextInt(10) == 0;
          section.append(fold ? " " : names[random.nextInt(names.length)] + ":");
          section.append(values[random.nextInt(values.length)]).append("\r\n");
        }
        String wire = "HTTP/1.1 200 OK\r\n" + section + "Content-Length: 0\r\n\r\n";
        ByteBuffer in = ByteBuffer.wrap(Script.bytes(wire));
        if (random.nextBoolean()) {
          in = ByteBuffer.allocateDirect(in.remaining()).put(in).flip();
        }
        String where = "seed " + seed + ", response " + response + ":\n" + wire;
        assertEquals(model(section + "Content-Length: 0\r\n"), exchange(engine, in), where);
      }
      assertTrue(engine.retainedBytes() < 2048, "retained " + engine.retainedBytes());
    }
  }

  /** The fields of {@code section}, each line parsed on its own (RFC 9112 §5, §5.2). */
  private static Headers model(String section) {
    List<String[]> fields = new ArrayList<>();
    for (String line : section.split("\r\n")) {
      if (line.startsWith(" ")) {
        String[] last = fields.get(fields.size() - 1);
        String more = line.strip();
        last[1] = more.isEmpty() ? last[1] : last[1].isEmpty() ? more : last[1] + " " + more;
      } else {
        int colon = line.indexOf(':');
        fields.add(
            new String[] {
              line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).strip()
            });
      }
    }
    Headers.Builder b = Headers.builder();
    fields.forEach(f -> b.add(f[0], f[1]));
    return b.build();
  }

  private static Http1Engine engine() {
    return new Http1Engine(
        new EngineContext(Scheme.HTTP, "example.com", 80, ConnectOptions.defaults()));
  }

  /** Sends a GET, parses {@code in} as the whole response and returns its header fields. */
  private static Headers exchange(Http1Engine engine, ByteBuffer in) throws HttpException {
    engine.request("GET", "/", Headers.empty(), RequestBody.none());
    engine.takeOutput(Long.MAX_VALUE, new ArrayList<>());
    List<ResponsePart> out = new ArrayList<>();
    engine.receive(in, out);
    assertTrue(out.get(out.size() - 1) instanceof ResponsePart.Done, out.toString());
    return ((ResponsePart.Headers) out.get(1)).headers();
  }
}
