// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static dev.mint.http2.Peer.data;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.Headers;
import dev.mint.Http2Options;
import dev.mint.HttpException;
import dev.mint.MintException;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Responses: parts, validation of the header blocks, trailers, lengths (RFC 9113 §8). */
@ExtendWith(SeedReporter.class)
class EngineResponseTest {

  /** A ready peer with one GET in flight on stream 1 (reference #1). */
  static Peer withGet(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    return p;
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void statusHeadersDataDone(Split split) throws HttpException {
    Peer p = withGet(split);
    List<ResponsePart> parts =
        p.receive(
            p.headers(1, false, ":status", "200", "content-type", "text/plain"),
            data(1, "hel", false),
            data(1, "", false),
            data(1, "lo", true));
    assertEquals(
        List.of(
            "#1 status 200",
            "#1 headers Headers[content-type: text/plain]",
            "#1 data hel",
            "#1 data lo",
            "#1 done"),
        Peer.describe(parts));
    assertEquals(0, p.engine.openRequestCount());
    assertEquals(0, p.engine.openStreamCount());
    assertEquals(List.of(), Peer.without(p.sent(), WindowUpdateFrame.class));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void emptyDataWithEndStreamGivesOnlyDone(Split split) throws HttpException {
    Peer p = withGet(split);
    assertEquals(
        List.of("#1 status 200", "#1 headers Headers[]", "#1 done"),
        Peer.describe(p.receive(p.headers(1, false, ":status", "200"), data(1, "", true))));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void informationalResponsesPrecedeTheFinalOne(Split split) throws HttpException {
    Peer p = withGet(split);
    assertEquals(
        List.of(
            "#1 status 103",
            "#1 headers Headers[link: </s.css>]",
            "#1 status 100",
            "#1 headers Headers[]",
            "#1 status 200",
            "#1 headers Headers[]",
            "#1 done"),
        Peer.describe(
            p.receive(
                p.headers(1, false, ":status", "103", "link", "</s.css>"),
                p.headers(1, false, ":status", "100"),
                p.headers(1, true, ":status", "200"))));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void interimResponsesAreBounded(Split split) throws HttpException {
    Peer p = Peer.with(split, Http2Options.defaults().withMaxInterimResponses(2));
    p.handshake();
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    List<ResponsePart> parts =
        p.receive(
            p.headers(1, false, ":status", "103"),
            p.headers(1, false, ":status", "100"),
            p.headers(1, false, ":status", "103"));
    assertEquals(
        List.of(
            "#1 status 103",
            "#1 headers Headers[]",
            "#1 status 100",
            "#1 headers Headers[]",
            "#1 error TOO_MANY_INTERIM_RESPONSES ENHANCE_YOUR_CALM"),
        Peer.describe(parts));
    HttpException e = (HttpException) ((ResponsePart.RequestError) parts.get(4)).error();
    assertEquals(HttpException.Fault.PEER, e.fault());
    assertEquals(HttpException.Scope.REQUEST, e.scope());
    assertEquals(List.of(new RstStreamFrame(1, ErrorCode.ENHANCE_YOUR_CALM)), p.sent());
    assertEquals(0, p.engine.openRequestCount());
    // what the server sent before it saw our reset is ignored
    assertEquals(List.of(), p.receive(p.headers(1, true, ":status", "200")));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void trailersEndTheResponse(Split split) throws HttpException {
    Peer p = withGet(split);
    assertEquals(
        List.of(
            "#1 status 200",
            "#1 headers Headers[]",
            "#1 data x",
            "#1 trailers Headers[grpc-status: 0]",
            "#1 done"),
        Peer.describe(
            p.receive(
                p.headers(1, false, ":status", "200"),
                data(1, "x", false),
                p.headers(1, true, "grpc-status", "0"))));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void cookieCrumbsAreJoined(Split split) throws HttpException {
    Peer p = withGet(split);
    assertEquals(
        List.of("#1 status 200", "#1 headers Headers[cookie: a=1; b=2, x: y]", "#1 done"),
        Peer.describe(
            p.receive(
                p.headers(1, true, ":status", "200", "cookie", "a=1", "x", "y", "cookie", "b=2"))));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aResponseSpreadOverContinuationFramesIsJoined(Split split) throws HttpException {
    Peer p = withGet(split);
    Bytes block = p.block(":status", "200", "x-long", "v".repeat(300));
    int a = 100;
    int b = 250;
    assertEquals(
        List.of("#1 status 200", "#1 headers Headers[x-long: " + "v".repeat(300) + "]", "#1 done"),
        Peer.describe(
            p.receive(
                new HeadersFrame(1, block.slice(0, a), true, false),
                new ContinuationFrame(1, block.slice(a, a), false),
                new ContinuationFrame(1, block.slice(a, b), false),
                new ContinuationFrame(1, block.slice(b, block.length()), true))));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void paddingAndPriorityFieldsAreAccepted(Split split) throws HttpException {
    Peer p = withGet(split);
    assertEquals(
        List.of("#1 status 200", "#1 headers Headers[]", "#1 data abc", "#1 done"),
        Peer.describe(
            p.receive(
                new HeadersFrame(
                    1,
                    p.block(":status", "200"),
                    false,
                    true,
                    7,
                    new PriorityFrame.Priority(true, 0, 200)),
                new DataFrame(1, Bytes.utf8("abc"), false, 10),
                new DataFrame(1, Bytes.empty(), true, 0),
                new PriorityFrame(1, new PriorityFrame.Priority(false, 0, 15)))));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void unknownFramesAreIgnored(Split split) throws HttpException {
    Peer p = withGet(split);
    assertEquals(
        List.of("#1 status 200", "#1 headers Headers[]", "#1 done"),
        Peer.describe(
            p.receive(
                new UnknownFrame(0xfa, 0xff, 0, Bytes.utf8("extension")),
                p.headers(1, false, ":status", "200"),
                new UnknownFrame(0xfb, 0, 1, Bytes.empty()),
                data(1, "", true))));
  }

  // ---- malformed responses: stream error PROTOCOL_ERROR ----

  @ParameterizedTest
  @EnumSource(Split.class)
  void malformedHeaderBlocksResetTheStream(Split split) throws HttpException {
    String[][] cases = {
      {":status", "200", "Content-Type", "x"}, // upper case
      {"x", "y", ":status", "200"}, // pseudo after regular
      {":status", "200", ":path", "/"}, // request pseudo-header
      {":status", "200", ":status", "200"}, // repeated
      {"x", "y"}, // no :status
      {":status", "20"},
      {":status", "2000"},
      {":status", "abc"},
      {":status", "099"},
      {":status", "101"}, // no Switching Protocols in HTTP/2
      {":status", "200", "connection", "close"},
      {":status", "200", "keep-alive", "1"},
      {":status", "200", "proxy-connection", "x"},
      {":status", "200", "transfer-encoding", "chunked"},
      {":status", "200", "upgrade", "h2c"},
      {":status", "200", "x", " leading"},
      {":status", "200", "x", "trailing\t"},
      {":status", "200", "x", "a\u0000b"},
      {":status", "200", "x", "a\u0001b"}, // RFC 9110 §5.5, as over HTTP/1.1
      {":status", "200", "x", "\u007f"},
      {":status", "200", "content-length", "1", "content-length", "1"}, // RFC 9110 §8.6
      {":status", "200", "content-length", "1, 1"},
      {":status", "200", "bad name", "x"},
      {":status", "200", ":", "x"},
      {":status", "200", "content-length", "-1"},
      {":status", "200", "content-length", "1", "content-length", "2"},
    };
    for (String[] fields : cases) {
      Peer p = withGet(split);
      List<ResponsePart> parts = p.receive(p.headers(1, false, fields));
      assertEquals(
          List.of("#1 error HTTP2_STREAM_ERROR PROTOCOL_ERROR"),
          Peer.describe(parts),
          String.join(",", fields));
      assertEquals(List.of(new RstStreamFrame(1, ErrorCode.PROTOCOL_ERROR)), p.sent());
      assertEquals(0, p.engine.openRequestCount());
      // the connection goes on
      p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
      assertEquals(
          List.of("#2 status 200", "#2 headers Headers[]", "#2 done"),
          Peer.describe(p.receive(p.headers(3, true, ":status", "200"))));
    }
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void malformedSequencesResetTheStream(Split split) throws HttpException {
    Peer p = withGet(split);
    assertEquals(
        List.of("#1 error HTTP2_STREAM_ERROR PROTOCOL_ERROR"),
        Peer.describe(p.receive(data(1, "early", false))),
        "DATA before HEADERS");
    p = withGet(split);
    assertEquals(
        List.of("#1 error HTTP2_STREAM_ERROR PROTOCOL_ERROR"),
        Peer.describe(p.receive(p.headers(1, true, ":status", "100"))),
        "1xx with END_STREAM");
    p = withGet(split);
    assertEquals(
        List.of(
            "#1 status 200", "#1 headers Headers[]", "#1 error HTTP2_STREAM_ERROR PROTOCOL_ERROR"),
        Peer.describe(
            p.receive(p.headers(1, false, ":status", "200"), p.headers(1, false, "x", "y"))),
        "trailers without END_STREAM");
    p = withGet(split);
    assertEquals(
        List.of(
            "#1 status 200", "#1 headers Headers[]", "#1 error HTTP2_STREAM_ERROR PROTOCOL_ERROR"),
        Peer.describe(
            p.receive(p.headers(1, false, ":status", "200"), p.headers(1, true, ":status", "200"))),
        "pseudo-header in trailers");
    p = withGet(split);
    assertEquals(
        List.of("#1 error HTTP2_STREAM_ERROR PROTOCOL_ERROR"),
        Peer.describe(
            p.receive(
                new HeadersFrame(
                    1,
                    p.block(":status", "200"),
                    true,
                    true,
                    -1,
                    new PriorityFrame.Priority(false, 1, 0)))),
        "stream depending on itself");
    assertEquals(List.of(new RstStreamFrame(1, ErrorCode.PROTOCOL_ERROR)), p.sent());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void contentLengthMustMatchTheData(Split split) throws HttpException {
    Peer p = withGet(split);
    assertEquals(
        List.of(
            "#1 status 200",
            "#1 headers Headers[content-length: 5]",
            "#1 data abc",
            "#1 error HTTP2_STREAM_ERROR PROTOCOL_ERROR"),
        Peer.describe(
            p.receive(
                p.headers(1, false, ":status", "200", "content-length", "5"),
                data(1, "abc", true))));
    assertEquals(List.of(new RstStreamFrame(1, ErrorCode.PROTOCOL_ERROR)), p.sent());
    p = withGet(split);
    assertEquals(
        List.of(
            "#1 status 200",
            "#1 headers Headers[content-length: 2]",
            "#1 error HTTP2_STREAM_ERROR PROTOCOL_ERROR"),
        Peer.describe(
            p.receive(
                p.headers(1, false, ":status", "200", "content-length", "2"),
                data(1, "abc", false))),
        "too much DATA is caught at once");
    p = withGet(split);
    assertEquals(
        List.of("#1 status 200", "#1 headers Headers[content-length: 3]", "#1 data abc", "#1 done"),
        Peer.describe(
            p.receive(
                p.headers(1, false, ":status", "200", "content-length", "3"),
                data(1, "abc", true))));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void responsesWithoutContentMayDeclareALength(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    p.engine.request("HEAD", "/", Headers.empty(), RequestBody.none());
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    assertEquals(
        List.of(
            "#1 status 200",
            "#1 headers Headers[content-length: 100]",
            "#1 done",
            "#2 status 304",
            "#2 headers Headers[content-length: 100]",
            "#2 done"),
        Peer.describe(
            p.receive(
                p.headers(1, true, ":status", "200", "content-length", "100"),
                p.headers(3, false, ":status", "304", "content-length", "100"),
                data(3, "", true))));
  }

  // ---- RST_STREAM and closed streams ----

  @ParameterizedTest
  @EnumSource(Split.class)
  void aResetFromTheServerEndsTheRequest(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    List<ResponsePart> parts =
        p.receive(
            new RstStreamFrame(1, ErrorCode.REFUSED_STREAM),
            p.headers(3, false, ":status", "200"),
            new RstStreamFrame(3, 0x1234));
    assertEquals(
        List.of(
            "#1 error STREAM_RESET_BY_PEER REFUSED_STREAM retry-safe",
            "#2 status 200",
            "#2 headers Headers[]",
            "#2 error STREAM_RESET_BY_PEER 0x1234"),
        Peer.describe(parts));
    HttpException e = (HttpException) ((ResponsePart.RequestError) parts.get(0)).error();
    assertEquals(HttpException.Scope.REQUEST, e.scope());
    assertEquals(HttpException.Fault.PEER, e.fault());
    assertEquals(ErrorCode.REFUSED_STREAM.code(), e.http2ErrorCode());
    assertEquals(List.of(), p.sent(), "no RST_STREAM in answer to one");
    assertEquals(0, p.engine.openRequestCount());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aResetAfterACompleteResponseIsQuiet(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    p.engine.request("POST", "/", Headers.empty(), RequestBody.streaming());
    p.sent();
    assertEquals(
        List.of("#1 status 200", "#1 headers Headers[]", "#1 done"),
        Peer.describe(
            p.receive(
                p.headers(1, true, ":status", "200"), new RstStreamFrame(1, ErrorCode.NO_ERROR))));
    assertEquals(0, p.engine.openStreamCount());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void dataOrHeadersAfterTheServerEndedTheStreamAreConnectionErrors(Split split)
      throws HttpException {
    // RFC 9113 §5.1 closed: frames after END_STREAM was received are a connection error
    // STREAM_CLOSED; WINDOW_UPDATE, RST_STREAM and PRIORITY may still arrive for a while
    Peer p = withGet(split);
    p.receive(p.headers(1, true, ":status", "200"));
    assertEquals(
        List.of(),
        p.receive(
            new WindowUpdateFrame(1, 10),
            new RstStreamFrame(1, ErrorCode.NO_ERROR),
            new PriorityFrame(1, new PriorityFrame.Priority(false, 0, 1))));
    assertEquals(List.of(), p.sent(), "no answer to frames a closed stream may receive");
    p.expectConnectionError(ErrorCode.STREAM_CLOSED, data(1, "more", false));

    p = withGet(split);
    p.receive(p.headers(1, false, ":status", "200"), data(1, "x", true));
    p.expectConnectionError(ErrorCode.STREAM_CLOSED, p.headers(1, true, "x", "y"));

    p = Peer.ready(split); // closed by our END_STREAM after the server's
    RequestRef ref = p.engine.request("POST", "/", Headers.empty(), RequestBody.streaming());
    p.receive(p.headers(1, true, ":status", "200"));
    p.engine.endRequestBody(ref, Headers.empty());
    assertEquals(0, p.engine.openStreamCount());
    p.expectConnectionError(ErrorCode.STREAM_CLOSED, data(1, "late", true));
  }

  @Test
  void theLastStreamsTheServerEndedAreRememberedTheOlderOnesForgotten() throws HttpException {
    int streams = Http2Limits.MAX_REMEMBERED_ENDED_STREAMS + 40; // past every growth of the record
    Peer p = Peer.ready(Split.WHOLE);
    for (int i = 0; i < streams; i++) {
      p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
      p.receive(p.headers(2 * i + 1, true, ":status", "200"));
    }
    p.sent();
    int newest = 2 * streams - 1;
    int oldestKept = 2 * (streams - Http2Limits.MAX_REMEMBERED_ENDED_STREAMS) + 1;
    // forgotten: a stream error, as for any closed stream
    assertEquals(List.of(), p.receive(data(1, "late", false)));
    assertEquals(
        List.of(new RstStreamFrame(1, ErrorCode.STREAM_CLOSED)),
        Peer.without(p.sent(), WindowUpdateFrame.class));
    assertEquals(List.of(), p.receive(data(oldestKept - 2, "late", false)));
    p.sent();
    // remembered: a connection error, for the oldest kept as for the newest
    Peer again = Peer.ready(Split.WHOLE);
    for (int i = 0; i < streams; i++) {
      again.engine.request("GET", "/", Headers.empty(), RequestBody.none());
      again.receive(again.headers(2 * i + 1, true, ":status", "200"));
    }
    again.sent();
    again.expectConnectionError(ErrorCode.STREAM_CLOSED, data(oldestKept, "late", false));
    p.expectConnectionError(ErrorCode.STREAM_CLOSED, data(newest, "late", false));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void dataAfterTheServersResetIsAStreamError(Split split) throws HttpException {
    // RFC 9113 §5.1 closed: frames after RST_STREAM was received are a stream error STREAM_CLOSED
    Peer p = withGet(split);
    p.receive(p.headers(1, false, ":status", "200"), new RstStreamFrame(1, ErrorCode.CANCEL));
    assertEquals(List.of(), p.receive(data(1, "more", false)));
    assertEquals(
        List.of(new RstStreamFrame(1, ErrorCode.STREAM_CLOSED)),
        Peer.without(p.sent(), WindowUpdateFrame.class));
    assertEquals(
        List.of(),
        p.receive(
            data(1, "and more", false),
            p.headers(1, true, "x", "y"),
            new WindowUpdateFrame(1, 10),
            new RstStreamFrame(1, ErrorCode.CANCEL)));
    assertEquals(
        List.of(), Peer.without(p.sent(), WindowUpdateFrame.class), "after our reset: ignored");
    // the header block was decoded: the server's HPACK table stays usable
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    assertEquals(
        List.of("#2 status 200", "#2 headers Headers[x: y]", "#2 done"),
        Peer.describe(p.receive(p.headers(3, true, ":status", "200", "x", "y"))));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aStreamHalfClosedByTheServerTakesNoMoreData(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    p.engine.request("POST", "/", Headers.empty(), RequestBody.streaming());
    p.sent();
    assertEquals(
        List.of("#1 status 200", "#1 headers Headers[]", "#1 done"),
        Peer.describe(p.receive(p.headers(1, true, ":status", "200"))));
    assertEquals(1, p.engine.openStreamCount(), "half-closed (remote): we may still send");
    assertEquals(List.of(), p.receive(data(1, "x", false)), "the response already ended");
    assertEquals(
        List.of(new RstStreamFrame(1, ErrorCode.STREAM_CLOSED)),
        Peer.without(p.sent(), WindowUpdateFrame.class));
    assertEquals(0, p.engine.openStreamCount());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void framesOnIdleStreamsAreConnectionErrors(Split split) throws HttpException {
    withGet(split).expectConnectionError(ErrorCode.PROTOCOL_ERROR, data(3, "x", false));
    Peer p = withGet(split);
    p.expectConnectionError(ErrorCode.PROTOCOL_ERROR, p.headers(3, false, ":status", "200"));
    p = withGet(split);
    p.expectConnectionError(ErrorCode.PROTOCOL_ERROR, p.headers(2, false, ":status", "200"));
    withGet(split).expectConnectionError(ErrorCode.PROTOCOL_ERROR, new RstStreamFrame(5, 0));
    withGet(split).expectConnectionError(ErrorCode.PROTOCOL_ERROR, new WindowUpdateFrame(7, 1));
    withGet(split)
        .expectConnectionErrorBytes(
            ErrorCode.FRAME_SIZE_ERROR, Raw.frame(Frame.PRIORITY, 0, 9, new byte[4]));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void priorityIsValidatedAndIgnored(Split split) throws HttpException {
    Peer p = withGet(split);
    assertEquals(
        List.of(),
        p.receive(
            new PriorityFrame(1, new PriorityFrame.Priority(true, 0, 1)),
            new PriorityFrame(11, new PriorityFrame.Priority(false, 1, 1)),
            new PriorityFrame(11, new PriorityFrame.Priority(false, 11, 1))));
    assertEquals(List.of(), p.sent(), "self-dependency of an idle stream changes nothing");
    assertEquals(
        List.of("#1 error HTTP2_STREAM_ERROR FRAME_SIZE_ERROR"),
        Peer.describe(p.receiveBytes(Raw.frame(Frame.PRIORITY, 0, 1, new byte[4]))));
    assertEquals(List.of(new RstStreamFrame(1, ErrorCode.FRAME_SIZE_ERROR)), p.sent());
    p = withGet(split);
    assertEquals(
        List.of("#1 error HTTP2_STREAM_ERROR PROTOCOL_ERROR"),
        Peer.describe(p.receive(new PriorityFrame(1, new PriorityFrame.Priority(false, 1, 1)))));
    withGet(split)
        .expectConnectionErrorBytes(
            ErrorCode.PROTOCOL_ERROR, Raw.frame(Frame.PRIORITY, 0, 0, new byte[5]));
  }

  // ---- header list limits and HPACK errors ----

  @ParameterizedTest
  @EnumSource(Split.class)
  void ourHeaderListLimitIsEnforced(Split split) throws HttpException {
    Peer p = Peer.with(split, new Http2Options(1 << 20, 1 << 20, 16_384, 1000, 4096, false, 0, 32));
    p.handshake();
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    p.expectConnectionError(
        ErrorCode.ENHANCE_YOUR_CALM, p.headers(1, true, ":status", "200", "x", "y".repeat(1000)));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void theHeaderListLimitInEffectBoundsHeaderBlocksToo(Split split) throws MintException {
    // the options say 1000; the caller raises SETTINGS_MAX_HEADER_LIST_SIZE to 100000
    Peer p = Peer.with(split, new Http2Options(1 << 20, 1 << 20, 16_384, 1000, 4096, false, 0, 32));
    p.handshake();
    p.engine.updateSettings(p.engine.clientSettings().withMaxHeaderListSize(100_000));
    p.sent();
    p.receive(SettingsFrame.ACK);
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    String big = "v".repeat(5000);
    Bytes block = p.block(":status", "200", "x-big", big);
    assertTrue(block.length() > 1000, "a block above the options' bound");
    assertEquals(
        List.of("#1 status 200", "#1 headers Headers[x-big: " + big + "]", "#1 done"),
        Peer.describe(
            p.receive(
                new HeadersFrame(1, block.slice(0, 600), true, false),
                new ContinuationFrame(1, block.slice(600, block.length()), true))));
    // lowered again: the bound follows once the server acknowledges
    p.engine.updateSettings(p.engine.clientSettings().withMaxHeaderListSize(2000));
    p.sent();
    p.receive(SettingsFrame.ACK);
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    Bytes again = p.block(":status", "200", "x-big", "w".repeat(5000));
    p.expectConnectionError(
        ErrorCode.ENHANCE_YOUR_CALM,
        new HeadersFrame(3, again.slice(0, 600), true, false),
        new ContinuationFrame(3, again.slice(600, 1800), false),
        new ContinuationFrame(3, again.slice(1800, again.length()), true));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void anHpackBombIsStopped(Split split) throws HttpException {
    Peer p = withGet(split);
    // one 4000-byte entry in the server's table, then a block of 200 one-byte references to it
    List<ResponsePart> first =
        p.receive(p.headers(1, false, ":status", "200", "x-big", "b".repeat(4000)));
    assertEquals(2, first.size());
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    byte[] bomb = new byte[201];
    bomb[0] = (byte) 0x88; // :status 200
    for (int i = 1; i < bomb.length; i++) {
      bomb[i] = (byte) 0xbe; // index 62: the newest dynamic entry
    }
    p.expectConnectionError(
        ErrorCode.ENHANCE_YOUR_CALM, new HeadersFrame(3, Bytes.of(bomb), true, true));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void invalidHpackIsACompressionError(Split split) throws HttpException {
    byte[][] blocks = {
      {(byte) 0x80}, // index 0
      {(byte) 0xff, (byte) 0x80}, // truncated integer
      {(byte) 0xc0}, // index 64: empty dynamic table
      {0x40, 0x05, 'a'}, // truncated name
      {(byte) 0x88, 0x20}, // size update after a field
      {0x3f, (byte) 0xe2, 0x1f}, // size update to 4097 > our 4096
      {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f}, // overflow
      {0x00, (byte) 0x81, (byte) 0xff, 0x01, 'x'}, // Huffman padding of 8 bits
      {0x00, 0x01, 'a', (byte) 0x84, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // EOS
      {0x00, 0x01, 'a', (byte) 0x81, 0x00}, // padding not all ones
      {0x00, 0x00, 0x01, 'x'}, // empty name
    };
    for (byte[] block : blocks) {
      Peer p = withGet(split);
      p.expectConnectionError(
          ErrorCode.COMPRESSION_ERROR, new HeadersFrame(1, Bytes.of(block), true, true));
    }
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void anHpackIntegerThatRunsOnIsACompressionError(Split split) throws HttpException {
    // the server's SETTINGS, then HEADERS on stream 1 whose block is 00 ff 80..80 01: a literal
    // with a new name whose Huffman length has nine continuation bytes (a shift past 63 bits)
    Peer p = new Peer(split);
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    p.expectConnectionErrorBytes(
        ErrorCode.COMPRESSION_ERROR,
        HexFormat.of()
            .parseHex("000000040000000000" + "00000c01040000000100ff80808080808080808001"));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void hpackTableSizeUpdatesFollowOurSettings(Split split) throws HttpException {
    Peer p =
        Peer.with(split, new Http2Options(1 << 20, 1 << 20, 16_384, 1 << 20, 256, false, 0, 32));
    p.handshake();
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    // after our SETTINGS_HEADER_TABLE_SIZE=256 is acknowledged, the server must signal the change
    p.expectConnectionError(
        ErrorCode.COMPRESSION_ERROR,
        new HeadersFrame(1, Bytes.of(new byte[] {(byte) 0x88}), true, true));
    p = Peer.with(split, new Http2Options(1 << 20, 1 << 20, 16_384, 1 << 20, 256, false, 0, 32));
    p.handshake();
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    p.encoder.peerMaxTableSize(256);
    assertEquals(
        List.of("#1 status 200", "#1 headers Headers[x: y]", "#1 done"),
        Peer.describe(p.receive(p.headers(1, true, ":status", "200", "x", "y"))));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void thePeerClosingMidResponseIsAnError(Split split) throws HttpException {
    Peer p = withGet(split);
    List<ResponsePart> parts = new ArrayList<>(p.receive(p.headers(1, false, ":status", "200")));
    HttpException e = assertThrows(HttpException.class, () -> p.engine.receiveEnd(true, parts));
    assertEquals(HttpException.Reason.PREMATURE_CLOSE, e.reason());
    // the connection is gone, as over HTTP/1.1; the parts parsed before stay with the caller
    assertEquals(HttpException.Scope.CONNECTION, e.scope());
    assertEquals(HttpException.Fault.PEER, e.fault());
    assertEquals(-1, e.http2ErrorCode());
    assertEquals(List.of("#1 status 200", "#1 headers Headers[]"), Peer.describe(parts));
    assertTrue(p.engine.isClosed());
    Peer idle = Peer.ready(split);
    idle.engine.receiveEnd(false, new ArrayList<>());
    assertTrue(idle.engine.isClosed());
  }
}
