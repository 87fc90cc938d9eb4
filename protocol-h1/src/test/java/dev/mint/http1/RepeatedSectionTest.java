// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Headers;
import dev.mint.ResponsePart;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Responses that repeat the previous one's section: the strings it already made are used again, and
 * whatever differs is parsed anew, every mode of splitting.
 */
class RepeatedSectionTest {
  private static final String FIRST =
      "HTTP/1.1 200 OK\r\nServer: s1\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\nhi";

  private static Script.Outcome twoResponses(String second) throws Exception {
    return Script.of(FIRST + second)
        .requests(
            c -> {
              c.get("/");
              c.get("/");
            })
        .run();
  }

  private static List<Headers> headers(Script.Outcome o) {
    return o.headers();
  }

  private static List<String> reasons(Script.Outcome o) {
    return o.raw.stream()
        .filter(p -> p instanceof ResponsePart.Status)
        .map(p -> ((ResponsePart.Status) p).reason())
        .toList();
  }

  @Test
  void equalNamesValuesAndReasonAreTheFirstResponsesStrings() throws Exception {
    Script.Outcome o =
        twoResponses(
            "HTTP/1.1 200 OK\r\nSERVER: s1\r\ncontent-type: text/plain\r\ncontent-length: 2\r\n\r\n"
                + "ho");
    List<Headers> h = headers(o);
    assertEquals(h.get(0), h.get(1));
    for (int i = 0; i < 3; i++) {
      assertSame(h.get(0).name(i), h.get(1).name(i), "name " + i);
      assertSame(h.get(0).value(i), h.get(1).value(i), "value " + i);
    }
    assertSame(reasons(o).get(0), reasons(o).get(1));
  }

  @Test
  void whatDiffersIsParsedAnew() throws Exception {
    Script.Outcome o =
        twoResponses("HTTP/1.1 201 Okay\r\nserver: s2\r\ncontent-length: 3\r\nx-new: 1\r\n\r\nhey");
    o.parts(
        "status 1 200",
        "headers 1 Headers[server: s1, content-type: text/plain, content-length: 2]",
        "data 1 hi",
        "done 1",
        "status 2 201",
        "headers 2 Headers[server: s2, content-length: 3, x-new: 1]",
        "data 2 hey",
        "done 2");
    assertEquals(List.of("OK", "Okay"), reasons(o));
    Headers second = headers(o).get(1);
    assertSame(headers(o).get(0).name(0), second.name(0)); // same name, same place
    assertNotSame(headers(o).get(0).value(2), second.value(1));
  }

  @Test
  void aFoldedValueIsJoinedNotReused() throws Exception {
    twoResponses("HTTP/1.1 200 OK\r\nserver: s1\r\n  more\r\ncontent-length: 0\r\n\r\n")
        .parts(
            "status 1 200",
            "headers 1 Headers[server: s1, content-type: text/plain, content-length: 2]",
            "data 1 hi",
            "done 1",
            "status 2 200",
            "headers 2 Headers[server: s1 more, content-length: 0]",
            "done 2");
  }

  @Test
  void aLargeSectionIsNotKeptForReuse() throws Exception {
    String big = "x-pad: " + "p".repeat(FieldParser.MAX_REUSED_CHARS) + "\r\n";
    Script.Outcome o = Script.of("HTTP/1.1 200 OK\r\n" + big + "content-length: 0\r\n\r\n").once();
    assertTrue(
        o.client.engine.retainedBytes() < FieldParser.MAX_REUSED_CHARS,
        "retained " + o.client.engine.retainedBytes());
  }
}
