// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static dev.mint.http2.Peer.data;
import static dev.mint.http2.Peer.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** GOAWAY, close, PING and the flood limits (RFC 9113 §6.7, §6.8, §10.5). */
@ExtendWith(SeedReporter.class)
class EngineLifecycleTest {

  @ParameterizedTest
  @EnumSource(Split.class)
  void goAwayFailsUnprocessedRequestsAndLetsOthersFinish(Split split) throws HttpException {
    Peer p = withGets(split, 3);
    List<ResponsePart> parts =
        p.receive(new GoAwayFrame(3, ErrorCode.NO_ERROR.code(), Bytes.utf8("bye")));
    assertEquals(List.of("#3 error HTTP2_GOAWAY NO_ERROR retry-safe"), Peer.describe(parts));
    HttpException e = (HttpException) ((ResponsePart.RequestError) parts.get(0)).error();
    assertTrue(e.isRetrySafe());
    assertEquals(HttpException.Scope.REQUEST, e.scope());
    assertFalse(p.engine.canSendRequests());
    assertFalse(p.engine.isClosed(), "streams 1 and 3 may still complete");
    HttpException refused =
        assertThrows(
            HttpException.class,
            () -> p.engine.request("GET", "/", Headers.empty(), RequestBody.none()));
    assertEquals(HttpException.Reason.INVALID_STATE, refused.reason());
    assertEquals(
        List.of(
            "#1 status 200",
            "#1 headers Headers[]",
            "#1 done",
            "#2 status 200",
            "#2 headers Headers[]",
            "#2 done"),
        Peer.describe(
            p.receive(p.headers(1, true, ":status", "200"), p.headers(3, true, ":status", "200"))));
    assertTrue(p.engine.isClosed(), "nothing left after GOAWAY");
    assertEquals(List.of(), p.sent(), "no GOAWAY in answer");
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void laterGoAwaysMayOnlyLowerTheLastStreamId(Split split) throws HttpException {
    Peer p = withGets(split, 3);
    assertEquals(
        List.of(), p.receive(new GoAwayFrame(Integer.MAX_VALUE, 0, Bytes.empty())), "shutdown");
    assertEquals(
        List.of(
            "#2 error HTTP2_GOAWAY NO_ERROR retry-safe",
            "#3 error HTTP2_GOAWAY NO_ERROR retry-safe"),
        Peer.describe(p.receive(new GoAwayFrame(1, 0, Bytes.empty()))));
    assertEquals(List.of(), p.receive(new GoAwayFrame(1, 0, Bytes.empty())), "the same again");
    // RFC 9113 §6.8: endpoints MUST NOT increase the last stream id they send
    p.expectConnectionError(ErrorCode.PROTOCOL_ERROR, new GoAwayFrame(3, 0, Bytes.empty()));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void goAwayNamesOneOfOurStreams(Split split) throws HttpException {
    // the last stream id counts streams we opened (odd); 0 when the server processed none
    Peer p = Peer.ready(split);
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    p.expectConnectionError(ErrorCode.PROTOCOL_ERROR, new GoAwayFrame(2, 0, Bytes.empty()));
    Peer q = Peer.ready(split);
    q.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    q.sent();
    assertEquals(
        List.of("#1 error HTTP2_GOAWAY NO_ERROR retry-safe"),
        Peer.describe(q.receive(new GoAwayFrame(0, 0, Bytes.empty()))));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void goAwayWithNothingInFlightClosesAtOnce(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    p.receive(new GoAwayFrame(0, ErrorCode.ENHANCE_YOUR_CALM.code(), Bytes.empty()));
    assertTrue(p.engine.isClosed());
    assertFalse(p.engine.canSendRequests());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aCloseAfterAGracefulGoAwayFailsEachStreamLeftOpen(Split split) throws HttpException {
    // RFC 9113 §6.8: a last stream id of 2^31-1 announces a shutdown; streams at or below it may
    // have been processed, so a close that leaves them unanswered fails each, not retry-safe
    Peer p = withGets(split, 3);
    assertEquals(
        List.of(), p.receive(new GoAwayFrame(Integer.MAX_VALUE, 0, Bytes.utf8("shutting down"))));
    List<ResponsePart> parts =
        new ArrayList<>(
            p.receive(p.headers(1, true, ":status", "200"), p.headers(3, false, ":status", "200")));
    p.engine.receiveEnd(true, parts);
    assertEquals(
        List.of(
            "#1 status 200",
            "#1 headers Headers[]",
            "#1 done",
            "#2 status 200",
            "#2 headers Headers[]",
            "#2 error PREMATURE_CLOSE NO_ERROR",
            "#3 error PREMATURE_CLOSE NO_ERROR"),
        Peer.describe(parts));
    HttpException e = (HttpException) ((ResponsePart.RequestError) parts.get(6)).error();
    assertEquals(HttpException.Fault.PEER, e.fault());
    assertEquals(HttpException.Scope.CONNECTION, e.scope(), "the connection is gone");
    assertFalse(e.isRetrySafe(), "the GOAWAY covered it: possibly processed");
    assertTrue(e.getMessage().contains("stream 5 completed"), e.getMessage());
    assertTrue(e.getMessage().contains("may have been processed"), e.getMessage());
    assertTrue(e.getMessage().contains("last stream 2147483647"), e.getMessage());
    assertTrue(p.engine.isClosed());
    assertEquals(0, p.engine.openRequestCount());
    assertEquals(List.of(), p.sent(), "nothing to say to a closed peer");
    assertEquals(List.of(), closed(p), "each stream fails once");
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aCloseAfterAGoAwayKeepsItsErrorCode(Split split) throws HttpException {
    Peer p = withGets(split, 1);
    p.receive(new GoAwayFrame(1, ErrorCode.INTERNAL_ERROR.code(), Bytes.empty()));
    List<ResponsePart> parts = new ArrayList<>();
    p.engine.receiveEnd(false, parts);
    assertEquals(List.of("#1 error PREMATURE_CLOSE INTERNAL_ERROR"), Peer.describe(parts));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aCloseAfterAGoAwayBelowSomeStreamsFailsTheOthersAsPossiblyProcessed(Split split)
      throws HttpException {
    Peer p = withGets(split, 3);
    assertEquals(
        List.of(
            "#2 error HTTP2_GOAWAY NO_ERROR retry-safe",
            "#3 error HTTP2_GOAWAY NO_ERROR retry-safe"),
        Peer.describe(p.receive(new GoAwayFrame(1, 0, Bytes.empty()))),
        "above the last stream id: not processed, as before the close");
    List<ResponsePart> parts = closed(p);
    assertEquals(List.of("#1 error PREMATURE_CLOSE NO_ERROR"), Peer.describe(parts));
    assertTrue(p.engine.isClosed());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aCloseWithoutGoAwayStillEndsTheConnectionWithOneError(Split split) throws HttpException {
    Peer p = withGets(split, 2);
    List<ResponsePart> parts = new ArrayList<>();
    HttpException e = assertThrows(HttpException.class, () -> p.engine.receiveEnd(true, parts));
    assertEquals(HttpException.Reason.PREMATURE_CLOSE, e.reason());
    assertEquals(HttpException.Scope.CONNECTION, e.scope());
    assertFalse(e.isRetrySafe());
    assertEquals(List.of(), parts);
    assertTrue(p.engine.isClosed());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aCloseAfterAGoAwayWithNothingOpenIsClean(Split split) throws HttpException {
    Peer p = withGets(split, 1);
    p.receive(p.headers(1, true, ":status", "204"));
    p.receive(new GoAwayFrame(Integer.MAX_VALUE, 0, Bytes.empty()));
    List<ResponsePart> parts = closed(p);
    assertEquals(List.of(), parts);
    assertTrue(p.engine.isClosed());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void goAwayFrameSizeIsChecked(Split split) throws HttpException {
    Peer.ready(split)
        .expectConnectionErrorBytes(
            ErrorCode.FRAME_SIZE_ERROR, Raw.frame(Frame.GOAWAY, 0, 0, new byte[7]));
    Peer.ready(split)
        .expectConnectionErrorBytes(
            ErrorCode.PROTOCOL_ERROR, Raw.frame(Frame.GOAWAY, 0, 1, new byte[8]));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void closeSendsGoAway(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    p.engine.request("POST", "/", Headers.empty(), RequestBody.of(new byte[100_000]));
    p.sent();
    p.engine.close();
    assertEquals(List.of(new GoAwayFrame(0, 0, Bytes.empty())), p.sent());
    assertTrue(p.engine.isClosed());
    assertFalse(p.engine.canSendRequests());
    assertEquals(0, p.engine.queuedRequestBodyBytes(), "waiting body dropped");
    assertThrows(HttpException.class, () -> p.engine.ping());
    p.engine.close();
    assertEquals(List.of(), p.sent(), "idempotent");
    assertEquals(List.of(), p.receive(new PingFrame(false, 5)), "input after close is dropped");
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void pingsAreAnsweredAndOurPingsReturnPongs(Split split) throws MintException {
    Peer p = Peer.ready(split);
    RequestRef ping = p.engine.ping();
    assertEquals(List.of(new PingFrame(false, ping.sequence())), p.sent());
    List<ResponsePart> parts =
        p.receive(
            new PingFrame(false, 0x0102030405060708L),
            new PingFrame(true, 77), // not ours: ignored
            new PingFrame(true, ping.sequence()));
    assertEquals(List.of(new ResponsePart.Pong(ping, PingFrame.payload(ping.sequence()))), parts);
    assertEquals(ping, parts.get(0).ref());
    assertEquals(List.of(new PingFrame(true, 0x0102030405060708L)), p.sent());
    assertEquals(List.of(), p.receive(new PingFrame(true, ping.sequence())), "answered once");
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void outstandingPingsAreBounded(Split split) throws MintException {
    Peer p = Peer.ready(split);
    for (int i = 0; i < Http2Limits.MAX_OUTSTANDING_PINGS; i++) {
      p.engine.ping();
    }
    HttpException e = assertThrows(HttpException.class, () -> p.engine.ping());
    assertEquals(HttpException.Reason.INVALID_STATE, e.reason());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void pingFrameRulesAreChecked(Split split) throws HttpException {
    Peer.ready(split)
        .expectConnectionErrorBytes(
            ErrorCode.FRAME_SIZE_ERROR, Raw.frame(Frame.PING, 0, 0, new byte[7]));
    Peer.ready(split)
        .expectConnectionErrorBytes(
            ErrorCode.PROTOCOL_ERROR, Raw.frame(Frame.PING, 0, 3, new byte[8]));
  }

  private static Frame[] repeat(int n, Frame f) {
    Frame[] frames = new Frame[n];
    java.util.Arrays.fill(frames, f);
    return frames;
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aPingFloodIsStopped(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    p.receive(repeat(Http2Limits.MAX_QUEUED_PING_ACKS, new PingFrame(false, 1)));
    p.sent(); // the peer reads our answers: counting starts again
    p.receive(repeat(Http2Limits.MAX_QUEUED_PING_ACKS, new PingFrame(false, 1)));
    p.expectConnectionError(ErrorCode.ENHANCE_YOUR_CALM, new PingFrame(false, 1));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aSettingsFloodIsStopped(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    p.receive(repeat(Http2Limits.MAX_QUEUED_SETTINGS_ACKS, settings()));
    p.expectConnectionError(ErrorCode.ENHANCE_YOUR_CALM, settings());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void floodsOfNoOpFramesAreStopped(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    p.receive(p.headers(1, true, ":status", "200"));
    Frame[] noise = new Frame[Http2Limits.MAX_UNPRODUCTIVE_FRAMES];
    for (int i = 0; i < noise.length; i++) {
      noise[i] =
          switch (i % 3) {
            case 0 -> new RstStreamFrame(1, ErrorCode.CANCEL.code()); // closed stream
            case 1 -> new PriorityFrame(1, new PriorityFrame.Priority(false, 0, 1));
            default -> new UnknownFrame(0xee, 0, 0, Bytes.empty());
          };
    }
    assertEquals(List.of(), p.receive(noise));
    p.expectConnectionError(
        ErrorCode.ENHANCE_YOUR_CALM, new WindowUpdateFrame(1, 1)); // on a closed stream
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void interimResponsesDoNotResetTheFloodCountForEver(Split split) throws HttpException {
    // each 103 is a part, so it resets the count of no-op frames; the interim limit bounds how
    // often: after it the stream is reset, and 103s on it count as no-op frames themselves
    Peer p = Peer.ready(split);
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    Frame[] noise =
        repeat(
            Http2Limits.MAX_UNPRODUCTIVE_FRAMES / 2,
            new PriorityFrame(1, new PriorityFrame.Priority(false, 0, 1)));
    int limit = Http2Options.defaults().maxInterimResponses();
    for (int i = 0; i <= limit; i++) {
      p.receive(p.headers(1, false, ":status", "103"));
      p.receive(noise);
      p.sent();
    }
    List<ResponsePart> parts = new ArrayList<>();
    HttpException e =
        assertThrows(
            HttpException.class,
            () -> {
              for (int i = 0; i < 4; i++) {
                parts.addAll(p.receive(p.headers(1, false, ":status", "103")));
                parts.addAll(p.receive(noise));
              }
            });
    assertEquals(List.of(), parts);
    assertEquals(ErrorCode.ENHANCE_YOUR_CALM.code(), e.http2ErrorCode(), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void emptyDataFloodIsStoppedAndResponsesResetTheCount(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    p.receive(p.headers(1, false, ":status", "200"));
    p.receive(repeat(Http2Limits.MAX_UNPRODUCTIVE_FRAMES - 1, data(1, "", false)));
    p.receive(data(1, "x", false)); // productive
    p.receive(repeat(Http2Limits.MAX_UNPRODUCTIVE_FRAMES, data(1, "", false)));
    p.expectConnectionError(ErrorCode.ENHANCE_YOUR_CALM, data(1, "", false));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aFloodOfResetsWeMustAnswerIsStopped(Split split) throws HttpException {
    Peer p = new Peer(split); // push off: promises before our SETTINGS are acked get refused
    p.sent();
    p.receive(settings());
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    List<Frame> promises = new ArrayList<>();
    for (int i = 1; i <= Http2Limits.MAX_QUEUED_RESETS + 1; i++) {
      promises.add(
          new PushPromiseFrame(
              1,
              2 * i,
              p.block(":method", "GET", ":scheme", "https", ":authority", "a", ":path", "/"),
              true,
              -1));
    }
    List<ResponsePart> parts =
        p.expectConnectionError(ErrorCode.ENHANCE_YOUR_CALM, promises.toArray(new Frame[0]));
    assertEquals(List.of(), parts);
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aConnectionErrorReportsThePartsBeforeIt(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    List<ResponsePart> parts =
        p.expectConnectionErrorBytes(
            ErrorCode.FRAME_SIZE_ERROR,
            Raw.concat(
                Peer.bytes(p.headers(1, false, ":status", "200"), data(1, "ok", false)),
                Raw.header(16_385, Frame.DATA, 0, 1)));
    assertEquals(
        List.of("#1 status 200", "#1 headers Headers[]", "#1 data ok"), Peer.describe(parts));
    assertEquals(List.of(), p.receive(data(1, "more", true)), "nothing after the error");
  }

  /** A ready peer whose engine sent {@code n} GET requests (streams 1, 3, ...). */
  private static Peer withGets(Split split, int n) throws HttpException {
    Peer p = Peer.ready(split);
    for (int i = 0; i < n; i++) {
      p.engine.request("GET", "/" + i, Headers.empty(), RequestBody.none());
    }
    p.sent();
    return p;
  }

  /** The parts the server's (clean) close gives. */
  private static List<ResponsePart> closed(Peer p) throws HttpException {
    List<ResponsePart> parts = new ArrayList<>();
    p.engine.receiveEnd(true, parts);
    return parts;
  }
}
