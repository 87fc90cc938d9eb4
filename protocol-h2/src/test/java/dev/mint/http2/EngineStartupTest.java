// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static dev.mint.http2.Peer.setting;
import static dev.mint.http2.Peer.settings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Headers;
import dev.mint.Http2Operations.Settings;
import dev.mint.Http2Options;
import dev.mint.HttpException;
import dev.mint.MintException;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The connection preface and SETTINGS exchange (RFC 9113 §3.4, §6.5). */
@ExtendWith(SeedReporter.class)
class EngineStartupTest {

  @ParameterizedTest
  @EnumSource(Split.class)
  void prefaceSettingsAndConnectionWindowAreQueuedAtCreation(Split split) {
    Peer p = new Peer(split);
    List<Frame> sent = p.sent();
    assertEquals(2, sent.size(), sent.toString());
    SettingsFrame ours = assertInstanceOf(SettingsFrame.class, sent.get(0));
    assertFalse(ours.ack());
    assertEquals(
        List.of(
            setting(SettingsFrame.ENABLE_PUSH, 0),
            setting(SettingsFrame.INITIAL_WINDOW_SIZE, 4 << 20),
            setting(SettingsFrame.MAX_HEADER_LIST_SIZE, 256 * 1024)),
        ours.settings());
    assertEquals(new WindowUpdateFrame(0, (16 << 20) - 65_535), sent.get(1));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void everyOptionIsAdvertised(Split split) {
    Peer p = Peer.with(split, new Http2Options(1 << 20, 65_535, 32_768, 8192, 1024, true, 7, 32));
    List<Frame> sent = p.sent();
    assertEquals(1, sent.size(), "no WINDOW_UPDATE for the initial connection window");
    assertEquals(
        List.of(
            setting(SettingsFrame.HEADER_TABLE_SIZE, 1024),
            setting(SettingsFrame.MAX_CONCURRENT_STREAMS, 7),
            setting(SettingsFrame.INITIAL_WINDOW_SIZE, 1 << 20),
            setting(SettingsFrame.MAX_FRAME_SIZE, 32_768),
            setting(SettingsFrame.MAX_HEADER_LIST_SIZE, 8192)),
        ((SettingsFrame) sent.get(0)).settings());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void serverSettingsAreAckedAndReadable(Split split) throws HttpException {
    Peer p = new Peer(split);
    p.sent();
    assertFalse(p.engine.serverSettingsReceived());
    assertEquals(Settings.defaults(), p.engine.serverSettings());
    assertEquals(
        List.of(),
        p.receive(
            settings(
                setting(SettingsFrame.HEADER_TABLE_SIZE, 8192),
                setting(SettingsFrame.ENABLE_PUSH, 0),
                setting(SettingsFrame.MAX_CONCURRENT_STREAMS, 100),
                setting(SettingsFrame.INITIAL_WINDOW_SIZE, 1 << 20),
                setting(SettingsFrame.MAX_FRAME_SIZE, 1 << 20),
                setting(SettingsFrame.MAX_HEADER_LIST_SIZE, 10_000),
                setting(SettingsFrame.ENABLE_CONNECT_PROTOCOL, 1),
                setting(SettingsFrame.NO_RFC7540_PRIORITIES, 1),
                setting(0x4242, 99)))); // unknown: ignored
    assertEquals(List.of(SettingsFrame.ACK), p.sent());
    assertTrue(p.engine.serverSettingsReceived());
    assertEquals(
        new Settings(8192, false, 100, 1 << 20, 1 << 20, 10_000, true), p.engine.serverSettings());
    assertEquals(100, p.engine.maxConcurrentStreams());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void ourSettingsApplyWhenAcknowledged(Split split) throws HttpException {
    Peer p = new Peer(split);
    p.sent();
    p.receive(settings());
    assertEquals(Settings.defaults(), p.engine.clientSettings(), "not acknowledged yet");
    p.receive(SettingsFrame.ACK);
    assertEquals(
        new Settings(4096, false, Settings.UNLIMITED, 4 << 20, 16_384, 256 * 1024, false),
        p.engine.clientSettings());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void callerSettingsChangesApplyWhenAcknowledged(Split split) throws MintException {
    Peer p = Peer.ready(split);
    Settings before = p.engine.clientSettings();
    p.engine.updateSettings(before.withInitialWindowSize(1000).withMaxHeaderListSize(9000));
    assertEquals(
        List.of(
            settings(
                setting(SettingsFrame.INITIAL_WINDOW_SIZE, 1000),
                setting(SettingsFrame.MAX_HEADER_LIST_SIZE, 9000))),
        p.sent());
    assertEquals(before, p.engine.clientSettings());
    p.receive(SettingsFrame.ACK);
    assertEquals(1000, p.engine.clientSettings().initialWindowSize());
    assertEquals(9000, p.engine.clientSettings().maxHeaderListSize());
    p.engine.updateSettings(p.engine.clientSettings());
    assertEquals(List.of(), p.sent(), "nothing changed, nothing sent");
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void unacknowledgedSettingsAreBounded(Split split) throws MintException {
    Peer p = new Peer(split); // our first SETTINGS awaits its ACK
    Settings s = p.engine.clientSettings();
    for (int i = 1; i < Http2Limits.MAX_UNACKED_SETTINGS; i++) {
      p.engine.updateSettings(s.withInitialWindowSize(1000 + i));
    }
    HttpException e =
        assertThrows(
            HttpException.class, () -> p.engine.updateSettings(s.withInitialWindowSize(5)));
    assertEquals(HttpException.Reason.INVALID_STATE, e.reason());
    assertEquals(HttpException.Fault.CALLER, e.fault());
    assertThrows(
        HttpException.class,
        () -> p.engine.updateSettings(s.withEnableConnectProtocol(true)),
        "a server setting");
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void requestsMayGoOutBeforeTheServerSettings(Split split) throws HttpException {
    Peer p = new Peer(split);
    p.sent();
    RequestRef ref = p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    List<Frame> sent = p.sent();
    assertEquals(1, sent.size());
    assertEquals(1, sent.get(0).streamId());
    assertEquals(
        List.of("#" + ref.sequence() + " status 200", "#1 headers Headers[]", "#1 done"),
        Peer.describe(p.receive(settings(), p.headers(1, true, ":status", "200"))));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void theServerPrefaceMustBeSettings(Split split) {
    Peer p = new Peer(split);
    p.sent();
    p.expectConnectionError(ErrorCode.PROTOCOL_ERROR, new PingFrame(false, 1));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aSettingsAckIsNoPreface(Split split) {
    Peer p = new Peer(split);
    p.sent();
    p.expectConnectionError(ErrorCode.PROTOCOL_ERROR, SettingsFrame.ACK);
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void anHttp1AnswerIsRecognised(Split split) {
    Peer p = new Peer(split);
    p.sent();
    try {
      p.receiveBytes("HTTP/1.1 400 Bad Request\r\n\r\n".getBytes());
    } catch (HttpException e) {
      assertTrue(e.getMessage().contains("HTTP/1.x"), e.getMessage());
      return;
    }
    throw new AssertionError("expected an error");
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void unsolicitedSettingsAckIsAProtocolError(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    p.expectConnectionError(ErrorCode.PROTOCOL_ERROR, SettingsFrame.ACK);
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void enablePushFromTheServerIsAProtocolError(Split split) throws HttpException {
    Peer.ready(split)
        .expectConnectionError(
            ErrorCode.PROTOCOL_ERROR, settings(setting(SettingsFrame.ENABLE_PUSH, 1)));
    Peer.ready(split)
        .expectConnectionError(
            ErrorCode.PROTOCOL_ERROR, settings(setting(SettingsFrame.ENABLE_PUSH, 2)));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void initialWindowSizeAbove2pow31IsAFlowControlError(Split split) throws HttpException {
    Peer.ready(split)
        .expectConnectionError(
            ErrorCode.FLOW_CONTROL_ERROR,
            settings(setting(SettingsFrame.INITIAL_WINDOW_SIZE, 1L << 31)));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void maxFrameSizeOutOfRangeIsAProtocolError(Split split) throws HttpException {
    Peer.ready(split)
        .expectConnectionError(
            ErrorCode.PROTOCOL_ERROR, settings(setting(SettingsFrame.MAX_FRAME_SIZE, 16_383)));
    Peer.ready(split)
        .expectConnectionError(
            ErrorCode.PROTOCOL_ERROR, settings(setting(SettingsFrame.MAX_FRAME_SIZE, 16_777_216)));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void connectProtocolSettingIsValidated(Split split) throws HttpException {
    Peer.ready(split)
        .expectConnectionError(
            ErrorCode.PROTOCOL_ERROR, settings(setting(SettingsFrame.ENABLE_CONNECT_PROTOCOL, 2)));
    Peer p = Peer.ready(split, setting(SettingsFrame.ENABLE_CONNECT_PROTOCOL, 1));
    p.expectConnectionError(
        ErrorCode.PROTOCOL_ERROR, settings(setting(SettingsFrame.ENABLE_CONNECT_PROTOCOL, 0)));
    Peer.ready(split)
        .expectConnectionError(
            ErrorCode.PROTOCOL_ERROR, settings(setting(SettingsFrame.NO_RFC7540_PRIORITIES, 2)));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void settingsFrameSizesAreChecked(Split split) throws HttpException {
    Peer.ready(split)
        .expectConnectionErrorBytes(
            ErrorCode.FRAME_SIZE_ERROR, Raw.frame(Frame.SETTINGS, 0, 0, new byte[5]));
    Peer.ready(split)
        .expectConnectionErrorBytes(
            ErrorCode.FRAME_SIZE_ERROR, Raw.frame(Frame.SETTINGS, Frame.FLAG_ACK, 0, new byte[6]));
    Peer.ready(split)
        .expectConnectionErrorBytes(
            ErrorCode.PROTOCOL_ERROR, Raw.frame(Frame.SETTINGS, 0, 1, new byte[0]));
  }
}
