// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TLS transport's record buffers are held only while they hold bytes: a partial record read, a
 * record not yet sent, plaintext not yet returned. An idle connection holds none.
 */
class TlsIdleBuffersTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** Reads everything the peer sent into buffers of {@code chunk} bytes. */
  private static byte[] readAll(TlsTransport t, ScriptedPeer peer, int n, int chunk)
      throws Exception {
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(chunk);
    for (int i = 0; i < 1_000_000 && got.size() < n; i++) {
      buf.clear();
      int r = t.read(buf);
      assertTrue(r >= 0, "no end of stream");
      got.write(buf.array(), 0, r);
      if (r == 0 && !t.hasBufferedInput()) {
        peer.pump();
      }
    }
    return got.toByteArray();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
  void anIdleConnectionHoldsNoRecordBuffers(String version) throws Exception {
    ScriptedPeer peer = new ScriptedPeer("server", version);
    TlsTransport t = peer.connect(TIMEOUT);
    assertEquals(0, t.bufferedCapacity(), "after the handshake");

    ByteBuffer[] request = {ByteBuffer.wrap(TestIo.random(30_000, 1))};
    for (int i = 0; i < 100 && (request[0].hasRemaining() || t.hasPendingOutput()); i++) {
      t.write(request);
      t.flush();
      peer.awaitReady(SelectionKey.OP_WRITE, Duration.ZERO);
    }
    assertFalse(t.hasPendingOutput());
    assertEquals(0, t.bufferedCapacity(), "after a write that was flushed");

    byte[] response = TestIo.random(100_000, 2);
    peer.send(response).pump();
    assertArrayEquals(response, readAll(t, peer, response.length, 64 * 1024));
    assertEquals(0, t.bufferedCapacity(), "after large reads that took everything");

    peer.send(response).pump();
    assertArrayEquals(response, readAll(t, peer, response.length, 100));
    assertEquals(0, t.bufferedCapacity(), "after small reads drained the plaintext buffer");
  }

  @Test
  void aPartialRecordIsKeptUntilItsRestArrives() throws Exception {
    int[] chunks = {Integer.MAX_VALUE};
    ScriptedPeer peer =
        new ScriptedPeer("server")
            .readChunks(
                () -> {
                  int n = chunks[0];
                  if (n != Integer.MAX_VALUE) {
                    chunks[0] = 0; // a read of n bytes, then nothing more
                  }
                  return n;
                });
    TlsTransport t = peer.connect(TIMEOUT);
    int packet = t.sslSession().orElseThrow().getPacketBufferSize();
    byte[] data = TestIo.random(5_000, 3);
    peer.send(data).pump();
    chunks[0] = 1000; // a fifth of the one record
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    assertEquals(0, t.read(buf));
    assertEquals(packet, t.bufferedCapacity(), "the partial record is kept");
    chunks[0] = Integer.MAX_VALUE;
    assertEquals(data.length, t.read(buf));
    assertArrayEquals(data, java.util.Arrays.copyOf(buf.array(), data.length));
    assertEquals(0, t.bufferedCapacity(), "released with the record decrypted");
  }

  @Test
  void plaintextNotYetReturnedIsKeptUntilDrained() throws Exception {
    ScriptedPeer peer = new ScriptedPeer("server");
    TlsTransport t = peer.connect(TIMEOUT);
    byte[] data = TestIo.random(3_000, 4);
    peer.send(data).pump();
    ByteBuffer small = ByteBuffer.allocate(1000);
    assertEquals(1000, t.read(small));
    assertTrue(t.bufferedCapacity() > 0, "the rest of the record's plaintext is held");
    assertTrue(t.hasBufferedInput());
    assertArrayEquals(java.util.Arrays.copyOfRange(data, 1000, 3000), readAll(t, peer, 2000, 1000));
    assertEquals(0, t.bufferedCapacity());
  }

  @Test
  void theReadRoomAskedForHoldsARecordsPlaintext() throws Exception {
    ScriptedPeer peer = new ScriptedPeer("server");
    TlsTransport t = peer.connect(TIMEOUT);
    assertEquals(t.sslSession().orElseThrow().getApplicationBufferSize(), t.minReadRoom());
  }
}
