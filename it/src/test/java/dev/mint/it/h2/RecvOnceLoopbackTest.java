// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Headers;
import dev.mint.Http2Operations;
import dev.mint.HttpConnection;
import dev.mint.Mode;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HttpConnection#recvOnce} against a scripted HTTP/2 server over loopback: frames that make
 * no part (the server's SETTINGS, a WINDOW_UPDATE) end the wait. Each call is given far more time
 * than the test's own {@link Timeout}, so a receive that waited for a part (as {@link
 * HttpConnection#recv} does) would fail the test instead of returning.
 */
@Timeout(30)
class RecvOnceLoopbackTest {
  /** Longer than the test may take: only input can end a call. */
  private static final Duration WAIT = Duration.ofMinutes(5);

  /** The initial flow-control windows, which the server's empty SETTINGS leave as they are. */
  private static final int WINDOW = 65_535;

  private static final int BODY = 100_000;
  private static final int WINDOW_UPDATE = 8;

  @Test
  void theServersSettingsEndTheWait() throws Exception {
    try (WirePeer peer = new WirePeer(RecvOnceLoopbackTest::readToTheEnd)) {
      HttpConnection conn = Http2Connect.open(false, "127.0.0.1", peer.port(), Mode.PASSIVE);
      try {
        Http2Operations h2 = conn.http2().orElseThrow();
        List<ResponsePart> parts = new ArrayList<>();
        for (int i = 0; i < 10 && !h2.serverSettingsReceived(); i++) {
          parts.addAll(conn.recvOnce(WAIT));
        }
        assertTrue(h2.serverSettingsReceived());
        assertEquals(List.of(), parts, "SETTINGS make no part");
      } finally {
        conn.close();
      }
      assertEquals(true, peer.result().get(10, TimeUnit.SECONDS), "the client ended cleanly");
    }
  }

  @Test
  void aWindowUpdateLetsTheQueuedBodyOutAndEndsTheWait() throws Exception {
    try (WirePeer peer = new WirePeer(RecvOnceLoopbackTest::receiveBodyInTwoWindows)) {
      HttpConnection conn = Http2Connect.open(false, "127.0.0.1", peer.port(), Mode.PASSIVE);
      try {
        Http2Operations h2 = conn.http2().orElseThrow();
        RequestRef ref = conn.request("POST", "/up", Headers.empty(), RequestBody.streaming());
        conn.streamRequestBody(ref, ByteBuffer.allocate(BODY));
        assertEquals(BODY - WINDOW, h2.queuedRequestBodyBytes(), "beyond the windows");
        List<ResponsePart> parts = new ArrayList<>();
        for (int i = 0; i < 10 && h2.queuedRequestBodyBytes() > 0; i++) {
          parts.addAll(conn.recvOnce(WAIT));
        }
        assertEquals(0, h2.queuedRequestBodyBytes(), "the WINDOW_UPDATE let the rest out");
        assertEquals(List.of(), parts, "WINDOW_UPDATE makes no part");
        conn.endRequestBody(ref);
        while (parts.stream().noneMatch(ResponsePart.Done.class::isInstance)) {
          parts.addAll(conn.recv(Duration.ofSeconds(10)));
        }
        assertEquals(new ResponsePart.Status(ref, 200), parts.get(0));
      } finally {
        conn.close();
      }
      assertEquals(BODY, peer.result().get(10, TimeUnit.SECONDS), "body bytes the server got");
    }
  }

  /**
   * Takes the first window's worth of body, pauses so that the client is waiting, opens both
   * windows, takes the rest and answers 200.
   */
  private static int receiveBodyInTwoWindows(WirePeer p) throws Exception {
    WirePeer.Frame headers = p.readSignificant();
    assertNotNull(headers, "the client closed before its request");
    assertEquals(WirePeer.HEADERS, headers.type(), headers.toString());
    int received = readData(p, WINDOW);
    Thread.sleep(200); // the client is in recvOnce by now, with nothing else to read
    p.write(WINDOW_UPDATE, 0, 0, increment(WINDOW));
    p.write(WINDOW_UPDATE, 0, 1, increment(WINDOW));
    received += readData(p, BODY - received);
    WirePeer.Frame end = p.readSignificant();
    assertNotNull(end, "the client closed before ending its body");
    assertEquals(WirePeer.DATA, end.type(), end.toString());
    assertTrue((end.flags() & WirePeer.FLAG_END_STREAM) != 0, end.toString());
    received += end.payload().length;
    p.write(
        WirePeer.HEADERS,
        WirePeer.FLAG_END_HEADERS | WirePeer.FLAG_END_STREAM,
        1,
        new byte[] {(byte) 0x88}); // :status 200, HPACK static index 8
    return received;
  }

  /** Reads the client's frames until it closes; whether it did within 100 frames. */
  private static boolean readToTheEnd(WirePeer p) throws Exception {
    for (int i = 0; i < 100; i++) {
      if (p.readSignificant() == null) {
        return true;
      }
    }
    return false;
  }

  /** Reads DATA frames carrying exactly {@code bytes} bytes. */
  private static int readData(WirePeer p, int bytes) throws Exception {
    int got = 0;
    while (got < bytes) {
      WirePeer.Frame f = p.readSignificant();
      assertNotNull(f, "the client closed after " + got + " of " + bytes + " body bytes");
      assertEquals(WirePeer.DATA, f.type(), f.toString());
      got += f.payload().length;
    }
    assertEquals(bytes, got, "no DATA beyond the window");
    return got;
  }

  private static byte[] increment(int n) {
    return new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n};
  }
}
