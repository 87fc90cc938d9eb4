package dev.mint.spi;

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
 */
public final class OutputQueue {
  /** The default bound on queued bytes: 64 MiB. */
  public static final long DEFAULT_LIMIT = 64L * 1024 * 1024;

  private static final int MAX_GATHER = 64;

  private final ArrayDeque<ByteBuffer> buffers = new ArrayDeque<>();
  private final ByteBuffer[] single = new ByteBuffer[1];
  private final long limit;
  private long queued;

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

  /** The bytes waiting. */
  public long size() {
    return queued;
  }

  /** Whether nothing waits. */
  public boolean isEmpty() {
    return queued == 0;
  }

  /**
   * Whether {@code more} bytes fit under the bound. Engines check this before changing any state,
   * so that a refused request leaves nothing half-queued.
   */
  public boolean fits(long more) {
    return queued + more <= limit;
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
    buffers.addLast(buffer);
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
              + queued
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
    while (!buffers.isEmpty()) {
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
      while (!buffers.isEmpty() && !buffers.peekFirst().hasRemaining()) {
        buffers.pollFirst();
      }
      if (last.hasRemaining()) {
        break; // the transport took less than offered: it is full for now
      }
    }
    return total;
  }

  /**
   * The first buffers of the queue, at most {@link #MAX_GATHER}, for one gathering write. The
   * common case of one buffer reuses an array: this runs on every write of every connection.
   */
  private ByteBuffer[] nextBatch() {
    int n = Math.min(buffers.size(), MAX_GATHER);
    if (n == 1) {
      single[0] = buffers.peekFirst();
      return single;
    }
    ByteBuffer[] batch = new ByteBuffer[n];
    Iterator<ByteBuffer> it = buffers.iterator();
    for (int i = 0; i < n; i++) {
      batch[i] = it.next();
    }
    return batch;
  }

  /** Drops everything queued (the connection is closing). */
  public void clear() {
    buffers.clear();
    queued = 0;
  }

  /** Removes and returns everything queued as one buffer; for tests and diagnostics. */
  public ByteBuffer drain() {
    ByteBuffer all = ByteBuffer.allocate((int) Math.min(Integer.MAX_VALUE, queued));
    for (ByteBuffer b : buffers) {
      all.put(b);
    }
    clear();
    return all.flip();
  }
}
