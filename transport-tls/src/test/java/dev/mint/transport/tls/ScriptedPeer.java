// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import dev.mint.ConnectOptions;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import dev.mint.TransportException;
import dev.mint.TransportException.Reason;
import dev.mint.spi.Deadline;
import dev.mint.spi.Transport;
import dev.mint.spi.TransportContext;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * An in-memory inner transport whose far end is a server-mode {@link SSLEngine} run by the test
 * thread: no socket and no thread, so every byte boundary and every wait is scripted. The client's
 * {@link TlsTransport} reads and writes through it like through a socket; {@link #awaitReady} runs
 * the server ({@link #pump}) so that the client's blocking handshake completes on one thread.
 *
 * <p>Knobs: how many bytes each client read gets ({@link #readChunks}), how many bytes the client
 * may write between two waits ({@link #writeBudget}), a server that never runs ({@link #mute}), an
 * end of stream or a failure once the bytes for the client are drained, raw bytes injected after
 * the server's records, whether it reports what it holds as buffered input (like a tunnel or an
 * inner TLS transport would), and whether it says when a read took all it held (like a socket).
 */
final class ScriptedPeer implements Transport {
  private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);

  private final SSLEngine server;
  private ByteBuffer fromClient = ByteBuffer.allocate(1 << 16); // write mode
  private ByteBuffer toClient = ByteBuffer.allocate(1 << 16); // write mode
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private final ArrayDeque<ByteBuffer> toSend = new ArrayDeque<>();
  private IntSupplier readChunks = () -> Integer.MAX_VALUE;
  private int writeBudget = -1; // unlimited
  private int budgetLeft = -1;
  private boolean mute;
  private boolean endAfterDrain;
  private long endAfter = Long.MAX_VALUE;
  private long delivered;
  private TransportException failAfterDrain;
  private boolean reportsBufferedInput;
  private boolean reportsDrainedReads;
  private boolean drained;
  private int readCalls;
  private boolean closed;
  private int awaitCalls;
  private final List<Duration> waits = new ArrayList<>();

  ScriptedPeer(String keyStore, String... protocols) throws Exception {
    server = TestCerts.serverContext(keyStore).createSSLEngine();
    server.setUseClientMode(false);
    SSLParameters p = server.getSSLParameters();
    p.setProtocols(protocols.length == 0 ? new String[] {"TLSv1.3", "TLSv1.2"} : protocols);
    server.setSSLParameters(p);
  }

  /** Opens a client TLS transport over this peer, trusting the test CA, within {@code timeout}. */
  TlsTransport connect(Duration timeout) throws Exception {
    return connect(TestIo.trustingTestCa(), timeout);
  }

  TlsTransport connect(TlsOptions tls, Duration timeout) throws Exception {
    TransportContext context =
        new TransportContext(
            Scheme.HTTPS,
            "127.0.0.1",
            443,
            "localhost",
            ConnectOptions.builder().tls(tls).connectTimeout(timeout).build(),
            Deadline.after(timeout),
            Optional.of(this),
            TestIo.H2_AND_H1);
    TlsTransport t = (TlsTransport) TestIo.PROVIDER.open(context);
    pump(); // the server takes the client's last flight: both ends are done handshaking
    return t;
  }

  // ---- knobs ----

  /** Each client read gets at most the next value of {@code chunks} bytes. */
  ScriptedPeer readChunks(IntSupplier chunks) {
    this.readChunks = chunks;
    return this;
  }

  /** The client may write at most {@code bytes} between two waits; negative is unlimited. */
  ScriptedPeer writeBudget(int bytes) {
    this.writeBudget = bytes;
    this.budgetLeft = bytes;
    return this;
  }

  /** Whether the server runs at all when the client waits. */
  ScriptedPeer mute(boolean silent) {
    this.mute = silent;
    return this;
  }

  /** Reports the bytes held for the client as {@link #hasBufferedInput()}, like a tunnel. */
  ScriptedPeer reportsBufferedInput() {
    this.reportsBufferedInput = true;
    return this;
  }

  /**
   * Answers {@link #lastReadDrained()} as a socket does: true when a read left nothing held for the
   * client.
   */
  ScriptedPeer reportsDrainedReads() {
    this.reportsDrainedReads = true;
    return this;
  }

  /** The client's reads so far. */
  int readCalls() {
    return readCalls;
  }

  /** Once the bytes for the client are drained, reads return -1 (a TCP FIN). */
  ScriptedPeer endAfterDrain() {
    this.endAfterDrain = true;
    return this;
  }

  /** The client gets only the first {@code bytes} the server sends, then -1 (a TCP FIN). */
  ScriptedPeer endAfter(long bytes) {
    this.endAfter = bytes;
    return this;
  }

  /** The client gets only {@code bytes} more of what the server sends, then -1 (a TCP FIN). */
  ScriptedPeer endAfterMore(long bytes) {
    return endAfter(delivered + bytes);
  }

  /** Once the bytes for the client are drained, reads throw {@code e} (a TCP reset). */
  ScriptedPeer failAfterDrain(TransportException e) {
    this.failAfterDrain = e;
    return this;
  }

  // ---- the server ----

  SSLEngine server() {
    return server;
  }

  /** Queues application data for the server to send; {@link #pump} wraps it. */
  ScriptedPeer send(byte[] data) {
    toSend.add(ByteBuffer.wrap(data));
    return this;
  }

  /** Appends raw bytes for the client after everything the server wrapped so far. */
  ScriptedPeer inject(byte[] raw) {
    toClient = append(toClient, ByteBuffer.wrap(raw));
    return this;
  }

  /** The plaintext the server has received. */
  byte[] received() {
    return received.toByteArray();
  }

  /** Ciphertext bytes the client wrote that the server has not unwrapped yet. */
  int unreadByServer() {
    return fromClient.position();
  }

  /** Ciphertext bytes waiting for the client to read. */
  int heldForClient() {
    return toClient.position();
  }

  int awaitCalls() {
    return awaitCalls;
  }

  List<Duration> waits() {
    return waits;
  }

  boolean isClosed() {
    return closed;
  }

  /**
   * Runs the server until it makes no more progress: runs its tasks, unwraps what the client sent
   * and wraps its answers and queued data.
   */
  void pump() throws SSLException {
    for (int i = 0; i < 10_000; i++) {
      boolean progress = false;
      for (Runnable task = server.getDelegatedTask(); task != null; ) {
        task.run();
        task = server.getDelegatedTask();
        progress = true;
      }
      if (!server.isInboundDone() && fromClient.position() > 0) {
        ByteBuffer app = ByteBuffer.allocate(server.getSession().getApplicationBufferSize());
        fromClient.flip();
        SSLEngineResult r;
        try {
          r = server.unwrap(fromClient, app);
        } finally {
          fromClient.compact();
        }
        received.write(app.array(), 0, app.position());
        progress |= r.bytesConsumed() > 0;
      }
      ByteBuffer src = toSend.isEmpty() ? NOTHING : toSend.peek();
      HandshakeStatus hs = server.getHandshakeStatus();
      if (!server.isOutboundDone() && (hs == HandshakeStatus.NEED_WRAP || src.hasRemaining())) {
        ByteBuffer out = ByteBuffer.allocate(server.getSession().getPacketBufferSize());
        SSLEngineResult r = server.wrap(src, out);
        if (src != NOTHING && !src.hasRemaining()) {
          toSend.poll();
        }
        out.flip();
        toClient = append(toClient, out);
        progress |= r.bytesConsumed() > 0 || r.bytesProduced() > 0;
      }
      if (!progress) {
        return;
      }
    }
    throw new AssertionError("the server kept running");
  }

  // ---- Transport, as the client sees it ----

  @Override
  public int read(ByteBuffer dst) throws TransportException {
    ensureOpen();
    readCalls++;
    int n = readNext(dst);
    drained = reportsDrainedReads && toClient.position() == 0;
    return n;
  }

  @Override
  public boolean lastReadDrained() {
    return drained;
  }

  private int readNext(ByteBuffer dst) throws TransportException {
    toClient.flip();
    if (delivered >= endAfter && dst.hasRemaining()) {
      toClient.compact();
      return -1; // the connection ended here: what the server sent later never arrives
    }
    int n = Math.min(Math.min(toClient.remaining(), dst.remaining()), readChunks.getAsInt());
    n = (int) Math.min(n, endAfter - delivered);
    delivered += n;
    int limit = toClient.limit();
    toClient.limit(toClient.position() + n);
    dst.put(toClient);
    toClient.limit(limit);
    toClient.compact();
    if (n == 0 && toClient.position() == 0 && dst.hasRemaining()) {
      if (failAfterDrain != null) {
        closed = true;
        throw failAfterDrain;
      }
      if (endAfterDrain) {
        return -1;
      }
    }
    return n;
  }

  @Override
  public long write(ByteBuffer[] srcs) throws TransportException {
    ensureOpen();
    long total = 0;
    for (ByteBuffer src : srcs) {
      int n = writeBudget < 0 ? src.remaining() : Math.min(src.remaining(), budgetLeft);
      ByteBuffer part = src.slice().limit(n);
      fromClient = append(fromClient, part);
      src.position(src.position() + n);
      total += n;
      if (writeBudget >= 0) {
        budgetLeft -= n;
      }
      if (src.hasRemaining()) {
        break;
      }
    }
    return total;
  }

  @Override
  public int awaitReady(int ops, Duration timeout) throws TransportException {
    ensureOpen();
    awaitCalls++;
    waits.add(timeout);
    budgetLeft = writeBudget;
    if (!mute) {
      try {
        pump();
      } catch (SSLException e) {
        throw new AssertionError("the server failed", e);
      }
    }
    int ready = 0;
    if ((ops & SelectionKey.OP_READ) != 0
        && (toClient.position() > 0 || endAfterDrain || failAfterDrain != null)) {
      ready |= SelectionKey.OP_READ;
    }
    if ((ops & SelectionKey.OP_WRITE) != 0) {
      ready |= SelectionKey.OP_WRITE;
    }
    if (ready == 0) {
      try {
        // a socket nobody writes to; like a selector, a timeout under 1 ms still waits 1 ms
        long nanos = Math.min(timeout.toNanos(), 2_000_000_000L);
        Thread.sleep(nanos == 0 ? 0 : Math.max(1, (nanos + 999_999) / 1_000_000));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return ready;
  }

  @Override
  public boolean hasBufferedInput() {
    return reportsBufferedInput && !closed && toClient.position() > 0;
  }

  @Override
  public Optional<SelectableChannel> selectableChannel() {
    return Optional.empty();
  }

  @Override
  public boolean isOpen() {
    return !closed;
  }

  @Override
  public void close() {
    closed = true;
  }

  private void ensureOpen() throws TransportException {
    if (closed) {
      throw new TransportException(Reason.CLOSED, "scripted peer closed");
    }
  }

  private static ByteBuffer append(ByteBuffer target, ByteBuffer src) {
    if (target.remaining() < src.remaining()) {
      ByteBuffer bigger =
          ByteBuffer.allocate(Math.max(target.capacity() * 2, target.position() + src.remaining()));
      target.flip();
      bigger.put(target);
      target = bigger;
    }
    target.put(src);
    return target;
  }
}
