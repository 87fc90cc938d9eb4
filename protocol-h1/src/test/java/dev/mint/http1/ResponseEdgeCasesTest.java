// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import dev.mint.Headers;
import dev.mint.HttpException.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Edge cases of response framing a strict HTTP/1.1 client must get right (RFC 9112 §2.2, §4, §6.3,
 * §7.1; RFC 9110 §6.5, §7.8, §15), every mode of splitting.
 */
class ResponseEdgeCasesTest {
  private static final String SWITCHING =
      "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n";

  // ---- 101 (RFC 9110 §7.8, §15.2.2) ----

  @Test
  void switchingProtocolsWithoutAnUpgradeRequestIsRefused() throws Exception {
    // A server MUST NOT switch to a protocol the client did not offer: the bytes after this 101
    // would be a protocol nobody asked for, so the engine does not turn them into a tunnel.
    Script.of(SWITCHING + "\u0081\u0002hi")
        .run()
        .fails(Reason.INVALID_STATUS_LINE)
        .message("upgrade");
  }

  @Test
  void switchingProtocolsAnswersAnUpgradeRequestInAnyCase() throws Exception {
    Script.of(SWITCHING + "x")
        .requests(c -> c.request("GET", "/ws", Headers.of("Upgrade", "websocket"), null))
        .run()
        .parts(
            "status 1 101",
            "headers 1 Headers[upgrade: websocket, connection: upgrade]",
            "data 1 x");
  }

  // ---- the status line ----

  @Test
  void emptyLineBeforeTheStatusLineIsRefused() throws Exception {
    // RFC 9112 §2.2 lets a server skip empty lines before a request line; nothing lets a client
    // skip them before a status line, and a stray CRLF usually means the previous body was
    // framed wrongly.
    Script.of("\r\nHTTP/1.1 204 No Content\r\n\r\n")
        .run()
        .fails(Reason.INVALID_STATUS_LINE)
        .message("empty line");
  }

  @ParameterizedTest
  @ValueSource(strings = {"HTTP/1.1 099 Low", "HTTP/1.1 1000 OK", "HTTP/1.1 1000", "HTTP/1.1 20"})
  void statusCodesNeedThreeDigitsFrom100(String line) throws Exception {
    Script.of(line + "\r\n\r\n").run().fails(Reason.INVALID_STATUS_LINE);
  }

  @Test
  void statusCodesAbove599AreFinalResponsesForTheCallerToJudge() throws Exception {
    // RFC 9110 §15: invalid, and a client SHOULD treat them as 5xx; the framing is that of any
    // final response, and the caller sees the code as sent.
    Script.of("HTTP/1.1 600 Odd\r\ncontent-length: 1\r\n\r\nx")
        .run()
        .parts("status 1 600", "headers 1 Headers[content-length: 1]", "data 1 x", "done 1")
        .canSend(true);
  }

