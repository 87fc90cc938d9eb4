// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.HttpException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutputQueueTest {

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static String text(ByteBuffer b) {
    return StandardCharsets.US_ASCII.decode(b).toString();
  }

  /**
   * What the shell does with a queue: takes what the transport accepts now ({@code accept} bytes)
   * and writes it, in gathers of at most 64 buffers.
   */
  private static long writeTo(OutputQueue q, FakeTransport t, long accept) throws Exception {
    t.acceptWrites(accept);
    List<ByteBuffer> taken = new ArrayList<>();
    long n = q.take(accept, taken);
    long written = 0;
    for (int at = 0; at < taken.size(); at += 64) {
      List<ByteBuffer> gather = taken.subList(at, Math.min(taken.size(), at + 64));
      written += t.write(gather.toArray(new ByteBuffer[0]));
    }
    assertEquals(n, written, "the transport took what was taken for it");
    return n;
  }

  @Test
  void boundIsACallerErrorThatLeavesTheQueueUnchanged() throws Exception {
    OutputQueue q = new OutputQueue(10);
    assertEquals(10, q.limit());
    q.add(ascii("123456"));
    assertTrue(q.fits(4));
    assertFalse(q.fits(5));
    HttpException e = assertThrows(HttpException.class, () -> q.add(ascii("abcde")));
    assertEquals(HttpException.Reason.OUTPUT_QUEUE_FULL, e.reason());
    assertEquals(HttpException.Fault.CALLER, e.fault());
    assertEquals(HttpException.Scope.REQUEST, e.scope());
    assertEquals(6, q.size());
    q.add(ascii("7890"));
    assertEquals(10, q.size());
    assertEquals("1234567890", text(q.drain()));
    assertTrue(q.isEmpty());
  }

  @Test
  void emptyBuffersAreIgnored() throws Exception {
    OutputQueue q = new OutputQueue(0);
    q.add(ByteBuffer.allocate(0));
    q.addCopy(ByteBuffer.allocate(0));
    assertTrue(q.isEmpty());
  }

  @Test
  void addCopyTakesACopyAndConsumesTheSource() throws Exception {
    OutputQueue q = new OutputQueue();
    ByteBuffer src = ascii("hello");
    q.addCopy(src);
    assertFalse(src.hasRemaining());
    src.clear().put(ascii("XXXXX"));
    assertEquals("hello", text(q.drain()));
  }

  @Test
  void addCopyOverTheBoundLeavesTheSourceUntouched() throws Exception {
    OutputQueue q = new OutputQueue(4);
    ByteBuffer src = ascii("hello");
    assertThrows(HttpException.class, () -> q.addCopy(src));
    assertEquals(5, src.remaining(), "nothing was taken from the caller's buffer");
    assertTrue(q.isEmpty());
  }

  @Test
  void partialWritesKeepTheRestInOrder() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    OutputQueue q = new OutputQueue();
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      String s = "chunk-" + i + ";";
      expected.append(s);
      q.add(ascii(s));
    }
    FakeTransport t = new FakeTransport();
    long total = expected.length();
    for (int round = 0; round < 10_000 && !q.isEmpty(); round++) {
      int accept = random.nextInt(20); // sometimes 0: the socket is full
      long before = q.size();
      long n = writeTo(q, t, accept);
      assertTrue(n <= accept, "seed " + seed);
      assertEquals(before - n, q.size(), "seed " + seed);
    }
    assertTrue(q.isEmpty(), "seed " + seed);
    assertEquals(expected.toString(), t.written(), "seed " + seed);
    assertEquals(total, t.written().length());
  }

  @Test
  void writesMoreBuffersThanOneGatherInOneCall() throws Exception {
    OutputQueue q = new OutputQueue();
    for (int i = 0; i < 200; i++) {
      q.add(ascii("x"));
    }
    FakeTransport t = new FakeTransport();
    assertEquals(200, writeTo(q, t, Long.MAX_VALUE));
    assertTrue(q.isEmpty());
    assertTrue(t.writeCalls >= 4, "gathers at most 64 buffers per write");
  }

  @Test
  void fullTransportWritesNothing() throws Exception {
    OutputQueue q = new OutputQueue();
    q.add(ascii("abc"));
    FakeTransport t = new FakeTransport();
    assertEquals(0, writeTo(q, t, 0));
    assertEquals(3, q.size());
  }

  @Test
  void clearDropsEverything() throws Exception {
    OutputQueue q = new OutputQueue(8);
    q.add(ascii("12345678"));
    q.clear();
    assertTrue(q.isEmpty());
    assertTrue(q.fits(8));
  }

  // ---- bytes the caller already holds ----

  private static Bytes held(int n, char c) {
    return Bytes.utf8(String.valueOf(c).repeat(n));
  }

  @Test
  void heldBytesGoPastTheBoundWithoutCountingAgainstIt() throws Exception {
    OutputQueue q = new OutputQueue(10);
    q.add(ascii("head;"));
    q.addHeld(held(1000, 'b'));
    assertEquals(1005, q.size(), "size counts every byte waiting");
    assertFalse(q.isEmpty());
    assertTrue(q.fits(5), "only the 5 queued bytes count against the bound");
    assertEquals(5, q.room());
    assertFalse(q.fits(6));
    q.add(ascii("tail!"));
    HttpException e = assertThrows(HttpException.class, () -> q.add(ascii("x")));
    assertEquals(HttpException.Reason.OUTPUT_QUEUE_FULL, e.reason());
    assertTrue(e.getMessage().contains("10 bytes queued"), e.getMessage());
    assertEquals("head;" + "b".repeat(1000) + "tail!", text(q.drain()));
    assertTrue(q.fits(10));
  }

  @Test
  void heldBytesAreReferencedNotCopied() throws Exception {
    OutputQueue q = new OutputQueue(0);
    Bytes body = held(1 << 20, 'z');
    q.addHeld(body);
    q.addHeld(Bytes.empty());
    assertEquals(1 << 20, q.size());
    FakeTransport t = new FakeTransport();
    assertEquals(3, writeTo(q, t, 3));
    assertEquals("zzz", t.written());
    assertEquals((1 << 20) - 3, q.size());
    assertEquals('z', body.byteAt(0), "writing moves the queue's own view, not the value");
  }

  /**
   * Partial writes across bounded and held buffers release exactly the bounded bytes written, so
   * the room a caller sees never drifts from what really waits.
   */
  @Test
  void partialWritesAccountBoundedAndHeldBytesApart() throws Exception {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    OutputQueue q = new OutputQueue(1000);
    StringBuilder expected = new StringBuilder();
    boolean[] isBounded = new boolean[2000];
    for (int i = 0; i < 150; i++) {
      String s = "part-" + i + ";";
      boolean bounded = random.nextBoolean();
      for (int k = 0; k < s.length(); k++) {
        isBounded[expected.length() + k] = bounded;
      }
      expected.append(s);
      if (bounded) {
        q.add(ascii(s));
      } else {
        q.addHeld(Bytes.utf8(s));
      }
    }
    FakeTransport t = new FakeTransport();
    for (int round = 0; round < 10_000; round++) {
      long waiting = 0;
      for (int k = t.written().length(); k < expected.length(); k++) {
        waiting += isBounded[k] ? 1 : 0;
      }
      String where = "seed " + seed + ", round " + round;
      assertTrue(q.fits(1000 - waiting), where);
      assertFalse(q.fits(1001 - waiting), where);
      assertEquals(1000 - waiting, q.room(), where);
      if (q.isEmpty()) {
        break;
      }
      long before = q.size();
      long n = writeTo(q, t, random.nextInt(20));
      assertEquals(before - n, q.size(), where);
    }
    assertTrue(q.isEmpty(), "seed " + seed);
    assertEquals(expected.toString(), t.written(), "seed " + seed);
  }
}
