// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.Mode;
import dev.mint.RequestBody;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Borrowed body bytes ({@link ConnectOptions#borrowBodies()}): views of the thread's read array of
 * any length, never lent again within the receiving call that made them, lent again from the next.
 */
class BorrowedBodiesTest {
  /** The room a TLS transport asks for. */
  private static final int ROOM = 16_709;

  private static final ConnectOptions BORROW = ConnectOptions.builder().borrowBodies(true).build();

  @BeforeEach
  void startFromAFreshCall() {
    ReadBuffers.reclaimBorrowed(); // whatever an earlier test on this thread left borrowed
    ReadBuffers.lender().dropArray(); // and a fresh array, whatever was given up of the last one
  }

  @AfterEach
  void noLeaseLeftOut() {
    assertFalse(ReadBuffers.lender().isLent(), "every lease was returned");
  }

  private static ByteBuffer read(ReadBuffers.Lease lease, byte[] bytes) {
    return ReadBuffersTest.read(lease, bytes);
  }

  private static byte[] pattern(int length, int seed) {
    return ReadBuffersTest.pattern(length, seed);
  }

  // ---- the lender ----

  @Test
  void aBorrowingLeaseMakesAViewOfASmallChunkNotACopy() {
    try (ReadBuffers.Lease lease = ReadBuffers.lend(ROOM, true)) {
      ByteBuffer in = read(lease, pattern(100, 1));
      int at = in.position();
      Bytes chunk = ReadBuffers.bodyChunk(in, 100);
      assertEquals(100, in.position() - at, "consumed");
      lease.buffer().array()[at] = 42; // what lies under the chunk shows through: a view
      assertEquals(42, chunk.byteAt(0));
    }
  }

  @Test
  void aNonBorrowingLeaseStillCopiesASmallChunk() {
    try (ReadBuffers.Lease lease = ReadBuffers.lend(ROOM, false)) {
      ByteBuffer in = read(lease, pattern(100, 1));
      int at = in.position();
      Bytes chunk = ReadBuffers.bodyChunk(in, 100);
      lease.buffer().array()[at] = 42;
      assertEquals(pattern(100, 1)[0], chunk.byteAt(0), "a copy");
    }
  }

  @Test
  void borrowedBytesAreNotLentAgainBeforeTheNextReceivingCallThenAreReused() {
    int start = ReadBuffers.lender().start();
    List<Bytes> chunks = new ArrayList<>();
    List<byte[]> sent = new ArrayList<>();
    byte[] array = null;
    int firstAt = -1;
    for (int i = 0; i < 3; i++) {
      try (ReadBuffers.Lease lease = ReadBuffers.lend(ROOM, true)) {
        if (array == null) {
          array = lease.buffer().array();
          firstAt = lease.buffer().position();
        }
        assertSame(array, lease.buffer().array(), "one array within a call");
        byte[] bytes = pattern(5_000, i);
        sent.add(bytes);
        chunks.add(ReadBuffers.bodyChunk(read(lease, bytes), bytes.length));
      }
    }
    for (int i = 0; i < 3; i++) {
      assertArrayEquals(sent.get(i), chunks.get(i).toByteArray(), "chunk " + i);
    }
    assertEquals(start, ReadBuffers.lender().start(), "nothing given up for good");

    ReadBuffers.reclaimBorrowed();
    try (ReadBuffers.Lease lease = ReadBuffers.lend(ROOM, true)) {
      assertSame(array, lease.buffer().array());
      assertEquals(firstAt, lease.buffer().position(), "the borrowed bytes are lent again");
    }
  }

  @Test
  void aLeaseThatBorrowedNothingLeavesItsBytesToTheNext() {
    int at;
    try (ReadBuffers.Lease lease = ReadBuffers.lend(ROOM, true)) {
      at = lease.buffer().position();
      read(lease, pattern(10, 1)).position(at + 10); // parsed, nothing kept
    }
    try (ReadBuffers.Lease lease = ReadBuffers.lend(ROOM, true)) {
      assertEquals(at, lease.buffer().position());
    }
  }

  @Test
  void bytesGivenUpForGoodStayGivenUpAfterReclaiming() {
    try (ReadBuffers.Lease lease = ReadBuffers.lend(ROOM, false)) {
      ReadBuffers.bodyChunk(read(lease, pattern(ReadBuffers.MIN_VIEW, 1)), ReadBuffers.MIN_VIEW);
    }
    int start = ReadBuffers.lender().start();
    assertTrue(start >= ReadBuffers.MIN_VIEW, "given up: " + start);
    try (ReadBuffers.Lease lease = ReadBuffers.lend(ROOM, true)) {
      ReadBuffers.bodyChunk(read(lease, pattern(100, 2)), 100);
    }
    ReadBuffers.reclaimBorrowed();
    assertEquals(start, ReadBuffers.lender().start());
    try (ReadBuffers.Lease lease = ReadBuffers.lend(ROOM, true)) {
      assertEquals(start, lease.buffer().position(), "lent from past the given-up bytes");
    }
  }

  @Test
  void roomToBorrowEndsWhenTheArrayIsFullOfBorrowedBytes() {
    assertTrue(ReadBuffers.roomToBorrow(ROOM), "nothing borrowed yet");
    byte[] array = null;
    int leases = 0;
    while (ReadBuffers.roomToBorrow(ROOM)) {
      assertTrue(leases++ < 10, "bounded");
      try (ReadBuffers.Lease lease = ReadBuffers.lend(ROOM, true)) {
        if (array == null) {
          array = lease.buffer().array();
        }
        assertSame(array, lease.buffer().array(), "no fresh array while borrowing");
        int n = lease.buffer().remaining() - 1;
        ReadBuffers.bodyChunk(read(lease, pattern(Math.min(n, 20_000), leases)), 1);
      }
    }
    assertTrue(leases >= 3, "the array held " + leases + " leases");
    ReadBuffers.reclaimBorrowed();
    assertTrue(ReadBuffers.roomToBorrow(ROOM), "room again in the next call");
  }

  @Test
  void aNestedLeaseCopiesEvenWhenBorrowing() {
    try (ReadBuffers.Lease outer = ReadBuffers.lend(ROOM, true);
        ReadBuffers.Lease inner = ReadBuffers.lend(ROOM, true)) {
      assertNotEquals(outer.buffer().array(), inner.buffer().array());
      ByteBuffer in = read(inner, pattern(100, 3));
      int at = in.position();
      Bytes chunk = ReadBuffers.bodyChunk(in, 100);
      inner.buffer().array()[at] = 42;
      assertEquals(pattern(100, 3)[0], chunk.byteAt(0), "a copy");
    }
  }

  // ---- through the connection shell ----

  private static EngineConnection rawBodyConnection(FakeTransport t, ConnectOptions options)
      throws Exception {
    ScriptedEngine e = new ScriptedEngine();
    e.rawBodies = true;
    EngineConnection c = new EngineConnection(t, e, Scheme.HTTP, "a", 80, options);
    c.request("GET", "/", Headers.empty(), RequestBody.none());
    return c;
  }

  private static byte[] bodyOf(List<ResponsePart> parts) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (ResponsePart p : parts) {
      body.writeBytes(((ResponsePart.Data) p).bytes().toByteArray());
    }
    return body.toByteArray();
  }

  @Test
  void severalReadsInOneCallNeverOverwriteWhatTheCallLent() throws Exception {
    FakeTransport t = new FakeTransport();
    EngineConnection c = rawBodyConnection(t, BORROW);
    ByteArrayOutputStream sent = new ByteArrayOutputStream();
    for (int i = 0; i < 6; i++) {
      byte[] bytes = pattern(1_000 + i * 7, i); // small: each would be copied without borrowing
      sent.writeBytes(bytes);
      t.peerSends(bytes);
    }
    List<ResponsePart> parts = c.stream();
    assertEquals(6, parts.size(), "six reads in one call");
    assertArrayEquals(sent.toByteArray(), bodyOf(parts));
    for (byte[] array : t.readArrays) {
      assertSame(t.readArrays.get(0), array, "one array, no fresh one");
    }
  }

  @Test
  void aCallEndsItsReadsWhenTheArrayIsFullAndTheNextCallCarriesOn() throws Exception {
    FakeTransport t = new FakeTransport();
    EngineConnection c = rawBodyConnection(t, BORROW);
    byte[] sent = pattern(ReadBuffers.ARRAY_SIZE * 3 + 123, 5);
    for (int at = 0; at < sent.length; at += 10_000) {
      byte[] piece = new byte[Math.min(10_000, sent.length - at)];
      System.arraycopy(sent, at, piece, 0, piece.length);
      t.peerSends(piece);
    }
    ByteArrayOutputStream got = new ByteArrayOutputStream();
    int calls = 0;
    while (got.size() < sent.length) {
      assertTrue(calls++ < 20, "bounded");
      List<ResponsePart> parts = c.stream();
      assertFalse(parts.isEmpty(), "input was waiting");
      byte[] body = bodyOf(parts);
      assertTrue(body.length <= ReadBuffers.ARRAY_SIZE, "one array per call: " + body.length);
      got.writeBytes(body);
    }
    assertTrue(calls >= 4, "the body took " + calls + " calls");
    assertArrayEquals(sent, got.toByteArray());
    for (byte[] array : t.readArrays) {
      assertSame(t.readArrays.get(0), array, "the calls reuse one array");
    }
  }

  @Test
  void passiveReceivingBorrowsToo() throws Exception {
    FakeTransport t = new FakeTransport();
    EngineConnection c = rawBodyConnection(t, BORROW.toBuilder().mode(Mode.PASSIVE).build());
    byte[] first = pattern(3_000, 1);
    byte[] second = pattern(4_000, 2);
    t.peerSends(first).peerSends(second);
    assertArrayEquals(
        concat(first, second), bodyOf(c.recv(Duration.ofSeconds(1))), "both reads, intact");
    byte[] third = pattern(2_000, 3);
    t.duringNextWait(() -> t.peerSends(third));
    assertArrayEquals(third, bodyOf(c.recvOnce(Duration.ofSeconds(1))));
    assertSame(t.readArrays.get(0), t.readArrays.get(t.readArrays.size() - 1));
  }

  @Test
  void anyConnectionsReceivingCallReclaimsTheThreadsBorrowedBytes() throws Exception {
    FakeTransport t1 = new FakeTransport();
    FakeTransport t2 = new FakeTransport();
    EngineConnection borrowing = rawBodyConnection(t1, BORROW);
    EngineConnection keeping = rawBodyConnection(t2, ConnectOptions.defaults());
    int start = ReadBuffers.lender().start();
    t1.peerSends(pattern(2_000, 1));
    assertEquals(1, borrowing.stream().size());
    assertFalse(ReadBuffers.roomToBorrow(ReadBuffers.ARRAY_SIZE), "2,000 bytes borrowed");
    t2.peerSends(pattern(100, 2));
    List<ResponsePart> kept = keeping.stream();
    assertEquals(start, ReadBuffers.lender().start(), "a small chunk is still copied");
    assertSame(t1.readArrays.get(0), t2.readArrays.get(0), "lent from the same place again");
    t1.peerSends(pattern(50, 3));
    borrowing.stream(); // reads over the bytes the other connection read: they were copied
    assertArrayEquals(pattern(100, 2), bodyOf(kept));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
