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
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link TlsTransport#lastReadDrained()}: TLS over an inner transport that says when a read took
 * all it held ({@link ScriptedPeer#reportsDrainedReads()}) stops reading the inner one there, and
 * passes the signal on only when it holds nothing itself: a short read of plaintext may leave a
 * whole record, or the end, behind.
 */
class TlsDrainedReadTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  @Test
  void oneInnerReadWhenItTookAllThereWas() throws Exception {
    ScriptedPeer peer = new ScriptedPeer("server").reportsDrainedReads();
    TlsTransport t = peer.connect(TIMEOUT);
    byte[] data = TestIo.random(1000, 1);
    peer.send(data).pump();
    int before = peer.readCalls();
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
    assertEquals(1000, t.read(buf));
    assertEquals(1, peer.readCalls() - before, "no inner read that could only return 0");
    assertTrue(t.lastReadDrained());
    assertArrayEquals(data, java.util.Arrays.copyOf(buf.array(), 1000));
  }

  @Test
  void aWholeRecordLeftBehindIsNotDrained() throws Exception {
    ScriptedPeer peer = new ScriptedPeer("server", "TLSv1.3").reportsDrainedReads();
    TlsTransport t = peer.connect(TIMEOUT);
    byte[] first = TestIo.random(100, 2);
    byte[] second = TestIo.random(100, 3);
    peer.send(first).send(second).pump(); // two records, both taken by one inner read
    ByteBuffer buf = ByteBuffer.allocate(100);
    assertEquals(100, t.read(buf));
    assertFalse(t.lastReadDrained(), "the second record waits whole: the socket is not the limit");
    assertTrue(t.hasBufferedInput());
    buf.clear();
    assertEquals(100, t.read(buf));
    assertArrayEquals(second, buf.array());
    assertTrue(t.lastReadDrained());
  }

  @Test
  void anEndBehindTheLastRecordIsNotDrained() throws Exception {
    ScriptedPeer peer = new ScriptedPeer("server").reportsDrainedReads();
    TlsTransport t = peer.connect(TIMEOUT);
    peer.send(new byte[] {'b', 'y', 'e'}).pump();
    peer.server().closeOutbound();
    peer.pump(); // close_notify, taken by the same inner read as the data
    ByteBuffer buf = ByteBuffer.allocate(100);
    assertEquals(3, t.read(buf));
    assertFalse(t.lastReadDrained(), "close_notify is still to be reported");
    assertEquals(-1, t.read(buf));
    assertTrue(t.peerClosedCleanly());
  }

  @Test
  void aSocketEndAfterADrainedReadIsReadyForAWaitingCaller() throws Exception {
    ScriptedPeer peer = new ScriptedPeer("server").reportsDrainedReads();
    TlsTransport t = peer.connect(TIMEOUT);
    peer.send(new byte[] {'b', 'y', 'e'}).pump();
    peer.endAfterDrain(); // a FIN without close_notify, behind the data
    ByteBuffer buf = ByteBuffer.allocate(100);
    assertEquals(3, t.read(buf));
    assertTrue(t.lastReadDrained());
    assertEquals(SelectionKey.OP_READ, t.awaitReady(SelectionKey.OP_READ, TIMEOUT));
    assertEquals(-1, t.read(buf));
    assertFalse(t.peerClosedCleanly());
  }

  /**
   * A reader that stops on a drained read and then waits, as the connection shell does, gets every
   * byte whatever the inner reads deliver at a time.
   */
  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3})
  void aReaderThatStopsOnDrainedReadsGetsEveryByte(long seed) throws Exception {
    ScriptedPeer peer = new ScriptedPeer("server").reportsDrainedReads();
    TlsTransport t = peer.connect(TIMEOUT);
    byte[] data = TestIo.random(200_000, seed);
    Random random = new Random(seed);
    peer.readChunks(() -> 1 + random.nextInt(40_000));
    peer.send(data).pump();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024 + 512);
    int waits = 0;
    for (int round = 0; round < 10_000 && got.size() < data.length; round++) {
      buf.clear();
      int n = t.read(buf);
      assertTrue(n >= 0);
      got.write(buf.array(), 0, n);
      if (n == 0 || t.lastReadDrained()) {
        waits++;
        assertEquals(
            SelectionKey.OP_READ,
            t.awaitReady(SelectionKey.OP_READ, Duration.ZERO),
            "stopped after " + got.size() + " bytes with nothing to wake the reader");
      }
    }
    assertArrayEquals(data, got.toByteArray());
    assertTrue(waits > 0);
  }
}
