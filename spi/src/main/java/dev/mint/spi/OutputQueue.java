// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import dev.mint.Bytes;
import dev.mint.HttpException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.List;

/**
 * Bytes an engine has encoded and will hand to the shell through {@link ProtocolEngine#takeOutput},
 * in order, with one bound on what the engine copied.
 *
 * <p>The queue owns the buffers added to it: a producer hands over a buffer and never touches it
 * again, and {@link #take} hands it on to the shell the same way. The bound protects against a
 * caller that streams a body faster than the peer reads it in active mode: {@link #add} refuses
 * bytes beyond it with {@link HttpException.Reason#OUTPUT_QUEUE_FULL} (caller, request scope); wait
 * for write readiness and {@link dev.mint.HttpConnection#stream()} to drain it.
 *
 * <p>Bytes the caller already holds in an immutable {@link Bytes} (a fixed request body) are queued
 * with {@link #addHeld}: referenced, not copied, and outside the bound, since they take no memory
 * the caller has not spent already. {@link #size()} counts every byte waiting; {@link #room()} and
 * {@link #fits} count only the copied ones.
 */
public final class OutputQueue {
  /** The default bound on copied bytes waiting: 64 MiB. */
  public static final long DEFAULT_LIMIT = 64L * 1024 * 1024;

  /** The buffers in order, each with whether its bytes count against the bound. */
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();

  private final long limit;

  /** Every byte waiting. */
  private long queued;

  /** The bytes waiting that count against {@link #limit}: all but the held ones. */
  private long bounded;

  /** One queued buffer; {@code held} when it came from {@link #addHeld}. */
  private record Entry(ByteBuffer buffer, boolean held) {}

  /** A queue bounded at {@link #DEFAULT_LIMIT}. */
  public OutputQueue() {
    this(DEFAULT_LIMIT);
  }

  /** A queue bounded at {@code limit} copied bytes. */
  public OutputQueue(long limit) {
    this.limit = limit;
  }

  /** The most copied bytes that may wait. */
  public long limit() {
    return limit;
  }

  /** The bytes waiting, held ones ({@link #addHeld}) included. */
  public long size() {
    return queued;
  }

  /** Whether nothing waits. */
  public boolean isEmpty() {
    return queued == 0;
  }

  /** How many more copied bytes fit under the bound now (held ones do not count). */
  public long room() {
    return Math.max(0, limit - bounded);
  }

  /** Whether {@code more} copied bytes fit under the bound now (held ones do not count). */
  public boolean fits(long more) {
    return bounded + more <= limit;
  }

  /**
   * Takes ownership of {@code buffer}'s remaining bytes and queues them: the one check of the
   * bound, for every engine, so that a full queue reads the same whoever finds it. An engine adds
   * at most one bounded buffer per call of its caller, after every other check, so a refusal leaves
   * nothing half-queued.
   *
   * @throws HttpException {@link HttpException.Reason#OUTPUT_QUEUE_FULL} (caller, request) when the
   *     bytes do not fit; nothing was queued
   */
  public void add(ByteBuffer buffer) throws HttpException {
    int n = buffer.remaining();
    if (n == 0) {
      return;
    }
    if (!fits(n)) {
      throw HttpException.caller(
          HttpException.Reason.OUTPUT_QUEUE_FULL,
          "output queue full: "
              + bounded
              + " bytes queued, "
              + n
              + " more would pass the limit of "
              + limit
              + "; wait for write readiness and call stream() to drain it");
    }
    entries.addLast(new Entry(buffer, false));
    queued += n;
    bounded += n;
  }

  /**
   * Queues a copy of {@code buffer}'s remaining bytes, moving its position to its limit. When the
   * bound would be exceeded, throws as {@link #add} does and leaves {@code buffer} untouched.
   */
  public void addCopy(ByteBuffer buffer) throws HttpException {
    if (!fits(buffer.remaining())) {
      add(buffer); // throws the one error
    }
    ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
    add(copy.put(buffer).flip());
  }

  /**
   * Queues {@code bytes}, which the caller already holds, by reference and outside the bound: a
   * fixed body goes out as the transport takes it, however large, without a copy. Safe because
   * {@link Bytes} never changes; the queue reads it through a read-only view of its own.
   */
  public void addHeld(Bytes bytes) {
    int n = bytes.length();
    if (n == 0) {
      return;
    }
    entries.addLast(new Entry(bytes.asReadOnlyBuffer(), true));
    queued += n;
  }

  /**
   * Moves up to {@code max} bytes, in order, into {@code out}: whole buffers, and the front part of
   * the buffer that crosses {@code max} (the rest stays first in the queue). See {@link
   * ProtocolEngine#takeOutput}.
   *
   * @return the bytes moved
   */
  public long take(long max, List<ByteBuffer> out) {
    long taken = 0;
    while (taken < max && !entries.isEmpty()) {
      Entry e = entries.peekFirst();
      ByteBuffer head = e.buffer;
      int n = head.remaining();
      if (n <= max - taken) {
        entries.pollFirst();
        out.add(head);
        release(e, n);
        taken += n;
      } else {
        int part = (int) (max - taken);
        ByteBuffer front = head.slice();
        front.limit(part);
        head.position(head.position() + part);
        out.add(front);
        release(e, part);
        taken += part;
      }
    }
    return taken;
  }

  private void release(Entry e, int n) {
    queued -= n;
    if (!e.held) {
      bounded -= n;
    }
  }

  /** Drops everything queued (the connection is closing). */
  public void clear() {
    entries.clear();
    queued = 0;
    bounded = 0;
  }

  /** Removes and returns everything queued as one buffer; for tests and diagnostics. */
  public ByteBuffer drain() {
    ByteBuffer all = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE, queued));
    for (Entry e : entries) {
      all.put(e.buffer);
    }
    clear();
    return all.flip();
  }
}
