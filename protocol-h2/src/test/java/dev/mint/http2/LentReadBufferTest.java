// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mint.Bytes;
import dev.mint.spi.ReadBuffers;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * DATA payloads read through the shell's lent read buffers ({@link ReadBuffers}) may stay in the
 * array they were read into, or in the array a split frame was staged in; either way they must
 * never change afterwards, however the later bytes arrive.
 */
class LentReadBufferTest {
  private static final int FRAMES = 6;

  /** The largest payload the reader takes, and at least ReadBuffers.MIN_VIEW: kept, not copied. */
  private static final int PAYLOAD = 16_384;

  private static byte[] pattern(int seed) {
    byte[] b = new byte[PAYLOAD];
    for (int i = 0; i < b.length; i++) {
      b[i] = (byte) (seed * 7 + i * 13);
    }
    return b;
  }

  @ParameterizedTest(name = "reads of {0} bytes")
  @ValueSource(ints = {70_000, 20_000, 7_000, 1_000})
  void dataPayloadsStayIntactAfterLaterReads(int chunk) throws Http2Error {
    List<Frame> frames = new ArrayList<>();
    frames.add(Peer.settings());
    for (int i = 0; i < FRAMES; i++) {
      frames.add(new DataFrame(1, Bytes.of(pattern(i)), false));
    }
    byte[] wire = Peer.bytes(frames.toArray(Frame[]::new));
    FrameReader reader = new FrameReader(16_384, 64 * 1024);
    List<DataFrame> got = new ArrayList<>();
    for (int at = 0; at < wire.length; at += chunk) {
      int n = Math.min(chunk, wire.length - at);
      try (ReadBuffers.Lease lease = ReadBuffers.lend(1)) {
        ByteBuffer buf = lease.buffer();
        n = Math.min(n, buf.remaining());
        buf.put(wire, at, n);
        ByteBuffer in = lease.flipForReceive(n);
        for (Frame f = reader.next(in); f != null; f = reader.next(in)) {
          if (f instanceof DataFrame d) {
            got.add(d);
          }
        }
      }
      at -= chunk - n; // a short lease takes the rest on the next round
    }
    try (ReadBuffers.Lease lease = ReadBuffers.lend(1)) {
      ByteBuffer b = lease.buffer();
      Arrays.fill(b.array(), b.position(), b.limit(), (byte) 0x55); // a later read fills the rest
    }
    assertEquals(FRAMES, got.size());
    for (int i = 0; i < FRAMES; i++) {
      assertArrayEquals(pattern(i), got.get(i).data().toByteArray(), "frame " + i);
    }
  }
}
