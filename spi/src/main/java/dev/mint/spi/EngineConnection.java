// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.Http2Operations;
import dev.mint.HttpConnection;
import dev.mint.HttpException;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.ProxyResponse;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.TransportException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection shell: an {@link HttpConnection} that moves bytes between a {@link Transport} and
 * a {@link ProtocolEngine}. It holds no protocol knowledge.
 *
 * <p><b>Theory of operation.</b> Every public call runs to completion on the caller's thread:
 *
 * <ol>
 *   <li>sending calls hand the request to the engine, which validates it and holds its bytes; the
 *       shell then writes (active: what the socket takes now, the rest on write readiness; passive:
 *       all of it, waiting at most the write timeout for each step), or, with {@link
 *       ConnectOptions#autoFlush()} off, leaves them for {@link #flush()} or the next receiving
 *       call, so that every request made in between goes out in one gathering write;
 *   <li>writing pulls: while the transport takes bytes, the shell asks the engine for up to {@link
 *       #TAKE_BATCH} more ({@link ProtocolEngine#takeOutput}) and writes them, so the engine
 *       decides the order and a body of any size goes out with write readiness alone. The shell
 *       holds at most one batch the transport has not taken yet;
 *   <li>receiving calls write what is waiting, read what the transport has (at most {@link
 *       #READ_BUDGET} bytes per call, so one busy connection cannot starve a selector loop), feed
 *       it to the engine, and write anything the engine has in answer (HTTP/2 ACKs). The reads stop
 *       at a read that returns 0 or -1; in {@link #stream()}, earlier at one the transport reports
 *       as having taken all there was ({@link Transport#lastReadDrained()}): the read after it
 *       would only return 0, a system call per round for nothing, and the caller's selector reports
 *       what arrives later (an end of stream behind the last bytes included, which the next call
 *       then sees). A passive receive reads on to the 0 or -1, so that a peer's last bytes and its
 *       close, both arrived, come back from one call (a failure with the parts before it). Each
 *       read goes into a buffer lent for it ({@link ReadBuffers}). Each receiving call first
 *       reclaims the thread's borrowed body bytes ({@link ReadBuffers#reclaimBorrowed()}); with
 *       {@link ConnectOptions#borrowBodies()} on it reads through borrowing leases, and ends its
 *       reads early when the thread's array has no room for another ({@link
 *       ReadBuffers#roomToBorrow}), so it never reads over the body bytes it lent out: the next
 *       call carries on, and what the transport already holds is reported by {@link
 *       #hasBufferedInput()} as always;
 *   <li>any connection-scoped failure closes the transport, attaches the parts parsed so far to the
 *       exception, and makes every later call fail with {@link TransportException.Reason#CLOSED}
 *       naming the first failure.
 * </ol>
 *
 * Parts produced outside a receiving call (by {@link #cancelRequest}) are kept and returned first
 * by the next receiving call.
 *
 * <p>Every public call that can log runs with the connection's {@link #id()} in the SLF4J MDC (see
 * {@link HttpConnection#LOG_CONTEXT_KEY}), restored to its previous value before returning.
 */
public final class EngineConnection implements HttpConnection {
  /** The most bytes one receiving call reads before returning: 1 MiB. */
  public static final int READ_BUDGET = 1024 * 1024;

  /**
   * The most bytes the shell takes from the engine at once ({@link ProtocolEngine#takeOutput}): 256
   * KiB, a few socket buffers' worth. What the transport has not taken of a batch waits in the
   * shell, so this bounds what the shell holds.
   */
  public static final int TAKE_BATCH = 256 * 1024;

  /**
   * The most buffers one gathering write offers: Linux's {@code IOV_MAX}, the most one {@code
   * writev} takes, so that a batch of requests (two or three buffers each) leaves in one call.
   */
  private static final int MAX_GATHER = 1024;

  private static final Logger LOG = LoggerFactory.getLogger(EngineConnection.class);

  private final Transport transport;
  private final ProtocolEngine engine;
  private final Scheme scheme;
  private final String host;
  private final int port;
  private final ConnectOptions options;
  private final String id;
  private Mode mode;
  private final Optional<ProxyResponse> proxyResponse;
  private final Map<String, Object> privateData = new HashMap<>(4);
  private List<ResponsePart> pendingParts = new ArrayList<>();

  /** Bytes taken from the engine, not yet written, from {@link #unwrittenFrom} on. */
  private final List<ByteBuffer> unwritten = new ArrayList<>();

  private int unwrittenFrom;
  private final ByteBuffer[] single = new ByteBuffer[1];
  private boolean readClosed;
  private boolean closed;
  private MintException failure;

  /** A connection over an open transport and a fresh engine; takes ownership of both. */
  public EngineConnection(
      Transport transport,
      ProtocolEngine engine,
      Scheme scheme,
      String host,
      int port,
      ConnectOptions options) {
    this(transport, engine, scheme, host, port, options, Optional.empty());
  }

  /**
   * A connection over an open transport and a fresh engine, whose transport chain went through a
   * proxy tunnel that answered {@code proxyResponse}; takes ownership of both.
   */
  public EngineConnection(
      Transport transport,
      ProtocolEngine engine,
      Scheme scheme,
      String host,
      int port,
      ConnectOptions options,
      Optional<ProxyResponse> proxyResponse) {
    this(transport, engine, scheme, host, port, options, proxyResponse, ConnectionLog.nextId());
  }

  /**
   * As above, under the connection id {@code id} that the connect which opened the transport logged
   * with (see {@link #id()}).
   */
  EngineConnection(
      Transport transport,
      ProtocolEngine engine,
      Scheme scheme,
      String host,
      int port,
      ConnectOptions options,
      Optional<ProxyResponse> proxyResponse,
      String id) {
    this.id = Objects.requireNonNull(id, "id");
    this.proxyResponse = Objects.requireNonNull(proxyResponse, "proxyResponse");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.engine = Objects.requireNonNull(engine, "engine");
    this.scheme = Objects.requireNonNull(scheme, "scheme");
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    this.options = Objects.requireNonNull(options, "options");
    this.mode = options.mode();
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public Optional<SocketAddress> localAddress() {
    return closed ? Optional.empty() : transport.localAddress();
  }

  @Override
  public Optional<SocketAddress> peerAddress() {
    return transport.peerAddress();
  }

  @Override
  public Optional<SSLSession> sslSession() {
    return transport.sslSession();
  }

  @Override
  public Optional<String> alpnProtocol() {
    return transport.negotiatedProtocol().filter(alpn -> !alpn.isEmpty());
  }

  @Override
  public Mode mode() {
    return mode;
  }

  @Override
  public void setMode(Mode newMode) throws MintException {
    Objects.requireNonNull(newMode, "mode");
    logged(
        () -> {
          switchMode(newMode);
          return null;
        });
  }

  /**
   * Switches mode. The channel is non-blocking in both modes, so the only question is who waits on
   * it: the transport's private selector is released either way, and a channel still registered
   * afterwards is registered with the caller's selector, which passive mode must not compete with.
   */
  private void switchMode(Mode newMode) throws MintException {
    ensureUsable();
    if (newMode == mode) {
      return;
    }
    transport.releaseAwaitResources();
    if (newMode == Mode.PASSIVE
        && transport.selectableChannel().map(SelectableChannel::isRegistered).orElse(false)) {
      throw HttpException.caller(
          HttpException.Reason.INVALID_STATE,
          "cannot switch "
              + id
              + " to passive mode while its channel is registered with a selector: cancel the"
              + " key and let the selector run selectNow() first");
    }
    mode = newMode;
    LOG.debug("{} switched to {} mode", id, newMode);
  }

  @Override
  public Protocol protocol() {
    return engine.protocol();
  }

  @Override
  public Scheme scheme() {
    return scheme;
  }

  @Override
  public String host() {
    return host;
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public Optional<ProxyResponse> proxyResponse() {
    return proxyResponse;
  }

  /** The transport under this connection (for inspection: TLS session, negotiated protocol). */
  public Transport transport() {
    return transport;
  }

  /** The engine driving this connection, for protocol-specific extensions. */
  public ProtocolEngine engine() {
    return engine;
  }

  @Override
  public RequestRef request(String method, String target, Headers headers, RequestBody body)
      throws MintException {
    // as sendLogged does, without a call object per request unless the first try is refused
    String previous = ConnectionLog.enter(id);
    try {
      ensureUsable();
      RequestRef ref;
      try {
        ref = engine.request(method, target, headers, body);
      } catch (HttpException e) {
        ref = retryAfterWrite(e, () -> engine.request(method, target, headers, body));
      }
      return flushed(ref);
    } finally {
      ConnectionLog.exit(previous);
    }
  }

  @Override
  public void streamRequestBody(RequestRef ref, ByteBuffer chunk) throws MintException {
    sendLogged(
        () -> {
          engine.streamRequestBody(ref, chunk);
          return null;
        });
  }

  @Override
  public void endRequestBody(RequestRef ref, Headers trailers) throws MintException {
    sendLogged(
        () -> {
          engine.endRequestBody(ref, trailers);
          return null;
        });
  }

  @Override
  public void flush() throws MintException {
    String previous = ConnectionLog.enter(id); // not through logged: no lambda per call
    try {
      ensureUsable();
      writeQueued();
      closeTransportIfDone();
    } finally {
      ConnectionLog.exit(previous);
    }
  }

  @Override
  public List<ResponsePart> stream() throws MintException {
    String previous = ConnectionLog.enter(id); // not through logged: no lambda per call
    try {
      return streamNow();
    } finally {
      ConnectionLog.exit(previous);
    }
  }

  private List<ResponsePart> streamNow() throws MintException {
    ReadBuffers.reclaimBorrowed(); // the caller's borrowed body bytes end here
    List<ResponsePart> out = takePending();
    if (closed) {
      if (!out.isEmpty()) {
        return out;
      }
      throw closedError();
    }
    try {
      step(out, true);
    } catch (MintException e) {
      fail(e);
      throw ApiAccess.attachParts(e, out);
    }
    return out;
  }

  @Override
  public List<ResponsePart> recv(Duration timeout) throws MintException {
    String previous = ConnectionLog.enter(id); // not through logged: no lambda per call
    try {
      return receive(timeout, true);
    } finally {
      ConnectionLog.exit(previous);
    }
  }

  @Override
  public List<ResponsePart> recvOnce(Duration timeout) throws MintException {
    return logged(() -> receive(timeout, false));
  }

  /**
   * A passive receive: rounds of {@link #step} with waits for readiness between them, until a part
   * was parsed ({@code untilPart}) or any input was read (otherwise), or the timeout passes.
   */
  private List<ResponsePart> receive(Duration timeout, boolean untilPart) throws MintException {
    ReadBuffers.reclaimBorrowed(); // the caller's borrowed body bytes end here
    Deadline deadline = Deadline.after(timeout);
    List<ResponsePart> out = takePending();
    if (closed) {
      if (!out.isEmpty()) {
        return out;
      }
      throw closedError();
    }
    try {
      while (true) {
        boolean read = step(out, false);
        if (!out.isEmpty() || closed || readClosed || read && !untilPart) {
          break;
        }
        if (!transport.hasBufferedInput()) {
          int ops = SelectionKey.OP_READ | (wantsWrite() ? SelectionKey.OP_WRITE : 0);
          Duration left = deadline.remaining();
          if (left.isZero() || transport.awaitReady(ops, left) == 0 && deadline.isExpired()) {
            throw new TransportException(
                TransportException.Reason.TIMEOUT,
                (untilPart ? "no response part within " : "no input within ") + timeout);
          }
        }
      }
    } catch (TransportException e) {
      if (e.reason() == TransportException.Reason.TIMEOUT) {
        throw e; // the connection stays open: the caller decides
      }
      fail(e);
      throw ApiAccess.attachParts(e, out);
    } catch (MintException e) {
      fail(e);
      throw ApiAccess.attachParts(e, out);
    }
    if (out.isEmpty() && (closed || readClosed)) {
      throw closedError();
    }
    return out;
  }

  /**
   * One non-blocking round: write, read within the budget, parse, write answers. When borrowing,
   * the reads also end when the thread's array has no room left for another lease: a fresh array
   * would cost what borrowing saves, and the bytes lent so far must not be read over.
   *
   * @param untilDrained end the reads at a read the transport reports as drained ({@link
   *     Transport#lastReadDrained()}), for {@link #stream()}, whose caller's selector reports what
   *     comes next; a passive receive reads on until a read returns 0 or -1, so that what the peer
   *     sent before it closed and its close come back from one call
   * @return whether any input was read (bytes, or the end of the peer's stream)
   */
  private boolean step(List<ResponsePart> out, boolean untilDrained) throws MintException {
    writeAvailable();
    boolean borrow = options.borrowBodies();
    boolean input = false;
    int read = 0;
    while (!readClosed && read < READ_BUDGET) {
      int room = transport.minReadRoom();
      if (borrow && !ReadBuffers.roomToBorrow(room)) {
        break;
      }
      int n;
      try (ReadBuffers.Lease lease = ReadBuffers.lend(room, borrow)) {
        n = transport.read(lease.buffer());
        if (n > 0) {
          engine.receive(lease.flipForReceive(n), out);
        }
      }
      if (n == 0) {
        break;
      }
      input = true;
      if (n < 0) {
        readClosed = true;
        LOG.debug("{} peer closed {}:{}", id, host, port);
        engine.receiveEnd(transport.peerClosedCleanly(), out);
        break;
      }
      read += n;
      if (untilDrained && transport.lastReadDrained()) {
        break; // another read would only say "nothing yet": readiness tells when there is more
      }
    }
    writeAvailable();
    closeTransportIfDone();
    return input;
  }

  @Override
  public void cancelRequest(RequestRef ref) throws MintException {
    logged(
        () -> {
          cancelNow(ref);
          return null;
        });
  }

  private void cancelNow(RequestRef ref) throws MintException {
    if (closed) {
      return;
    }
    try {
      engine.cancelRequest(ref, pendingParts);
      writeAvailable();
      closeTransportIfDone();
    } catch (MintException e) {
      fail(e);
      throw e;
    }
  }

  @Override
  public boolean isOpen() {
    return isOpen(Direction.READ) && isOpen(Direction.WRITE);
  }

  @Override
  public boolean isOpen(Direction direction) {
    if (closed || !transport.isOpen()) {
      return false;
    }
    return switch (direction) {
      case READ -> !readClosed;
      case WRITE -> !engine.isClosed() && engine.canSendRequests();
    };
  }

  @Override
  public int openRequestCount() {
    return engine.openRequestCount();
  }

  @Override
  public Optional<SelectableChannel> selectableChannel() {
    return transport.selectableChannel();
  }

  @Override
  public int interestOps() {
    if (closed) {
      return 0;
    }
    return (readClosed ? 0 : SelectionKey.OP_READ) | (wantsWrite() ? SelectionKey.OP_WRITE : 0);
  }

  @Override
  public boolean hasBufferedInput() {
    // Parts left by cancelRequest are returned by the next call even after a close.
    return !pendingParts.isEmpty() || !closed && transport.hasBufferedInput();
  }

  @Override
  public void putPrivate(String key, Object value) {
    if (value == null) {
      privateData.remove(key);
    } else {
      privateData.put(key, value);
    }
  }

  @Override
  public Object getPrivate(String key) {
    return privateData.get(key);
  }

  /**
   * The engine's HTTP/2 operations. Those that may queue frames (the ones declaring {@link
   * MintException}: ping, window and settings changes) run through this connection's {@link
   * CommandRunner} like {@link #request}: refused once the connection is closed, with the
   * connection's id in the MDC, and followed by a write of what they queued. The others only read
   * the engine's state.
   */
  @Override
  public Optional<Http2Operations> http2() {
    return engine.http2(this::runCommand);
  }

  /** This connection's {@link CommandRunner}: a command runs as a request does. */
  private <T> T runCommand(CommandRunner.Command<T> command) throws MintException {
    return sendLogged(command::run);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    String previous = ConnectionLog.enter(id);
    try {
      closeNow();
    } finally {
      ConnectionLog.exit(previous);
    }
  }

  private void closeNow() {
    engine.close();
    try {
      writeAvailable(); // best effort: goodbye bytes, never waiting
    } catch (MintException ignored) {
      // the connection is going away; nothing more to tell the caller
    }
    closeTransport();
  }

  @Override
  public String toString() {
    return "EngineConnection["
        + id
        + " "
        + scheme.text()
        + "://"
        + host
        + ":"
        + port
        + " "
        + engine.protocol().alpnId()
        + (closed ? " closed" : "")
        + "]";
  }

  // ---- internals ----

  /** A call into the engine that queues bytes to send. */
  @FunctionalInterface
  private interface EngineCall<T> {
    T run() throws MintException;
  }

  /** Runs {@code call} with this connection's id in the MDC. */
  private <T> T logged(EngineCall<T> call) throws MintException {
    String previous = ConnectionLog.enter(id);
    try {
      return call.run();
    } finally {
      ConnectionLog.exit(previous);
    }
  }

  private <T> T sendLogged(EngineCall<T> call) throws MintException {
    String previous = ConnectionLog.enter(id);
    try {
      return send(call);
    } finally {
      ConnectionLog.exit(previous);
    }
  }

  /**
   * Runs a sending call: refuses it on a closed connection, lets a caller error leave the
   * connection as it was, fails the connection on a connection-scoped error, then writes what the
   * call queued unless {@link ConnectOptions#autoFlush()} is off. Without auto-flush, a call the
   * engine refuses for lack of room while bytes wait unwritten is tried again once they are written
   * (an engine's refusal changes nothing, so the call can be repeated).
   */
  private <T> T send(EngineCall<T> call) throws MintException {
    ensureUsable();
    T result;
    try {
      result = call.run();
    } catch (HttpException e) {
      result = retryAfterWrite(e, call);
    }
    return flushed(result);
  }

  /** Tries a refused call once more after writing what waits, when the refusal was for room. */
  private <T> T retryAfterWrite(HttpException e, EngineCall<T> call) throws MintException {
    if (options.autoFlush() || !refusedForRoom(e) || !wantsWrite()) {
      throw failIfConnectionScoped(e);
    }
    writeQueued();
    try {
      return call.run();
    } catch (HttpException again) {
      throw failIfConnectionScoped(again);
    }
  }

  /** Writes what a sending call queued, unless auto-flush is off, and passes its result on. */
  private <T> T flushed(T result) throws MintException {
    if (options.autoFlush()) {
      writeQueued();
    }
    return result;
  }

  /** Whether the engine refused a call only because it holds too many bytes unwritten. */
  private static boolean refusedForRoom(HttpException e) {
    return e.scope() == HttpException.Scope.REQUEST
        && (e.reason() == HttpException.Reason.OUTPUT_QUEUE_FULL
            || e.reason() == HttpException.Reason.HTTP2_FLOW_CONTROL_BLOCKED);
  }

  /** Closes the transport once the engine has closed and every byte it queued is written. */
  private void closeTransportIfDone() {
    if (engine.isClosed() && !wantsWrite()) {
      closeTransport();
    }
  }

  private boolean wantsWrite() {
    return unwrittenFrom < unwritten.size() || engine.hasOutput() || transport.hasPendingOutput();
  }

  /**
   * Writes what the transport takes now: what is left of the last batch taken from the engine, then
   * new batches ({@link ProtocolEngine#takeOutput}) until the transport stops taking bytes or the
   * engine has nothing more.
   *
   * @return whether any bytes moved: out of the shell, or out of the transport's own buffer
   */
  private boolean writeAvailable() throws TransportException {
    boolean progress = false;
    while (true) {
      if (unwrittenFrom == unwritten.size()) {
        unwritten.clear();
        unwrittenFrom = 0;
        if (engine.takeOutput(TAKE_BATCH, unwritten) == 0) {
          break;
        }
      }
      ByteBuffer[] batch = nextBatch();
      ByteBuffer last = batch[batch.length - 1];
      long n;
      try {
        n = transport.write(batch);
      } finally {
        single[0] = null; // hold no written buffer between calls
      }
      progress |= n > 0;
      while (unwrittenFrom < unwritten.size() && !unwritten.get(unwrittenFrom).hasRemaining()) {
        unwritten.set(unwrittenFrom++, null);
      }
      if (last.hasRemaining()) {
        break; // the transport took less than offered: it is full for now
      }
    }
    if (transport.hasPendingOutput()) {
      transport.flush();
      progress |= !transport.hasPendingOutput();
    }
    return progress;
  }

  /** The next buffers to write, at most {@link #MAX_GATHER}, for one gathering write. */
  private ByteBuffer[] nextBatch() {
    int n = Math.min(unwritten.size() - unwrittenFrom, MAX_GATHER);
    ByteBuffer[] batch = n == 1 ? single : new ByteBuffer[n];
    for (int i = 0; i < n; i++) {
      batch[i] = unwritten.get(unwrittenFrom + i);
    }
    return batch;
  }

  /** Bytes taken from the engine that the transport has not taken yet. */
  private long unwrittenBytes() {
    long n = 0;
    for (int i = unwrittenFrom; i < unwritten.size(); i++) {
      n += unwritten.get(i).remaining();
    }
    return n;
  }

  /**
   * After a send, and for {@link #flush()}: active mode writes what fits; passive mode writes
   * everything, failing when the socket takes nothing for the write timeout (each wait has its own
   * deadline, so a large body the engine keeps refilling goes out however long it takes as a
   * whole).
   */
  private void writeQueued() throws MintException {
    try {
      writeAvailable();
      if (mode == Mode.PASSIVE && wantsWrite()) {
        Deadline deadline = Deadline.after(options.writeTimeout());
        while (wantsWrite()) {
          Duration left = deadline.remaining();
          if (left.isZero() || transport.awaitReady(SelectionKey.OP_WRITE, left) == 0) {
            throw new TransportException(
                TransportException.Reason.WRITE_TIMEOUT,
                "could not write "
                    + unwrittenBytes()
                    + " bytes (and what the engine holds behind them) within "
                    + options.writeTimeout());
          }
          if (writeAvailable()) {
            deadline = Deadline.after(options.writeTimeout());
          }
        }
      }
    } catch (MintException e) {
      fail(e);
      throw e;
    }
  }

  private void ensureUsable() throws MintException {
    if (closed) {
      throw closedError();
    }
  }

  private MintException failIfConnectionScoped(HttpException e) {
    if (e.scope() == HttpException.Scope.CONNECTION) {
      fail(e);
    }
    return e;
  }

  private List<ResponsePart> takePending() {
    if (pendingParts.isEmpty()) {
      return new ArrayList<>();
    }
    List<ResponsePart> taken = pendingParts;
    pendingParts = new ArrayList<>();
    return taken;
  }

  private void fail(MintException e) {
    if (failure == null) {
      failure = e;
      LOG.debug("{} to {}:{} failed: {}", id, host, port, e.getMessage());
    }
    if (!(e instanceof TransportException) && !closed) {
      // A protocol error leaves the transport intact: send the goodbye the engine queued
      // (HTTP/2 GOAWAY with the error code) without waiting, so the peer learns why.
      try {
        writeAvailable();
      } catch (TransportException ignored) {
        // the connection is failing already; the first error is the one reported
      }
    }
    unwritten.clear();
    unwrittenFrom = 0;
    closeTransport();
  }

  private void closeTransport() {
    if (!closed) {
      closed = true;
      transport.close();
    }
  }

  private TransportException closedError() {
    if (failure != null) {
      return new TransportException(
          TransportException.Reason.CLOSED,
          "the connection failed earlier: " + failure.getMessage(),
          failure);
    }
    return new TransportException(
        TransportException.Reason.CLOSED,
        readClosed ? "the peer closed the connection" : "the connection is closed");
  }
}