  // ---- chunk extensions (RFC 9112 §7.1.1) ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "5;a",
        "5;a=b",
        "5 ;a=b",
        "5\t; a = b ;c",
        "5;a=\"\"",
        "5;a=\"q;=\\\"x\\\\\"",
        "5;a=\"\t \u00e9\"",
        "5;name=\"quoted, ok\";other=tok~en"
      })
  void wellFormedChunkExtensionsAreIgnored(String sizeLine) throws Exception {
    Script.of(
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
                + sizeLine
                + "\r\nhello\r\n0\r\n\r\n")
        .run()
        .parts(
            "status 1 200",
            "headers 1 Headers[transfer-encoding: chunked]",
            "data 1 hello",
            "done 1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "5;",
        "5;;a",
        "5;=b",
        "5;a=",
        "5;a=b c",
        "5;a b",
        "5;a(b)",
        "5;\"a\"",
        "5;a=\"unterminated",
        "5;a=\"x\"y",
        "5;a=\"bad \\\u0001 escape\"",
        "5;a=b;"
      })
  void malformedChunkExtensionsAreRefused(String sizeLine) throws Exception {
    Script.of(
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
                + sizeLine
                + "\r\nhello\r\n0\r\n\r\n")
        .run()
        .fails(
            Reason.INVALID_CHUNK_SIZE,
            "status 1 200",
            "headers 1 Headers[transfer-encoding: chunked]");
  }

  @Test
  void lineFeedInsideAQuotedExtensionDoesNotHideTheLineEnd() throws Exception {
    // The LF ends the line (a quoted-string never holds CR or LF), leaving the quote open: a
    // parser that read on past it would frame the body differently from one that did not.
    Script.of(
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
                + "5;a=\"x\ny\"\r\nhello\r\n0\r\n\r\n")
        .run()
        .fails(
            Reason.INVALID_CHUNK_SIZE,
            "status 1 200",
            "headers 1 Headers[transfer-encoding: chunked]")
        .message("quoted");
  }

  // ---- trailers (RFC 9110 §6.5) ----

  @Test
  void framingFieldsInTrailersArePassedOnAndNeverFrameAnything() throws Exception {
    // RFC 9110 §6.5.1 lets a recipient ignore or refuse such trailer fields. The engine never
    // merges trailers into the header section (§6.5.2), so they cannot change any framing: it
    // reports them as sent, and the next response is read as if they were not there.
    Script.of(
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
                + "2\r\nok\r\n0\r\ncontent-length: 100\r\ntransfer-encoding: chunked\r\n"
                + "connection: close\r\n\r\n"
                + "HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\nabc")
        .requests(
            c -> {
              c.get("/1");
              c.get("/2");
            })
        .run()
        .parts(
            "status 1 200",
            "headers 1 Headers[transfer-encoding: chunked]",
            "data 1 ok",
            "trailers 1 Headers[content-length: 100, transfer-encoding: chunked, connection: close]",
            "done 1",
            "status 2 200",
            "headers 2 Headers[content-length: 3]",
            "data 2 abc",
            "done 2")
        .canSend(true);
  }

  // ---- header field names and values (RFC 9110 §5.1, §5.5) ----

  @ParameterizedTest
  @ValueSource(strings = {"x\u007f: 1", "x\u0080: 1", "\u00ff: 1", "x y: 1", "x@: 1"})
  void namesWithBytesOutsideTcharAreRefused(String field) throws Exception {
    Script.of("HTTP/1.1 204 OK\r\n" + field + "\r\n\r\n")
        .run()
        .fails(Reason.INVALID_RESPONSE_HEADER);
  }

  @Test
  void obsTextIsKeptButNulIsRefused() throws Exception {
    Script.of("HTTP/1.1 204 OK\r\nx-a: \u0080\u00ff\r\nx-b:\r\n\r\n")
        .run()
        .parts("status 1 204", "headers 1 Headers[x-a: \u0080\u00ff, x-b: ]", "done 1");
    Script.of("HTTP/1.1 204 OK\r\nx-a: a\u0000b\r\n\r\n")
        .run()
        .fails(Reason.INVALID_RESPONSE_HEADER)
        .message("0x00");
  }

  // ---- content-length (RFC 9110 §8.6) ----

  @Test
  void contentLengthWithManyLeadingZerosIsItsValue() throws Exception {
    Script.of("HTTP/1.1 200 OK\r\ncontent-length: " + "0".repeat(40) + "3\r\n\r\nabc")
        .run()
        .parts(
            "status 1 200",
            "headers 1 Headers[content-length: " + "0".repeat(40) + "3]",
            "data 1 abc",
            "done 1");
  }

  @Test
  void contentLengthOneBeyondLongMaxOverflows() throws Exception {
    Script.of("HTTP/1.1 200 OK\r\ncontent-length: 9223372036854775808\r\n\r\n")
        .run()
        .fails(Reason.INVALID_CONTENT_LENGTH)
        .message("overflows");
  }
}
