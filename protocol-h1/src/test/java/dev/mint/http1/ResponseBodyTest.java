// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Http1Options;
import dev.mint.HttpException.Reason;
import dev.mint.RequestBody;
import dev.mint.ResponsePart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Response bodies: content-length, chunked, read until close, none; and broken framing. */
class ResponseBodyTest {
  private static final String OK = "HTTP/1.1 200 OK\r\n";
  private static final String CHUNKED = OK + "transfer-encoding: chunked\r\n\r\n";
  private static final String CHUNKED_HEADERS = "headers 1 Headers[transfer-encoding: chunked]";

  private static Script.Outcome respond(String response) throws Exception {
    return Script.of(response).run();
  }

  // ---- content-length ----

  @Test
  void contentLengthBody() throws Exception {
    respond(OK + "content-length: 11\r\n\r\nhello world")
        .parts(
            "status 1 200", "headers 1 Headers[content-length: 11]", "data 1 hello world", "done 1")
        .closed(false)
        .canSend(true)
        .open(0);
  }

  @Test
  void contentLengthZeroIsDoneAtOnce() throws Exception {
    respond(OK + "content-length: 0\r\n\r\n")
        .parts("status 1 200", "headers 1 Headers[content-length: 0]", "done 1");
  }

  @Test
  void contentLengthWithLeadingZeros() throws Exception {
    respond(OK + "content-length: 003\r\n\r\nabc")
        .parts("status 1 200", "headers 1 Headers[content-length: 003]", "data 1 abc", "done 1");
  }

  @Test
  void dataIsEmittedAsItArrives() throws Exception {
    Script.Outcome o = respond(OK + "content-length: 10\r\n\r\nabc");
    o.parts("status 1 200", "headers 1 Headers[content-length: 10]", "data 1 abc").open(1);
  }

