// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static dev.mint.http2.Peer.setting;
import static dev.mint.http2.Peer.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpException;
import dev.mint.HttpException.Reason;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.spi.ApiAccess;
import dev.mint.spi.EngineContext;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Requests: pseudo-header fields, validation, bodies, stream identifiers (RFC 9113 §8.3, §5.1.1).
 */
@ExtendWith(SeedReporter.class)
class EngineRequestTest {

  @ParameterizedTest
  @EnumSource(Split.class)
  void aGetCarriesPseudoHeadersFirstAndDefaults(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    RequestRef ref =
        p.engine.request(
            "GET", "/a?b=c", Headers.of("Accept", "*/*", "X-Mixed-Case", "v"), RequestBody.none());
    List<Frame> sent = p.sent();
    assertEquals(1, sent.size());
    HeadersFrame h = (HeadersFrame) sent.get(0);
    assertEquals(1, h.streamId());
    assertTrue(h.endStream(), "no body: END_STREAM on HEADERS");
    assertTrue(h.endHeaders());
    assertEquals(
        Headers.of(
            ":method", "GET",
            ":scheme", "https",
            ":authority", "example.com",
            ":path", "/a?b=c",
            "accept", "*/*",
            "x-mixed-case", "v",
            "user-agent", ConnectOptions.DEFAULT_USER_AGENT),
        p.requestHeaders(sent, 0));
    assertEquals(p.requestHeaders(sent, 0), ref.sentHeaders().orElseThrow(), "what was sent");
    assertEquals(1, p.engine.openRequestCount());
    assertEquals(1, p.engine.openStreamCount());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void hostBecomesAuthorityAndPortsAndIpv6AreWritten(Split split) throws HttpException {
    Peer p =
        new Peer(split, new EngineContext(Scheme.HTTP, "::1", 8080, ConnectOptions.defaults()), 1);
    p.engine.request("GET", "/", Headers.of("user-agent", "me"), RequestBody.none());
    p.engine.request("GET", "/", Headers.of("Host", "other.example"), RequestBody.none());
    List<Frame> sent = Peer.without(p.sent(), SettingsFrame.class, WindowUpdateFrame.class);
    Headers first = p.requestHeaders(sent, 0);
    assertEquals("http", first.get(":scheme"));
    assertEquals("[::1]:8080", first.get(":authority"));
    assertEquals(List.of("me"), first.getAll("user-agent"));
    Headers second = p.requestHeaders(sent, 1);
    assertEquals("other.example", second.get(":authority"));
    assertFalse(second.contains("host"));
    assertEquals(3, sent.get(1).streamId(), "odd, increasing stream ids");
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void noUserAgentWhenTheOptionsSayNone(Split split) {
    Peer p =
        new Peer(
            split,
            new EngineContext(
                Scheme.HTTPS, "example.com", 443, ConnectOptions.builder().userAgent(null).build()),
            1);
    p.sent();
    try {
      p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    } catch (HttpException e) {
      throw new AssertionError(e);
    }
    assertFalse(p.requestHeaders(p.sent(), 0).contains("user-agent"));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void invalidRequestsAreCallerErrorsThatChangeNothing(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    refused(p, Reason.INVALID_METHOD, "GE T", "/", Headers.empty());
    refused(p, Reason.INVALID_METHOD, "", "/", Headers.empty());
    refused(p, Reason.INVALID_TARGET, "GET", "/a b", Headers.empty());
    refused(p, Reason.INVALID_TARGET, "GET", "/\u00e9", Headers.empty());
    refused(p, Reason.INVALID_TARGET, "GET", "http://example.com/", Headers.empty());
    refused(p, Reason.INVALID_TARGET, "GET", "*", Headers.empty());
    refused(p, Reason.INVALID_TARGET, "GET", "", Headers.empty());
    refused(p, Reason.INVALID_HEADER_NAME, "GET", "/", Headers.of("bad name", "v"));
    refused(p, Reason.INVALID_HEADER_NAME, "GET", "/", Headers.of("", "v"));
    refused(p, Reason.INVALID_HEADER_NAME, "GET", "/", Headers.of(":path", "/x"));
    refused(p, Reason.INVALID_HEADER_NAME, "GET", "/", Headers.of(":protocol", "websocket"));
    refused(p, Reason.INVALID_HEADER_VALUE, "GET", "/", Headers.of("x", "a\r\nb: c"));
    refused(p, Reason.INVALID_HEADER_VALUE, "GET", "/", Headers.of("x", "a\u0000"));
    refused(p, Reason.INVALID_HEADER_VALUE, "GET", "/", Headers.of("x", " padded"));
    refused(p, Reason.INVALID_HEADER_VALUE, "GET", "/", Headers.of("x", "\u20ac"));
    // RFC 9110 §5.5, as over HTTP/1.1: no control byte but HTAB, and no DEL
    refused(p, Reason.INVALID_HEADER_VALUE, "GET", "/", Headers.of("x", "a\u0001b"));
    refused(p, Reason.INVALID_HEADER_VALUE, "GET", "/", Headers.of("x", "a\u001f"));
    refused(p, Reason.INVALID_HEADER_VALUE, "GET", "/", Headers.of("x", "\u007f"));
    for (String name :
        List.of("Connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade")) {
      refused(p, Reason.INVALID_REQUEST_HEADER, "GET", "/", Headers.of(name, "x"));
    }
    refused(p, Reason.INVALID_REQUEST_HEADER, "GET", "/", Headers.of("te", "gzip"));
    refused(p, Reason.INVALID_REQUEST_HEADER, "GET", "/", Headers.of("content-length", "x"));
    refused(
        p,
        Reason.INVALID_REQUEST_HEADER,
        "GET",
        "/",
        Headers.of("content-length", "1", "content-length", "2"));
    refused(
        p,
        Reason.INVALID_REQUEST_HEADER,
        "GET",
        "/",
        Headers.of("content-length", "0", "content-length", "0"));
    assertEquals(List.of(), p.sent(), "nothing was queued");
    assertEquals(0, p.engine.openRequestCount());
    p.engine.request("OPTIONS", "*", Headers.of("te", "trailers"), RequestBody.none());
    List<Frame> sent = p.sent();
    assertEquals(1, sent.get(0).streamId(), "refused requests used no stream id");
    assertEquals("trailers", p.requestHeaders(sent, 0).get("te"));
  }

  private static void refused(Peer p, Reason reason, String method, String target, Headers h) {
    HttpException e =
        assertThrows(
            HttpException.class,
            () -> p.engine.request(method, target, h, RequestBody.none()),
            method + " " + target + " " + h);
    assertEquals(reason, e.reason(), e.getMessage());
    assertEquals(HttpException.Fault.CALLER, e.fault());
    assertEquals(HttpException.Scope.REQUEST, e.scope());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void cookiesAreSentAsCrumbs(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    p.engine.request("GET", "/", Headers.of("cookie", "a=1; b=2; c=3"), RequestBody.none());
    assertEquals(List.of("a=1", "b=2", "c=3"), p.requestHeaders(p.sent(), 0).getAll("cookie"));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void cookieCrumbsHaveNoWhitespaceAtTheirEnds(Split split) throws HttpException {
    // RFC 9113 §8.2.1: no field value starts or ends with whitespace, crumbs included
    Peer p = Peer.ready(split);
    p.engine.request("GET", "/", Headers.of("cookie", "a=1;  b=2;\tc=3;;d=4;"), RequestBody.none());
    assertEquals(
        List.of("a=1", "b=2", "c=3", "d=4"), p.requestHeaders(p.sent(), 0).getAll("cookie"));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aFixedBodyGoesOutAsDataWithEndStream(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    p.engine.request("POST", "/upload", Headers.empty(), RequestBody.utf8("hello"));
    List<Frame> sent = p.sent();
    assertEquals(2, sent.size());
    HeadersFrame h = (HeadersFrame) sent.get(0);
    assertFalse(h.endStream());
    assertEquals("5", p.requestHeaders(sent, 0).get("content-length"));
    assertEquals(Peer.data(1, "hello", true), sent.get(1));
    p.engine.request("POST", "/empty", Headers.empty(), RequestBody.utf8(""));
    sent = p.sent();
    assertEquals(1, sent.size());
    assertTrue(((HeadersFrame) sent.get(0)).endStream(), "an empty body ends on HEADERS");
    assertEquals("0", p.requestHeaders(sent, 0).get("content-length"));
    HttpException e =
        assertThrows(
            HttpException.class,
            () ->
                p.engine.request(
                    "POST", "/", Headers.of("content-length", "4"), RequestBody.utf8("hello")));
    assertEquals(Reason.BODY_LENGTH_MISMATCH, e.reason());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aLargeHeaderBlockIsSplitIntoContinuationFrames(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    String big = "x".repeat(40_000);
    p.engine.request("GET", "/", Headers.of("x-big", big, "x-big2", big), RequestBody.none());
    List<Frame> sent = p.sent();
    HeadersFrame h = (HeadersFrame) sent.get(0);
    assertFalse(h.endHeaders());
    assertTrue(h.endStream(), "END_STREAM rides on HEADERS");
    assertEquals(16_384, h.fragment().length());
    for (int i = 1; i < sent.size(); i++) {
      ContinuationFrame c = assertInstanceOf(ContinuationFrame.class, sent.get(i));
      assertTrue(c.fragment().length() <= 16_384);
      assertEquals(i == sent.size() - 1, c.endHeaders());
    }
    assertTrue(sent.size() >= 3);
    assertEquals(big, p.requestHeaders(sent, 0).get("x-big2"));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void theServersHeaderListLimitIsACallerError(Split split) throws HttpException {
    Peer p = Peer.ready(split, setting(SettingsFrame.MAX_HEADER_LIST_SIZE, 300));
    HttpException e =
        assertThrows(
            HttpException.class,
            () ->
                p.engine.request("GET", "/", Headers.of("x", "y".repeat(200)), RequestBody.none()));
    assertEquals(Reason.PEER_LIMIT_REACHED, e.reason());
    assertEquals(List.of(), p.sent());
    p.engine.request("GET", "/", Headers.of("x", "y"), RequestBody.none());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void theServersConcurrencyLimitIsRespected(Split split) throws HttpException {
    Peer p = Peer.ready(split, setting(SettingsFrame.MAX_CONCURRENT_STREAMS, 2));
    RequestRef first = p.engine.request("GET", "/1", Headers.empty(), RequestBody.none());
    p.engine.request("GET", "/2", Headers.empty(), RequestBody.none());
    assertEquals(2, p.engine.openStreamCount());
    assertEquals(2, p.engine.maxConcurrentStreams());
    HttpException e =
        assertThrows(
            HttpException.class,
            () -> p.engine.request("GET", "/3", Headers.empty(), RequestBody.none()));
    assertEquals(Reason.PEER_LIMIT_REACHED, e.reason());
    assertEquals(HttpException.Scope.REQUEST, e.scope());
    assertEquals(HttpException.Fault.CALLER, e.fault());
    assertTrue(p.engine.canSendRequests(), "the connection itself can still send");
    p.sent();
    assertEquals(
        List.of("#" + first.sequence() + " status 204", "#1 headers Headers[]", "#1 done"),
        Peer.describe(p.receive(p.headers(1, true, ":status", "204"))));
    assertEquals(1, p.engine.openStreamCount());
    p.engine.request("GET", "/3", Headers.empty(), RequestBody.none());
    assertEquals(5, p.sent().get(0).streamId());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void streamIdsRunOut(Split split) throws HttpException {
    Peer p = new Peer(split, Peer.CONTEXT, Http2Limits.MAX_STREAM_ID - 2);
    p.handshake();
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    List<Frame> sent = p.sent();
    assertEquals(Http2Limits.MAX_STREAM_ID - 2, sent.get(0).streamId());
    assertEquals(Http2Limits.MAX_STREAM_ID, sent.get(1).streamId());
    assertFalse(p.engine.canSendRequests());
    assertFalse(p.engine.isClosed(), "streams in flight still complete");
    HttpException e =
        assertThrows(
            HttpException.class,
            () -> p.engine.request("GET", "/", Headers.empty(), RequestBody.none()));
    assertEquals(Reason.INVALID_STATE, e.reason());
    assertTrue(e.getMessage().contains("used up"), e.getMessage());
    assertEquals(
        List.of("#2 status 200", "#2 headers Headers[]", "#2 done"),
        Peer.describe(p.receive(p.headers(Http2Limits.MAX_STREAM_ID, true, ":status", "200"))));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aStreamingBodyEndsWithTrailersOrAnEmptyData(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    RequestRef a = p.engine.request("POST", "/a", Headers.empty(), RequestBody.streaming());
    HeadersFrame h = (HeadersFrame) p.sent().get(0);
    assertFalse(h.endStream());
    p.engine.streamRequestBody(a, ByteBuffer.wrap("abc".getBytes()));
    p.engine.streamRequestBody(a, ByteBuffer.allocate(0));
    p.engine.endRequestBody(a, Headers.of("X-Checksum", "42"));
    List<Frame> sent = p.sent();
    assertEquals(Peer.data(1, "abc", false), sent.get(0));
    HeadersFrame trailers = (HeadersFrame) sent.get(1);
    assertTrue(trailers.endStream());
    assertEquals(Headers.of("x-checksum", "42"), p.requestHeaders(sent, 1));

    RequestRef b = p.engine.request("POST", "/b", Headers.empty(), RequestBody.streaming());
    p.engine.streamRequestBody(b, ByteBuffer.wrap("x".getBytes()));
    p.engine.endRequestBody(b, Headers.empty());
    sent = p.sent();
    assertEquals(Peer.data(3, "x", false), sent.get(1));
    assertEquals(new DataFrame(3, Bytes.empty(), true), sent.get(2));
    assertThrows(HttpException.class, () -> p.engine.endRequestBody(b, Headers.empty()));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void streamingMisuseIsACallerError(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    RequestRef fixed = p.engine.request("POST", "/", Headers.empty(), RequestBody.utf8("x"));
    RequestRef sized =
        p.engine.request("POST", "/", Headers.of("content-length", "3"), RequestBody.streaming());
    RequestRef other = ApiAccess.newRequestRef(99, "elsewhere");
    p.sent();
    callerError(Reason.BODY_NOT_STREAMING, () -> p.engine.streamRequestBody(fixed, buf("a")));
    callerError(Reason.UNKNOWN_REQUEST, () -> p.engine.streamRequestBody(other, buf("a")));
    callerError(Reason.BODY_LENGTH_MISMATCH, () -> p.engine.streamRequestBody(sized, buf("abcd")));
    p.engine.streamRequestBody(sized, buf("ab"));
    callerError(Reason.BODY_LENGTH_MISMATCH, () -> p.engine.endRequestBody(sized, Headers.empty()));
    p.engine.streamRequestBody(sized, buf("c"));
    callerError(
        Reason.INVALID_HEADER_NAME, () -> p.engine.endRequestBody(sized, Headers.of(":x", "y")));
    callerError(
        Reason.INVALID_REQUEST_HEADER,
        () -> p.engine.endRequestBody(sized, Headers.of("connection", "close")));
    p.engine.endRequestBody(sized, Headers.empty());
    List<Frame> sent = p.sent();
    assertEquals(
        List.of(
            Peer.data(3, "ab", false),
            Peer.data(3, "c", false),
            new DataFrame(3, Bytes.empty(), true)),
        sent);
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void trailersThatFrameRouteOrAuthenticateAreRefused(Split split) throws HttpException {
    // RFC 9110 §6.5.1, as over HTTP/1.1: a recipient needs these before the content.
    Peer p = Peer.ready(split);
    RequestRef ref = p.engine.request("POST", "/", Headers.empty(), RequestBody.streaming());
    p.sent();
    for (String name :
        List.of("content-length", "Content-Length", "host", "trailer", "authorization", "te")) {
      callerError(
          Reason.INVALID_REQUEST_HEADER, () -> p.engine.endRequestBody(ref, Headers.of(name, "1")));
    }
    callerError(
        Reason.INVALID_HEADER_VALUE,
        () -> p.engine.endRequestBody(ref, Headers.of("x-checksum", "a\u0001")));
    assertEquals(List.of(), p.sent(), "nothing was queued");
    p.engine.endRequestBody(ref, Headers.of("x-checksum", "1"));
    assertEquals("1", p.requestHeaders(p.sent(), 0).get("x-checksum"));
  }

  private static ByteBuffer buf(String s) {
    return ByteBuffer.wrap(s.getBytes());
  }

  private static void callerError(Reason reason, Executable call) {
    HttpException e = assertThrows(HttpException.class, call);
    assertEquals(reason, e.reason(), e.getMessage());
    assertEquals(HttpException.Fault.CALLER, e.fault());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void cancelResetsTheStreamAndLateFramesAreIgnored(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    RequestRef ref = p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    List<ResponsePart> cancelParts = new ArrayList<>();
    p.engine.cancelRequest(ref, cancelParts);
    assertEquals(List.of("#1 error CANCELLED CANCEL"), Peer.describe(cancelParts));
    HttpException e = (HttpException) ((ResponsePart.RequestError) cancelParts.get(0)).error();
    assertEquals(HttpException.Fault.CALLER, e.fault());
    assertEquals(HttpException.Scope.REQUEST, e.scope());
    cancelParts.clear();
    assertEquals(List.of(new RstStreamFrame(1, ErrorCode.CANCEL)), p.sent());
    assertEquals(0, p.engine.openRequestCount());
    assertEquals(0, p.engine.openStreamCount());
    List<ResponsePart> parts =
        p.receive(
            p.headers(1, false, ":status", "200"),
            Peer.data(1, "late", true),
            new RstStreamFrame(1, ErrorCode.NO_ERROR));
    assertEquals(List.of(), parts, "frames sent before the server saw our reset are ignored");
    assertEquals(List.of(), Peer.without(p.sent(), WindowUpdateFrame.class));
    p.engine.cancelRequest(ref, cancelParts);
    assertEquals(List.of(), p.sent(), "cancelling twice sends nothing");
    assertEquals(List.of(), cancelParts);
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void cancellingAfterTheResponseEndedGivesNoPart(Split split) throws HttpException {
    // the response is complete while our streamed body is still open: the stream is reset, but
    // the request already ended with Done and gets no second end
    Peer p = Peer.ready(split);
    RequestRef ref = p.engine.request("POST", "/", Headers.empty(), RequestBody.streaming());
    p.sent();
    assertEquals(
        List.of("#1 status 200", "#1 headers Headers[]", "#1 done"),
        Peer.describe(p.receive(p.headers(1, true, ":status", "200"))));
    List<ResponsePart> cancelParts = new ArrayList<>();
    p.engine.cancelRequest(ref, cancelParts);
    assertEquals(List.of(), cancelParts);
    assertEquals(List.of(new RstStreamFrame(1, ErrorCode.CANCEL)), p.sent());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void theServersHpackTableSizeIsHonoured(Split split) throws HttpException {
    Peer p = Peer.ready(split, setting(SettingsFrame.HEADER_TABLE_SIZE, 0));
    p.decoder.maxTableSize(0);
    p.engine.request("GET", "/", Headers.of("x-a", "1"), RequestBody.none());
    List<Frame> sent = p.sent();
    HeadersFrame h = (HeadersFrame) sent.get(0);
    assertEquals(0x20, h.fragment().byteAt(0) & 0xff, "dynamic table size update to 0 first");
    assertEquals("1", p.requestHeaders(sent, 0).get("x-a"));
    p.engine.request("GET", "/", Headers.of("x-a", "1"), RequestBody.none());
    assertEquals("1", p.requestHeaders(p.sent(), 0).get("x-a"));
    p.receive(settings(setting(SettingsFrame.HEADER_TABLE_SIZE, 100_000)));
    p.decoder.maxTableSize(Http2Limits.MAX_ENCODER_TABLE_SIZE);
    p.engine.request("GET", "/", Headers.of("x-a", "2"), RequestBody.none());
    sent = Peer.without(p.sent(), SettingsFrame.class);
    assertEquals("2", p.requestHeaders(sent, 0).get("x-a"));
  }
}
