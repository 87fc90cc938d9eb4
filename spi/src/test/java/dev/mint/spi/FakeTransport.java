// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import dev.mint.TransportException;
import java.io.ByteArrayOutputStream;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An in-memory {@link Transport}: the test scripts what the peer sends (chunks, end of stream, a
 * failure), how many bytes the "socket" accepts, and what arrives while the connection waits in
 * {@link #awaitReady}. Everything written is kept in {@link #written}.
 */
final class FakeTransport implements Transport {
  private static final Object EOF = new Object();
  private static final Logger LOG = LoggerFactory.getLogger(FakeTransport.class);

  private final ArrayDeque<Object> inbound = new ArrayDeque<>();
  private final ArrayDeque<Runnable> onWait = new ArrayDeque<>();
  private final ByteArrayOutputStream written = new ByteArrayOutputStream();
  private final Optional<Transport> inner;
  private String negotiated;
  private SocketAddress local;
  private SocketAddress peer;
  private long writeBudget = Long.MAX_VALUE;
  private boolean bufferedInput;
  private boolean cleanEnd = true;
  private boolean open = true;
  private boolean reportsDrained;
  private boolean drained;

  /** The arrays of the buffers read into that were backed by one, in order. */
  final List<byte[]> readArrays = new ArrayList<>();

  int closeCount;
  int awaitCalls;
  int writeCalls;
  int readCalls;

  FakeTransport() {
    this(Optional.empty());
  }

  FakeTransport(Optional<Transport> inner) {
    this.inner = inner;
  }

  // ---- scripting ----

  /** The peer sends {@code text}, readable now. */
  FakeTransport peerSends(String text) {
    inbound.add(ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)));
    return this;
  }

  /** The peer sends {@code bytes}, readable now. */
  FakeTransport peerSends(byte[] bytes) {
    inbound.add(ByteBuffer.wrap(bytes));
    return this;
  }

  /** The peer closes its side after what it sent so far. */
  FakeTransport peerCloses() {
    inbound.add(EOF);
    return this;
  }

  /**
   * The peer's end, once reached, is reported as not clean (TLS without close_notify, RFC 9112
   * §9.8).
   */
  FakeTransport endsUncleanly() {
    cleanEnd = false;
    return this;
  }

  /** The next read after what was sent so far fails with {@code e}. */
  FakeTransport readFails(TransportException e) {
    inbound.add(e);
    return this;
  }

  /** Runs {@code event} (the peer sending, the socket draining) during the next wait. */
  FakeTransport duringNextWait(Runnable event) {
    onWait.add(event);
    return this;
  }

  /** The socket accepts {@code bytes} more bytes, then is full. */
  FakeTransport acceptWrites(long bytes) {
    writeBudget = bytes;
    return this;
  }

  FakeTransport negotiated(String alpnId) {
    this.negotiated = alpnId;
    return this;
  }

  FakeTransport addresses(SocketAddress local, SocketAddress peer) {
    this.local = local;
    this.peer = peer;
    return this;
  }

  /**
   * {@link #lastReadDrained()} answers as a socket would: true when a read left nothing queued but
   * an end of stream or a failure (which the socket reports as readiness). Off, it answers the
   * default, false.
   */
  FakeTransport reportsDrainedReads() {
    this.reportsDrained = true;
    return this;
  }

  FakeTransport bufferedInput(boolean b) {
    this.bufferedInput = b;
    return this;
  }

  /** Everything written so far, as UTF-8. */
  String written() {
    return written.toString(StandardCharsets.UTF_8);
  }

  Optional<Transport> inner() {
    return inner;
  }

  // ---- Transport ----

  @Override
  public boolean peerClosedCleanly() {
    return cleanEnd;
  }

  @Override
  public int read(ByteBuffer dst) throws TransportException {
    requireOpen();
    readCalls++;
    int n = readNext(dst);
    drained = reportsDrained && !(inbound.peek() instanceof ByteBuffer);
    return n;
  }

  @Override
  public boolean lastReadDrained() {
    return drained;
  }

  private int readNext(ByteBuffer dst) throws TransportException {
    Object head = inbound.peek();
    if (head == null) {
      return 0;
    }
    if (head == EOF) {
      return -1;
    }
    if (head instanceof TransportException e) {
      inbound.poll();
      close();
      throw e;
    }
    if (dst.hasArray()) {
      readArrays.add(dst.array());
    }
    ByteBuffer chunk = (ByteBuffer) head;
    LOG.debug("fake read of up to {} bytes", chunk.remaining());
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
    writeCalls++;
    long total = 0;
    for (ByteBuffer src : srcs) {
      int n = (int) Math.min(src.remaining(), writeBudget);
      for (int i = 0; i < n; i++) {
        written.write(src.get());
      }
      writeBudget -= n;
      total += n;
      if (src.hasRemaining()) {
        break;
      }
    }
    return total;
  }

  @Override
  public boolean hasBufferedInput() {
    return bufferedInput;
  }

  /** Runs the next scripted event, then reports readiness; without one, sleeps out the timeout. */
  @Override
  public int awaitReady(int ops, Duration timeout) throws TransportException {
    requireOpen();
    awaitCalls++;
    Runnable event = onWait.poll();
    if (event != null) {
      event.run();
    }
    int ready = ready(ops);
    if (ready == 0) {
      try {
        Thread.sleep(Math.min(timeout.toMillis(), 2_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return ready;
  }

  private int ready(int ops) {
    int ready = 0;
    if ((ops & SelectionKey.OP_READ) != 0 && !inbound.isEmpty()) {
      ready |= SelectionKey.OP_READ;
    }
    if ((ops & SelectionKey.OP_WRITE) != 0 && writeBudget > 0) {
      ready |= SelectionKey.OP_WRITE;
    }
    return ready;
  }

  @Override
  public Optional<SelectableChannel> selectableChannel() {
    return Optional.empty();
  }

  @Override
  public Optional<SocketAddress> localAddress() {
    return Optional.ofNullable(local);
  }

  @Override
  public Optional<SocketAddress> peerAddress() {
    return Optional.ofNullable(peer);
  }

  @Override
  public Optional<String> negotiatedProtocol() {
    return Optional.ofNullable(negotiated);
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public void close() {
    closeCount++;
    open = false;
  }

  private void requireOpen() throws TransportException {
    if (!open) {
      throw new TransportException(TransportException.Reason.CLOSED, "fake transport closed");
    }
  }
}
