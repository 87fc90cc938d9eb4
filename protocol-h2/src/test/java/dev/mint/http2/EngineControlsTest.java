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
import dev.mint.ResponsePart;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The caller's run-time controls of an HTTP/2 connection: PING payloads, receive windows, the
 * refill threshold, and the stream limit before the server's SETTINGS.
 */
@ExtendWith(SeedReporter.class)
class EngineControlsTest {
  private static final Bytes PAYLOAD = Bytes.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});

  /** Options with a connection window of the initial 65535 (no grant at start). */
  private static Http2Options windows(int stream) {
    return Http2Options.defaults().withInitialStreamWindow(stream).withConnectionWindow(65_535);
  }

  private static Peer ready(Split split, Http2Options options) throws HttpException {
    Peer p = Peer.with(split, options);
    p.handshake();
    return p;
  }

  private static RequestRef get(Peer p) throws HttpException {
    RequestRef ref = p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.sent();
    return ref;
  }

  /** {@code n} DATA frames of 16384 bytes on stream 1. */
  private static Frame[] chunks(int n) {
    Frame[] frames = new Frame[n];
    for (int i = 0; i < n; i++) {
      frames[i] = data(1, "x".repeat(16_384), false);
    }
    return frames;
  }

  // ---- PING ----

  @ParameterizedTest
  @EnumSource(Split.class)
  void pingPayloadIsSentAndEchoedInThePong(Split split) throws MintException {
    Peer p = Peer.ready(split);
    RequestRef first = p.engine.ping(PAYLOAD);
    RequestRef second = p.engine.ping(PAYLOAD);
    long opaque = 0x0102030405060708L;
    assertEquals(List.of(new PingFrame(false, opaque), new PingFrame(false, opaque)), p.sent());
    List<ResponsePart> parts = new ArrayList<>(p.receive(new PingFrame(true, opaque)));
    parts.addAll(p.receive(new PingFrame(true, opaque)));
    assertEquals(
        List.of(new ResponsePart.Pong(first, PAYLOAD), new ResponsePart.Pong(second, PAYLOAD)),
        parts,
        "equal payloads are answered in order");
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aPingWithoutPayloadCarriesItsOwnNumber(Split split) throws MintException {
    Peer p = Peer.ready(split);
    RequestRef ping = p.engine.ping();
    p.sent();
    assertEquals(
        List.of(new ResponsePart.Pong(ping, PingFrame.payload(ping.sequence()))),
        p.receive(new PingFrame(true, ping.sequence())));
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aPingPayloadIsEightBytes(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    assertThrows(IllegalArgumentException.class, () -> p.engine.ping(Bytes.of(new byte[7])));
    assertThrows(IllegalArgumentException.class, () -> p.engine.ping(Bytes.of(new byte[9])));
    assertEquals(List.of(), p.sent());
  }

  // ---- receive windows ----

  @ParameterizedTest
  @EnumSource(Split.class)
  void growingTheConnectionWindowGrantsTheDifferenceAtOnce(Split split) throws MintException {
    Peer p = ready(split, windows(1 << 20));
    p.engine.setConnectionReceiveWindow(200_000);
    assertEquals(List.of(new WindowUpdateFrame(0, 200_000 - 65_535)), p.sent());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void shrinkingTheConnectionWindowOnlyLowersTheRefill(Split split) throws MintException {
    Peer p = ready(split, windows(1 << 20));
    p.engine.setConnectionReceiveWindow(200_000);
    p.sent();
    get(p);
    p.receive(p.headers(1, false, ":status", "200"));
    p.engine.setConnectionReceiveWindow(100_000);
    assertEquals(List.of(), p.sent(), "nothing can be taken back");

    // 7 x 16384 received: the window is 85312, 14688 under the new level: below half of it.
    p.receive(chunks(7));
    assertEquals(List.of(), p.sent());
    // 3 more: the window is 36160, 63840 under the level of 100000: refilled to it, not beyond.
    p.receive(chunks(3));
    assertEquals(List.of(new WindowUpdateFrame(0, 63_840)), p.sent());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aStreamWindowGrowsAndShrinksOnItsOwn(Split split) throws MintException {
    Peer p = ready(split, windows(65_535).withConnectionWindow(1 << 20));
    RequestRef ref = get(p);
    p.receive(p.headers(1, false, ":status", "200"));
    p.engine.setStreamReceiveWindow(ref, 100_000);
    assertEquals(List.of(new WindowUpdateFrame(1, 100_000 - 65_535)), p.sent());

    p.engine.setStreamReceiveWindow(ref, 40_000);
    assertEquals(List.of(), p.sent());
    // 2 x 16384: the window is 67232, above the level of 40000: no refill.
    p.receive(chunks(2));
    assertEquals(List.of(), p.sent());
    // 3 more: the window is 18080, 21920 under the level: refilled to 40000.
    p.receive(chunks(3));
    assertEquals(List.of(new WindowUpdateFrame(1, 21_920)), p.sent());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aStreamWindowNeedsAStreamThatCanReceive(Split split) throws HttpException {
    Peer p = Peer.ready(split);
    RequestRef ref = get(p);
    p.receive(p.headers(1, true, ":status", "204"));
    HttpException e =
        assertThrows(HttpException.class, () -> p.engine.setStreamReceiveWindow(ref, 100_000));
    assertEquals(HttpException.Reason.INVALID_STATE, e.reason());
    assertEquals(HttpException.Fault.CALLER, e.fault());
    assertThrows(IllegalArgumentException.class, () -> p.engine.setConnectionReceiveWindow(0));
    assertEquals(List.of(), p.sent());
  }

  // ---- refill threshold ----

  @ParameterizedTest
  @EnumSource(Split.class)
  void theRefillThresholdIsAnOption(Split split) throws HttpException {
    Peer halves = ready(split, windows(65_535));
    get(halves);
    halves.receive(halves.headers(1, false, ":status", "200"), data(1, "x".repeat(7_000), false));
    assertEquals(List.of(), halves.sent(), "7000 of 65535 is below the default half");

    Peer tenths = ready(split, windows(65_535).withWindowRefillPercent(10));
    get(tenths);
    tenths.receive(tenths.headers(1, false, ":status", "200"), data(1, "x".repeat(7_000), false));
    assertEquals(
        List.of(new WindowUpdateFrame(0, 7_000), new WindowUpdateFrame(1, 7_000)),
        tenths.sent(),
        "7000 of 65535 is past a tenth");
  }

  // ---- streams before the server's SETTINGS ----

  @ParameterizedTest
  @EnumSource(Split.class)
  void beforeTheServersSettingsStreamsAreLimited(Split split) throws HttpException {
    Peer p = Peer.with(split, Http2Options.defaults().withMaxConcurrentStreamsBeforeSettings(2));
    p.engine.request("GET", "/a", Headers.empty(), RequestBody.none());
    p.engine.request("GET", "/b", Headers.empty(), RequestBody.none());
    assertFalse(p.engine.serverSettingsReceived());
    assertEquals(2, p.engine.maxConcurrentStreams());
    HttpException e =
        assertThrows(
            HttpException.class,
            () -> p.engine.request("GET", "/c", Headers.empty(), RequestBody.none()));
    assertEquals(HttpException.Reason.PEER_LIMIT_REACHED, e.reason());
    assertEquals(HttpException.Scope.REQUEST, e.scope());
    assertTrue(e.getMessage().contains("SETTINGS"), e.getMessage());

    p.receive(settings(setting(SettingsFrame.MAX_CONCURRENT_STREAMS, 10)));
    assertTrue(p.engine.serverSettingsReceived());
    assertEquals(10, p.engine.maxConcurrentStreams());
    p.engine.request("GET", "/c", Headers.empty(), RequestBody.none());
    assertEquals(3, p.engine.openStreamCount());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void theDefaultAssumptionIsAHundredUntilSettingsSayOtherwise(Split split) throws HttpException {
    Peer p = new Peer(split);
    assertEquals(100, p.engine.maxConcurrentStreams());
    for (int i = 0; i < 100; i++) {
      p.engine.request("GET", "/" + i, Headers.empty(), RequestBody.none());
      p.sent();
    }
    assertThrows(
        HttpException.class,
        () -> p.engine.request("GET", "/", Headers.empty(), RequestBody.none()));
    p.receive(settings());
    assertEquals(Settings.UNLIMITED, p.engine.maxConcurrentStreams(), "the server set no limit");
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
  }
}
