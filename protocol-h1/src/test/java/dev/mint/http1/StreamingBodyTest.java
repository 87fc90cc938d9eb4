// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static dev.mint.http1.Checks.callerError;
import static dev.mint.http1.Checks.client;
import static dev.mint.http1.Checks.closedError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.mint.Headers;
import dev.mint.Http1Options;
import dev.mint.HttpException.Reason;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Streamed request bodies: chunked by the engine, counted, and every misuse. */
class StreamingBodyTest {
  private static final String CHUNKED_HEAD =
      "POST /up HTTP/1.1\r\nhost: example.com\r\ntransfer-encoding: chunked\r\n\r\n";

  private static RequestRef streaming(Script.Client c, Headers headers) throws Exception {
    return c.request("POST", "/up", headers, RequestBody.streaming());
  }

  private static ByteBuffer buf(String s) {
    return ByteBuffer.wrap(Script.bytes(s));
  }

  @Test
  void engineChunksAStreamedBody() throws Exception {
    Script.Client c = client();
    RequestRef ref = streaming(c, Headers.empty());
    assertEquals(CHUNKED_HEAD, c.sent());
    c.engine.streamRequestBody(ref, buf("hello"));
    assertEquals("5\r\nhello\r\n", c.sent());
    String big = "x".repeat(300);
    c.engine.streamRequestBody(ref, buf(big));
    assertEquals("12c\r\n" + big + "\r\n", c.sent());
    c.engine.endRequestBody(ref, Headers.empty());
    assertEquals("0\r\n\r\n", c.sent());
  }

  @Test
  void emptyChunksAreNotSentBecauseTheyWouldEndTheBody() throws Exception {
    Script.Client c = client();
    RequestRef ref = streaming(c, null);
    c.sent();
    c.engine.streamRequestBody(ref, ByteBuffer.allocate(0));
    assertEquals("", c.sent());
    c.engine.endRequestBody(ref, null);
    assertEquals("0\r\n\r\n", c.sent());
  }

  @Test
  void chunkBufferIsConsumedAndCopied() throws Exception {
    Script.Client c = client();
    RequestRef ref = streaming(c, null);
    c.sent();
    byte[] raw = Script.bytes("abcdef");
    ByteBuffer chunk = ByteBuffer.wrap(raw, 1, 3);
    c.engine.streamRequestBody(ref, chunk);
    assertFalse(chunk.hasRemaining());
    raw[2] = 'X'; // the caller reuses its buffer
    assertEquals("3\r\nbcd\r\n", c.sent());
  }

  @Test
  void directChunksWork() throws Exception {
    Script.Client c = client();
    RequestRef ref = streaming(c, null);
    c.sent();
    ByteBuffer chunk = ByteBuffer.allocateDirect(16);
    chunk.put(Script.bytes("0123456789abcdef")).flip();
    c.engine.streamRequestBody(ref, chunk);
    assertEquals("10\r\n0123456789abcdef\r\n", c.sent());
  }

  @Test
  void trailersAreWrittenWithTheLastChunk() throws Exception {
    Script.Client c = client();
    RequestRef ref = streaming(c, Headers.of("Trailer", "X-Checksum"));
    c.sent();
    c.engine.streamRequestBody(ref, buf("abc"));
    c.engine.endRequestBody(ref, Headers.of("X-Checksum", "sha-1=abc", "x-n", "2"));
    assertEquals("3\r\nabc\r\n0\r\nx-checksum: sha-1=abc\r\nx-n: 2\r\n\r\n", c.sent());
  }

  @Test
  void trailersKeepCaseWhenAsked() throws Exception {
    Script.Client c = client(Http1Options.defaults().withPreserveHeaderCase(true));
    RequestRef ref = streaming(c, null);
    c.sent();
    c.engine.endRequestBody(ref, Headers.of("X-Checksum", "1"));
    assertEquals("0\r\nX-Checksum: 1\r\n\r\n", c.sent());
  }

  @Test
  void invalidTrailersAreRefusedAndTheBodyStaysOpen() throws Exception {
    Script.Client c = client();
    RequestRef ref = streaming(c, null);
    c.sent();
    callerError(
        Reason.INVALID_HEADER_NAME, () -> c.engine.endRequestBody(ref, Headers.of("x y", "1")));
    callerError(
        Reason.INVALID_HEADER_VALUE,
        () -> c.engine.endRequestBody(ref, Headers.of("x", "1\r\n\r\nGET /smuggled HTTP/1.1")));
    assertEquals("", c.sent());
    c.engine.streamRequestBody(ref, buf("a"));
    c.engine.endRequestBody(ref, Headers.empty());
    assertEquals("1\r\na\r\n0\r\n\r\n", c.sent());
  }

