// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static dev.mint.http2.Peer.data;
import static dev.mint.http2.Peer.setting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.mint.Bytes;
import dev.mint.Headers;
import dev.mint.Http2Options;
import dev.mint.HttpException;
import dev.mint.MintException;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Server push (RFC 9113 §8.4) and CONNECT tunnels (§8.5, RFC 8441). */
@ExtendWith(SeedReporter.class)
class EnginePushAndTunnelTest {

  private static final String[] PUSHED_GET = {
    ":method", "GET", ":scheme", "https", ":authority", "example.com", ":path", "/style.css"
  };

  private static PushPromiseFrame promise(Peer p, int stream, int promised, String... fields) {
    return new PushPromiseFrame(stream, promised, p.block(fields), true, -1);
  }

  /** Push enabled, at most one pushed stream; one GET in flight on stream 1 (#1). */
  private static Peer pushing(Split split) throws HttpException {
    Peer p =
        Peer.with(split, new Http2Options(1 << 20, 1 << 20, 16_384, 1 << 20, 4096, true, 1, 32));
    p.handshake();
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    return p;
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void pushIsOffByDefault(Split split) throws HttpException {
    Peer p = EngineResponseTest.withGet(split);
    p.expectConnectionError(ErrorCode.PROTOCOL_ERROR, promise(p, 1, 2, PUSHED_GET));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void promisesBeforeOurSettingsAreAckedAreRefused(Split split) throws HttpException {
    Peer p = new Peer(split);
    p.sent();
    p.receive(Peer.settings());
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    assertEquals(
        List.of(),
        p.receive(
            promise(p, 1, 2, PUSHED_GET),
            p.headers(2, false, ":status", "200"),
            data(2, "ignored", true)));
    assertEquals(
        List.of(new RstStreamFrame(2, ErrorCode.REFUSED_STREAM)),
        Peer.without(p.sent(), WindowUpdateFrame.class));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aPushedResponseArrivesUnderItsPromisedReference(Split split) throws HttpException {
    Peer p = pushing(split);
    List<ResponsePart> parts =
        p.receive(
            promise(p, 1, 2, PUSHED_GET),
            p.headers(1, true, ":status", "200"),
            p.headers(2, false, ":status", "200", "content-type", "text/css"),
            data(2, "body{}", true));
    assertEquals(
        List.of(
            "#1 push #2 Headers[:method: GET, :scheme: https, :authority: example.com, :path: /style.css]",
            "#1 status 200",
            "#1 headers Headers[]",
            "#1 done",
            "#2 status 200",
            "#2 headers Headers[content-type: text/css]",
            "#2 data body{}",
            "#2 done"),
        Peer.describe(parts));
    ResponsePart.PushPromise pp = (ResponsePart.PushPromise) parts.get(0);
    assertEquals(pp.promisedRef(), parts.get(7).ref());
    assertEquals(0, p.engine.openRequestCount());
    // our GOAWAY names the last pushed stream we accepted
    p.expectConnectionError(ErrorCode.PROTOCOL_ERROR, data(4, "x", false));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void goAwayNamesTheLastAcceptedPush(Split split) throws HttpException {
    Peer p = pushing(split);
    p.receive(promise(p, 1, 2, PUSHED_GET));
    p.engine.close();
    assertEquals(List.of(new GoAwayFrame(2, 0, Bytes.empty())), p.sent());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void pushesBeyondTheLimitAreRefused(Split split) throws HttpException {
    Peer p = pushing(split);
    List<ResponsePart> parts =
        p.receive(promise(p, 1, 2, PUSHED_GET), promise(p, 1, 4, PUSHED_GET));
    assertEquals(1, parts.size());
    assertEquals(List.of(new RstStreamFrame(4, ErrorCode.REFUSED_STREAM)), p.sent());
    p.receive(p.headers(2, true, ":status", "200"));
    assertEquals(1, p.receive(promise(p, 1, 6, PUSHED_GET)).size(), "room again");
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aLoweredConcurrencyLimitBoundsPushes(Split split) throws MintException {
    // RFC 9113 §5.1.2: streams beyond the limit we advertise are refused; the options allow 5,
    // the caller lowers SETTINGS_MAX_CONCURRENT_STREAMS to 1
    Peer p =
        Peer.with(split, new Http2Options(1 << 20, 1 << 20, 16_384, 1 << 20, 4096, true, 5, 32));
    p.handshake();
    p.engine.updateSettings(p.engine.clientSettings().withMaxConcurrentStreams(1));
    p.receive(SettingsFrame.ACK);
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    List<ResponsePart> parts =
        p.receive(promise(p, 1, 2, PUSHED_GET), promise(p, 1, 4, PUSHED_GET));
    assertEquals(1, parts.size());
    assertEquals(List.of(new RstStreamFrame(4, ErrorCode.REFUSED_STREAM)), p.sent());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void invalidPushedRequestsAreRefusedOnThePromisedStream(Split split) throws HttpException {
    Peer p = pushing(split);
    assertEquals(
        List.of(),
        p.receive(
            promise(
                p, 1, 2, ":method", "POST", ":scheme", "https", ":authority", "a", ":path", "/"),
            promise(p, 1, 4, ":method", "GET", ":scheme", "https", ":path", "/"),
            promise(p, 1, 6, ":status", "200")));
    assertEquals(
        List.of(
            new RstStreamFrame(2, ErrorCode.PROTOCOL_ERROR),
            new RstStreamFrame(4, ErrorCode.PROTOCOL_ERROR),
            new RstStreamFrame(6, ErrorCode.PROTOCOL_ERROR)),
        p.sent());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void promisedIdsMustBeNewAndEven(Split split) throws HttpException {
    Peer p = pushing(split);
    p.expectConnectionError(ErrorCode.PROTOCOL_ERROR, promise(p, 1, 3, PUSHED_GET));
    Peer q = pushing(split);
    q.receive(promise(q, 1, 4, PUSHED_GET));
    q.expectConnectionError(ErrorCode.PROTOCOL_ERROR, promise(q, 1, 2, PUSHED_GET));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void promisesNeedAnOpenRequestStream(Split split) throws HttpException {
    Peer p = pushing(split);
    p.receive(p.headers(1, true, ":status", "200"));
    p.expectConnectionError(ErrorCode.PROTOCOL_ERROR, promise(p, 1, 2, PUSHED_GET));
    Peer q = pushing(split);
    q.receive(promise(q, 1, 2, PUSHED_GET));
    q.expectConnectionError(ErrorCode.PROTOCOL_ERROR, promise(q, 2, 4, PUSHED_GET));
    Peer r =
        Peer.with(split, new Http2Options(1 << 20, 1 << 20, 16_384, 1 << 20, 4096, true, 1, 32));
    r.handshake();
    RequestRef ref = r.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    r.engine.cancelRequest(ref, new ArrayList<>());
    r.sent();
    assertEquals(List.of(), r.receive(promise(r, 1, 2, PUSHED_GET)), "made before our reset");
    assertEquals(List.of(new RstStreamFrame(2, ErrorCode.CANCEL)), r.sent());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void dataOnAReservedStreamIsAConnectionError(Split split) throws HttpException {
    Peer p = pushing(split);
    p.receive(promise(p, 1, 2, PUSHED_GET));
    p.expectConnectionError(ErrorCode.PROTOCOL_ERROR, data(2, "x", false));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aPushedStreamCanBeCancelled(Split split) throws HttpException {
    Peer p = pushing(split);
    ResponsePart.PushPromise pp =
        (ResponsePart.PushPromise) p.receive(promise(p, 1, 2, PUSHED_GET)).get(0);
    p.engine.cancelRequest(pp.promisedRef(), new ArrayList<>());
    assertEquals(List.of(new RstStreamFrame(2, ErrorCode.CANCEL)), p.sent());
    assertEquals(List.of(), p.receive(p.headers(2, true, ":status", "200")));
  }

  // ---- CONNECT ----

  @ParameterizedTest
  @EnumSource(Split.class)
  void connectOpensATunnelBothWays(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    RequestRef ref =
        p.engine.request("CONNECT", "upstream.example:443", Headers.empty(), RequestBody.none());
    List<Frame> sent = p.sent();
    HeadersFrame h = (HeadersFrame) sent.get(0);
    assertFalse(h.endStream(), "a tunnel stays open");
    Headers fields = p.requestHeaders(sent, 0);
    assertEquals(":method", fields.name(0));
    assertEquals("CONNECT", fields.value(0));
    assertEquals(":authority", fields.name(1));
    assertEquals("upstream.example:443", fields.value(1));
    assertFalse(fields.contains(":scheme"));
    assertFalse(fields.contains(":path"));
    p.engine.streamRequestBody(ref, ByteBuffer.wrap("hello".getBytes()));
    assertEquals(List.of(data(1, "hello", false)), p.sent());
    assertEquals(
        List.of("#1 status 200", "#1 headers Headers[]", "#1 data pong", "#1 data !"),
        Peer.describe(
            p.receive(
                p.headers(1, false, ":status", "200"),
                data(1, "pong", false),
                data(1, "!", false))));
    p.engine.endRequestBody(ref, Headers.empty());
    assertEquals(List.of(new DataFrame(1, Bytes.empty(), true)), p.sent());
    assertEquals(List.of("#1 done"), Peer.describe(p.receive(data(1, "", true))));
    assertEquals(0, p.engine.openStreamCount());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void connectMisuseIsACallerError(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    assertThrows(
        HttpException.class,
        () -> p.engine.request("CONNECT", "h:1", Headers.empty(), RequestBody.utf8("x")));
    assertThrows(
        HttpException.class,
        () -> p.engine.request("CONNECT", "/path", Headers.empty(), RequestBody.streaming()));
    RequestRef ref = p.engine.request("CONNECT", "h:1", Headers.empty(), RequestBody.streaming());
    HttpException e =
        assertThrows(HttpException.class, () -> p.engine.endRequestBody(ref, Headers.of("x", "y")));
    assertEquals(HttpException.Reason.INVALID_STATE, e.reason());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void headersOnAnEstablishedTunnelResetIt(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    p.engine.request("CONNECT", "h:1", Headers.empty(), RequestBody.streaming());
    p.sent();
    assertEquals(
        List.of(
            "#1 status 200", "#1 headers Headers[]", "#1 error HTTP2_STREAM_ERROR PROTOCOL_ERROR"),
        Peer.describe(
            p.receive(p.headers(1, false, ":status", "200"), p.headers(1, true, "x", "y"))));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aRefusedConnectIsAnOrdinaryResponse(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    p.engine.request("CONNECT", "h:1", Headers.empty(), RequestBody.streaming());
    p.sent();
    assertEquals(
        List.of("#1 status 403", "#1 headers Headers[content-length: 2]", "#1 data no", "#1 done"),
        Peer.describe(
            p.receive(
                p.headers(1, false, ":status", "403", "content-length", "2"),
                data(1, "no", true))));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void extendedConnectNeedsTheServersSetting(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    HttpException e =
        assertThrows(
            HttpException.class,
            () ->
                p.engine.request(
                    "CONNECT",
                    "/chat",
                    Headers.of(":protocol", "websocket"),
                    RequestBody.streaming()));
    assertEquals(HttpException.Reason.INVALID_STATE, e.reason());
    Peer q = Peer.ready(split, setting(SettingsFrame.ENABLE_CONNECT_PROTOCOL, 1));
    RequestRef ref =
        q.engine.request(
            "CONNECT",
            "/chat",
            Headers.of(":protocol", "websocket", "sec-websocket-version", "13"),
            RequestBody.streaming());
    List<Frame> sent = q.sent();
    assertEquals(
        Headers.of(
            ":method", "CONNECT",
            ":scheme", "https",
            ":authority", "example.com",
            ":path", "/chat",
            ":protocol", "websocket",
            "sec-websocket-version", "13",
            "user-agent", dev.mint.ConnectOptions.DEFAULT_USER_AGENT),
        q.requestHeaders(sent, 0));
    assertEquals(
        List.of("#1 status 200", "#1 headers Headers[]", "#1 data frame"),
        Peer.describe(q.receive(q.headers(1, false, ":status", "200"), data(1, "frame", false))));
    q.engine.streamRequestBody(ref, ByteBuffer.wrap("reply".getBytes()));
    assertEquals(List.of(data(1, "reply", false)), q.sent());
  }
}
