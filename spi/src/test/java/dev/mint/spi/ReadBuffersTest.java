// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.RequestBody;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Read buffers lent per read, and body chunks kept as views of them. */
class ReadBuffersTest {
  /** The room a TLS transport asks for. */
  private static final int ROOM = 16_709;

  @AfterEach
  void noLeaseLeftOut() {
    assertFalse(ReadBuffers.lender().isLent(), "every lease was returned");
  }

  /** Reads {@code bytes} into a fresh lease, as a transport would, and flips it for receiving. */
  static ByteBuffer read(ReadBuffers.Lease lease, byte[] bytes) {
    lease.buffer().put(bytes);
    return lease.flipForReceive(bytes.length);
  }

  static byte[] pattern(int length, int seed) {
    byte[] b = new byte[length];
    for (int i = 0; i < length; i++) {
      b[i] = (byte) (seed + i * 31);
    }
    return b;
  }

  @Test
  void aLeaseHasRoomForATlsRecordAndIsTheSameArrayAgainWhenNothingWasKept() {
    byte[] first;
    int start;
    try (ReadBuffers.Lease lease = ReadBuffers.lend(ROOM)) {
      ByteBuffer b = lease.buffer();
      assertTrue(b.remaining() >= ROOM, "room " + b.remaining());
      first = b.array();
      start = b.position();
      Bytes chunk = ReadBuffers.bodyChunk(read(lease, pattern(100, 1)), 100);
      assertArrayEquals(pattern(100, 1), chunk.toByteArray());
    }
    try (ReadBuffers.Lease lease = ReadBuffers.lend(ROOM)) {
      assertSame(first, lease.buffer().array(), "a copied chunk leaves the array to reuse");
      assertEquals(start, lease.buffer().position(), "and the same bytes of it");
    }
  }

  @Test
  void aLargeChunkIsAViewWhoseBytesAreNeverLentAgain() {
    int size = ReadBuffers.MIN_VIEW;
    Bytes kept;
    int end;
    try (ReadBuffers.Lease lease = ReadBuffers.lend(ROOM)) {
      ByteBuffer in = read(lease, pattern(size, 7));
      end = in.limit();
      kept = ReadBuffers.bodyChunk(in, size);
      assertEquals(end, in.position(), "the chunk was consumed");
    }
    try (ReadBuffers.Lease lease = ReadBuffers.lend(ROOM)) {
      ByteBuffer b = lease.buffer();
      assertTrue(b.position() >= end || b.position() == 0 && b.remaining() >= ROOM);
      Arrays.fill(b.array(), b.position(), b.limit(), (byte) 0x55); // a later read fills it all
    }
    assertArrayEquals(pattern(size, 7), kept.toByteArray(), "the view is untouched");
  }

  @Test
  void aChunkJustUnderTheThresholdIsCopiedExactly() {
    int before = ReadBuffers.lender().start();
    Bytes chunk;
    try (ReadBuffers.Lease lease = ReadBuffers.lend(ROOM)) {
      before = lease.buffer().position();
      chunk =
          ReadBuffers.bodyChunk(
              read(lease, pattern(ReadBuffers.MIN_VIEW - 1, 3)), ReadBuffers.MIN_VIEW - 1);
    }
    assertEquals(before, ReadBuffers.lender().start(), "nothing of the array was given up");
    assertArrayEquals(pattern(ReadBuffers.MIN_VIEW - 1, 3), chunk.toByteArray());
  }

  @Test
  void aBufferThatWasNotLentIsCopied() {
    ByteBuffer foreign = ByteBuffer.wrap(pattern(ReadBuffers.MIN_VIEW * 2, 9));
    Bytes chunk = ReadBuffers.bodyChunk(foreign, foreign.remaining());
    Arrays.fill(foreign.array(), (byte) 0);
    assertArrayEquals(pattern(ReadBuffers.MIN_VIEW * 2, 9), chunk.toByteArray());
  }

  @Test
  void readsOnOneArrayShareOneLeaseObjectAndASecondCloseChangesNothing() {
    ReadBuffers.Lease first = ReadBuffers.lend(ROOM);
    int start = ReadBuffers.lender().start();
    first.close();
    first.close(); // ends the loan once
    assertFalse(ReadBuffers.lender().isLent());
    try (ReadBuffers.Lease second = ReadBuffers.lend(ROOM)) {
      assertSame(first, second, "no allocation per read");
      assertTrue(ReadBuffers.lender().isLent());
      assertEquals(start, second.buffer().position());
    }
    assertFalse(ReadBuffers.lender().isLent());
  }

