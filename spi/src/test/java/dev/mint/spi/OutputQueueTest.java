package dev.mint.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.HttpException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class OutputQueueTest {

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(s.getBytes(StandardCharsets.US_ASCII));
  }

  private static String text(ByteBuffer b) {
    return StandardCharsets.US_ASCII.decode(b).toString();
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
      t.acceptWrites(accept);
      long before = q.size();
      long n = q.writeTo(t);
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
    assertEquals(200, q.writeTo(t));
    assertTrue(q.isEmpty());
    assertTrue(t.writeCalls >= 4, "gathers at most 64 buffers per write");
  }

  @Test
  void fullTransportWritesNothing() throws Exception {
    OutputQueue q = new OutputQueue();
    q.add(ascii("abc"));
    FakeTransport t = new FakeTransport().acceptWrites(0);
    assertEquals(0, q.writeTo(t));
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
}
