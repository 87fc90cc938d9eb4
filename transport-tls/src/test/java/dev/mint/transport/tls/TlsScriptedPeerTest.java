// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mint.TransportException;
import dev.mint.TransportException.Reason;
import dev.mint.spi.Transport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The TLS transport against a server {@link javax.net.ssl.SSLEngine} on the test thread ({@link
 * ScriptedPeer}): byte boundaries, partial writes, post-handshake messages, failures and ends of
 * stream at exactly the points each test names.
 */
class TlsScriptedPeerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Reads until {@code n} bytes arrived, pumping the server whenever nothing is buffered. */
  private static byte[] readExactly(TlsTransport t, ScriptedPeer peer, int n, int chunk)
      throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(chunk);
    for (int i = 0; i < 1_000_000 && out.size() < n; i++) {
      buf.clear().limit(Math.min(chunk, n - out.size()));
      int r = t.read(buf);
      if (r < 0) {
        fail("end of stream after " + out.size() + " of " + n + " bytes");
      }
      out.write(buf.array(), 0, r);
      if (r == 0 && !t.hasBufferedInput()) {
        peer.pump();
        if (peer.heldForClient() == 0) {
          fail("stalled after " + out.size() + " of " + n + " bytes");
        }
      }
    }
    return out.toByteArray();
  }

  /** Writes all of {@code data}, letting the server take it whenever the client is blocked. */
  private static void writeAll(TlsTransport t, ScriptedPeer peer, byte[] data) throws Exception {
    ByteBuffer[] src = {ByteBuffer.wrap(data)};
    for (int i = 0; i < 1_000_000 && (src[0].hasRemaining() || t.hasPendingOutput()); i++) {
      t.write(src);
      t.flush();
      if (src[0].hasRemaining() || t.hasPendingOutput()) {
        peer.awaitReady(SelectionKey.OP_WRITE, Duration.ZERO);
      }
    }
    assertFalse(src[0].hasRemaining() || t.hasPendingOutput(), "write stalled");
  }

  @ParameterizedTest(name = "{0}, splits {1}")
  @CsvSource({
    "TLSv1.3, whole",
    "TLSv1.3, bytes",
    "TLSv1.3, random",
    "TLSv1.2, whole",
    "TLSv1.2, bytes",
    "TLSv1.2, random"
  })
  void handshakeDataAndCloseAtAnySplit(String version, String splits) throws Exception {
    long seed = System.nanoTime();
    try {
      exchange(version, splits, seed);
    } catch (Exception | AssertionError e) {
      throw new AssertionError(version + ", splits " + splits + ", seed " + seed + ": " + e, e);
    }
  }

  private static void exchange(String version, String splits, long seed) throws Exception {
    Random random = new Random(seed);
    ScriptedPeer peer = new ScriptedPeer("server", version);
    switch (splits) {
      case "bytes" -> peer.readChunks(() -> 1).writeBudget(1);
      case "random" -> peer.readChunks(() -> 1 + random.nextInt(3000)).writeBudget(777);
      default -> {}
    }
    TlsTransport t = peer.connect(TIMEOUT);
    assertEquals(version, t.sslSession().orElseThrow().getProtocol());
    byte[] up = TestIo.random(70_000, seed); // TLS 1.3: past the lowered key limit, a KeyUpdate
    writeAll(t, peer, up);
    peer.pump();
    assertArrayEquals(up, peer.received());
    byte[] down = TestIo.random(70_000, seed + 1);
    peer.send(down).pump();
    int chunk = splits.equals("whole") ? 65536 : 1 + random.nextInt(20_000);
    assertArrayEquals(down, readExactly(t, peer, down.length, chunk));
    peer.server().closeOutbound();
    peer.pump();
    ByteBuffer buf = ByteBuffer.allocate(100);
    int r = 0;
    for (int i = 0; i < 100_000 && r == 0; i++) {
      r = t.read(buf);
    }
    assertEquals(-1, r, "close_notify ends the input");
    assertTrue(t.peerClosedCleanly());
    t.close();
    assertTrue(peer.isClosed());
  }

  /** A close with ciphertext still held sends it, then close_notify (the engine needs room). */
  @Test
  void closeSendsCloseNotifyBehindHeldCiphertext() throws Exception {
    ScriptedPeer peer = new ScriptedPeer("server");
    TlsTransport t = peer.connect(TIMEOUT);
    peer.writeBudget(100);
    byte[] data = TestIo.random(5000, 3);
    ByteBuffer[] src = {ByteBuffer.wrap(data)};
    assertEquals(5000, t.write(src));
    assertTrue(t.hasPendingOutput(), "the inner transport took only 100 bytes");
    peer.writeBudget(-1); // the socket drains before the caller closes
    t.close();
    peer.pump();
    assertArrayEquals(data, peer.received());
    assertTrue(peer.server().isInboundDone(), "the server got close_notify after the data");
    assertEquals(0, peer.unreadByServer());
  }

  /**
   * TLS 1.2 renegotiation (RFC 5246 §7.4.1.1): the server's HelloRequest needs a ClientHello back.
   * A caller that only reads, as a caller waiting for a response does, must not deadlock: read
   * sends what the engine wrapped.
   */
  @Test
  void readSendsTheEnginesAnswersWithoutWaitingForAWrite() throws Exception {
    ScriptedPeer peer = new ScriptedPeer("server", "TLSv1.2");
    TlsTransport t = peer.connect(TIMEOUT);
    peer.server().beginHandshake(); // HelloRequest
    peer.pump();
    ByteBuffer buf = ByteBuffer.allocate(1000);
    assertEquals(0, t.read(buf));
    assertFalse(t.hasPendingOutput(), "the ClientHello went out within read");
    peer.send(ascii("after renegotiation"));
    assertEquals(
        "after renegotiation",
        new String(readExactly(t, peer, 19, 1000), StandardCharsets.US_ASCII));
    assertFalse(t.hasPendingOutput());
  }

  /** TLS 1.3 KeyUpdate with update_requested (RFC 8446 §4.6.3) is answered within read. */
  @Test
  void readAnswersAKeyUpdateRequest() throws Exception {
    ScriptedPeer peer = new ScriptedPeer("server", "TLSv1.3");
    TlsTransport t = peer.connect(TIMEOUT);
    peer.server().beginHandshake(); // a negotiated TLS 1.3 engine sends KeyUpdate(update_requested)
    System.out.println("server status " + peer.server().getHandshakeStatus());
    peer.send(ascii("x")).pump();
    System.out.println(
        "server status " + peer.server().getHandshakeStatus() + " held " + peer.heldForClient());
    assertEquals("x", new String(readExactly(t, peer, 1, 100), StandardCharsets.US_ASCII));
    System.out.println(
        "unread by server " + peer.unreadByServer() + " pending " + t.hasPendingOutput());
    assertFalse(t.hasPendingOutput(), "the KeyUpdate answer went out within read");
    peer.pump();
    assertEquals(HandshakeStatus.NOT_HANDSHAKING, peer.server().getHandshakeStatus());
    assertEquals(0, peer.unreadByServer());
  }

  /**
   * RFC 9112 §9.8: whether the end was the peer's close_notify or a bare end of the connection
   * (which may be a truncation) is told through the SPI, so a protocol engine can tell them apart.
   */
  @ParameterizedTest(name = "{0}, close_notify {1}")
  @CsvSource({"TLSv1.3, true", "TLSv1.3, false", "TLSv1.2, true", "TLSv1.2, false"})
  void onlyCloseNotifyIsACleanEnd(String version, boolean alert) throws Exception {
    ScriptedPeer peer = new ScriptedPeer("server", version);
    Transport t = peer.connect(TIMEOUT);
    assertFalse(t.peerClosedCleanly(), "no close_notify yet");
    peer.send(ascii("body")).pump();
    if (alert) {
      peer.server().closeOutbound();
      peer.pump();
    } else {
      peer.endAfterDrain(); // a TCP FIN with no alert before it: a possible truncation
    }
    ByteBuffer buf = ByteBuffer.allocate(100);
    assertEquals(4, t.read(buf));
    assertEquals(-1, t.read(buf));
    assertEquals(alert, t.peerClosedCleanly());
    assertEquals(-1, t.read(buf), "stays at end of stream");
    t.close();
    assertEquals(alert, t.peerClosedCleanly(), "closing does not change what the peer did");
  }

  /** A record cut short by the end of the connection is no clean end either. */
  @Test
  void endInsideARecordIsNotClean() throws Exception {
    ScriptedPeer peer = new ScriptedPeer("server");
    Transport t = peer.connect(TIMEOUT);
    peer.send(ascii("first")).pump();
    int whole = peer.heldForClient();
    peer.send(ascii("second")).pump();
    peer.endAfterMore(whole + 7); // the second record's header and two bytes of it
    ByteBuffer buf = ByteBuffer.allocate(100);
    assertEquals(5, t.read(buf));
    assertEquals(-1, t.read(buf));
    assertFalse(t.peerClosedCleanly());
  }

  /** Bytes after close_notify are never returned, so they must not count as buffered input. */
  @Test
  void bytesBehindCloseNotifyAreNotBufferedInput() throws Exception {
    ScriptedPeer peer = new ScriptedPeer("server");
    TlsTransport t = peer.connect(TIMEOUT);
    peer.send(ascii("bye")).pump();
    peer.server().closeOutbound();
    peer.pump();
    peer.inject(new byte[] {23, 3, 3, 0, 2, 0, 0}); // a whole (bogus) record behind it
    ByteBuffer buf = ByteBuffer.allocate(100);
    assertEquals(3, t.read(buf));
    assertEquals(-1, t.read(buf));
    assertFalse(t.hasBufferedInput(), "nothing more to return: a caller must not be woken again");
    assertEquals(-1, t.read(buf));
  }

  /**
   * TLS over a transport that buffers (a tunnel, an inner TLS): what the inner one holds is input
   * too, or a caller waiting on the socket strands it.
   */
  @Test
  void innerBufferedInputCountsAsBufferedInput() throws Exception {
    ScriptedPeer peer = new ScriptedPeer("server", "TLSv1.3").reportsBufferedInput();
    TlsTransport t = peer.connect(TIMEOUT);
    byte[] data = TestIo.random(100, 5);
    peer.send(data).send(data).pump();
    peer.readChunks(() -> 150); // one record and a part of the next per inner read
    ByteBuffer buf = ByteBuffer.allocate(100);
    assertEquals(100, t.read(buf));
    assertTrue(peer.hasBufferedInput());
    assertTrue(t.hasBufferedInput(), "the rest of the second record waits in the inner transport");
    buf.clear();
    assertEquals(100, t.read(buf));
    assertArrayEquals(data, buf.array());
  }

  /** Plaintext decrypted before a bad record reaches the caller; the error comes next. */
  @Test
  void plaintextBeforeABadRecordIsReturnedFirst() throws Exception {
    ScriptedPeer peer = new ScriptedPeer("server");
    TlsTransport t = peer.connect(TIMEOUT);
    peer.send(ascii("complete response")).pump();
    byte[] garbage = new byte[5 + 40];
    garbage[0] = 23;
    garbage[1] = 3;
    garbage[2] = 3;
    garbage[4] = 40; // an application_data record that does not decrypt
    peer.inject(garbage);
    ByteBuffer buf = ByteBuffer.allocate(65536);
    assertEquals(17, t.read(buf), "the response before the bad record");
    assertTrue(t.hasBufferedInput(), "the failure is still to be reported");
    TransportException e = assertThrows(TransportException.class, () -> t.read(buf));
    assertEquals(Reason.IO_ERROR, e.reason(), e.toString());
    assertFalse(t.isOpen());
    assertTrue(peer.isClosed());
    assertEquals(Reason.CLOSED, assertThrows(TransportException.class, () -> t.read(buf)).reason());
  }

  /** Plaintext decrypted before the inner transport fails (a reset) reaches the caller first. */
  @Test
  void plaintextBeforeAResetIsReturnedFirst() throws Exception {
    ScriptedPeer peer = new ScriptedPeer("server");
    TlsTransport t = peer.connect(TIMEOUT);
    peer.send(ascii("complete response")).pump();
    TransportException reset = new TransportException(Reason.CLOSED, "connection reset");
    peer.failAfterDrain(reset);
    ByteBuffer buf = ByteBuffer.allocate(65536);
    assertEquals(17, t.read(buf));
    assertTrue(t.hasBufferedInput());
    assertEquals(
        reset, assertThrows(TransportException.class, () -> t.read(ByteBuffer.allocate(10))));
    assertFalse(t.isOpen());
  }

  /**
   * Reads into buffers that hold whole records decrypt straight into them: no plaintext buffer is
   * needed, and once everything was read no ciphertext buffer is kept either.
   */
  @Test
  void largeReadsKeepNoPlaintextBuffer() throws Exception {
    ScriptedPeer peer = new ScriptedPeer("server");
    TlsTransport t = peer.connect(TIMEOUT);
    byte[] data = TestIo.random(200_000, 9);
    peer.send(data).pump();
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(64 * 1024); // what the connection shell reads into
    for (int i = 0; i < 1000 && got.size() < data.length; i++) {
      buf.clear();
      int n = t.read(buf);
      assertTrue(n >= 0);
      got.write(buf.array(), 0, n);
    }
    assertArrayEquals(data, got.toByteArray());
    assertEquals(0, t.bufferedCapacity(), "nothing held once everything was read");
    assertArrayEquals(data, readExactlyAfterSend(t, peer, data, 1000), "small reads still work");
    t.close();
    assertEquals(0, t.bufferedCapacity(), "a closed transport holds no buffers");
  }

  private static byte[] readExactlyAfterSend(
      TlsTransport t, ScriptedPeer peer, byte[] data, int chunk) throws Exception {
    peer.send(data).pump();
    return readExactly(t, peer, data.length, chunk);
  }

  /** A server that never answers: the handshake waits with the time left, without spinning. */
  @Test
  void handshakeWaitsForTheTimeLeftInsteadOfSpinning() throws Exception {
    // A handshake first, untimed: in a cold JVM on a loaded machine, loading and compiling the TLS
    // code before the first wait took 660 ms of the second below, leaving a first wait of 340.
    new ScriptedPeer("server").connect(TIMEOUT).close();
    ScriptedPeer peer = new ScriptedPeer("server").mute(true);
    long start = System.nanoTime();
    TransportException e =
        assertThrows(TransportException.class, () -> peer.connect(Duration.ofMillis(1000)));
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertEquals(Reason.CONNECT_TIMEOUT, e.reason());
    assertTrue(took.compareTo(Duration.ofMillis(950)) >= 0, "waited " + took);
    assertTrue(peer.awaitCalls() <= 3, "waits: " + peer.waits());
    assertTrue(peer.waits().get(0).compareTo(Duration.ofMillis(500)) >= 0, "" + peer.waits());
    assertTrue(peer.isClosed());
  }

  /** The server's TCP closes mid-handshake after {@code n} bytes of its first flight. */
  @ParameterizedTest(name = "after {0} bytes")
  @ValueSource(ints = {0, 1, 5, 60, 200})
  void peerEndingMidHandshakeFailsTheHandshake(int n) throws Exception {
    ScriptedPeer peer = new ScriptedPeer("server");
    peer.endAfter(n);
    TransportException e = assertThrows(TransportException.class, () -> peer.connect(TIMEOUT));
    assertEquals(Reason.TLS_HANDSHAKE_FAILED, e.reason(), e.toString());
    assertTrue(e.getMessage().contains("closed the connection during the TLS handshake"), "" + e);
    assertTrue(peer.isClosed());
  }
}