  @Test
  void aNestedLeaseGetsABufferOfItsOwn() {
    try (ReadBuffers.Lease outer = ReadBuffers.lend(ROOM);
        ReadBuffers.Lease inner = ReadBuffers.lend(ROOM)) {
      assertNotSame(outer.buffer().array(), inner.buffer().array());
      ByteBuffer in = read(inner, pattern(ReadBuffers.MIN_VIEW, 2));
      Bytes chunk = ReadBuffers.bodyChunk(in, ReadBuffers.MIN_VIEW);
      Arrays.fill(inner.buffer().array(), (byte) 0);
      assertArrayEquals(pattern(ReadBuffers.MIN_VIEW, 2), chunk.toByteArray(), "copied");
    }
  }

  @Test
  void aFreshArrayStartsWhenTheTailIsTooShortAndEveryViewSurvives() {
    List<Bytes> kept = new ArrayList<>();
    List<byte[]> sent = new ArrayList<>();
    List<byte[]> arrays = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      try (ReadBuffers.Lease lease = ReadBuffers.lend(ROOM)) {
        ByteBuffer b = lease.buffer();
        assertTrue(b.remaining() >= ROOM);
        if (arrays.isEmpty() || arrays.get(arrays.size() - 1) != b.array()) {
          arrays.add(b.array());
        }
        byte[] bytes = pattern(Math.min(b.remaining(), 20_000), i);
        kept.add(ReadBuffers.bodyChunk(read(lease, bytes), bytes.length));
        sent.add(bytes);
      }
    }
    assertTrue(arrays.size() > 1, "the lender moved to a new array");
    for (int i = 0; i < kept.size(); i++) {
      assertArrayEquals(sent.get(i), kept.get(i).toByteArray(), "chunk " + i);
    }
  }

  // ---- through the connection shell ----

  @Test
  void connectionsOnOneThreadShareTheReadBufferAndAnIdleOneHoldsNone() throws Exception {
    FakeTransport t1 = new FakeTransport();
    FakeTransport t2 = new FakeTransport();
    ScriptedEngine e1 = new ScriptedEngine();
    ScriptedEngine e2 = new ScriptedEngine();
    EngineConnection c1 =
        new EngineConnection(t1, e1, Scheme.HTTP, "a", 80, ConnectOptions.defaults());
    EngineConnection c2 =
        new EngineConnection(t2, e2, Scheme.HTTP, "b", 80, ConnectOptions.defaults());
    c1.request("GET", "/", Headers.empty(), RequestBody.none());
    c2.request("GET", "/", Headers.empty(), RequestBody.none());
    t1.peerSends("S 200\nE\n");
    t2.peerSends("S 204\nE\n");
    assertEquals(2, c1.stream().size());
    assertFalse(ReadBuffers.lender().isLent(), "idle between calls: the buffer is back");
    assertEquals(2, c2.stream().size());
    assertSame(t1.readArrays.get(0), t2.readArrays.get(0), "one array for the thread");
  }

  @Test
  void largeBodyChunksReadThroughTheShellStayIntactAcrossLaterReads() throws Exception {
    FakeTransport t = new FakeTransport();
    ScriptedEngine e = new ScriptedEngine();
    e.rawBodies = true;
    EngineConnection c =
        new EngineConnection(t, e, Scheme.HTTP, "a", 80, ConnectOptions.defaults());
    c.request("GET", "/", Headers.empty(), RequestBody.none());
    List<byte[]> sent = new ArrayList<>();
    List<Bytes> got = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      byte[] bytes = pattern(i % 2 == 0 ? 30_000 : 100, i); // large views and small copies
      sent.add(bytes);
      t.peerSends(bytes);
      for (ResponsePart p : c.stream()) {
        got.add(((ResponsePart.Data) p).bytes());
      }
    }
    java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream actual = new java.io.ByteArrayOutputStream();
    for (byte[] b : sent) {
      expected.writeBytes(b);
    }
    for (Bytes b : got) { // a read may end short of a send when the array's tail is short
      b.writeTo(actual);
    }
    assertArrayEquals(expected.toByteArray(), actual.toByteArray());
  }
}
