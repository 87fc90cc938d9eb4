// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static dev.mint.http2.Peer.setting;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Headers;
import dev.mint.HttpException;
import dev.mint.RequestBody;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The order in which the engine hands its frames to the shell ({@link Http2Engine#takeOutput}). */
@ExtendWith(SeedReporter.class)
class OutputOrderTest {

  /** A peer whose windows let two 64 KiB bodies go out at once. */
  private static Peer wideOpen(Split split) throws HttpException {
    Peer p = Peer.ready(split, setting(SettingsFrame.INITIAL_WINDOW_SIZE, 1 << 20));
    p.receive(new WindowUpdateFrame(0, 1 << 20));
    p.sent();
    return p;
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void bodiesTakeTurnsOneFrameEach(Split split) throws HttpException {
    Peer p = wideOpen(split);
    p.engine.request("PUT", "/a", Headers.empty(), RequestBody.of(new byte[64 * 1024]));
    p.engine.request("PUT", "/b", Headers.empty(), RequestBody.of(new byte[64 * 1024]));
    List<Integer> dataStreams = new ArrayList<>();
    List<Frame> sent = p.sent();
    for (Frame f : sent) {
      if (f instanceof DataFrame d) {
        dataStreams.add(d.streamId());
      }
    }
    assertEquals(List.of(1, 3, 1, 3, 1, 3, 1, 3), dataStreams, "16 KiB frames, in turn");
    assertTrue(sent.get(0) instanceof HeadersFrame && sent.get(1) instanceof HeadersFrame);
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void answersGoBeforeHeaderBlocksAndHeaderBlocksBeforeData(Split split) throws HttpException {
    Peer p = wideOpen(split);
    p.engine.request("PUT", "/a", Headers.empty(), RequestBody.of(new byte[100]));
    p.receive(new PingFrame(false, 42));
    List<Frame> sent = p.sent();
    assertEquals(new PingFrame(true, 42), sent.get(0), "the ACK first, though queued last");
    assertTrue(sent.get(1) instanceof HeadersFrame);
    assertEquals(new DataFrame(1, dev.mint.Bytes.of(new byte[100]), true), sent.get(2));
    assertEquals(3, sent.size());
  }

  @ParameterizedTest
  @EnumSource(Split.class)
  void aSmallTakeNeverCutsAHeaderBlockNorLetsDataOvertakeIt(Split split) throws HttpException {
    Peer p = wideOpen(split);
    String big = "v".repeat(40_000); // more than one frame: HEADERS and CONTINUATION
    p.engine.request("PUT", "/a", Headers.of("x-big", big), RequestBody.of(new byte[10]));
    List<java.nio.ByteBuffer> out = new ArrayList<>();
    long first = p.engine.takeOutput(1, out);
    assertTrue(
        first > 2 * (16_384 + FrameHeader.SIZE),
        "HEADERS and both CONTINUATION frames, though 1 byte was asked for: " + first);
    assertTrue(p.engine.hasOutput(), "the DATA waits for the next take");
    long second = p.engine.takeOutput(1, out);
    assertEquals(FrameHeader.SIZE + 10, second, "then the DATA");
    assertFalse(p.engine.hasOutput());
  }
}
