package dev.mint.spi;

import dev.mint.Bytes;
import dev.mint.HttpException;
import dev.mint.TransportException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * The bytes an engine wants written, in order, with a bound on how many may wait.
 *
 * <p>The queue owns the buffers added to it: a producer hands over a buffer and never touches it
 * again. The bound protects against a caller that streams a body faster than the peer reads it in
 * active mode: adding beyond {@link #limit()} is a caller error with request scope ({@link
 * HttpException.Reason#OUTPUT_QUEUE_FULL}, from {@link #requireRoom}); wait for write readiness and
 * {@link dev.mint.HttpConnection#stream()} to drain it.
 *
 * <p>Bytes the caller already holds in an immutable {@link Bytes} (a fixed request body) are queued
 * with {@link #addHeld} instead: referenced, not copied, and outside the bound, since they take no
 * memory the caller has not spent already and cannot outrun the peer; they go out as the transport
 * accepts them, however large. {@link #size()} counts every byte waiting; {@link #fits} and {@link
 * #requireRoom} count only the bounded ones.
 */
public final class OutputQueue {
  /** The default bound on queued bytes: 64 MiB. */
  public static final long DEFAULT_LIMIT = 64L * 1024 * 1024;

  private static final int MAX_GATHER = 64;

  /** The buffers in order, each with whether its bytes count against the bound. */
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();

  private final ByteBuffer[] single = new ByteBuffer[1];

  /** The remaining bytes of each buffer of the batch being written, before the write. */
  private final int[] remainingBefore = new int[MAX_GATHER];

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

  /** A queue bounded at {@code limit} bytes. */
  public OutputQueue(long limit) {
    this.limit = limit;
  }

  /** The most bytes that may wait. */
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

  /**
   * How many more bytes fit under the bound now (held ones do not count): what an engine may queue
   * before {@link #requireRoom} refuses. Use this rather than {@code limit() - size()}, which held
   * bytes can make negative.
   */
  public long room() {
    return Math.max(0, limit - bounded);
  }

  /**
   * Whether {@code more} bytes fit under the bound, beside the bounded bytes waiting (held ones do
   * not count). Engines check this before changing any state, so that a refused request leaves
   * nothing half-queued.
   */
  public boolean fits(long more) {
    return bounded + more <= limit;
  }

  /**
   * Takes ownership of {@code buffer}'s remaining bytes and queues them.
   *
   * @throws HttpException when the bound would be exceeded
   */
  public void add(ByteBuffer buffer) throws HttpException {
    int n = buffer.remaining();
    if (n == 0) {
      return;
    }
    requireRoom(n);
    entries.addLast(new Entry(buffer, false));
    queued += n;
    bounded += n;
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
   * Queues a copy of {@code buffer}'s remaining bytes, moving its position to its limit. When the
   * bound would be exceeded, throws and leaves {@code buffer} untouched.
   */
  public void addCopy(ByteBuffer buffer) throws HttpException {
    requireRoom(buffer.remaining());
    ByteBuffer copy = ByteBuffer.allocate(buffer.remaining());
    copy.put(buffer).flip();
    add(copy);
  }

  /**
   * Checks that {@code n} more bytes fit under the bound: the one place that reports a full queue,
   * for every engine, so that the error reads the same whoever finds it.
   *
   * @throws HttpException {@link HttpException.Reason#OUTPUT_QUEUE_FULL} (caller, request) when
   *     they do not fit
   */
  public void requireRoom(long n) throws HttpException {
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
  }

  /**
   * Writes as much as {@code transport} accepts now, dropping what was written.
   *
   * @return the number of bytes written
   */
  public long writeTo(Transport transport) throws TransportException {
    long total = 0;
    while (!entries.isEmpty()) {
      ByteBuffer[] batch = nextBatch();
      ByteBuffer last = batch[batch.length - 1];
      long n;
      try {
        n = transport.write(batch);
      } finally {
        single[0] = null; // hold no written buffer between calls
      }
      total += n;
      queued -= n;
      release(batch.length);
      if (last.hasRemaining()) {
        break; // the transport took less than offered: it is full for now
      }
    }
    return total;
  }

  /**
   * After a write of the first {@code count} entries: takes what was written of the bounded ones
   * off {@link #bounded}, exactly (a buffer may have gone out in part), and drops the buffers
   * written in full.
   */
  private void release(int count) {
    Iterator<Entry> it = entries.iterator();
    for (int i = 0; i < count; i++) {
      Entry e = it.next();
      int left = e.buffer.remaining();
      if (!e.held) {
        bounded -= remainingBefore[i] - left;
      }
      if (left > 0) {
        break; // writes go in order: nothing behind a partly written buffer moved
      }
      it.remove();
    }
  }

  /**
   * The first buffers of the queue, at most {@link #MAX_GATHER}, for one gathering write, with
   * their remaining bytes noted in {@link #remainingBefore}. The common case of one buffer reuses
   * an array: this runs on every write of every connection.
   */
  private ByteBuffer[] nextBatch() {
    int n = Math.min(entries.size(), MAX_GATHER);
    ByteBuffer[] batch = n == 1 ? single : new ByteBuffer[n];
    Iterator<Entry> it = entries.iterator();
    for (int i = 0; i < n; i++) {
      batch[i] = it.next().buffer;
      remainingBefore[i] = batch[i].remaining();
    }
    return batch;
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