  @Test
  void callerContentLengthMeansRawCountedBytes() throws Exception {
    Script.Client c = client();
    RequestRef ref = streaming(c, Headers.of("content-length", "10"));
    assertEquals("POST /up HTTP/1.1\r\nhost: example.com\r\ncontent-length: 10\r\n\r\n", c.sent());
    c.engine.streamRequestBody(ref, buf("0123"));
    c.engine.streamRequestBody(ref, buf("456789"));
    c.engine.endRequestBody(ref, Headers.empty());
    assertEquals("0123456789", c.sent());
  }

  @Test
  void countedBodyRefusesExtraBytesWhole() throws Exception {
    Script.Client c = client();
    RequestRef ref = streaming(c, Headers.of("content-length", "5"));
    c.sent();
    c.engine.streamRequestBody(ref, buf("abc"));
    ByteBuffer tooMuch = buf("def");
    callerError(Reason.BODY_LENGTH_MISMATCH, () -> c.engine.streamRequestBody(ref, tooMuch));
    assertEquals(3, tooMuch.remaining(), "a refused chunk is not consumed");
    c.engine.streamRequestBody(ref, buf("de"));
    c.engine.endRequestBody(ref, null);
    assertEquals("abcde", c.sent());
  }

  @Test
  void countedBodyEndingShortIsRefused() throws Exception {
    Script.Client c = client();
    RequestRef ref = streaming(c, Headers.of("content-length", "5"));
    c.engine.streamRequestBody(ref, buf("abcd"));
    callerError(Reason.BODY_LENGTH_MISMATCH, () -> c.engine.endRequestBody(ref, null));
    c.engine.streamRequestBody(ref, buf("e"));
    c.engine.endRequestBody(ref, null);
  }

  @Test
  void countedBodyRefusesTrailers() throws Exception {
    Script.Client c = client();
    RequestRef ref = streaming(c, Headers.of("content-length", "0"));
    callerError(
        Reason.INVALID_REQUEST_HEADER, () -> c.engine.endRequestBody(ref, Headers.of("x", "1")));
    c.engine.endRequestBody(ref, Headers.empty());
  }

  @Test
  void callerTransferEncodingEndingInChunkedIsChunkedByTheEngine() throws Exception {
    Script.Client c = client();
    RequestRef ref = streaming(c, Headers.of("Transfer-Encoding", "gzip, chunked"));
    assertEquals(
        "POST /up HTTP/1.1\r\nhost: example.com\r\ntransfer-encoding: gzip, chunked\r\n\r\n",
        c.sent());
    c.engine.streamRequestBody(ref, buf("abcd"));
    c.engine.endRequestBody(ref, Headers.of("x-sum", "1"));
    assertEquals("4\r\nabcd\r\n0\r\nx-sum: 1\r\n\r\n", c.sent());
  }

  /**
   * Streamed bytes are content, never framing: a body that looks like a last chunk and a second
   * request goes out inside one chunk, so one request call is still one request on the wire.
   */
  @Test
  void streamedBytesCannotEndTheMessage() throws Exception {
    Script.Client c = client();
    RequestRef ref = streaming(c, Headers.of("transfer-encoding", "chunked"));
    c.sent();
    String smuggled = "0\r\n\r\nGET /x HTTP/1.1\r\n\r\n";
    c.engine.streamRequestBody(ref, buf(smuggled));
    c.engine.endRequestBody(ref, null);
    assertEquals(
        Integer.toHexString(smuggled.length()) + "\r\n" + smuggled + "\r\n0\r\n\r\n", c.sent());
  }