  @Test
  void binaryBodyBytesAreKept() throws Exception {
    byte[] head = Script.bytes(OK + "content-length: 256\r\n\r\n");
    byte[] all = new byte[head.length + 256];
    System.arraycopy(head, 0, all, 0, head.length);
    for (int i = 0; i < 256; i++) {
      all[head.length + i] = (byte) i;
    }
    Script.Outcome o = Script.of("").respond(all).run();
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 256; i++) {
      expected.append((char) i);
    }
    o.parts(
        "status 1 200", "headers 1 Headers[content-length: 256]", "data 1 " + expected, "done 1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "-1", "+5", "1 2", "0x10", "5.0", "", "\u00e9"})
  void invalidContentLength(String value) throws Exception {
    respond(OK + "content-length: " + value + "\r\n\r\n").fails(Reason.INVALID_CONTENT_LENGTH);
  }

  @Test
  void contentLengthOverflowIsInvalid() throws Exception {
    respond(OK + "content-length: 9223372036854775808\r\n\r\n")
        .fails(Reason.INVALID_CONTENT_LENGTH)
        .message("overflow");
    respond(OK + "content-length: 99999999999999999999999\r\n\r\n")
        .fails(Reason.INVALID_CONTENT_LENGTH);
  }

  @Test
  void largestContentLengthIsAccepted() throws Exception {
    respond(OK + "content-length: 9223372036854775807\r\n\r\nab")
        .parts(
            "status 1 200", "headers 1 Headers[content-length: 9223372036854775807]", "data 1 ab");
  }

  @Test
  void repeatedContentLengthConflictsEvenWhenEqual() throws Exception {
    respond(OK + "content-length: 5\r\ncontent-length: 5\r\n\r\nhello")
        .fails(Reason.CONFLICTING_CONTENT_LENGTH);
    respond(OK + "content-length: 5, 5\r\n\r\nhello").fails(Reason.CONFLICTING_CONTENT_LENGTH);
    respond(OK + "content-length: 5,6\r\n\r\nhello").fails(Reason.CONFLICTING_CONTENT_LENGTH);
  }

  // ---- transfer-encoding ----

  @Test
  void transferEncodingWithContentLengthIsRefused() throws Exception {
    respond(OK + "content-length: 5\r\ntransfer-encoding: chunked\r\n\r\n")
        .fails(Reason.TRANSFER_ENCODING_WITH_CONTENT_LENGTH);
    respond(OK + "transfer-encoding: gzip\r\ncontent-length: 5\r\n\r\n")
        .fails(Reason.TRANSFER_ENCODING_WITH_CONTENT_LENGTH);
  }

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "gzip, chunked", "chunked, gzip", "chunked;q=1", "identity", ""})
  void onlyALoneChunkedIsSupported(String value) throws Exception {
    respond(OK + "transfer-encoding: " + value + "\r\n\r\n")
        .fails(Reason.UNSUPPORTED_TRANSFER_ENCODING);
  }

  @Test
  void twoTransferEncodingFieldsAreUnsupported() throws Exception {
    respond(OK + "transfer-encoding: chunked\r\ntransfer-encoding: chunked\r\n\r\n")
        .fails(Reason.UNSUPPORTED_TRANSFER_ENCODING);
  }

  @Test
  void chunkedIsCaseInsensitive() throws Exception {
    respond(OK + "Transfer-Encoding: Chunked \r\n\r\n0\r\n\r\n")
        .parts("status 1 200", "headers 1 Headers[transfer-encoding: Chunked]", "done 1");
  }

  // ---- chunked ----

  @Test
  void chunkedBody() throws Exception {
    respond(CHUNKED + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n")
        .parts("status 1 200", CHUNKED_HEADERS, "data 1 hello world", "done 1")
        .closed(false)
        .open(0);
  }

  @Test
  void hexSizesInAnyCaseAndWithLeadingZeros() throws Exception {
    String ten = "0123456789";
    respond(CHUNKED + "A\r\n" + ten + "\r\n00a\r\n" + ten + "\r\n0000\r\n\r\n")
        .parts("status 1 200", CHUNKED_HEADERS, "data 1 " + ten + ten, "done 1");
  }

  @Test
  void chunkExtensionsAreIgnored() throws Exception {
    respond(CHUNKED + "5;name=value\r\nhello\r\n3 ; a=\"q;x\"\t; b\r\nabc\r\n0;last\r\n\r\n")
        .parts("status 1 200", CHUNKED_HEADERS, "data 1 helloabc", "done 1");
  }

  @Test
  void chunkSizeLinesMayEndWithABareLineFeed() throws Exception {
    respond(CHUNKED + "3\nabc\r\n0\n\n")
        .parts("status 1 200", CHUNKED_HEADERS, "data 1 abc", "done 1");
  }

  @Test
  void trailingWhitespaceAfterTheSizeIsAccepted() throws Exception {
    respond(CHUNKED + "3 \t\r\nabc\r\n0\r\n\r\n")
        .parts("status 1 200", CHUNKED_HEADERS, "data 1 abc", "done 1");
  }

  @Test
  void partialChunksAreEmittedWithoutWaiting() throws Exception {
    Script.Outcome o = respond(CHUNKED + "a\r\nhel");
    o.parts("status 1 200", CHUNKED_HEADERS, "data 1 hel").open(1);
    long dataParts = o.raw.stream().filter(p -> p instanceof ResponsePart.Data).count();
    assertEquals(1, dataParts);
  }

  @Test
  void trailersFollowTheLastChunk() throws Exception {
    respond(CHUNKED + "3\r\nabc\r\n0\r\nX-Checksum: 42\r\nx-more: a\r\n  b\r\n\r\n")
        .parts(
            "status 1 200",
            CHUNKED_HEADERS,
            "data 1 abc",
            "trailers 1 Headers[x-checksum: 42, x-more: a b]",
            "done 1");
  }

  @Test
  void trailerLinesMayEndWithBareLineFeeds() throws Exception {
    respond(CHUNKED + "0\nx-t: 1\n\n")
        .parts("status 1 200", CHUNKED_HEADERS, "trailers 1 Headers[x-t: 1]", "done 1");
  }

  @Test
  void malformedTrailersAreRefused() throws Exception {
    respond(CHUNKED + "0\r\nx-t : 1\r\n\r\n")
        .fails(Reason.INVALID_RESPONSE_HEADER, "status 1 200", CHUNKED_HEADERS);
    respond(CHUNKED + "0\r\n folded\r\n\r\n")
        .fails(Reason.INVALID_RESPONSE_HEADER, "status 1 200", CHUNKED_HEADERS);
    respond(CHUNKED + "0\r\nx-t: a\u0000\r\n\r\n")
        .fails(Reason.INVALID_RESPONSE_HEADER, "status 1 200", CHUNKED_HEADERS)
        .message("trailer value");
  }

  @Test
  void trailerSectionIsBounded() throws Exception {
    Http1Options small = Http1Options.defaults().withMaxTrailerSectionSize(16);
    Script.of(CHUNKED + "0\r\nx-t: 1234567\r\n\r\n") // 14 + 2 = 16 bytes
        .http1(small)
        .run()
        .parts("status 1 200", CHUNKED_HEADERS, "trailers 1 Headers[x-t: 1234567]", "done 1");
    Script.of(CHUNKED + "0\r\nx-t: 12345678\r\n\r\n")
        .http1(small)
        .run()
        .fails(Reason.TRAILER_SECTION_TOO_LARGE, "status 1 200", CHUNKED_HEADERS)
        .message("trailer section exceeds 16 bytes");
    Script.of(CHUNKED + "0\r\nx-t: " + "1".repeat(100))
        .http1(small)
        .run()
        .fails(Reason.TRAILER_SECTION_TOO_LARGE, "status 1 200", CHUNKED_HEADERS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"g", "-5", "+5", " 5", "0x5", "", "5 x", "5x", ";ext", "\t5", "5\u0000"})
  void invalidChunkSizes(String size) throws Exception {
    respond(CHUNKED + size + "\r\nhello\r\n0\r\n\r\n")
        .fails(Reason.INVALID_CHUNK_SIZE, "status 1 200", CHUNKED_HEADERS);
  }

  @Test
  void chunkSizeOverflowIsInvalid() throws Exception {
    respond(CHUNKED + "8000000000000000\r\n")
        .fails(Reason.INVALID_CHUNK_SIZE, "status 1 200", CHUNKED_HEADERS)
        .message("overflow");
    respond(CHUNKED + "10000000000000000\r\n")
        .fails(Reason.INVALID_CHUNK_SIZE, "status 1 200", CHUNKED_HEADERS);
  }

  @Test
  void largestChunkSizeIsAccepted() throws Exception {
    respond(CHUNKED + "7fffffffffffffff\r\nabc")
        .parts("status 1 200", CHUNKED_HEADERS, "data 1 abc");
  }

  @Test
  void chunkExtensionWithControlBytesIsInvalid() throws Exception {
    respond(CHUNKED + "5;a\u0001b\r\nhello\r\n0\r\n\r\n")
        .fails(Reason.INVALID_CHUNK_SIZE, "status 1 200", CHUNKED_HEADERS)
        .message("chunk extension");
    respond(CHUNKED + "5;a\rb\r\nhello\r\n0\r\n\r\n")
        .fails(Reason.INVALID_CHUNK_SIZE, "status 1 200", CHUNKED_HEADERS);
  }

  @Test
  void chunkSizeLineIsBounded() throws Exception {
    String ext = ";x=" + "y".repeat(ResponseReader.MAX_CHUNK_LINE);
    respond(CHUNKED + "5" + ext + "\r\nhello\r\n0\r\n\r\n")
        .fails(Reason.INVALID_CHUNK_SIZE, "status 1 200", CHUNKED_HEADERS)
        .message("exceeds 4096 bytes");
    String fits = ";x=" + "y".repeat(ResponseReader.MAX_CHUNK_LINE - 6); // 1 + 3 + 4090 + 2 = 4096
    respond(CHUNKED + "5" + fits + "\r\nhello\r\n0\r\n\r\n")
        .parts("status 1 200", CHUNKED_HEADERS, "data 1 hello", "done 1");
  }

  @ParameterizedTest
  @ValueSource(strings = {"X\r\n0\r\n\r\n", "\n0\r\n\r\n", "\rX0\r\n\r\n", "\r\r\n0\r\n\r\n"})
  void chunkDataMustEndWithCrlf(String after) throws Exception {
    respond(CHUNKED + "5\r\nhello" + after)
        .fails(Reason.INVALID_CHUNK_FRAMING, "status 1 200", CHUNKED_HEADERS, "data 1 hello")
        .message("after chunk data");
  }

  @Test
  void chunkedHttp10ResponseClosesAfterwards() throws Exception {
    Script.of(
            "HTTP/1.0 200 OK\r\nconnection: keep-alive\r\ntransfer-encoding: chunked\r\n\r\n"
                + "2\r\nhi\r\n0\r\n\r\n")
        .run()
        .parts(
            "status 1 200",
            "headers 1 Headers[connection: keep-alive, transfer-encoding: chunked]",
            "data 1 hi",
            "done 1")
        .closed(true);
  }

  // ---- read until close ----

  @Test
  void bodyWithoutLengthIsReadUntilClose() throws Exception {
    Script.of(OK + "content-type: text/plain\r\n\r\nall of it")
        .thenClose()
        .run()
        .parts(
            "status 1 200",
            "headers 1 Headers[content-type: text/plain]",
            "data 1 all of it",
            "done 1")
        .closed(true)
        .open(0);
  }

  @Test
  void bodyUntilCloseIsNotDoneBeforeTheClose() throws Exception {
    respond(OK + "\r\nsome")
        .parts("status 1 200", "headers 1 Headers[]", "data 1 some")
        .closed(false)
        .canSend(false)
        .open(1);
  }

  @Test
  void emptyBodyUntilClose() throws Exception {
    Script.of(OK + "\r\n")
        .thenClose()
        .run()
        .parts("status 1 200", "headers 1 Headers[]", "done 1")
        .closed(true);
  }

  // ---- read until close, over TLS (RFC 9112 §9.8) ----

  @Test
  void bodyUntilACloseWithoutCloseNotifyIsTruncated() throws Exception {
    // Only a valid closure alert completes a body delimited by the close; without one an attacker
    // may have cut the connection. The parts before the end are kept.
    Script.of(OK + "content-type: text/plain\r\n\r\nall of it")
        .thenCloseWithoutCloseNotify()
        .run()
        .fails(
            Reason.TRUNCATED_RESPONSE,
            "status 1 200",
            "headers 1 Headers[content-type: text/plain]",
            "data 1 all of it")
        .message("close_notify")
        .open(0)
        .canSend(false);
    Script.of(OK + "\r\n")
        .thenCloseWithoutCloseNotify()
        .run()
        .fails(Reason.TRUNCATED_RESPONSE, "status 1 200", "headers 1 Headers[]");
  }

  @Test
  void optionAcceptsACloseWithoutCloseNotify() throws Exception {
    Script.of(OK + "\r\nall of it")
        .http1(Http1Options.defaults().withAcceptCloseWithoutCloseNotify(true))
        .thenCloseWithoutCloseNotify()
        .run()
        .parts("status 1 200", "headers 1 Headers[]", "data 1 all of it", "done 1")
        .closed(true);
  }

  @Test
  void optionChangesNothingForACleanClose() throws Exception {
    Script.of(OK + "\r\nall of it")
        .http1(Http1Options.defaults().withAcceptCloseWithoutCloseNotify(true))
        .thenClose()
        .run()
        .parts("status 1 200", "headers 1 Headers[]", "data 1 all of it", "done 1");
  }

  @Test
  void framedResponsesAreCompleteWhateverTheClose() throws Exception {
    // RFC 9112 §9.8: a content-length body received in full, or a chunked one up to its last
    // chunk, is complete even when the close is not confirmed.
    Script.of(OK + "content-length: 2\r\n\r\nok")
        .thenCloseWithoutCloseNotify()
        .run()
        .parts("status 1 200", "headers 1 Headers[content-length: 2]", "data 1 ok", "done 1");
    Script.of(CHUNKED + "2\r\nok\r\n0\r\n\r\n")
        .thenCloseWithoutCloseNotify()
        .run()
        .parts("status 1 200", CHUNKED_HEADERS, "data 1 ok", "done 1");
    Script.of(OK + "content-length: 5\r\n\r\nok")
        .thenCloseWithoutCloseNotify()
        .run()
        .fails(
            Reason.PREMATURE_CLOSE,
            "status 1 200",
            "headers 1 Headers[content-length: 5]",
            "data 1 ok");
  }

  // ---- no body ----

  @Test
  void headResponseHasNoBodyWhateverItsFieldsSay() throws Exception {
    Script.of(
            "HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n"
                + "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n")
        .requests(
            c -> {
              c.request("HEAD", "/", null, null);
              c.request("HEAD", "/", null, null);
            })
        .run()
        .parts(
            "status 1 200",
            "headers 1 Headers[content-length: 1000]",
            "done 1",
            "status 2 200",
            "headers 2 Headers[transfer-encoding: chunked]",
            "done 2")
        .closed(false);
  }

  @Test
  void headResponseWithoutLengthDoesNotWaitForClose() throws Exception {
    Script.of(OK + "\r\n")
        .requests(c -> c.request("HEAD", "/", null, null))
        .run()
        .parts("status 1 200", "headers 1 Headers[]", "done 1")
        .closed(false)
        .canSend(true);
  }

  @ParameterizedTest
  @ValueSource(ints = {204, 304})
  void noContentStatusesHaveNoBody(int code) throws Exception {
    Script.of(
            "HTTP/1.1 "
                + code
                + " X\r\ncontent-length: 5\r\n\r\nHTTP/1.1 "
                + code
                + " X\r\ntransfer-encoding: chunked\r\n\r\n")
        .requests(
            c -> {
              c.get("/1");
              c.get("/2");
            })
        .run()
        .parts(
            "status 1 " + code,
            "headers 1 Headers[content-length: 5]",
            "done 1",
            "status 2 " + code,
            "headers 2 Headers[transfer-encoding: chunked]",
            "done 2");
  }

  @Test
  void framingOfBodylessResponsesIsNotChecked() throws Exception {
    Script.of("HTTP/1.1 304 Not Modified\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\n")
        .run()
        .parts("status 1 304", "headers 1 Headers[content-length: 5, content-length: 6]", "done 1");
  }

  @Test
  void postResponseBody() throws Exception {
    Script.Outcome o =
        Script.of(OK + "content-length: 2\r\n\r\nok")
            .requests(c -> c.request("POST", "/", null, RequestBody.utf8("x")))
            .run()
            .parts("status 1 200", "headers 1 Headers[content-length: 2]", "data 1 ok", "done 1");
    assertTrue(o.sent.startsWith("POST / HTTP/1.1\r\n"), o.sent);
  }
}
