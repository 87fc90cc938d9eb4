// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import dev.mint.Bytes;
import dev.mint.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A response whose body is read as it arrives, from {@link MintClient#stream}. The status and
 * header fields are known; {@link #body()} yields the body and blocks while the next piece has not
 * arrived. Close the stream (or read it to its end) when done: closing it early cancels the request
 * when its next bytes arrive.
 *
 * <p>Bound: the pool's thread never waits for the reader. Body bytes received and not yet read are
 * held up to {@link MintClient.Builder#streamBufferBytes(long)}; a reader that falls further behind
 * fails the request with {@link PoolException.Reason#BODY_BUFFER_FULL}, which {@code read} then
 * throws.
 */
public final class StreamedResponse implements AutoCloseable {
  private final int status;
  private final Headers headers;
  private final Body body;

  StreamedResponse(int status, Headers headers, Body body) {
    this.status = status;
    this.headers = headers;
    this.body = body;
  }

  /** The final status code. */
  public int status() {
    return status;
  }

  /** The response header fields (lower-case names). */
  public Headers headers() {
    return headers;
  }

  /**
   * The body. {@code read} throws the request's {@link PoolException} when it fails midway (a
   * timeout, a reset, a reader too slow).
   */
  public InputStream body() {
    return body;
  }

  /**
   * The trailer fields, once the body was read to its end; empty before, or when there were none.
   */
  public Headers trailers() {
    return body.trailers;
  }

  /** Closes the body. */
  @Override
  public void close() {
    body.close();
  }

  /** The body's bytes between the pool's thread, which offers them, and the reader. */
  static final class Body extends InputStream {
    private static final Object END = new Object();

    private final LinkedBlockingQueue<Object> pieces = new LinkedBlockingQueue<>();
    private final AtomicLong buffered = new AtomicLong();
    private final long maxBuffered;
    private volatile Headers trailers = Headers.empty();
    private Bytes current;
    private int position;
    private boolean ended;
    private IOException failure;
    private volatile boolean closed;

    Body(long maxBuffered) {
      this.maxBuffered = maxBuffered;
    }

    /** The pool's thread: a piece arrived. */
    void offer(Bytes bytes) throws PoolException {
      if (closed) {
        // The reader closed the body early: the pool cancels the request.
        throw new PoolException(
            PoolException.Reason.CANCELLED, "the body was closed before its end", true, null);
      }
      if (buffered.addAndGet(bytes.length()) > maxBuffered) {
        throw new PoolException(
            PoolException.Reason.BODY_BUFFER_FULL,
            "the reader of the body fell behind by more than " + maxBuffered + " bytes",
            true,
            null);
      }
      pieces.add(bytes);
    }

    void end(Headers trailerFields) {
      trailers = trailerFields;
      pieces.add(END);
    }

    void fail(PoolException error) {
      pieces.add(error);
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      java.util.Objects.checkFromIndexSize(off, len, b.length);
      if (len == 0) {
        return 0;
      }
      if (!advance()) {
        return -1;
      }
      int n = Math.min(len, current.length() - position);
      current.slice(position, position + n).asReadOnlyBuffer().get(b, off, n);
      position += n;
      return n;
    }

    /** Makes {@code current} a piece with bytes left; false at the end. */
    private boolean advance() throws IOException {
      while (current == null || position == current.length()) {
        if (failure != null) {
          throw failure;
        }
        if (ended || closed) {
          return false;
        }
        Object next;
        try {
          next = pieces.take();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("interrupted while waiting for the body");
        }
        if (next == END) {
          ended = true;
        } else if (next instanceof PoolException e) {
          failure = e;
        } else {
          current = (Bytes) next;
          position = 0;
          buffered.addAndGet(-current.length());
        }
      }
      return true;
    }

    @Override
    public void close() {
      closed = true;
    }

    /**
     * Whether the reader closed the body; asked by the pool's thread only while the response is
     * still arriving, so a close then is an early one, which cancels the request.
     */
    boolean isClosedEarly() {
      return closed;
    }
  }
}
