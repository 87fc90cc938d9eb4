// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Spare record buffers, a few per thread: a {@link TlsTransport} gives a buffer back as soon as it
 * holds nothing (a read that ended on a record boundary, a flushed write, drained plaintext) and
 * takes one again when it needs it, so that an idle connection holds no record buffer while a busy
 * one does not allocate a new buffer for every read or write.
 *
 * <p>Bounded: at most {@link #SPARES} buffers per thread, each at most twice the size asked for
 * when it is taken (so a buffer grown for an unusual session does not stay around for ordinary
 * ones). Confined to the calling thread; a buffer taken on one thread may be given back on another.
 */
final class RecordBuffers {
  /** The most spare buffers a thread keeps: netIn, netOut and appIn of one transport. */
  static final int SPARES = 3;

  private static final ThreadLocal<ArrayDeque<ByteBuffer>> SPARE =
      ThreadLocal.withInitial(() -> new ArrayDeque<>(SPARES));

  private RecordBuffers() {}

  /** A cleared buffer of at least {@code size} bytes: a spare of this thread's, or a new one. */
  static ByteBuffer take(int size) {
    ArrayDeque<ByteBuffer> spares = SPARE.get();
    for (int i = spares.size(); i > 0; i--) {
      ByteBuffer b = spares.pollFirst();
      if (b.capacity() >= size && b.capacity() <= 2 * size) {
        return b.clear();
      }
      spares.addLast(b);
    }
    return ByteBuffer.allocate(size);
  }

  /**
   * Keeps {@code buffer} as a spare, when this thread has room for one; the caller holds no
   * reference to it afterwards.
   */
  static void give(ByteBuffer buffer) {
    ArrayDeque<ByteBuffer> spares = SPARE.get();
    if (buffer.capacity() > 0 && spares.size() < SPARES) {
      spares.addFirst(buffer);
    }
  }
}
