// SPDX-License-Identifier: Apache-2.0
package dev.mint.testing;

import com.twitter.hpack.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sending half of one HTTP/2 connection (RFC 9113 §4, §6): writes whole frames under one lock,
 * so frames of streams answered on several threads never interleave, and keeps the client's
 * flow-control windows (§6.9), on which a DATA writer waits, at most the idle timeout.
 *
 * <p>The HPACK encoder has no dynamic table (size 0), so nothing it sends depends on the client's
 * SETTINGS_HEADER_TABLE_SIZE and every header block stands alone.
 */
final class Http2Writer {
  static final int DATA = 0;
  static final int HEADERS = 1;
  static final int PRIORITY = 2;
  static final int RST_STREAM = 3;
  static final int SETTINGS = 4;
  static final int PUSH_PROMISE = 5;
  static final int PING = 6;
  static final int GOAWAY = 7;
  static final int WINDOW_UPDATE = 8;
  static final int CONTINUATION = 9;

  static final int FLAG_END_STREAM = 0x1;
  static final int FLAG_ACK = 0x1;
  static final int FLAG_END_HEADERS = 0x4;
  static final int FLAG_PADDED = 0x8;
  static final int FLAG_PRIORITY = 0x20;

  /** The initial flow-control window and the largest window (RFC 9113 §6.9.1, §6.9.2). */
  static final int DEFAULT_WINDOW = 65_535;

  static final long MAX_WINDOW = Integer.MAX_VALUE;

  private final OutputStream out;
  private final Duration windowWait;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition windowChanged = lock.newCondition();
  private final Encoder encoder = new Encoder(0);
  private final Map<Integer, long[]> streamWindows = new HashMap<>();
  private long connectionWindow = DEFAULT_WINDOW;
  private long initialStreamWindow = DEFAULT_WINDOW;
  private int maxFrameSize = 16_384;
  private boolean closed;

  Http2Writer(OutputStream out, Duration windowWait) {
    this.out = out;
    this.windowWait = windowWait;
  }

  /** Writes one frame and flushes. */
  void frame(int type, int flags, int stream, byte[] payload) throws IOException {
    lock.lock();
    try {
      write(type, flags, stream, payload, 0, payload.length);
      out.flush();
    } finally {
      lock.unlock();
    }
  }

