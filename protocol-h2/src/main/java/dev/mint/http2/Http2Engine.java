// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;
import dev.mint.Headers;
import dev.mint.Http2Operations;
import dev.mint.Http2Options;
import dev.mint.HttpException;
import dev.mint.HttpException.Fault;
import dev.mint.HttpException.Reason;
import dev.mint.HttpException.Scope;
import dev.mint.MintException;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.http2.Http2Receiver.Received;
import dev.mint.spi.ApiAccess;
import dev.mint.spi.CommandRunner;
import dev.mint.spi.EngineContext;
import dev.mint.spi.ProtocolEngine;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sans-I/O HTTP/2 client engine (RFC 9113), with HPACK (RFC 7541) and extended CONNECT (RFC
 * 8441).
 *
 * <h2>Theory of operation</h2>
 *
 * The engine never sees a socket. Bytes the server sent go in through {@link #receive}; frames we
 * want sent wait in the engine until the connection shell takes them ({@link #takeOutput}), in the
 * order the engine chooses. Every method runs to completion on the caller's thread; nothing happens
 * between calls.
 *
 * <ul>
 *   <li><b>Start.</b> At creation the client connection preface, our SETTINGS and (when {@link
 *       Http2Options#connectionWindow()} is above 65535) a connection WINDOW_UPDATE are queued (RFC
 *       9113 §3.4). Requests may follow at once, using the RFC's initial values for the server's
 *       settings until its SETTINGS arrive.
 *   <li><b>Receiving</b> ({@link Http2Receiver}): a {@link FrameReader} cuts whole frames out of
 *       the byte stream and checks the rules that need no stream state; each frame is then checked
 *       against its stream's state ({@link StreamState}, the §5.1 diagram) and applied.
 *   <li><b>Sending</b> ({@link Http2Sender}): requests become HEADERS (+ CONTINUATION) and DATA
 *       frames, taken by the shell in the order, and within the windows, the sender's comment
 *       gives.
 *   <li><b>Our settings</b> ({@link LocalSettings}) apply when the server acknowledges them
 *       (§6.5.3); the server's apply when they arrive.
 *   <li><b>Errors.</b> A stream error we detect (§5.4.2) ends one stream: a {@link
 *       ResponsePart.RequestError} and RST_STREAM. A connection error (§5.4.1) queues GOAWAY with
 *       its code and the last pushed stream we accepted, closes the engine and throws, with the
 *       parts before it in the caller's list. Caller mistakes throw caller errors and change
 *       nothing. Each {@link HttpException.Reason} constant says, on its {@code HTTP/2:} line, the
 *       fault and scope this engine gives it and when: that is the one list. {@link
 *       HttpException#http2ErrorCode()} is the RFC 9113 §7 code sent or received, or -1.
 *   <li><b>Closing.</b> {@link #close()} queues GOAWAY(NO_ERROR). A GOAWAY from the server fails
 *       the requests above its last stream id ({@link Reason#HTTP2_GOAWAY}, safe to retry), lets
 *       the others finish, refuses new requests, and closes the engine when none is left; if the
 *       server closes the connection first, each of the others fails ({@link
 *       Reason#PREMATURE_CLOSE}, possibly processed). A close without GOAWAY that cuts responses
 *       short throws {@link Reason#PREMATURE_CLOSE}.
 * </ul>
 *
 * <p>Left out on purpose: the deprecated priority scheme (PRIORITY is validated and ignored, and we
 * send none); a SETTINGS timeout (there are no timers; {@link Http2Limits#MAX_UNACKED_SETTINGS}
 * bounds what may await acknowledgement); graceful shutdown with two GOAWAYs (we are a client: we
 * never accept streams we could lose).
 *
 * <p>Limits are listed in {@link Http2Limits}. Confined to one thread at a time.
 */
final class Http2Engine implements ProtocolEngine, Http2Operations {
  /** The client connection preface (RFC 9113 §3.4). */
  static final byte[] PREFACE =
      "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private static final Logger LOG = LoggerFactory.getLogger(Http2Engine.class);

  final EngineContext context;
  private final Streams streams;

  /** Our settings, sent and acknowledged; shared by the two halves. */
  final LocalSettings local = new LocalSettings();

  private final Http2Sender sender;
  private final Http2Receiver receiver;

  /** The server's settings once its SETTINGS arrived, else null (the RFC's initial values). */
  private Settings server;

  private ConnectionState state = ConnectionState.STARTING;

  /** Runs the queuing operations: the shell's once it asked for them ({@link #http2}). */
  private CommandRunner shell = CommandRunner.DIRECT;

  private long sequence;

  /** The error code of the last GOAWAY the server sent, or -1 when it sent none. */
  private long goAwayCode = -1;

  private int peerLastStreamId = Integer.MAX_VALUE;

  /** An engine for a new connection; queues the preface. */
  Http2Engine(EngineContext context) {
    this(context, 1);
  }

  /** An engine whose first request gets stream {@code firstStreamId} (tests of id exhaustion). */
  Http2Engine(EngineContext context, int firstStreamId) {
    this.context = context;
    this.streams = new Streams(firstStreamId);
    Http2Options options = context.options().http2();
    FloodGuard guard = new FloodGuard();
    this.sender = new Http2Sender(this, guard);
    this.receiver = new Http2Receiver(this, sender, guard, options);
    Settings ours =
        new Settings(
            options.headerTableSize(),
            options.enablePush(),
            options.enablePush() ? options.maxConcurrentPushedStreams() : Settings.UNLIMITED,
            options.initialStreamWindow(),
            options.maxFrameSize(),
            options.maxHeaderListSize(),
            false);
    sender.queue(local.send(ours));
    receiver.setConnectionTarget(options.connectionWindow());
  }

  // ---- shared state, for the two halves ----

  Streams streams() {
    return streams;
  }

  RequestRef newRef(String label) {
    return ApiAccess.newRequestRef(++sequence, label);
  }

  /** A reference for a request whose header fields were {@code sent}. */
  RequestRef newRef(String label, Headers sent) {
    return ApiAccess.newRequestRef(++sequence, label, sent);
  }

  // ---- ProtocolEngine ----

  @Override
  public Protocol protocol() {
    return Protocol.HTTP2;
  }

  @Override
  public RequestRef request(String method, String target, Headers headers, RequestBody body)
      throws HttpException {
    if (!canSendRequests()) {
      throw HttpException.caller(Reason.INVALID_STATE, "cannot send requests: " + whyNoRequests());
    }
    return sender.request(method, target, headers, body);
  }

  private String whyNoRequests() {
    if (goAwayCode >= 0) {
      return "the server sent " + peerGoAway();
    }
    if (state == ConnectionState.CLOSED) {
      return "the connection is closed";
    }
    return "stream identifiers are used up (RFC 9113 §5.1.1); open a new connection";
  }

  @Override
  public void streamRequestBody(RequestRef ref, ByteBuffer chunk) throws HttpException {
    requireOpen();
    sender.streamRequestBody(ref, chunk);
  }

  @Override
  public void endRequestBody(RequestRef ref, Headers trailers) throws HttpException {
    requireOpen();
    sender.endRequestBody(ref, trailers);
  }

  @Override
  public void receive(ByteBuffer in, List<ResponsePart> out) throws HttpException {
    if (state == ConnectionState.CLOSED) {
      in.position(in.limit()); // closed: nothing more is processed
      return;
    }
    try {
      // what a frame changed for the connection is applied before the next frame is read
      for (Received r = receiver.next(in, out); r != null; r = receiver.next(in, out)) {
        if (r instanceof Received.ServerSettings s) {
          server = s.settings();
          state = state.next(ConnectionState.Event.SETTINGS_RECEIVED);
        } else if (r instanceof Received.GoAway g) {
          onGoAway(g.frame(), out);
        }
      }
    } catch (Http2Error e) {
      in.position(in.limit());
      throw connectionError(e.code(), e.getMessage());
    } catch (RuntimeException e) {
      LOG.debug("internal error", e);
      in.position(in.limit());
      throw connectionError(ErrorCode.INTERNAL_ERROR, "internal error: " + e);
    }
  }

  /**
   * The server closed the connection: after its GOAWAY, each response left incomplete fails on its
   * own; without one, a {@link Reason#PREMATURE_CLOSE} is thrown ("Closing" in the class comment).
   */
  @Override
  public void receiveEnd(boolean clean, List<ResponsePart> out) throws HttpException {
    // Whether the end was clean changes nothing: every HTTP/2 response ends with END_STREAM, so
    // what the close cuts short is found below whatever the transport says (RFC 9113 §8.1).
    ConnectionState before = state;
    if (before == ConnectionState.CLOSED) {
      return;
    }
    closeState();
    List<Stream> unfinished = streams.all().stream().filter(s -> !s.receive().isDone()).toList();
    if (unfinished.isEmpty()) {
      return;
    }
    if (before != ConnectionState.DRAINING) {
      throw HttpException.peer(
          Reason.PREMATURE_CLOSE,
          "the server closed the connection with " + unfinished.size() + " response(s) incomplete");
    }
    for (Stream s : unfinished) {
      out.add(
          s.failure(
              Reason.PREMATURE_CLOSE,
              Fault.PEER,
              Scope.CONNECTION,
              "the server closed the connection after "
                  + peerGoAway()
                  + " before the response on stream "
                  + s.id
                  + " completed"
                  + (s.pushed ? "" : ": the request may have been processed"),
              goAwayCode,
              false));
    }
  }

  @Override
  public void cancelRequest(RequestRef ref, List<ResponsePart> out) throws HttpException {
    if (state == ConnectionState.CLOSED) {
      return;
    }
    sender.cancel(ref, out);
  }

  @Override
  public boolean hasOutput() {
    return sender.hasOutput();
  }

  @Override
  public long takeOutput(long max, List<ByteBuffer> out) {
    return sender.takeOutput(max, out);
  }

  @Override
  public int openRequestCount() {
    return streams.openRequestCount();
  }

  @Override
  public boolean canSendRequests() {
    return state.acceptsRequests() && streams.hasLocalIds();
  }

  @Override
  public boolean isClosed() {
    return state == ConnectionState.CLOSED
        || state == ConnectionState.DRAINING && streams.isEmpty();
  }

  @Override
  public void close() {
    if (state == ConnectionState.CLOSED) {
      return;
    }
    goAway(ErrorCode.NO_ERROR, "");
  }

  /** The engine itself; its queuing operations run through {@code shell} from now on. */
  @Override
  public Optional<Http2Operations> http2(CommandRunner shell) {
    this.shell = Objects.requireNonNull(shell, "shell");
    return Optional.of(this);
  }

  // ---- Http2Operations: the commands run through the shell (see CommandRunner) ----

  @Override
  public RequestRef ping() throws MintException {
    return shell.run(
        () -> {
          requireOpen();
          return sender.ping(null);
        });
  }

  @Override
  public RequestRef ping(Bytes payload) throws MintException {
    return shell.run(
        () -> {
          if (payload.length() != 8) {
            throw new IllegalArgumentException(
                "a PING payload is 8 bytes (RFC 9113 §6.7), was " + payload.length());
          }
          requireOpen();
          return sender.ping(PingFrame.opaque(payload));
        });
  }

  @Override
  public void setConnectionReceiveWindow(int size) throws MintException {
    shell.run(
        () -> {
          requireWindowSize(size);
          requireOpen();
          receiver.setConnectionTarget(size);
          return null;
        });
  }

  @Override
  public void setStreamReceiveWindow(RequestRef ref, int size) throws MintException {
    shell.run(
        () -> {
          requireWindowSize(size);
          requireOpen();
          Stream s = streams.get(ref);
          if (s == null || s.receive().isDone()) {
            throw HttpException.caller(
                Reason.INVALID_STATE, ref + " names no stream that can still receive");
          }
          receiver.setStreamTarget(s, size);
          return null;
        });
  }

  private static void requireWindowSize(int size) {
    if (size < 1) {
      throw new IllegalArgumentException("a receive window is 1..2^31-1 bytes, was " + size);
    }
  }

  @Override
  public void updateSettings(Settings settings) throws MintException {
    shell.run(
        () -> {
          requireOpen();
          if (settings.enableConnectProtocol()) {
            throw HttpException.caller(
                Reason.INVALID_REQUEST_HEADER,
                "SETTINGS_ENABLE_CONNECT_PROTOCOL is a server setting (RFC 8441 §3)");
          }
          if (LocalSettings.diff(local.latest(), settings).isEmpty()) {
            return null;
          }
          if (local.pendingCount() >= Http2Limits.MAX_UNACKED_SETTINGS) {
            throw HttpException.caller(
                Reason.INVALID_STATE,
                local.pendingCount() + " SETTINGS frames already await acknowledgement");
          }
          sender.queue(local.send(settings));
          receiver.receiveLimitsChanged();
          return null;
        });
  }

  @Override
  public Settings clientSettings() {
    return local.acked();
  }

  @Override
  public Settings serverSettings() {
    return server != null ? server : Settings.defaults();
  }

  @Override
  public boolean serverSettingsReceived() {
    return server != null;
  }

  @Override
  public int connectionSendWindow() {
    return (int) sender.connectionWindow.available();
  }

  @Override
  public OptionalInt streamSendWindow(RequestRef ref) {
    Stream s = streams.get(ref);
    return s == null || !s.state().canSend()
        ? OptionalInt.empty()
        : OptionalInt.of((int) s.sendWindow.available());
  }

  @Override
  public int connectionReceiveWindow() {
    return (int) receiver.connectionWindow.available();
  }

  @Override
  public OptionalInt streamReceiveWindow(RequestRef ref) {
    Stream s = streams.get(ref);
    return s == null || s.receive().isDone()
        ? OptionalInt.empty()
        : OptionalInt.of((int) s.recvWindow.available());
  }

  @Override
  public long queuedRequestBodyBytes() {
    return sender.queuedBodyBytes();
  }

  @Override
  public long maxConcurrentStreams() {
    return server != null
        ? server.maxConcurrentStreams()
        : context.options().http2().maxConcurrentStreamsBeforeSettings();
  }

  @Override
  public int openStreamCount() {
    return streams.activeLocalCount();
  }

  // ---- what the receive half reports ----

  /**
   * GOAWAY from the server (RFC 9113 §6.8): requests above its last stream id were not processed
   * and fail as safe to retry; the others may still complete. A later GOAWAY may lower the last
   * stream id, never raise it.
   *
   * @throws Http2Error PROTOCOL_ERROR when the last stream id names a stream the server initiated
   *     (even, not 0) or is higher than in an earlier GOAWAY
   */
  private void onGoAway(GoAwayFrame g, List<ResponsePart> out) throws Http2Error {
    int last = g.lastStreamId();
    if (last != 0 && (last & 1) == 0) {
      throw Http2Error.connection(
          ErrorCode.PROTOCOL_ERROR,
          "GOAWAY last stream id "
              + last
              + " is even: it counts the streams we opened, which are odd (RFC 9113 §6.8)");
    }
    if (last > peerLastStreamId) {
      throw Http2Error.connection(
          ErrorCode.PROTOCOL_ERROR,
          "GOAWAY raises the last stream id from "
              + peerLastStreamId
              + " to "
              + last
              + " (RFC 9113 §6.8: it must not increase)");
    }
    state = state.next(ConnectionState.Event.GOAWAY_RECEIVED);
    goAwayCode = g.errorCode();
    peerLastStreamId = last;
    if (LOG.isDebugEnabled()) {
      Bytes debug = g.debugData();
      LOG.debug(
          "{} debug '{}'", peerGoAway(), debug.slice(0, Math.min(200, debug.length())).utf8());
    }
    for (Stream s : streams.all()) {
      if (!s.pushed && s.id > peerLastStreamId) {
        sender.dropPending(s);
        streams.remove(s, false);
        if (!s.receive().isDone()) {
          out.add(
              s.failure(
                  Reason.HTTP2_GOAWAY,
                  Fault.PEER,
                  "the server sent " + peerGoAway() + " before processing stream " + s.id,
                  g.errorCode(),
                  true));
        }
      }
    }
  }

  // ---- internals ----

  /** The server's GOAWAY in a message: its error code and last stream id. */
  private String peerGoAway() {
    return "GOAWAY (" + ErrorCode.describe(goAwayCode) + ", last stream " + peerLastStreamId + ")";
  }

  private void requireOpen() throws HttpException {
    if (state == ConnectionState.CLOSED) {
      throw HttpException.caller(Reason.INVALID_STATE, "the connection is closed");
    }
  }

  /** Moves to {@link ConnectionState#CLOSED}: request body still waiting is never sent. */
  private void closeState() {
    state = state.next(ConnectionState.Event.CLOSE);
    streams.all().forEach(sender::dropPending);
  }

  private HttpException connectionError(ErrorCode code, String message) {
    LOG.debug("connection error {}: {}", code, message);
    goAway(code, message);
    return new HttpException(
        Reason.HTTP2_CONNECTION_ERROR,
        Fault.PEER,
        Scope.CONNECTION,
        code + ": " + message,
        code.code(),
        false,
        null);
  }

  /**
   * Closes the engine by our close or a connection error, queuing GOAWAY with our last processed
   * stream: the highest push we accepted, or 0.
   */
  private void goAway(ErrorCode code, String message) {
    closeState();
    byte[] debug = message.getBytes(StandardCharsets.UTF_8);
    GoAwayFrame frame =
        new GoAwayFrame(
            streams.highestAcceptedPushId(),
            code.code(),
            Bytes.of(debug, 0, Math.min(debug.length, 256)));
    sender.goAway(frame);
  }
}
