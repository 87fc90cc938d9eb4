// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import dev.mint.TransportException;
import dev.mint.spi.Transport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An in-memory {@link Transport} playing the proxy at the wire: the test scripts the chunks the
 * proxy sends (each returned by reads as it would arrive from a socket), an end of stream, how many
 * bytes the socket takes, and input held below (as TLS to a proxy holds records). It records every
 * byte written and the room of every read, so tests can tell a block read from a byte-at-a-time
 * one.
 */
final class MemoryTransport implements Transport {
  private static final Object EOF = new Object();

  private final ArrayDeque<Object> inbound = new ArrayDeque<>();
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  final List<Integer> readRooms = new ArrayList<>();
  private long writeBudget = Long.MAX_VALUE;
  private int writeChunk = Integer.MAX_VALUE;
  private boolean open = true;
  private boolean heldInput;
  private boolean closedCleanly = true;
  int flushes;
  int awaits;

  /** The proxy sends {@code bytes}, readable now as one piece. */
  MemoryTransport peerSends(byte[] bytes) {
    inbound.add(ByteBuffer.wrap(bytes.clone()));
    return this;
  }

  MemoryTransport peerSends(String latin1) {
    return peerSends(latin1.getBytes(StandardCharsets.ISO_8859_1));
  }

  /** Each piece arrives as its own read. */
  MemoryTransport peerSends(List<byte[]> pieces) {
    pieces.forEach(this::peerSends);
    return this;
  }

  MemoryTransport peerCloses() {
    inbound.add(EOF);
    return this;
  }

  /** The socket takes {@code bytes} more, then is full for good. */
  MemoryTransport acceptWrites(long bytes) {
    writeBudget = bytes;
    return this;
  }

  /** Each write takes at most {@code bytes}, as a socket with a small send buffer does. */
  MemoryTransport writesAtMost(int bytes) {
    writeChunk = bytes;
    return this;
  }

  /** Whether this transport claims to hold input below (as a TLS layer would). */
  MemoryTransport holdsInput(boolean held) {
    heldInput = held;
    return this;
  }

  /**
   * What this transport answers to {@link #peerClosedCleanly()}: {@code false} plays a TLS layer
   * whose peer ended without {@code close_notify}.
   */
  MemoryTransport closesCleanly(boolean clean) {
    closedCleanly = clean;
    return this;
  }

  byte[] written() {
    return written.toByteArray();
  }

  String writtenText() {
    return written.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public int read(ByteBuffer dst) throws TransportException {
    requireOpen();
    readRooms.add(dst.remaining());
    Object head = inbound.peek();
    if (head == null) {
      return 0;
    }
    if (head == EOF) {
      return -1;
    }
    ByteBuffer chunk = (ByteBuffer) head;
    int n = Math.min(chunk.remaining(), dst.remaining());
    ByteBuffer slice = chunk.slice();
    slice.limit(n);
    dst.put(slice);
    chunk.position(chunk.position() + n);
    if (!chunk.hasRemaining()) {
      inbound.poll();
    }
    return n;
  }

  @Override
  public long write(ByteBuffer[] srcs) throws TransportException {
    requireOpen();
    long total = 0;
    for (ByteBuffer src : srcs) {
      int n = (int) Math.min(Math.min(src.remaining(), writeBudget), writeChunk - total);
      byte[] b = new byte[n];
      src.get(b);
      written.write(b, 0, n);
      writeBudget -= n;
      total += n;
    }
    return total;
  }

  @Override
  public boolean flush() {
    flushes++;
    return true;
  }

  @Override
  public boolean hasBufferedInput() {
    return heldInput && !inbound.isEmpty();
  }

  /** Ready for reading when something is scripted; otherwise waits out the timeout (capped). */
  @Override
  public int awaitReady(int ops, Duration timeout) throws TransportException {
    requireOpen();
    awaits++;
    int ready = 0;
    if ((ops & SelectionKey.OP_READ) != 0 && !inbound.isEmpty()) {
      ready |= SelectionKey.OP_READ;
    }
    if ((ops & SelectionKey.OP_WRITE) != 0 && writeBudget > 0) {
      ready |= SelectionKey.OP_WRITE;
    }
    if (ready == 0) {
      try {
        Thread.sleep(Math.min(timeout.toMillis() + 1, 5_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return ready;
  }

  @Override
  public boolean peerClosedCleanly() {
    return closedCleanly;
  }

  @Override
  public Optional<SelectableChannel> selectableChannel() {
    return Optional.empty();
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    open = false;
  }

  private void requireOpen() throws TransportException {
    if (!open) {
      throw new TransportException(TransportException.Reason.CLOSED, "memory transport closed");
    }
  }
}
