// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import dev.mint.Http1Options;
import dev.mint.HttpException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The status line and header section of responses, every mode of splitting. */
class StatusAndHeadersTest {
  private static final String EMPTY = "headers 1 Headers[]";

  private static Script.Outcome respond(String response) throws Exception {
    return Script.of(response).run();
  }

  // ---- status line ----

  @Test
  void statusLineWithReason() throws Exception {
    respond("HTTP/1.1 204 No Content\r\n\r\n")
        .parts("status 1 204", EMPTY, "done 1")
        .reasons("No Content");
  }

  @Test
  void everyStatusCarriesItsOwnReason() throws Exception {
    respond("HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\nHTTP/1.1 200 OK\r\n\r\n")
        .reasons("Early Hints", "OK");
  }

  @Test
  void reasonPhraseIsOptional() throws Exception {
    respond("HTTP/1.1 204\r\n\r\n").parts("status 1 204", EMPTY, "done 1").reasons("");
    respond("HTTP/1.1 204 \r\n\r\n").parts("status 1 204", EMPTY, "done 1").reasons("");
    respond("HTTP/1.1 204 Gone  \r\n\r\n").reasons("Gone");
  }

  @Test
  void reasonPhraseMayHoldTabsAndObsText() throws Exception {
    respond("HTTP/1.1 204 Fa\tit \u00e9 (ok)\r\n\r\n")
        .parts("status 1 204", EMPTY, "done 1")
        .reasons("Fa\tit \u00e9 (ok)");
  }

  @Test
  void http10StatusLine() throws Exception {
    respond("HTTP/1.0 200 OK\r\ncontent-length: 2\r\n\r\nhi")
        .parts("status 1 200", "headers 1 Headers[content-length: 2]", "data 1 hi", "done 1")
        .closed(true);
  }

  @Test
  void bareLineFeedsAreAccepted() throws Exception {
    respond("HTTP/1.1 200 OK\nx-a: 1\ncontent-length: 3\n\nabc")
        .parts(
            "status 1 200", "headers 1 Headers[x-a: 1, content-length: 3]", "data 1 abc", "done 1");
  }

