// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static dev.mint.http2.Peer.data;
import static dev.mint.http2.Peer.setting;
import static dev.mint.http2.Peer.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.Headers;
import dev.mint.Http2Operations.Settings;
import dev.mint.Http2Options;
import dev.mint.HttpException;
import dev.mint.MintException;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.spi.ApiAccess;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Flow control both ways (RFC 9113 §5.2, §6.9). */
@ExtendWith(SeedReporter.class)
class EngineFlowControlTest {

  private static int dataBytes(List<Frame> frames) {
    int n = 0;
    for (Frame f : frames) {
      if (f instanceof DataFrame d) {
        n += d.data().length();
      }
    }
    return n;
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aFixedBodyWaitsForBothWindows(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    byte[] body = new byte[100_000];
    RequestRef ref = p.engine.request("PUT", "/", Headers.empty(), RequestBody.of(body));
    List<Frame> sent = p.sent();
    assertEquals(65_535, dataBytes(sent), "the initial windows");
    for (Frame f : sent) {
      if (f instanceof DataFrame d) {
        assertTrue(d.data().length() <= 16_384, "frames within SETTINGS_MAX_FRAME_SIZE");
        assertTrue(!d.endStream());
      }
    }
    assertEquals(0, p.engine.connectionSendWindow());
    assertEquals(OptionalInt.of(0), p.engine.streamSendWindow(ref));
    assertEquals(100_000 - 65_535, p.engine.queuedRequestBodyBytes());
    assertFalse(p.engine.hasOutput(), "a body held back by the windows asks for no write");

    p.receive(new WindowUpdateFrame(0, 50_000));
    assertEquals(List.of(), p.sent(), "the stream window is still closed");
    assertFalse(p.engine.hasOutput(), "nor while only the connection window opened");
    p.receive(new WindowUpdateFrame(1, 20_000));
    sent = p.sent();
    assertEquals(20_000, dataBytes(sent));
    assertEquals(30_000, p.engine.connectionSendWindow());
    p.receive(new WindowUpdateFrame(1, 50_000));
    sent = p.sent();
    assertEquals(100_000 - 85_535, dataBytes(sent));
    assertTrue(((DataFrame) sent.get(sent.size() - 1)).endStream(), "the last frame ends it");
    assertEquals(0, p.engine.queuedRequestBodyBytes());
    assertEquals(OptionalInt.empty(), p.engine.streamSendWindow(ref), "half-closed (local)");
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void framesFollowTheServersMaxFrameSizeAndInitialWindow(Split split) throws HttpException {
    Peer p =
        Peer.ready(
            split,
            setting(SettingsFrame.MAX_FRAME_SIZE, 20_000),
            setting(SettingsFrame.INITIAL_WINDOW_SIZE, 1_000_000));
    p.receive(new WindowUpdateFrame(0, 1_000_000));
    p.engine.request("PUT", "/", Headers.empty(), RequestBody.of(new byte[50_000]));
    List<Frame> sent = p.sent();
    assertEquals(4, sent.size());
    assertEquals(20_000, ((DataFrame) sent.get(1)).data().length());
    assertEquals(20_000, ((DataFrame) sent.get(2)).data().length());
    assertEquals(10_000, ((DataFrame) sent.get(3)).data().length());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void streamedChunksQueueBoundedThenAreRefused(Split split) throws HttpException {
    Peer p = Peer.ready(split, setting(SettingsFrame.INITIAL_WINDOW_SIZE, 10));
    RequestRef ref = p.engine.request("POST", "/", Headers.empty(), RequestBody.streaming());
    p.sent();
    p.engine.streamRequestBody(ref, ByteBuffer.wrap("0123456789abcdef".getBytes()));
    assertEquals(List.of(data(1, "0123456789", false)), p.sent());
    assertEquals(6, p.engine.queuedRequestBodyBytes());
    int room = (int) (Http2Limits.MAX_QUEUED_REQUEST_BODY_BYTES - 6);
    HttpException e =
        assertThrows(
            HttpException.class,
            () -> p.engine.streamRequestBody(ref, ByteBuffer.allocate(room + 1)));
    assertEquals(HttpException.Reason.HTTP2_FLOW_CONTROL_BLOCKED, e.reason());
    assertEquals(HttpException.Fault.CALLER, e.fault());
    assertTrue(e.getMessage().contains("send at most " + room), e.getMessage());
    assertEquals(6, p.engine.queuedRequestBodyBytes(), "nothing was taken");
    p.engine.endRequestBody(ref, Headers.empty());
    assertEquals(List.of(), p.sent());
    p.receive(new WindowUpdateFrame(1, 100));
    assertEquals(List.of(data(1, "abcdef", true)), p.sent(), "END_STREAM on the last DATA");
  }

  @Test
  void theBoundOnStreamedBodyIsPerRequestBody() throws HttpException {
    Peer p = Peer.ready(Split.WHOLE, setting(SettingsFrame.INITIAL_WINDOW_SIZE, 0));
    RequestRef a = p.engine.request("POST", "/a", Headers.empty(), RequestBody.streaming());
    RequestRef b = p.engine.request("POST", "/b", Headers.empty(), RequestBody.streaming());
    p.sent();
    int max = (int) Http2Limits.MAX_QUEUED_REQUEST_BODY_BYTES;
    p.engine.streamRequestBody(a, ByteBuffer.allocate(max));
    HttpException e =
        assertThrows(
            HttpException.class, () -> p.engine.streamRequestBody(a, ByteBuffer.allocate(1)));
    assertEquals(HttpException.Reason.HTTP2_FLOW_CONTROL_BLOCKED, e.reason());
    assertTrue(
        e.getMessage().contains("Http2Limits.MAX_QUEUED_REQUEST_BODY_BYTES (" + max + ")"),
        e.getMessage());
    assertTrue(e.getMessage().contains("send at most 0"), e.getMessage());
    p.engine.streamRequestBody(b, ByteBuffer.allocate(max)); // the other body has its own bound
    assertEquals(2L * max, p.engine.queuedRequestBodyBytes());
    p.engine.cancelRequest(a, new ArrayList<>());
    assertThrows(HttpException.class, () -> p.engine.streamRequestBody(b, ByteBuffer.allocate(1)));
    assertEquals(List.of(), p.sent().stream().filter(f -> f instanceof DataFrame).toList());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void initialWindowChangesApplyToOpenStreamsAndMayGoNegative(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    p.receive(new WindowUpdateFrame(0, 1 << 20));
    RequestRef ref = p.engine.request("POST", "/", Headers.empty(), RequestBody.streaming());
    p.engine.streamRequestBody(ref, ByteBuffer.allocate(60_000));
    p.sent();
    assertEquals(OptionalInt.of(5_535), p.engine.streamSendWindow(ref));
    p.receive(settings(setting(SettingsFrame.INITIAL_WINDOW_SIZE, 1_000)));
    assertEquals(OptionalInt.of(1_000 - 60_000), p.engine.streamSendWindow(ref));
    assertEquals(
        65_535 + (1 << 20) - 60_000,
        p.engine.connectionSendWindow(),
        "RFC 9113 §6.9.2: SETTINGS leave the connection window alone");
    p.engine.streamRequestBody(ref, ByteBuffer.allocate(10));
    assertEquals(List.of(SettingsFrame.ACK), p.sent(), "a negative window sends nothing");
    p.receive(new WindowUpdateFrame(1, 59_005));
    assertEquals(
        List.of(new DataFrame(1, Bytes.of(new byte[5]), false)),
        p.sent(),
        "what the window allows");
    p.receive(new WindowUpdateFrame(1, 5));
    assertEquals(List.of(new DataFrame(1, Bytes.of(new byte[5]), false)), p.sent());
    assertEquals(OptionalInt.of(0), p.engine.streamSendWindow(ref));
    p.receive(settings(setting(SettingsFrame.INITIAL_WINDOW_SIZE, 100_000)));
    assertEquals(OptionalInt.of(99_000), p.engine.streamSendWindow(ref));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void anInitialWindowChangeThatOverflowsIsAFlowControlError(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    p.engine.request("POST", "/", Headers.empty(), RequestBody.streaming());
    p.sent();
    p.receive(new WindowUpdateFrame(1, 1_000));
    p.expectConnectionError(
        ErrorCode.FLOW_CONTROL_ERROR,
        settings(setting(SettingsFrame.INITIAL_WINDOW_SIZE, Http2Limits.MAX_WINDOW)));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void windowUpdateOverflowAndZeroIncrement(Split split) throws HttpException {
    Peer.ready(split)
        .expectConnectionError(
            ErrorCode.FLOW_CONTROL_ERROR,
            new WindowUpdateFrame(0, (int) Http2Limits.MAX_WINDOW - 65_535 + 1));
    Peer.ready(split).expectConnectionError(ErrorCode.PROTOCOL_ERROR, new WindowUpdateFrame(0, 0));
    Peer p = Peer.ready(split);
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    assertEquals(
        List.of(
            "#1 error HTTP2_STREAM_ERROR FLOW_CONTROL_ERROR",
            "#2 error HTTP2_STREAM_ERROR PROTOCOL_ERROR"),
        Peer.describe(
            p.receive(
                new WindowUpdateFrame(1, (int) Http2Limits.MAX_WINDOW - 65_535 + 1),
                new WindowUpdateFrame(3, 0))));
    assertEquals(
        List.of(
            new RstStreamFrame(1, ErrorCode.FLOW_CONTROL_ERROR),
            new RstStreamFrame(3, ErrorCode.PROTOCOL_ERROR)),
        p.sent());
    p.receive(new WindowUpdateFrame(0, (int) Http2Limits.MAX_WINDOW - 65_535));
    assertEquals(Http2Limits.MAX_WINDOW, p.engine.connectionSendWindow());
  }

  /** Small receive windows: stream 100 bytes, connection 65535, frames up to 100 KB. */
  private static Peer smallWindows(Split split) throws HttpException {
    Peer p = Peer.with(split, new Http2Options(100, 65_535, 100_000, 1 << 20, 4096, false, 0, 32));
    p.handshake();
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    return p;
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void receiveWindowsAreRefilledWhenHalfUsed(Split split) throws HttpException {
    Peer p = smallWindows(split);
    p.receive(p.headers(1, false, ":status", "200"), data(1, "x".repeat(49), false));
    assertEquals(List.of(), p.sent(), "49 of 100: no refill yet");
    p.receive(new DataFrame(1, Bytes.utf8("y"), false, 0)); // 1 + pad length byte
    assertEquals(List.of(new WindowUpdateFrame(1, 51)), p.sent(), "padding counts");
    p.receive(data(1, "z".repeat(100), false));
    assertEquals(List.of(new WindowUpdateFrame(1, 100)), p.sent());
    p.receive(data(1, "", true));
    assertEquals(List.of(), p.sent(), "no refill for a stream the server ended");
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void theConnectionWindowIsRefilledWhenHalfUsed(Split split) throws HttpException {
    Peer p =
        Peer.with(split, new Http2Options(1 << 20, 65_535, 100_000, 1 << 20, 4096, false, 0, 32));
    p.handshake();
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    p.receive(p.headers(1, false, ":status", "200"), data(1, "a".repeat(30_000), false));
    assertEquals(List.of(), p.sent());
    p.receive(data(1, "b".repeat(3_000), false));
    assertEquals(List.of(new WindowUpdateFrame(0, 33_000)), p.sent());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void overrunningAStreamWindowResetsTheStream(Split split) throws HttpException {
    Peer p = smallWindows(split);
    List<String> parts =
        Peer.describe(
            p.receive(p.headers(1, false, ":status", "200"), data(1, "x".repeat(101), false)));
    assertEquals(
        List.of(
            "#1 status 200",
            "#1 headers Headers[]",
            "#1 error HTTP2_STREAM_ERROR FLOW_CONTROL_ERROR"),
        parts);
    assertEquals(List.of(new RstStreamFrame(1, ErrorCode.FLOW_CONTROL_ERROR)), p.sent());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void overrunningTheConnectionWindowIsAConnectionError(Split split) throws HttpException {
    Peer p =
        Peer.with(split, new Http2Options(1 << 20, 65_535, 100_000, 1 << 20, 4096, false, 0, 32));
    p.handshake();
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    List<String> parts =
        Peer.describe(
            p.expectConnectionError(
                ErrorCode.FLOW_CONTROL_ERROR,
                p.headers(1, false, ":status", "200"),
                data(1, "x".repeat(65_536), false)));
    assertEquals(
        List.of("#1 status 200", "#1 headers Headers[]"), parts, "parts before the failure");
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void dataOnAResetStreamStillCountsForTheConnection(Split split) throws HttpException {
    Peer p =
        Peer.with(split, new Http2Options(1 << 20, 65_535, 100_000, 1 << 20, 4096, false, 0, 32));
    p.handshake();
    RequestRef ref = p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    p.engine.cancelRequest(ref, new java.util.ArrayList<>());
    p.sent();
    p.receive(data(1, "x".repeat(40_000), false));
    assertEquals(List.of(new WindowUpdateFrame(0, 40_000)), p.sent());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void ourInitialWindowChangeAppliesWhenAcknowledged(Split split) throws MintException {
    Peer p = smallWindows(split); // stream 1 opened with 100 bytes
    Settings s = p.engine.clientSettings();
    p.engine.updateSettings(s.withInitialWindowSize(1_000));
    p.sent();
    p.receive(p.headers(1, false, ":status", "200"), data(1, "x".repeat(40), false));
    assertEquals(List.of(), p.sent());
    p.receive(SettingsFrame.ACK, data(1, "x".repeat(900), false));
    assertEquals(List.of(new WindowUpdateFrame(1, 940)), p.sent(), "window was 100 + 900");
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aLoweredInitialWindowIsRefilledOnceAcknowledged(Split split) throws MintException {
    // RFC 9113 §6.9.2: lowering SETTINGS_INITIAL_WINDOW_SIZE can leave a window at or below 0;
    // only our WINDOW_UPDATE lets the server send again
    Peer p = smallWindows(split); // stream 1 opened with 100 bytes
    p.receive(p.headers(1, false, ":status", "200"), data(1, "x".repeat(40), false));
    assertEquals(List.of(), p.sent(), "40 of 100: no refill yet");
    p.engine.updateSettings(p.engine.clientSettings().withInitialWindowSize(10));
    p.sent();
    p.receive(SettingsFrame.ACK);
    assertEquals(List.of(new WindowUpdateFrame(1, 40)), p.sent(), "window 60 - 90 = -30, to 10");
    p.receive(data(1, "y".repeat(10), false));
    assertEquals(List.of(new WindowUpdateFrame(1, 10)), p.sent());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void dataInFlightToACancelledStreamIsNoFlood(Split split) throws HttpException {
    // the server may fill the window it had before it saw our RST_STREAM (RFC 9113 §6.4):
    // 1100 small DATA frames of a cancelled download are traffic, not a flood of no-op frames
    Peer p = Peer.ready(split);
    RequestRef ref = p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    p.receive(p.headers(1, false, ":status", "200"));
    p.engine.cancelRequest(ref, new java.util.ArrayList<>());
    p.sent();
    Frame[] frames = new Frame[1100];
    java.util.Arrays.fill(frames, data(1, "z".repeat(100), false));
    assertEquals(List.of(), p.receive(frames));
    assertEquals(List.of(), p.sent(), "110000 bytes: no connection refill yet");
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void dataToACancelledStreamBeyondItsWindowCountsAsAFlood(Split split) throws HttpException {
    Peer p = smallWindows(split); // stream window 100
    p.engine.cancelRequest(p.engine.streams().get(1).ref, new java.util.ArrayList<>());
    p.sent();
    p.receive(data(1, "a".repeat(100), false)); // what the window allowed
    Frame[] frames = new Frame[Http2Limits.MAX_UNPRODUCTIVE_FRAMES];
    java.util.Arrays.fill(frames, data(1, "b", false));
    p.receive(frames);
    p.expectConnectionError(ErrorCode.ENHANCE_YOUR_CALM, data(1, "b", false));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void answersStillFitWhileABodyFillsTheOutputQueue(Split split) throws HttpException {
    // our own body must not fill the queue so far that a PING ACK or WINDOW_UPDATE we owe the
    // server no longer fits: that would end the connection with ENHANCE_YOUR_CALM, blaming it
    Peer p = Peer.withOutputLimit(split, 256 * 1024);
    p.handshake(setting(SettingsFrame.INITIAL_WINDOW_SIZE, Http2Limits.MAX_WINDOW));
    p.receive(new WindowUpdateFrame(0, (int) Http2Limits.MAX_WINDOW - 65_535));
    p.sent();
    RequestRef ref = p.engine.request("POST", "/", Headers.empty(), RequestBody.streaming());
    for (int i = 0; i < 3000; i++) {
      p.engine.streamRequestBody(ref, ByteBuffer.allocate(100));
    }
    Frame[] pings = new Frame[50];
    java.util.Arrays.fill(pings, new PingFrame(false, 7));
    assertEquals(List.of(), p.receive(pings));
    List<Frame> sent = p.sent();
    assertEquals(50, sent.size() - Peer.without(sent, PingFrame.class).size(), "50 PING ACKs");
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aBodyWaitingForQueueRoomGoesOutWhenTheQueueDrains(Split split) throws HttpException {
    Peer p = Peer.withOutputLimit(split, 256 * 1024);
    p.handshake(setting(SettingsFrame.INITIAL_WINDOW_SIZE, Http2Limits.MAX_WINDOW));
    p.receive(new WindowUpdateFrame(0, (int) Http2Limits.MAX_WINDOW - 65_535));
    p.sent();
    int size = 1 << 20;
    p.engine.request("PUT", "/", Headers.empty(), RequestBody.of(new byte[size]));
    List<Frame> sent = p.sent();
    int total = dataBytes(sent);
    assertTrue(total < size, "the queue holds less than the body");
    int rounds = 0;
    while (p.engine.hasOutput()) {
      sent = p.sent();
      total += dataBytes(sent);
      assertTrue(++rounds < 100, "the body runs out");
    }
    assertEquals(size, total, "the whole body went out without receiving anything");
    assertTrue(((DataFrame) sent.get(sent.size() - 1)).endStream(), "then END_STREAM");
    assertFalse(p.engine.hasOutput(), "nothing left");
    p.engine.close();
    p.sent(); // the GOAWAY
    assertFalse(p.engine.hasOutput(), "nothing once closed");
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void receiveWindowsFallWithDataAndFollowTheCallersLevel(Split split) throws MintException {
    Peer p = Peer.ready(split);
    RequestRef ref = p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    Http2Options o = Http2Options.defaults();
    assertEquals(o.connectionWindow(), p.engine.connectionReceiveWindow());
    assertEquals(OptionalInt.of(o.initialStreamWindow()), p.engine.streamReceiveWindow(ref));
    p.receive(p.headers(1, false, ":status", "200"), data(1, "x".repeat(1000), false));
    assertEquals(o.connectionWindow() - 1000, p.engine.connectionReceiveWindow());
    assertEquals(OptionalInt.of(o.initialStreamWindow() - 1000), p.engine.streamReceiveWindow(ref));
    p.engine.setStreamReceiveWindow(ref, o.initialStreamWindow() + 5000);
    assertEquals(
        OptionalInt.of(o.initialStreamWindow() + 4000),
        p.engine.streamReceiveWindow(ref),
        "growing the level grants the difference at once");
    p.engine.setConnectionReceiveWindow(o.connectionWindow() + 7000);
    assertEquals(o.connectionWindow() + 6000, p.engine.connectionReceiveWindow());
    p.receive(data(1, "y", true));
    assertEquals(OptionalInt.empty(), p.engine.streamReceiveWindow(ref), "the server ended it");
    assertEquals(o.connectionWindow() + 5999, p.engine.connectionReceiveWindow());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void receiveWindowsRefillAtTheConfiguredShare(Split split) throws HttpException {
    Peer p =
        Peer.with(
            split,
            Http2Options.defaults()
                .withInitialStreamWindow(100_000)
                .withConnectionWindow(1_000_000)
                .withWindowRefillPercent(25));
    p.handshake();
    RequestRef ref = p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    assertEquals(OptionalInt.of(100_000), p.engine.streamReceiveWindow(ref));
    assertEquals(1_000_000, p.engine.connectionReceiveWindow());
    String tenK = "x".repeat(10_000);
    p.receive(p.headers(1, false, ":status", "200"), data(1, tenK, false), data(1, tenK, false));
    assertEquals(List.of(), p.sent(), "20% used: no WINDOW_UPDATE yet");
    assertEquals(OptionalInt.of(80_000), p.engine.streamReceiveWindow(ref));
    p.receive(data(1, tenK, false));
    assertEquals(List.of(new WindowUpdateFrame(1, 30_000)), p.sent(), "30% used: refilled");
    assertEquals(OptionalInt.of(100_000), p.engine.streamReceiveWindow(ref));
    assertEquals(970_000, p.engine.connectionReceiveWindow(), "3% of the connection's");
    assertEquals(
        OptionalInt.empty(), p.engine.streamReceiveWindow(ApiAccess.newRequestRef(99, "x")));
  }
}