  /**
   * RFC 9112 §6.1: a request with any transfer coding has chunked as its final one, and chunked is
   * applied once (§7.1); anything else would leave the message without an end the server agrees on.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "gzip",
        "chunked, gzip",
        "chunked, chunked",
        "chunked;x=1",
        "",
        ",,",
        "chunked,",
        "gzip,,chunked"
      })
  void callerTransferEncodingNotEndingInOneChunkedIsRefused(String value) {
    Script.Client c = client();
    callerError(
        Reason.INVALID_REQUEST_HEADER, () -> streaming(c, Headers.of("transfer-encoding", value)));
    assertEquals("", c.sent());
    assertEquals(0, c.engine.openRequestCount());
  }

  @Test
  void transferEncodingListsJoinAcrossFields() throws Exception {
    Script.Client c = client();
    callerError(
        Reason.INVALID_REQUEST_HEADER,
        () ->
            streaming(c, Headers.of("transfer-encoding", "chunked", "transfer-encoding", "gzip")));
    RequestRef ref =
        streaming(c, Headers.of("transfer-encoding", "gzip", "transfer-encoding", "Chunked"));
    c.sent();
    c.engine.streamRequestBody(ref, buf("z"));
    assertEquals("1\r\nz\r\n", c.sent());
  }

  @Test
  void streamingAfterTheEndIsRefused() throws Exception {
    Script.Client c = client();
    RequestRef ref = streaming(c, null);
    c.engine.endRequestBody(ref, null);
    callerError(Reason.BODY_NOT_STREAMING, () -> c.engine.streamRequestBody(ref, buf("x")));
    callerError(Reason.BODY_NOT_STREAMING, () -> c.engine.endRequestBody(ref, null));
  }

  @Test
  void streamingIntoAFixedOrBodylessRequestIsRefused() throws Exception {
    Script.Client c = client();
    RequestRef fixed = c.request("POST", "/", null, RequestBody.utf8("x"));
    RequestRef none = c.get("/");
    callerError(Reason.BODY_NOT_STREAMING, () -> c.engine.streamRequestBody(fixed, buf("x")));
    callerError(Reason.BODY_NOT_STREAMING, () -> c.engine.endRequestBody(none, null));
  }

  @Test
  void streamingIntoAnUnknownRefIsRefused() throws Exception {
    Script.Client other = client();
    RequestRef foreign = other.request("POST", "/", null, RequestBody.streaming());
    Script.Client c = client();
    callerError(Reason.UNKNOWN_REQUEST, () -> c.engine.streamRequestBody(foreign, buf("x")));
    callerError(Reason.UNKNOWN_REQUEST, () -> c.engine.endRequestBody(foreign, null));
  }

  @Test
  void aNewRequestWaitsForTheStreamedBodyToEnd() throws Exception {
    Script.Client c = client();
    RequestRef ref = streaming(c, null);
    c.sent();
    callerError(Reason.INVALID_STATE, () -> c.get("/next"));
    assertEquals("", c.sent());
    c.engine.endRequestBody(ref, null);
    c.get("/next");
    assertEquals("0\r\n\r\nGET /next HTTP/1.1\r\nhost: example.com\r\n\r\n", c.sent());
  }

  @Test
  void bodyMayContinueAfterAnEarlyResponse() throws Exception {
    Script.Client c = client();
    RequestRef ref = streaming(c, null);
    c.sent();
    List<ResponsePart> out = new ArrayList<>();
    c.engine.receive(buf("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"), out);
    assertEquals(
        List.of("status 1 200", "headers 1 Headers[content-length: 0]", "done 1"),
        Script.normalize(out));
    assertEquals(0, c.engine.openRequestCount());
    c.engine.streamRequestBody(ref, buf("late"));
    c.engine.endRequestBody(ref, null);
    assertEquals("4\r\nlate\r\n0\r\n\r\n", c.sent());
  }

  @Test
  void fullOutputQueueRefusesAChunkWhole() throws Exception {
    Script.Client c = client(100);
    RequestRef ref = streaming(c, null);
    c.sent();
    ByteBuffer chunk = buf("y".repeat(97));
    callerError(Reason.OUTPUT_QUEUE_FULL, () -> c.engine.streamRequestBody(ref, chunk));
    assertEquals(97, chunk.remaining());
    assertEquals("", c.sent());
    c.engine.streamRequestBody(ref, buf("y".repeat(94)));
    assertEquals(100, c.engine.queuedBytes());
  }

  @Test
  void closedEngineRefusesBodyCalls() throws Exception {
    Script.Client c = client();
    RequestRef ref = streaming(c, null);
    c.engine.close();
    closedError(() -> c.engine.streamRequestBody(ref, buf("x")));
    closedError(() -> c.engine.endRequestBody(ref, null));
  }
}