  @Test
  void unusualButValidCodes() throws Exception {
    respond("HTTP/1.1 599 Custom\r\ncontent-length: 0\r\n\r\n")
        .parts("status 1 599", "headers 1 Headers[content-length: 0]", "done 1");
    respond("HTTP/1.1 999\r\ncontent-length: 0\r\n\r\n")
        .parts("status 1 999", "headers 1 Headers[content-length: 0]", "done 1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP/2.0 200 OK", "HTTP/1.2 200 OK", "HTTP/0.9 200 OK", "HTTP/3.1 200"})
  void otherVersionsAreUnsupported(String line) throws Exception {
    respond(line + "\r\n\r\n").fails(Reason.UNSUPPORTED_VERSION).message("HTTP/");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTP/1.1 20 OK",
        "HTTP/1.1 2000 OK",
        "HTTP/1.1 abc OK",
        "http/1.1 200 OK",
        "HTTP/1.1  200 OK",
        "HTTP/1.1 200\tOK",
        "HTTP/1.1 099 Low",
        "HTTP/1.1 000",
        "HTTP/1.1",
        "HTTP/1.1 ",
        "HTTP/11 200 OK",
        "HTTP/1.x 200 OK",
        "XTTP/1.1 200 OK",
        " HTTP/1.1 200 OK",
        "",
        "HTTP/1.1 200 O\u0001K",
        "HTTP/1.1 200 O\u007fK",
        "HTTP/1.1 200 OK\r",
        "HTTP/1.1 2\u00000 OK",
        "ICY 200 OK"
      })
  void malformedStatusLines(String line) throws Exception {
    respond(line + "\r\n\r\n").fails(Reason.INVALID_STATUS_LINE);
  }

  @Test
  void statusLineErrorNamesByteAndOffset() throws Exception {
    respond("HTTP/1.1 200 O\u0001K\r\n\r\n")
        .fails(Reason.INVALID_STATUS_LINE)
        .message("0x01")
        .message("offset 14");
  }

  // ---- header fields ----

  @Test
  void namesAreLowerCasedAndValuesTrimmed() throws Exception {
    respond("HTTP/1.1 204 OK\r\nContent-TYPE:text/plain\r\nX-Pad: \t spaced  out \t \r\n\r\n")
        .parts(
            "status 1 204",
            "headers 1 Headers[content-type: text/plain, x-pad: spaced  out]",
            "done 1");
  }

  @Test
  void emptyValuesRepeatedNamesAndOrderAreKept() throws Exception {
    respond("HTTP/1.1 204 OK\r\nx-e:\r\nset-cookie: a=1\r\nx-f:   \r\nSet-Cookie: b=2\r\n\r\n")
        .parts(
            "status 1 204",
            "headers 1 Headers[x-e: , set-cookie: a=1, x-f: , set-cookie: b=2]",
            "done 1");
  }

  @Test
  void obsTextIsDecodedAsLatin1() throws Exception {
    respond("HTTP/1.1 204 OK\r\nx-name: caf\u00e9 \u00ff\r\n\r\n")
        .parts("status 1 204", "headers 1 Headers[x-name: caf\u00e9 \u00ff]", "done 1");
  }

  @Test
  void valueMayHoldColonsAndTabs() throws Exception {
    respond("HTTP/1.1 204 OK\r\nlocation: http://a:1/b?c=d:e\r\nx-t: a\tb\r\n\r\n")
        .parts(
            "status 1 204", "headers 1 Headers[location: http://a:1/b?c=d:e, x-t: a\tb]", "done 1");
  }

  @Test
  void obsFoldIsReplacedBySpace() throws Exception {
    respond("HTTP/1.1 204 OK\r\nx-long: first\r\n  second\r\n\tthird  \r\nx-b: 2\r\n\r\n")
        .parts("status 1 204", "headers 1 Headers[x-long: first second third, x-b: 2]", "done 1");
  }

  @Test
  void obsFoldOfAnEmptyValueOrWithNothing() throws Exception {
    respond("HTTP/1.1 204 OK\r\nx-a:\r\n  more\r\nx-b: b\r\n   \r\n\r\n")
        .parts("status 1 204", "headers 1 Headers[x-a: more, x-b: b]", "done 1");
  }

  @Test
  void whitespaceBeforeTheFirstFieldIsRefused() throws Exception {
    respond("HTTP/1.1 204 OK\r\n x-a: 1\r\n\r\n")
        .fails(Reason.INVALID_RESPONSE_HEADER)
        .message("offset 17");
  }

  @Test
  void whitespaceBetweenNameAndColonIsRefused() throws Exception {
    respond("HTTP/1.1 200 OK\r\ncontent-length : 5\r\n\r\nhello")
        .fails(Reason.INVALID_RESPONSE_HEADER)
        .message("whitespace 0x20 between header name and colon at offset 31");
    respond("HTTP/1.1 200 OK\r\nx-a\t: 5\r\n\r\n").fails(Reason.INVALID_RESPONSE_HEADER);
  }

  @Test
  void invalidNameByteIsNamedWithItsOffset() throws Exception {
    respond("HTTP/1.1 200 OK\r\nx(y: 1\r\n\r\n")
        .fails(Reason.INVALID_RESPONSE_HEADER)
        .message("invalid byte 0x28 in header name at offset 18");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "no-colon-here",
        ": empty-name",
        "x\u00e9: 1",
        "x\u0000: 1",
        "x-a: 1\u0000",
        "x-a: a\u0001b",
        "x-a: a\u007fb",
        "x-a: a\rb",
        "x-a: 1\r\r",
        "\r",
        "x\"y: 1",
        "[x]: 1"
      })
  void malformedFieldLines(String field) throws Exception {
    respond("HTTP/1.1 204 OK\r\n" + field + "\r\n\r\n").fails(Reason.INVALID_RESPONSE_HEADER);
  }

  @Test
  void valueErrorNamesByteAndOffset() throws Exception {
    respond("HTTP/1.1 204 OK\r\nx-a: ab\u0001\r\n\r\n")
        .fails(Reason.INVALID_RESPONSE_HEADER)
        .message("invalid byte 0x01 in header value at offset 24");
  }

  @Test
  void partsOfAResponseWithBrokenHeadersAreNotEmitted() throws Exception {
    Script.of("HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nokHTTP/1.1 200 OK\r\nbad line\r\n\r\n")
        .requests(
            c -> {
              c.get("/1");
              c.get("/2");
            })
        .run()
        .fails(
            Reason.INVALID_RESPONSE_HEADER,
            "status 1 200",
            "headers 1 Headers[content-length: 2]",
            "data 1 ok",
            "done 1")
        .open(0);
  }

  // ---- header section limit ----

  @Test
  void headerSectionUpToTheLimitIsAccepted() throws Exception {
    String response = "HTTP/1.1 204 OK\r\nx-a: 123456\r\n\r\n"; // 17 + 13 + 2 = 32 bytes
    Script.of(response)
        .http1(Http1Options.defaults().withMaxHeaderSectionSize(32))
        .run()
        .parts("status 1 204", "headers 1 Headers[x-a: 123456]", "done 1");
  }

  @Test
  void headerSectionPastTheLimitIsRefused() throws Exception {
    Script.of("HTTP/1.1 204 OK\r\nx-a: 1234567\r\n\r\n")
        .http1(Http1Options.defaults().withMaxHeaderSectionSize(32))
        .run()
        .fails(Reason.HEADER_SECTION_TOO_LARGE)
        .message("header section exceeds 32 bytes");
  }

  @Test
  void endlessHeaderLineIsRefusedBeforeItEnds() throws Exception {
    Script.of("HTTP/1.1 200 OK\r\nx-a: " + "a".repeat(200))
        .http1(Http1Options.defaults().withMaxHeaderSectionSize(100))
        .run()
        .fails(Reason.HEADER_SECTION_TOO_LARGE);
  }

  @Test
  void endlessStatusLineIsRefused() throws Exception {
    Script.of("HTTP/1.1 200 " + "O".repeat(100))
        .http1(Http1Options.defaults().withMaxHeaderSectionSize(64))
        .run()
        .fails(Reason.HEADER_SECTION_TOO_LARGE);
  }

  @Test
  void manySmallHeaderLinesCountTowardsTheLimit() throws Exception {
    Script.of("HTTP/1.1 200 OK\r\n" + "a: b\r\n".repeat(30) + "\r\n")
        .http1(Http1Options.defaults().withMaxHeaderSectionSize(128))
        .run()
        .fails(Reason.HEADER_SECTION_TOO_LARGE);
  }

  @Test
  void limitAppliesToEachResponseSeparately() throws Exception {
    String one = "HTTP/1.1 204 OK\r\nx-a: 123456\r\n\r\n"; // 32 bytes each
    Script.of(one + one)
        .http1(Http1Options.defaults().withMaxHeaderSectionSize(32))
        .requests(
            c -> {
              c.get("/1");
              c.get("/2");
            })
        .run()
        .parts(
            "status 1 204",
            "headers 1 Headers[x-a: 123456]",
            "done 1",
            "status 2 204",
            "headers 2 Headers[x-a: 123456]",
            "done 2");
  }

  @Test
  void defaultLimitIsNamedInTheMessage() throws Exception {
    Script.of(
            "HTTP/1.1 200 OK\r\nx-big: " + "v".repeat(Http1Options.DEFAULT_MAX_HEADER_SECTION_SIZE))
        .once()
        .fails(Reason.HEADER_SECTION_TOO_LARGE)
        .message("header section exceeds 262144 bytes");
  }
}
