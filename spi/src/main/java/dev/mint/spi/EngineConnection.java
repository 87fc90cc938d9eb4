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
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection shell: an {@link HttpConnection} that moves bytes between a {@link Transport} and
 * a {@link ProtocolEngine}. It holds no protocol knowledge.
 *
 * <p><b>Theory of operation.</b> Every public call runs to completion on the caller's thread:
 *
 * <ol>
 *   <li>sending calls hand the request to the engine, which validates it and queues bytes in its
 *       {@link OutputQueue}; the shell then writes the queue (active: what the socket takes now,
 *       the rest on write readiness; passive: all of it, waiting at most the write timeout for each
 *       step). A fixed body the engine queued by reference ({@link OutputQueue#addHeld}, outside
 *       the bound) is written the same way, however large;
 *   <li>receiving calls write what is queued, read what the transport has (at most {@link
 *       #READ_BUDGET} bytes per call, so one busy connection cannot starve a selector loop), feed
 *       it to the engine, and write anything the engine queued in answer (HTTP/2 ACKs);
 *   <li>whenever a write empties the engine's queue, the engine may refill it with bytes that
 *       waited only for room ({@link ProtocolEngine#onOutputDrained()}), so a body larger than the
 *       queue keeps going out with write readiness alone, without waiting for input;
 *   <li>any connection-scoped failure closes the transport, attaches the parts parsed so far to the
 *       exception, and makes every later call fail with {@link TransportException.Reason#CLOSED}
 *       naming the first failure.
 * </ol>
 *
 * Parts produced outside a receiving call (by {@link #cancelRequest}) are kept and returned first
 * by the next receiving call.
 */
public final class EngineConnection implements HttpConnection {
  /** The most bytes one receiving call reads before returning: 1 MiB. */
  public static final int READ_BUDGET = 1024 * 1024;

  private static final int READ_BUFFER_SIZE = 64 * 1024;
  private static final Logger LOG = LoggerFactory.getLogger(EngineConnection.class);

  private final Transport transport;
  private final ProtocolEngine engine;
  private final Scheme scheme;
  private final String host;
  private final int port;
  private final ConnectOptions options;
  private final Optional<ProxyResponse> proxyResponse;
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
  private final Map<String, Object> privateData = new HashMap<>(4);
  private List<ResponsePart> pendingParts = new ArrayList<>();
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
    this.proxyResponse = Objects.requireNonNull(proxyResponse, "proxyResponse");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.engine = Objects.requireNonNull(engine, "engine");
    this.scheme = Objects.requireNonNull(scheme, "scheme");
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    this.options = Objects.requireNonNull(options, "options");
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
    return send(() -> engine.request(method, target, headers, body));
  }

  @Override
  public void streamRequestBody(RequestRef ref, ByteBuffer chunk) throws MintException {
    send(
        () -> {
          engine.streamRequestBody(ref, chunk);
          return null;
        });
  }

  @Override
  public void endRequestBody(RequestRef ref, Headers trailers) throws MintException {
    send(
        () -> {
          engine.endRequestBody(ref, trailers);
          return null;
        });
  }

  @Override
  public List<ResponsePart> stream() throws MintException {
    List<ResponsePart> out = takePending();
    if (closed) {
      if (!out.isEmpty()) {
        return out;
      }
      throw closedError();
    }
    try {
      step(out);
    } catch (MintException e) {
      fail(e);
      throw e.attachPartsBeforeFailure(out);
    }
    return out;
  }

  @Override
  public List<ResponsePart> recv(Duration timeout) throws MintException {
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
        step(out);
        if (!out.isEmpty() || closed || readClosed) {
          break;
        }
        if (!transport.hasBufferedInput()) {
          int ops = SelectionKey.OP_READ | (wantsWrite() ? SelectionKey.OP_WRITE : 0);
          Duration left = deadline.remaining();
          if (left.isZero() || transport.awaitReady(ops, left) == 0 && deadline.isExpired()) {
            throw new TransportException(
                TransportException.Reason.TIMEOUT, "no response part within " + timeout);
          }
        }
      }
    } catch (TransportException e) {
      if (e.reason() == TransportException.Reason.TIMEOUT) {
        throw e; // the connection stays open: the caller decides
      }
      fail(e);
      throw e.attachPartsBeforeFailure(out);
    } catch (MintException e) {
      fail(e);
      throw e.attachPartsBeforeFailure(out);
    }
    if (out.isEmpty() && (closed || readClosed)) {
      throw closedError();
    }
    return out;
  }

  /** One non-blocking round: write, read within the budget, parse, write answers. */
  private void step(List<ResponsePart> out) throws MintException {
    writeAvailable();
    int read = 0;
    while (!readClosed && read < READ_BUDGET) {
      readBuffer.clear();
      int n = transport.read(readBuffer);
      if (n == 0) {
        break;
      }
      if (n < 0) {
        readClosed = true;
        LOG.debug("peer closed {}:{}", host, port);
        engine.receiveEnd(transport.peerClosedCleanly(), out);
        break;
      }
      read += n;
      readBuffer.flip();
      engine.receive(readBuffer, out);
    }
    writeAvailable();
    if (engine.isClosed() && !wantsWrite()) {
      closeTransport();
    }
  }

  @Override
  public void cancelRequest(RequestRef ref) throws MintException {
    if (closed) {
      return;
    }
    try {
      engine.cancelRequest(ref, pendingParts);
      writeAvailable();
      if (engine.isClosed() && !wantsWrite()) {
        closeTransport();
      }
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

  /** The engine's HTTP/2 operations, each writing what it queued like {@link #request} does. */
  @Override
  public Optional<Http2Operations> http2() {
    return engine.http2().map(ShellHttp2Operations::new);
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
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

  /**
   * Runs a sending call: refuses it on a closed connection, lets a caller error leave the
   * connection as it was, fails the connection on a connection-scoped error, then writes what the
   * call queued.
   */
  private <T> T send(EngineCall<T> call) throws MintException {
    ensureUsable();
    T result;
    try {
      result = call.run();
    } catch (HttpException e) {
      throw failIfConnectionScoped(e);
    }
    flushAfterSend();
    return result;
  }

  private boolean wantsWrite() {
    return !engine.output().isEmpty() || transport.hasPendingOutput();
  }

  /**
   * Writes what the transport takes now. Each time the engine's queue empties, the engine may
   * refill it with bytes that waited only for room ({@link ProtocolEngine#onOutputDrained()}); the
   * loop ends when the transport stops taking bytes or the engine has nothing more to queue.
   *
   * @return whether any bytes moved: out of the engine's queue, or out of the transport's own
   *     buffer
   */
  private boolean writeAvailable() throws TransportException {
    boolean progress = false;
    do {
      if (!engine.output().isEmpty()) {
        progress |= engine.output().writeTo(transport) > 0;
      }
      if (transport.hasPendingOutput()) {
        transport.flush();
        progress |= !transport.hasPendingOutput();
      }
    } while (engine.output().isEmpty() && engine.onOutputDrained());
    return progress;
  }

  /**
   * After a send: active mode writes what fits; passive mode writes everything, failing when the
   * socket takes nothing for the write timeout (each wait has its own deadline, so a large body the
   * engine keeps refilling goes out however long it takes as a whole).
   */
  private void flushAfterSend() throws MintException {
    try {
      writeAvailable();
      if (options.mode() == Mode.PASSIVE && wantsWrite()) {
        Deadline deadline = Deadline.after(options.writeTimeout());
        while (wantsWrite()) {
          Duration left = deadline.remaining();
          if (left.isZero() || transport.awaitReady(SelectionKey.OP_WRITE, left) == 0) {
            throw new TransportException(
                TransportException.Reason.WRITE_TIMEOUT,
                "could not write "
                    + engine.output().size()
                    + " queued bytes within "
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
      LOG.debug("connection {}:{} failed: {}", host, port, e.getMessage());
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
    engine.output().clear();
    closeTransport();
  }

  private void closeTransport() {
    if (!closed) {
      closed = true;
      transport.close();
    }
  }

  /** Delegates to the engine's HTTP/2 operations and flushes what they queue. */
  private final class ShellHttp2Operations implements Http2Operations {
    private final Http2Operations ops;

    ShellHttp2Operations(Http2Operations ops) {
      this.ops = ops;
    }

    @Override
    public RequestRef ping() throws MintException {
      return send(ops::ping);
    }

    @Override
    public void updateSettings(Settings settings) throws MintException {
      send(
          () -> {
            ops.updateSettings(settings);
            return null;
          });
    }

    @Override
    public Settings clientSettings() {
      return ops.clientSettings();
    }

    @Override
    public Settings serverSettings() {
      return ops.serverSettings();
    }

    @Override
    public boolean serverSettingsReceived() {
      return ops.serverSettingsReceived();
    }

    @Override
    public int connectionSendWindow() {
      return ops.connectionSendWindow();
    }

    @Override
    public OptionalInt streamSendWindow(RequestRef ref) {
      return ops.streamSendWindow(ref);
    }

    @Override
    public long queuedRequestBodyBytes() {
      return ops.queuedRequestBodyBytes();
    }

    @Override
    public long maxConcurrentStreams() {
      return ops.maxConcurrentStreams();
    }

    @Override
    public int openStreamCount() {
      return ops.openStreamCount();
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