  /** Encodes {@code fields} (names in lower case) into HEADERS and CONTINUATION frames. */
  void headers(int stream, List<Header> fields, boolean endStream) throws IOException {
    lock.lock();
    try {
      ByteArrayOutputStream block = new ByteArrayOutputStream();
      for (Header field : fields) {
        encoder.encodeHeader(
            block,
            field.name().toLowerCase(Locale.ROOT).getBytes(StandardCharsets.ISO_8859_1),
            field.value().getBytes(StandardCharsets.ISO_8859_1),
            false);
      }
      byte[] bytes = block.toByteArray();
      int at = 0;
      do {
        int n = Math.min(maxFrameSize, bytes.length - at);
        boolean last = at + n == bytes.length;
        int flags = (last ? FLAG_END_HEADERS : 0) | (at == 0 && endStream ? FLAG_END_STREAM : 0);
        write(at == 0 ? HEADERS : CONTINUATION, flags, stream, bytes, at, n);
        at += n;
      } while (at < bytes.length);
      out.flush();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Sends {@code bytes} on {@code stream} in DATA frames as the windows allow.
   *
   * @throws StreamGone when the stream was reset or the connection closed meanwhile
   * @throws IOException when the windows stay closed for the idle timeout
   */
  void data(int stream, byte[] bytes, boolean endStream) throws IOException {
    int at = 0;
    do {
      lock.lock();
      try {
        int n = awaitCredit(stream, bytes.length - at);
        boolean last = at + n == bytes.length;
        write(DATA, last && endStream ? FLAG_END_STREAM : 0, stream, bytes, at, n);
        out.flush();
        at += n;
      } finally {
        lock.unlock();
      }
    } while (at < bytes.length);
  }

  /** RST_STREAM with {@code code} (RFC 9113 §6.4). */
  void resetStream(int stream, int code) throws IOException {
    frame(RST_STREAM, 0, stream, int32(code));
  }

  /** GOAWAY with {@code lastStreamId}, {@code code} and a debug message (RFC 9113 §6.8). */
  void goAway(int lastStreamId, int code, String debug) throws IOException {
    byte[] text = debug.getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[8 + text.length];
    System.arraycopy(int32(lastStreamId), 0, payload, 0, 4);
    System.arraycopy(int32(code), 0, payload, 4, 4);
    System.arraycopy(text, 0, payload, 8, text.length);
    frame(GOAWAY, 0, 0, payload);
  }

  /** A stream the client opened: its send window starts at the client's initial size. */
  void openStream(int stream) {
    lock.lock();
    try {
      streamWindows.put(stream, new long[] {initialStreamWindow});
    } finally {
      lock.unlock();
    }
  }

  /** A stream reset by the client or answered: a writer waiting on it stops. */
  void closeStream(int stream) {
    lock.lock();
    try {
      streamWindows.remove(stream);
      windowChanged.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Applies a WINDOW_UPDATE increment; false when it takes a window past 2^31-1, a flow-control
   * error (RFC 9113 §6.9.1). An update for a stream no longer open is ignored.
   */
  boolean windowUpdate(int stream, int increment) {
    lock.lock();
    try {
      if (stream == 0) {
        connectionWindow += increment;
        windowChanged.signalAll();
        return connectionWindow <= MAX_WINDOW;
      }
      long[] window = streamWindows.get(stream);
      if (window != null) {
        window[0] += increment;
        windowChanged.signalAll();
        return window[0] <= MAX_WINDOW;
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** The client's SETTINGS_INITIAL_WINDOW_SIZE: every open stream's window moves by the change. */
  void initialWindowSize(long size) {
    lock.lock();
    try {
      long delta = size - initialStreamWindow;
      initialStreamWindow = size;
      for (long[] window : streamWindows.values()) {
        window[0] += delta;
      }
      windowChanged.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** The client's SETTINGS_MAX_FRAME_SIZE: the largest frame payload this writer sends. */
  void maxFrameSize(int size) {
    lock.lock();
    try {
      maxFrameSize = size;
    } finally {
      lock.unlock();
    }
  }

  /** The connection is gone: every waiting writer stops. */
  void close() {
    lock.lock();
    try {
      closed = true;
      windowChanged.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits (holding the lock between waits) until {@code stream} may send; how many bytes. */
  private int awaitCredit(int stream, int wanted) throws IOException {
    long deadline = System.nanoTime() + windowWait.toNanos();
    while (true) {
      long[] window = streamWindows.get(stream);
      if (closed || window == null) {
        throw new StreamGone();
      }
      if (wanted == 0) {
        return 0;
      }
      long credit = Math.min(Math.min(wanted, maxFrameSize), Math.min(connectionWindow, window[0]));
      if (credit > 0) {
        connectionWindow -= credit;
        window[0] -= credit;
        return (int) credit;
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw new IOException(
            "the client's flow-control window stayed closed for " + windowWait.toMillis() + " ms");
      }
      try {
        windowChanged.awaitNanos(left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("server closing");
      }
    }
  }

  private void write(int type, int flags, int stream, byte[] payload, int from, int length)
      throws IOException {
    byte[] head = {
      (byte) (length >>> 16),
      (byte) (length >>> 8),
      (byte) length,
      (byte) type,
      (byte) flags,
      (byte) (stream >>> 24),
      (byte) (stream >>> 16),
      (byte) (stream >>> 8),
      (byte) stream
    };
    out.write(head);
    out.write(payload, from, length);
  }

  static byte[] int32(int value) {
    return new byte[] {
      (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
    };
  }

  /** The stream was reset by the client, or the connection closed, while a response was sent. */
  static final class StreamGone extends IOException {
    private static final long serialVersionUID = 1L;

    StreamGone() {
      super("stream closed");
    }
  }
}
