// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import dev.mint.TransportException;
import dev.mint.TransportException.Reason;
import dev.mint.spi.Deadline;
import dev.mint.spi.Transport;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * TLS over another {@link Transport}, through an {@link SSLEngine} in client mode.
 *
 * <p><b>Theory of operation.</b> Three buffers sit between the caller and the inner transport:
 *
 * <pre>
 *   caller  &lt;-- appIn (plaintext, read mode) &lt;-- unwrap &lt;-- netIn (ciphertext, write mode) &lt;-- inner
 *   caller  --&gt; wrap --&gt; netOut (ciphertext, write mode) --&gt; inner
 * </pre>
 *
 * <ul>
 *   <li>{@link #handshake} blocks (the only blocking step) on the inner transport's {@link
 *       Transport#awaitReady} until the handshake is done or the connect deadline passes.
 *   <li>{@link #read} first returns plaintext left in {@code appIn}, then unwraps records already
 *       in {@code netIn}, and reads from the inner transport only when no whole record is held, and
 *       not again after an inner read that took all there was ({@link Transport#lastReadDrained()}:
 *       the next would return 0; {@link #lastReadDrained()} passes that on when nothing is left
 *       held here). It unwraps straight into the caller's buffer; only when that cannot hold the
 *       next record's plaintext and nothing was returned yet does it unwrap into {@code appIn}
 *       (otherwise the record waits whole in {@code netIn} for the next call). It stops when the
 *       caller's buffer is full or the inner transport has nothing more; {@link
 *       #hasBufferedInput()} then says whether anything is left that needs no socket readiness to
 *       be returned (plaintext, a whole record, an end of stream or a failure not yet reported, or
 *       input the inner transport itself holds, as a tunnel or an inner TLS transport does). Before
 *       returning it hands the inner transport what the engine wrapped meanwhile, so a caller that
 *       only reads never leaves an answer the peer waits for (a TLS 1.2 renegotiation's
 *       ClientHello, RFC 5246 §7.4.1.1) unsent.
 *   <li>{@link #write} wraps record by record and hands the ciphertext to the inner transport; what
 *       the inner transport does not take stays in {@code netOut} ({@link #hasPendingOutput()}),
 *       and no more plaintext is taken until {@link #flush()} or a later write empties it. The
 *       count returned is plaintext consumed, whether its ciphertext left already or is held.
 *   <li>Post-handshake messages (TLS 1.3 NewSessionTicket and KeyUpdate, RFC 8446 §4.6) are handled
 *       by the engine inside unwrap; when it asks to wrap an answer (a KeyUpdate with {@code
 *       update_requested}, RFC 8446 §4.6.3), the answer is queued in {@code netOut} and written
 *       within the same {@link #read}, {@link #write} or {@link #flush()} as far as the inner
 *       transport takes it; the rest is {@link #hasPendingOutput()}.
 *   <li>A peer's {@code close_notify} (RFC 8446 §6.1) ends the input: {@link #read} returns -1. An
 *       end of stream without one also returns -1 and is logged at debug; {@link
 *       #peerClosedCleanly()} tells the two apart, so that HTTP/1.1 can refuse a body delimited by
 *       the close that may have been truncated (RFC 9112 §9.8). {@link #close()} first writes the
 *       ciphertext still held, then {@code close_notify} (the engine wraps only into a whole packet
 *       of room), without waiting, then closes the inner transport.
 *   <li>A failure met by a {@link #read} that already produced plaintext closes the transport but
 *       is reported by the next call: the plaintext decrypted before it (a response followed by a
 *       bad record or a reset) reaches the caller first, and {@link #hasBufferedInput()} stays true
 *       until the failure is reported.
 * </ul>
 *
 * <p><b>Memory.</b> {@code netIn} and {@code netOut} are sized from the session's packet buffer
 * size (16,709 bytes with the JDK's defaults) and grow only when the session's size grows, so a
 * peer cannot make them grow without bound. {@code appIn} is needed only while the handshake runs
 * or when a caller reads into a buffer smaller than a record ({@link #minReadRoom()}). Each is held
 * only while it holds bytes: at the end of every call, {@code netIn} is given back unless it holds
 * a partial record, {@code netOut} once flushed, {@code appIn} once drained, to a small per-thread
 * cache of spares ({@link RecordBuffers}) that the next call takes from. An idle connection
 * therefore holds no record buffer, only the engine's own state; a busy one up to about 49 KiB.
 *
 * <p>Not thread-safe: used by the connection's one thread at a time, like every transport. Every
 * failure closes the transport and is a {@link TransportException}: {@link
 * Reason#TLS_HANDSHAKE_FAILED}, {@link Reason#UNTRUSTED_CERTIFICATE}, {@link
 * Reason#EXPIRED_CERTIFICATE}, {@link Reason#HOSTNAME_MISMATCH}, {@link Reason#CONNECT_TIMEOUT}
 * from the handshake; {@link Reason#IO_ERROR} for a TLS error afterwards (a bad record, a fatal
 * alert); {@link Reason#CLOSED} when used after {@link #close()}; and whatever the inner transport
 * reports.
 */
final class TlsTransport implements Transport {
  private static final Logger LOG = LoggerFactory.getLogger(TlsTransport.class);

  /** The TLS record header: type, version, 16-bit length (RFC 8446 §5.1). */
  private static final int RECORD_HEADER = 5;

  /** Bounds the engine's wrap-on-demand steps per call; each makes progress or stops. */
  private static final int MAX_ENGINE_STEPS = 64;

  /**
   * Bounds the records one {@link #read} unwraps, so one call cannot run long when the peer keeps
   * the socket full; what is left is reported by {@link #hasBufferedInput()}.
   */
  private static final int MAX_READ_ROUNDS = 1024;

  private final ByteBuffer empty = ByteBuffer.allocate(0);

  private final Transport inner;
  private final SSLEngine engine;
  private final String peer;
  private final boolean
      hostnameChecked; // the engine checks the server's name: see HandshakeFailures
  private final ByteBuffer[] outgoing = new ByteBuffer[1];

  private ByteBuffer netIn; // ciphertext read, not yet unwrapped: write mode
  private ByteBuffer appIn; // plaintext unwrapped, not yet returned: read mode
  private ByteBuffer netOut; // ciphertext wrapped, not yet written: write mode

  private boolean inputEnded; // close_notify received, or the inner transport ended
  private boolean endReported; // read has returned -1
  private boolean closeNotifyReceived;
  private boolean closed;
  private boolean innerDrained; // the last inner read, in this call or before, took all there was
  private boolean drained; // see lastReadDrained()
  private TransportException deferred; // a failure to report once the plaintext before it is read

  /**
   * A transport over {@code inner}, not yet handshaken.
   *
   * @param engine a client-mode engine, configured
   * @param peer the server and port, for messages
   */
  TlsTransport(Transport inner, SSLEngine engine, String peer) {
    this.inner = inner;
    this.engine = engine;
    this.peer = peer;
    this.hostnameChecked = engine.getSSLParameters().getEndpointIdentificationAlgorithm() != null;
    // Each buffer is taken when needed and given back when empty: see the class documentation.
    this.netIn = empty;
    this.appIn = empty;
    this.netOut = empty;
  }

  /**
   * Runs the handshake to its end, blocking on the inner transport until {@code deadline}.
   *
   * @param timeout the connect timeout {@code deadline} came from, for the message
   * @throws TransportException with a specific reason; the transport is then closed
   */
  void handshake(Deadline deadline, Duration timeout) throws TransportException {
    try {
      engine.beginHandshake();
      while (true) {
        if (deadline.isExpired()) {
          throw timedOut(timeout); // also bounds this loop should the engine stop progressing
        }
        HandshakeStatus status = engine.getHandshakeStatus();
        switch (status) {
          case NEED_TASK -> runDelegatedTasks();
          case NEED_WRAP -> wrapHandshake(deadline, timeout);
          case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> unwrapHandshake(deadline, timeout);
          case FINISHED, NOT_HANDSHAKING -> {
            flushBlocking(deadline, timeout);
            releaseEmptyBuffers();
            if (LOG.isDebugEnabled()) {
              SSLSession s = engine.getSession();
              LOG.debug(
                  "TLS with {}: {} {} alpn={}",
                  peer,
                  s.getProtocol(),
                  s.getCipherSuite(),
                  negotiatedProtocol().orElse("none"));
            }
            return;
          }
        }
      }
    } catch (SSLException e) {
      close();
      throw HandshakeFailures.classify(e, peer, hostnameChecked);
    } catch (TransportException e) {
      TransportException reported = duringHandshake(e);
      close();
      throw reported;
    } catch (RuntimeException e) {
      // The JDK reports some handshake failures unchecked (an unusable key, an engine misuse).
      close();
      throw new TransportException(
          Reason.TLS_HANDSHAKE_FAILED, "TLS handshake with " + peer + " failed: " + e, e);
    }
  }

  /**
   * What to report when the inner transport failed during the handshake. A server that rejects the
   * handshake sends an alert and closes, often before reading all we sent, so our next write or
   * read meets a reset: an alert already read wins (it says why); else the reset is reported as
   * {@link Reason#TLS_HANDSHAKE_FAILED}, caused by the inner failure. Other reasons (a timeout)
   * pass through.
   */
  private TransportException duringHandshake(TransportException e) {
    if (e.reason() != Reason.IO_ERROR && e.reason() != Reason.CLOSED) {
      return e;
    }
    if (hasWholeRecord()) {
      try {
        ensureAppIn();
        unwrapInto(appIn, true);
      } catch (SSLException alert) {
        TransportException classified = HandshakeFailures.classify(alert, peer, hostnameChecked);
        classified.addSuppressed(e);
        return classified;
      } catch (RuntimeException ignored) {
        // no better explanation than the inner failure
      }
    }
    return new TransportException(
        Reason.TLS_HANDSHAKE_FAILED,
        "the connection to " + peer + " failed during the TLS handshake: " + e.getMessage(),
        e);
  }

  private void wrapHandshake(Deadline deadline, Duration timeout)
      throws SSLException, TransportException {
    SSLEngineResult r = engine.wrap(empty, netOut);
    switch (r.getStatus()) {
      case OK -> {}
      case BUFFER_OVERFLOW -> {
        if (netOut.position() > 0) {
          flushBlocking(deadline, timeout);
        } else {
          netOut = grow(netOut, engine.getSession().getPacketBufferSize(), "outgoing record");
        }
      }
      case CLOSED -> {
        flushBlocking(deadline, timeout);
        throw new SSLHandshakeException("the TLS engine closed during the handshake");
      }
      case BUFFER_UNDERFLOW -> throw new SSLException("wrap reported BUFFER_UNDERFLOW");
    }
  }

  private void unwrapHandshake(Deadline deadline, Duration timeout)
      throws SSLException, TransportException {
    if (netIn.position() > 0) {
      ensureAppIn();
      SSLEngineResult r = unwrapInto(appIn, true);
      switch (r.getStatus()) {
        case OK -> {
          if (r.bytesConsumed() > 0
              || r.bytesProduced() > 0
              || engine.getHandshakeStatus() != HandshakeStatus.NEED_UNWRAP) {
            return; // progress, or the engine wants something else first
          }
        }
        case BUFFER_OVERFLOW -> {
          // appIn holds plaintext that arrived with the last handshake flight; keep it and grow.
          appIn = growReadMode(appIn, appIn.remaining() + applicationBufferSize());
          return;
        }
        case BUFFER_UNDERFLOW -> {
          if (!netIn.hasRemaining()) {
            netIn = grow(netIn, engine.getSession().getPacketBufferSize(), "incoming record");
          }
        }
        case CLOSED -> throw new SSLHandshakeException(peer + " closed TLS during the handshake");
      }
    }
    readBlocking(deadline, timeout);
  }

  /** Sends what is queued, then waits for ciphertext and reads some into {@code netIn}. */
  private void readBlocking(Deadline deadline, Duration timeout) throws TransportException {
    flushBlocking(deadline, timeout);
    ensureNetIn();
    while (true) {
      int n = inner.read(netIn);
      if (n > 0) {
        return;
      }
      if (n < 0) {
        throw new TransportException(
            Reason.TLS_HANDSHAKE_FAILED, peer + " closed the connection during the TLS handshake");
      }
      awaitWithin(SelectionKey.OP_READ, deadline, timeout);
    }
  }

  private void flushBlocking(Deadline deadline, Duration timeout) throws TransportException {
    while (!writeOut()) {
      awaitWithin(SelectionKey.OP_WRITE, deadline, timeout);
    }
  }

  private void awaitWithin(int ops, Deadline deadline, Duration timeout) throws TransportException {
    Duration left = deadline.remaining();
    if (left.isZero() || inner.awaitReady(ops, left) == 0 && deadline.isExpired()) {
      throw timedOut(timeout);
    }
  }

  private TransportException timedOut(Duration timeout) {
    return new TransportException(
        Reason.CONNECT_TIMEOUT,
        "TLS handshake with " + peer + " not done within the connect timeout " + timeout);
  }

  @Override
  public int read(ByteBuffer dst) throws TransportException {
    drained = false;
    if (closed) {
      int n = drainAppIn(dst); // plaintext decrypted before a failure still reaches the caller
      if (n > 0 || appIn.hasRemaining()) {
        return n;
      }
      throw takeFailure();
    }
    int total = drainAppIn(dst);
    boolean drainedNow = false; // an inner read of this call took all the inner transport had
    try {
      boolean needInput = !hasWholeRecord();
      rounds:
      for (int round = 0; round < MAX_READ_ROUNDS && dst.hasRemaining() && !inputEnded; round++) {
        if (needInput) {
          if (drainedNow) {
            break; // another inner read would only return 0: readiness tells when there is more
          }
          if (!netIn.hasRemaining()) {
            netIn = grow(netIn, engine.getSession().getPacketBufferSize(), "incoming record");
          }
          int n = inner.read(netIn);
          drainedNow = n == 0 || inner.lastReadDrained();
          innerDrained = drainedNow;
          if (n == 0) {
            break;
          }
          if (n < 0) {
            endWithoutCloseNotify();
            break;
          }
          needInput = !hasWholeRecord();
          if (needInput) {
            continue;
          }
        }
        // appIn is empty here: the loop runs only while dst has room, after appIn was drained.
        SSLEngineResult r = unwrapInto(dst, false);
        int produced = r.bytesProduced();
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
          if (total > 0) {
            break; // the record waits whole in netIn for the next call: hasBufferedInput()
          }
          // dst cannot hold one record's plaintext: unwrap into appIn, sized by the session
          ensureAppIn();
          r = unwrapInto(appIn, true);
          if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            appIn = growReadMode(appIn, applicationBufferSize()); // the session's size grew
            continue;
          }
          produced = drainAppIn(dst);
        }
        total += produced;
        // KeyUpdate answers, delegated tasks: before anything can stop the loop
        boolean answered = answerEngine();
        switch (r.getStatus()) {
          case OK -> {
            if (r.bytesConsumed() == 0 && r.bytesProduced() == 0 && !answered) {
              break rounds; // no progress to be made now; hasBufferedInput() tells what is left
            }
            needInput = !hasWholeRecord();
          }
          case BUFFER_UNDERFLOW -> needInput = true;
          case BUFFER_OVERFLOW -> {} // appIn was grown above; the next round retries
          case CLOSED -> {
            inputEnded = true;
            closeNotifyReceived = engine.isInboundDone(); // by the alert: nothing closed it here
            LOG.debug("close_notify from {}", peer);
          }
        }
      }
      if (!inputEnded) {
        writeOut(); // what the engine wrapped meanwhile: the peer may be waiting for it
      }
    } catch (SSLException e) {
      return failedRead(fail(e, "reading from"), total);
    } catch (TransportException e) {
      shutDown();
      return failedRead(e, total);
    }
    releaseEmptyBuffers();
    if (total == 0 && inputEnded && !appIn.hasRemaining()) {
      endReported = true;
      return -1;
    }
    drained = innerDrained && !hasBufferedInput();
    return total;
  }

  /**
   * Whether the last inner read (of this call, or of an earlier one when this call read only what
   * was held) took all the inner transport had, or found nothing, and nothing is left held here: no
   * plaintext, no whole record, no end of stream or failure to report, nothing the inner transport
   * holds. A short read of plaintext alone says nothing: a record may wait whole in {@code netIn}.
   * What reached the inner transport since its last read makes it ready, as it would anyway.
   */
  @Override
  public boolean lastReadDrained() {
    return drained;
  }

  /**
   * Throws {@code e} now, or, when this read produced plaintext or more is held, returns the count
   * and keeps {@code e} for the next call (the transport is already shut down).
   */
  private int failedRead(TransportException e, int total) throws TransportException {
    if (total == 0 && !appIn.hasRemaining()) {
      throw e;
    }
    deferred = e;
    return total;
  }

  /**
   * The inner transport ended without {@code close_notify}; the JDK calls it possible truncation.
   */
  private void endWithoutCloseNotify() {
    inputEnded = true;
    try {
      engine.closeInbound();
    } catch (SSLException e) {
      LOG.debug("{} ended the connection without close_notify", peer);
    }
  }

  @Override
  public long write(ByteBuffer[] srcs) throws TransportException {
    ensureOpen();
    long consumed = 0;
    try {
      answerEngine();
      if (!writeOut()) {
        return 0; // ciphertext is still held: take no more plaintext until it leaves
      }
      ensureNetOut(); // taken here, not through a wrap refused for want of room
      while (hasRemaining(srcs)) {
        SSLEngineResult r = engine.wrap(srcs, netOut);
        consumed += r.bytesConsumed();
        switch (r.getStatus()) {
          case OK -> {}
          case BUFFER_OVERFLOW -> {
            if (netOut.position() == 0) {
              netOut = grow(netOut, engine.getSession().getPacketBufferSize(), "outgoing record");
            }
          }
          case CLOSED ->
              throw new TransportException(
                  Reason.CLOSED, "TLS to " + peer + " is closed for writing");
          case BUFFER_UNDERFLOW -> throw new SSLException("wrap reported BUFFER_UNDERFLOW");
        }
        answerEngine();
        if (!writeOut()) {
          break;
        }
        if (r.getStatus() == SSLEngineResult.Status.OK && r.bytesConsumed() == 0) {
          break; // the engine wants input first (renegotiation): read, then write again
        }
      }
    } catch (SSLException e) {
      throw fail(e, "writing to");
    } catch (TransportException e) {
      shutDown();
      throw e;
    }
    releaseEmptyBuffers();
    return consumed;
  }

  @Override
  public boolean flush() throws TransportException {
    if (closed) {
      return true;
    }
    try {
      answerEngine();
      boolean flushed = writeOut();
      releaseEmptyBuffers();
      return flushed;
    } catch (SSLException e) {
      throw fail(e, "writing to");
    } catch (TransportException e) {
      shutDown();
      throw e;
    }
  }

  /** One record's plaintext: less room makes {@link #read} decrypt into a buffer of its own. */
  @Override
  public int minReadRoom() {
    return closed ? 1 : applicationBufferSize();
  }

  @Override
  public boolean hasPendingOutput() {
    return !closed && netOut.position() > 0;
  }

  @Override
  public boolean hasBufferedInput() {
    if (appIn.hasRemaining() || deferred != null) {
      return true;
    }
    if (closed) {
      return false;
    }
    // Bytes behind close_notify are never returned, so they do not count once the input ended.
    return inputEnded
        ? !endReported
        : hasWholeRecord() || inner.hasBufferedInput(); // a tunnel's or inner TLS's own input
  }

  @Override
  public int awaitReady(int ops, Duration timeout) throws TransportException {
    if ((ops & SelectionKey.OP_READ) != 0 && hasBufferedInput()) {
      return SelectionKey.OP_READ;
    }
    ensureOpen();
    return inner.awaitReady(ops, timeout);
  }

  @Override
  public Optional<SelectableChannel> selectableChannel() {
    return inner.selectableChannel();
  }

  @Override
  public void releaseAwaitResources() {
    inner.releaseAwaitResources();
  }

  @Override
  public Optional<SocketAddress> localAddress() {
    return inner.localAddress();
  }

  @Override
  public Optional<SocketAddress> peerAddress() {
    return inner.peerAddress();
  }

  @Override
  public Optional<String> negotiatedProtocol() {
    String protocol = engine.getApplicationProtocol();
    return protocol == null || protocol.isEmpty() ? Optional.empty() : Optional.of(protocol);
  }

  @Override
  public Optional<SSLSession> sslSession() {
    return Optional.of(engine.getSession());
  }

  @Override
  public boolean isOpen() {
    return !closed && inner.isOpen();
  }

  /**
   * Sends what is held and {@code close_notify} as far as the inner transport takes them now, then
   * closes the inner one. Plaintext not yet read and a failure not yet reported are dropped.
   */
  @Override
  public void close() {
    appIn = empty;
    deferred = null;
    shutDown();
  }

  /**
   * Closes like {@link #close()} but keeps plaintext already decrypted, and a failure to report,
   * for {@link #read}.
   */
  private void shutDown() {
    if (closed) {
      return;
    }
    try {
      engine.closeOutbound();
      // The engine wraps only into a whole packet of room: held ciphertext must leave first.
      if (writeOut()) {
        ensureNetOut();
        for (int i = 0; i < MAX_ENGINE_STEPS && !engine.isOutboundDone(); i++) {
          SSLEngineResult r = engine.wrap(empty, netOut);
          if (r.getStatus() != SSLEngineResult.Status.OK || r.bytesProduced() == 0) {
            break;
          }
        }
        writeOut();
      }
    } catch (SSLException | TransportException | RuntimeException e) {
      LOG.debug("no close_notify to {}: {}", peer, e.toString());
    } finally {
      closed = true;
      RecordBuffers.give(netIn);
      netIn = empty;
      RecordBuffers.give(netOut);
      netOut = empty;
      if (!appIn.hasRemaining()) {
        RecordBuffers.give(appIn);
        appIn = empty;
      }
      inner.close();
    }
  }

  /**
   * Whether the peer ended its input with {@code close_notify}: the engine reported its inbound
   * side closed by the alert (RFC 8446 §6.1), not by the inner transport ending first, which the
   * engine can only call a possible truncation ({@link SSLEngine#closeInbound()}). Unchanged by a
   * later {@link #close()}.
   */
  @Override
  public boolean peerClosedCleanly() {
    return closeNotifyReceived;
  }

  /** The bytes of buffer this transport holds (for tests of its memory use). */
  int bufferedCapacity() {
    return netIn.capacity() + appIn.capacity() + netOut.capacity();
  }

  @Override
  public String toString() {
    return "TlsTransport[" + peer + (closed ? " closed" : "") + "]";
  }

  // ---- internals ----

  private void ensureOpen() throws TransportException {
    if (closed) {
      throw takeFailure();
    }
  }

  /** The failure not yet reported (once), else {@link Reason#CLOSED}. */
  private TransportException takeFailure() {
    TransportException e = deferred;
    deferred = null;
    return e != null
        ? e
        : new TransportException(Reason.CLOSED, "the TLS transport to " + peer + " is closed");
  }

  private TransportException fail(SSLException e, String doing) {
    shutDown();
    if (e instanceof SSLHandshakeException h) {
      // TLS 1.3 servers reject a client certificate only after our side finished (RFC 8446
      // §4.4.2.4)
      return HandshakeFailures.classify(h, peer, hostnameChecked);
    }
    return new TransportException(
        Reason.IO_ERROR, "TLS error " + doing + " " + peer + ": " + e.getMessage(), e);
  }

  /**
   * Unwraps from {@code netIn} into {@code target}; {@code readMode} says {@code target} is {@code
   * appIn} (kept in read mode between calls).
   */
  private SSLEngineResult unwrapInto(ByteBuffer target, boolean readMode) throws SSLException {
    netIn.flip();
    if (readMode) {
      target.compact();
    }
    try {
      return engine.unwrap(netIn, target);
    } finally {
      if (readMode) {
        target.flip();
      }
      netIn.compact();
    }
  }

  /**
   * Runs the engine's requests that need no input: delegated tasks, and wraps it asks for.
   *
   * @return whether it ran or wrapped anything
   */
  private boolean answerEngine() throws SSLException, TransportException {
    boolean answered = false;
    for (int i = 0; i < MAX_ENGINE_STEPS; i++) {
      HandshakeStatus status = engine.getHandshakeStatus();
      if (status == HandshakeStatus.NEED_TASK) {
        runDelegatedTasks();
      } else if (status == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
        SSLEngineResult r = engine.wrap(empty, netOut);
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
          // The engine wraps only into a whole packet of room (netOut's size when empty).
          if (netOut.position() == 0) {
            netOut = grow(netOut, engine.getSession().getPacketBufferSize(), "outgoing record");
          } else if (!writeOut()) {
            return answered; // the answer waits for the inner transport; flush() retries
          }
          continue;
        }
        answered |= r.bytesProduced() > 0;
        if (r.getStatus() != SSLEngineResult.Status.OK || r.bytesProduced() == 0) {
          return answered; // CLOSED comes with the engine's last record (a close_notify)
        }
      } else {
        return answered;
      }
      answered = true;
    }
    return answered;
  }

  /**
   * Gives back the buffers that hold nothing: {@code netIn} without a partial record, {@code
   * netOut} flushed, {@code appIn} drained. The next step that needs one takes one again ({@link
   * RecordBuffers}), so that an idle connection holds none.
   */
  private void releaseEmptyBuffers() {
    if (netIn.capacity() > 0 && netIn.position() == 0) {
      RecordBuffers.give(netIn);
      netIn = empty;
    }
    if (netOut.capacity() > 0 && netOut.position() == 0) {
      RecordBuffers.give(netOut);
      netOut = empty;
    }
    if (appIn.capacity() > 0 && !appIn.hasRemaining()) {
      RecordBuffers.give(appIn);
      appIn = empty;
    }
  }

  /** Takes {@code netIn} (write mode, empty) at the session's packet size when it has none. */
  private void ensureNetIn() {
    if (netIn.capacity() == 0) {
      netIn = RecordBuffers.take(engine.getSession().getPacketBufferSize());
    }
  }

  /** Takes {@code netOut} (write mode, empty) at the session's packet size when it has none. */
  private void ensureNetOut() {
    if (netOut.capacity() == 0) {
      netOut = RecordBuffers.take(engine.getSession().getPacketBufferSize());
    }
  }

  /** Allocates {@code appIn} (read mode, empty) at the session's size when it has none. */
  private void ensureAppIn() {
    if (appIn.capacity() == 0) {
      appIn = RecordBuffers.take(applicationBufferSize()).flip();
    }
  }

  private void runDelegatedTasks() {
    // Inline, on the caller's thread: the library starts no threads. Bounded: should the engine
    // have more, it still reports NEED_TASK and the caller's loop comes back.
    for (int i = 0; i < MAX_ENGINE_STEPS; i++) {
      Runnable task = engine.getDelegatedTask();
      if (task == null) {
        return;
      }
      task.run();
    }
  }

  /** Hands {@code netOut} to the inner transport; true when it is empty afterwards. */
  private boolean writeOut() throws TransportException {
    if (netOut.position() == 0) {
      return true;
    }
    netOut.flip();
    outgoing[0] = netOut;
    try {
      while (netOut.hasRemaining() && inner.write(outgoing) > 0) {
        // keep writing while the inner transport takes bytes
      }
    } finally {
      outgoing[0] = null;
      netOut.compact();
    }
    return netOut.position() == 0;
  }

  private int drainAppIn(ByteBuffer dst) {
    int n = Math.min(appIn.remaining(), dst.remaining());
    if (n == 0) {
      return 0;
    }
    int limit = appIn.limit();
    appIn.limit(appIn.position() + n);
    dst.put(appIn);
    appIn.limit(limit);
    return n;
  }

  /**
   * Whether {@code netIn} holds at least one whole record, which unwrap can use without reading.
   */
  private boolean hasWholeRecord() {
    int held = netIn.position();
    if (held < RECORD_HEADER) {
      return false;
    }
    int length = ((netIn.get(3) & 0xff) << 8) | (netIn.get(4) & 0xff);
    return held >= RECORD_HEADER + length;
  }

  private int applicationBufferSize() {
    return engine.getSession().getApplicationBufferSize();
  }

  /** A larger copy of a write-mode buffer, up to {@code limit} (the session's size). */
  private ByteBuffer grow(ByteBuffer buffer, int limit, String what) throws SSLException {
    if (buffer.capacity() >= limit) {
      throw new SSLException(what + " larger than the TLS session allows (" + limit + " bytes)");
    }
    ByteBuffer bigger = RecordBuffers.take(limit);
    buffer.flip();
    bigger.put(buffer);
    return bigger;
  }

  /** A larger copy of a read-mode buffer, for at least {@code size} bytes. */
  private ByteBuffer growReadMode(ByteBuffer buffer, int size) throws SSLException {
    int limit = buffer.remaining() + engine.getSession().getApplicationBufferSize();
    if (buffer.capacity() >= Math.max(size, limit)) {
      throw new SSLException("record larger than the TLS session allows (" + limit + " bytes)");
    }
    ByteBuffer bigger = ByteBuffer.allocate(Math.max(size, limit));
    bigger.put(buffer);
    return bigger.flip();
  }

  private static boolean hasRemaining(ByteBuffer[] buffers) {
    for (ByteBuffer b : buffers) {
      if (b.hasRemaining()) {
        return true;
      }
    }
    return false;
  }
}
