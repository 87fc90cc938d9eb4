// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import dev.mint.Bytes;
import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.HttpException;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.TransportException;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A client WebSocket over an {@link HttpConnection} the caller opened: over HTTP/1.1 by {@code GET}
 * with {@code upgrade: websocket} (RFC 6455 §4.1), whose {@code 101} turns the connection into a
 * byte tunnel; over HTTP/2 by an extended {@code CONNECT} with {@code :protocol websocket} (RFC
 * 8441), whose stream carries the bytes both ways. TLS ({@code wss}) is the connection's.
 *
 * <h2>Modes</h2>
 *
 * Like the connection, the WebSocket starts no thread and calls no callback; every step happens in
 * a call the caller makes, in the connection's {@link Mode}:
 *
 * <ul>
 *   <li>Passive: {@link #connect(HttpConnection, String, WebSocketOptions, Duration)} sends the
 *       handshake and blocks until it is answered; {@link #recv(Duration)} blocks until a message
 *       arrives. A virtual thread per WebSocket is a fine way to run many.
 *   <li>Active: {@link #start} sends the handshake and returns at once; register {@link
 *       HttpConnection#selectableChannel()} for {@link HttpConnection#interestOps()} with your
 *       {@link java.nio.channels.Selector} and call {@link #stream()} when it is selected (and
 *       again while {@link #hasBufferedInput()}); {@link #state()} turns {@link State#OPEN} when
 *       the handshake completes. One thread drives as many WebSockets as its selector holds.
 * </ul>
 *
 * <p>The WebSocket owns the connection: its {@link #stream()} and {@link #recv} consume every part
 * the connection yields, so the connection must carry nothing else.
 *
 * <h2>Sending</h2>
 *
 * {@link #send} encodes with the codec and writes at once. Passive: it returns when the bytes are
 * written (at most the connection's write timeout; over HTTP/2, while the flow-control window is
 * shut it receives meanwhile and keeps what arrives for the next {@link #recv}). Active: what the
 * connection cannot take now waits here and goes out on the next {@link #stream()}; while it waits,
 * {@link #send} refuses more with {@link IllegalStateException} (check {@link #canSend()}).
 *
 * <h2>Closing</h2>
 *
 * Send a {@link Message.Close} and receive until the server's Close arrives ({@link State#CLOSED}),
 * then {@link #close()}. A Close from the server is echoed at once and delivered as a message. Over
 * HTTP/1.1 the server then closes the TCP connection (RFC 6455 §7.1.1); over HTTP/2 the stream is
 * ended once both Closes are exchanged (RFC 8441 §5). {@link #close()} alone ends the connection at
 * once, sending a Close (1000) first when none was sent.
 *
 * <h2>Errors</h2>
 *
 * {@link HandshakeException} when the WebSocket cannot be opened; {@link WebSocketException} when
 * the server breaks the protocol (the Close with its code is written and the connection closed
 * before it is thrown, RFC 6455 §7.1.7) or the connection ends without a Close ({@link
 * CloseCodes#ABNORMAL}); both carry the messages received before. {@link TransportException} with
 * {@link TransportException.Reason#TIMEOUT} when a passive call's time runs out (the WebSocket
 * stays usable). Caller mistakes are {@link IllegalArgumentException} and {@link
 * IllegalStateException}.
 *
 * <p>Not thread-safe: confine it, with its connection, to one thread at a time.
 */
public final class WebSocket implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocket.class);

  /** The most bytes handed to the connection in one write, below every bound it has. */
  private static final int WRITE_CHUNK = 1 << 20;

  /** Where the WebSocket is. */
  public enum State {
    /** The handshake is under way. */
    CONNECTING,
    /** Messages flow both ways. */
    OPEN,
    /** A Close was sent or received; waiting for the rest of the close handshake. */
    CLOSING,
    /** Closed, cleanly or not: nothing more flows. */
    CLOSED
  }

  private final HttpConnection conn;
  private final String target;
  private final WebSocketOptions options;
  private final SecureRandom random;
  private final String key;
  private final ArrayDeque<ByteBuffer> unsent = new ArrayDeque<>();
  private final ArrayDeque<Message> inbox = new ArrayDeque<>();

  /** Parts that came with the handshake's answer, for the first {@link #recv}. */
  private final ArrayDeque<ResponsePart> afterHandshake = new ArrayDeque<>();

  private RequestRef ref;
  private WebSocketCodec codec;
  private boolean ended;
  private boolean streamEnded;
  private int status;
  private Headers responseHeaders = Headers.empty();
  private Bytes rejectionBody = Bytes.empty();
  private String subprotocol;
  private String extensions = "";

  private WebSocket(
      HttpConnection conn, String target, WebSocketOptions options, SecureRandom random) {
    this.conn = conn;
    this.target = target;
    this.options = options;
    this.random = random;
    this.key = conn.protocol().equals(Protocol.HTTP1) ? Handshake.newKey(random) : null;
  }

  /**
   * Opens a connection to {@code uri} ({@code ws://} or {@code wss://}) and a WebSocket on it, in
   * passive mode, within {@code timeout} for the handshake. Offers HTTP/1.1 alone unless {@code
   * connectOptions} allows HTTP/2, in which case ALPN may choose it (and the server must allow
   * extended CONNECT). The connection is closed if the WebSocket cannot be opened.
   *
   * @throws IllegalArgumentException when the scheme is neither {@code ws} nor {@code wss}
   */
  public static WebSocket connect(
      URI uri, ConnectOptions connectOptions, WebSocketOptions options, Duration timeout)
      throws IOException {
    Scheme scheme =
        switch (String.valueOf(uri.getScheme()).toLowerCase(java.util.Locale.ROOT)) {
          case "ws" -> Scheme.HTTP;
          case "wss" -> Scheme.HTTPS;
          default ->
              throw new IllegalArgumentException("a WebSocket URI is ws:// or wss://, got " + uri);
        };
    int port = uri.getPort() >= 0 ? uri.getPort() : scheme.defaultPort();
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    HttpConnection conn = Mint.connect(scheme, uri.getHost(), port, connectOptions);
    return connect(conn, path + query, options, timeout);
  }

  /** {@link #connect(URI, ConnectOptions, WebSocketOptions, Duration)} over HTTP/1.1 alone. */
  public static WebSocket connect(URI uri, WebSocketOptions options, Duration timeout)
      throws IOException {
    return connect(
        uri, ConnectOptions.builder().protocols(Protocol.HTTP1).build(), options, timeout);
  }

  /**
   * Passive mode: sends the handshake for {@code target} (a path and query, such as {@code
   * /chat?room=1}) over {@code conn} and blocks until the server accepts it, within {@code
   * timeout}. The connection is put in passive mode first (see {@link HttpConnection#setMode}: it
   * must not be registered with a selector). The connection is closed when the WebSocket cannot be
   * opened.
   *
   * @throws HandshakeException when the server refuses or answers wrongly, the connection ends, or
   *     the time runs out ({@link HandshakeException.Reason#TIMEOUT})
   * @throws dev.mint.HttpException {@link HttpException.Reason#INVALID_STATE} when the connection
   *     is registered with a selector
   */
  public static WebSocket connect(
      HttpConnection conn, String target, WebSocketOptions options, Duration timeout)
      throws IOException {
    conn.setMode(Mode.PASSIVE);
    WebSocket ws = new WebSocket(conn, target, options, new SecureRandom());
    long deadline = System.nanoTime() + timeout.toNanos();
    try {
      ws.sendHandshakeWhenPossible(deadline);
      while (ws.state() == State.CONNECTING) {
        ws.handshakeParts(ws.recvParts(deadline, true, false));
      }
      return ws;
    } catch (IOException | RuntimeException e) {
      ws.fail();
      throw e;
    }
  }

  /**
   * Sends the handshake for {@code target} over {@code conn} without waiting for the answer (over
   * HTTP/2, once the server's SETTINGS have arrived: until then {@link #stream()} waits for them),
   * for active mode. {@link #stream()} completes it; {@link #state()} says when.
   */
  public static WebSocket start(HttpConnection conn, String target, WebSocketOptions options)
      throws IOException {
    WebSocket ws = new WebSocket(conn, target, options, new SecureRandom());
    ws.sendHandshakeIfPossible();
    return ws;
  }

  // ---- the handshake ----

  /**
   * Sends the request, or (HTTP/2 before the server's SETTINGS) leaves it for later; a handshake
   * that cannot be sent closes the connection.
   */
  private void sendHandshakeIfPossible() throws IOException {
    try {
      sendHandshakeNow();
    } catch (IOException | RuntimeException e) {
      fail();
      throw e;
    }
  }

  private void sendHandshakeNow() throws IOException {
    if (key != null) {
      ref = conn.request("GET", target, Handshake.http1Request(key, options), RequestBody.none());
      return;
    }
    var h2 =
        conn.http2()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "a WebSocket runs over HTTP/1.1 or HTTP/2, not " + conn.protocol()));
    if (!h2.serverSettingsReceived()) {
      return;
    }
    if (!h2.serverSettings().enableConnectProtocol()) {
      throw new HandshakeException(
          HandshakeException.Reason.EXTENDED_CONNECT_DISABLED,
          "the HTTP/2 server did not send SETTINGS_ENABLE_CONNECT_PROTOCOL = 1, so it takes no"
              + " WebSocket (RFC 8441 §3); connect over HTTP/1.1 instead",
          0,
          Headers.empty(),
          Bytes.empty(),
          null);
    }
    ref = conn.request("CONNECT", target, Handshake.http2Request(options), RequestBody.streaming());
  }

  private void sendHandshakeWhenPossible(long deadline) throws IOException {
    sendHandshakeIfPossible();
    while (ref == null) {
      process(recvParts(deadline, true, true)); // HTTP/2: waits for the server's SETTINGS
      sendHandshakeIfPossible();
    }
  }

  /** Where the WebSocket is: connecting, open, closing or closed. */
  public State state() {
    if (codec == null) {
      return ended ? State.CLOSED : State.CONNECTING;
    }
    if (ended) {
      return State.CLOSED;
    }
    return switch (codec.state()) {
      case OPEN -> State.OPEN;
      case CLOSE_SENT -> State.CLOSING;
      case CLOSED -> streamEnded || key == null ? State.CLOSED : State.CLOSING;
    };
  }

  /** The subprotocol the server chose, if any. */
  public Optional<String> subprotocol() {
    return Optional.ofNullable(subprotocol);
  }

  /**
   * The extensions in use as the server accepted them ({@code permessage-deflate; ...}); empty when
   * none.
   */
  public String extensions() {
    return extensions;
  }

  /** The response that accepted the WebSocket: its header fields (empty while connecting). */
  public Headers responseHeaders() {
    return responseHeaders;
  }

  /** The connection under this WebSocket. */
  public HttpConnection connection() {
    return conn;
  }

  // ---- receiving ----

  /**
   * Active mode: reads what the connection has without blocking, writes what waits, and returns the
   * messages completed (possibly none). While connecting, completes the handshake.
   *
   * @throws HandshakeException when the handshake fails (the connection is closed)
   * @throws WebSocketException when the server broke the protocol or the connection ended without a
   *     Close (the connection is closed); it carries the messages before
   */
  public List<Message> stream() throws IOException {
    List<Message> out = new ArrayList<>();
    try {
      takeEarly(out);
      if (ended) {
        return out;
      }
      List<ResponsePart> parts;
      try {
        parts = conn.stream();
      } catch (MintException e) {
        out.addAll(processQuietly(e.partsBeforeFailure()));
        throw connectionFailed(e, List.of());
      }
      out.addAll(process(parts));
      if (ref == null && !ended) {
        sendHandshakeIfPossible();
      }
      flush(false, 0);
      return out;
    } catch (WebSocketException e) {
      throw withEarlier(e, out);
    }
  }

  /** Moves to {@code out} what arrived before this call: kept messages, parts after the 101. */
  private void takeEarly(List<Message> out) throws IOException {
    out.addAll(inbox);
    inbox.clear();
    if (!afterHandshake.isEmpty()) {
      List<ResponsePart> parts = new ArrayList<>(afterHandshake);
      afterHandshake.clear();
      out.addAll(process(parts));
    }
  }

  private static WebSocketException withEarlier(WebSocketException e, List<Message> earlier) {
    if (e instanceof HandshakeException || earlier.isEmpty()) {
      return e;
    }
    return e.withMessagesBeforeFailure(concat(earlier, e.messagesBeforeFailure()));
  }

  /**
   * Whether bytes were read but not parsed yet (see {@link HttpConnection#hasBufferedInput()}):
   * when true, call {@link #stream()} again without waiting for the selector.
   */
  public boolean hasBufferedInput() {
    return !ended && conn.hasBufferedInput();
  }

  /**
   * Passive mode: blocks until at least one message arrives, or {@code timeout} passes.
   *
   * @return the messages; empty only when the WebSocket is already {@link State#CLOSED}
   * @throws TransportException {@link TransportException.Reason#TIMEOUT} when none arrived in time
   *     (the WebSocket stays usable)
   * @throws WebSocketException as {@link #stream()}
   */
  public List<Message> recv(Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Message> out = new ArrayList<>();
    try {
      takeEarly(out);
      while (out.isEmpty() && !ended) {
        out.addAll(process(recvParts(deadline, false, false)));
      }
      return out;
    } catch (WebSocketException e) {
      throw withEarlier(e, out);
    }
  }

  /**
   * One passive receive within the deadline. While waiting for what yields no part (the HTTP/2
   * handshake's SETTINGS, or a window to open), it returns after any input, so the caller looks
   * again as soon as the server's SETTINGS or WINDOW_UPDATE has arrived.
   */
  private List<ResponsePart> recvParts(long deadline, boolean handshake, boolean progress)
      throws IOException {
    long left = deadline - System.nanoTime();
    if (left <= 0) {
      throw timeout(handshake);
    }
    Duration wait = Duration.ofNanos(left);
    try {
      return progress || ref == null ? conn.recvOnce(wait) : conn.recv(wait);
    } catch (TransportException e) {
      if (e.reason() == TransportException.Reason.TIMEOUT) {
        throw handshake ? timeout(true) : e;
      }
      List<Message> before = processQuietly(e.partsBeforeFailure());
      throw connectionFailed(e, before);
    } catch (MintException e) {
      List<Message> before = processQuietly(e.partsBeforeFailure());
      throw connectionFailed(e, before);
    }
  }

  private IOException timeout(boolean handshake) {
    if (handshake) {
      return new HandshakeException(
          HandshakeException.Reason.TIMEOUT,
          "the WebSocket handshake did not complete in time",
          status,
          responseHeaders,
          Bytes.empty(),
          null);
    }
    return new TransportException(TransportException.Reason.TIMEOUT, "no message in time");
  }

  /**
   * Feeds parts to the handshake until it completes, and keeps the rest for the first {@link
   * #recv}: an error in the bytes after the 101 belongs to receiving, not to connecting.
   */
  private void handshakeParts(List<ResponsePart> parts) throws IOException {
    for (int i = 0; i < parts.size(); i++) {
      if (codec != null) {
        afterHandshake.addAll(parts.subList(i, parts.size()));
        return;
      }
      inbox.addAll(process(List.of(parts.get(i))));
    }
  }

  /** Feeds parts to the handshake or the codec; writes what the codec answers. */
  private List<Message> process(List<ResponsePart> parts) throws IOException {
    List<Message> out = new ArrayList<>();
    for (ResponsePart part : parts) {
      if (ref == null || !part.ref().equals(ref) || ended) {
        continue; // not ours: the connection carries this WebSocket alone
      }
      try {
        onPart(part, out);
      } catch (WebSocketException e) {
        if (e instanceof HandshakeException) {
          fail();
          throw e;
        }
        flush(true, 0); // the Close the codec queued (RFC 6455 §7.1.7)
        fail();
        throw e.withMessagesBeforeFailure(concat(out, e.messagesBeforeFailure()));
      }
    }
    flush(false, 0);
    return out;
  }

  private List<Message> processQuietly(List<ResponsePart> parts) {
    try {
      return process(parts);
    } catch (IOException e) {
      return List.of();
    }
  }

  private static List<Message> concat(List<Message> a, List<Message> b) {
    List<Message> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  private void onPart(ResponsePart part, List<Message> out) throws IOException {
    if (part instanceof ResponsePart.Status s) {
      if (!s.isInformational() || s.code() == 101) {
        status = s.code();
      }
    } else if (part instanceof ResponsePart.Headers h) {
      if (status != 0 && codec == null) {
        responseHeaders = h.headers();
        if (accepted()) {
          open();
        }
      }
    } else if (part instanceof ResponsePart.Data d) {
      onData(d.bytes(), out);
    } else if (part instanceof ResponsePart.Done) {
      onEnd(null, out);
    } else if (part instanceof ResponsePart.RequestError e) {
      onEnd(e.error(), out);
    }
  }

  private boolean accepted() {
    return key != null ? status == 101 : status / 100 == 2;
  }

  private void open() throws IOException {
    Handshake.Negotiated n = Handshake.check(status, responseHeaders, key, options);
    codec = new WebSocketCodec(options, n.deflate(), random);
    subprotocol = n.subprotocol();
    extensions = n.deflate() == null ? "" : n.deflate().describe();
    if (LOG.isDebugEnabled()) {
      LOG.debug("WebSocket open on {} {} ({})", conn.protocol(), target, extensions);
    }
  }

  private void onData(Bytes bytes, List<Message> out) throws WebSocketException {
    if (codec != null) {
      out.addAll(codec.receive(bytes.asReadOnlyBuffer()));
      if (codec.state() == WebSocketCodec.State.CLOSED && key == null && !streamEnded) {
        streamEnded = true; // RFC 8441 §5: both Closes exchanged, END_STREAM follows ours
      }
    } else if (status != 0 && rejectionBody.length() < options.maxRejectionBodySize()) {
      int keep = Math.min(bytes.length(), options.maxRejectionBodySize() - rejectionBody.length());
      byte[] joined = new byte[rejectionBody.length() + keep];
      System.arraycopy(rejectionBody.toByteArray(), 0, joined, 0, rejectionBody.length());
      System.arraycopy(bytes.toByteArray(), 0, joined, rejectionBody.length(), keep);
      rejectionBody = Bytes.of(joined);
    }
  }

  private void onEnd(MintException error, List<Message> out) throws IOException {
    if (codec == null) {
      boolean refused = status != 0 && !accepted();
      throw new HandshakeException(
          refused ? HandshakeException.Reason.REJECTED : HandshakeException.Reason.CLOSED,
          refused
              ? "the server refused the WebSocket with status " + status
              : "the " + (key != null ? "connection" : "stream") + " ended during the handshake",
          status,
          responseHeaders,
          rejectionBody,
          error);
    }
    streamEnded = true;
    if (codec.state() != WebSocketCodec.State.CLOSED) {
      fail();
      throw new WebSocketException(
          CloseCodes.ABNORMAL,
          "the " + (key != null ? "connection" : "stream") + " ended without a Close frame",
          out,
          error);
    }
    end();
  }

  private WebSocketException connectionFailed(MintException e, List<Message> before) {
    fail();
    if (codec == null) {
      return new HandshakeException(
          HandshakeException.Reason.CLOSED,
          "the connection failed during the handshake: " + e.getMessage(),
          status,
          responseHeaders,
          Bytes.empty(),
          e);
    }
    return new WebSocketException(
        CloseCodes.ABNORMAL, "the connection failed: " + e.getMessage(), before, e);
  }

  // ---- sending ----

  /**
   * Sends {@code message} (see {@link WebSocketCodec#send} for how each kind is framed).
   *
   * @throws IllegalStateException when the WebSocket is not {@link State#OPEN}, or in active mode
   *     while bytes of an earlier send still wait ({@link #canSend()} is false)
   * @throws IllegalArgumentException as {@link WebSocketCodec#send}
   * @throws TransportException when writing fails
   */
  public void send(Message message) throws IOException {
    if (codec == null || ended) {
      throw new IllegalStateException("the WebSocket is " + state() + ", not open");
    }
    if (!unsent.isEmpty()) {
      throw new IllegalStateException(
          "earlier bytes still wait for the connection: call stream() on write readiness first");
    }
    codec.send(message);
    flush(false, System.nanoTime() + options.sendTimeout().toNanos());
  }

  /** Sends a text message. */
  public void sendText(String text) throws IOException {
    send(new Message.Text(text));
  }

  /** Sends a binary message. */
  public void sendBinary(Bytes bytes) throws IOException {
    send(new Message.Binary(bytes));
  }

  /** Whether {@link #send} can take a message now (active mode: nothing waits to be written). */
  public boolean canSend() {
    return codec != null
        && !ended
        && unsent.isEmpty()
        && codec.state() == WebSocketCodec.State.OPEN;
  }

  /**
   * Writes what the codec queued and what waits here. Active mode: what the connection refuses
   * stays queued here. Passive mode: waits (receiving into the inbox) until written or {@code
   * deadline}.
   */
  private void flush(boolean bestEffort, long deadline) throws IOException {
    if (codec != null && codec.hasOutput()) {
      unsent.add(codec.takeOutput());
    }
    while (!unsent.isEmpty() && !ended) {
      ByteBuffer head = unsent.peek();
      ByteBuffer chunk = head.duplicate();
      chunk.limit(chunk.position() + Math.min(chunk.remaining(), WRITE_CHUNK));
      try {
        conn.streamRequestBody(ref, chunk);
      } catch (HttpException e) {
        if (!isBackPressure(e) || bestEffort) {
          if (bestEffort) {
            return;
          }
          throw e;
        }
        if (conn.mode() == Mode.ACTIVE || deadline == 0) {
          return; // waits for the next stream()
        }
        if (LOG.isDebugEnabled()) {
          LOG.debug("the connection takes no more now ({}); receiving meanwhile", e.reason());
        }
        inbox.addAll(process(recvParts(deadline, false, true)));
        continue;
      } catch (MintException e) {
        if (bestEffort) {
          return;
        }
        throw connectionFailed(e, List.of());
      }
      head.position(chunk.limit());
      if (!head.hasRemaining()) {
        unsent.poll();
      }
    }
    if (streamEnded && key == null && unsent.isEmpty() && !ended) {
      endStream();
    }
  }

  private static boolean isBackPressure(HttpException e) {
    return e.reason() == HttpException.Reason.OUTPUT_QUEUE_FULL
        || e.reason() == HttpException.Reason.HTTP2_FLOW_CONTROL_BLOCKED;
  }

  /** RFC 8441 §5: after the close handshake the stream ends with END_STREAM. */
  private void endStream() {
    try {
      conn.endRequestBody(ref);
    } catch (MintException e) {
      LOG.debug("ending the WebSocket stream failed", e);
    }
    end();
  }

  /** Ends after a failure: the connection is of no further use. */
  private void fail() {
    end();
    conn.close();
  }

  private void end() {
    ended = true;
    unsent.clear();
    if (codec != null) {
      codec.release();
    }
  }

  /**
   * Ends the WebSocket and closes the connection now: sends a Close (1000) first when the WebSocket
   * is open and none was sent. Idempotent; never throws.
   */
  @Override
  public void close() {
    if (codec != null && !ended && codec.state() == WebSocketCodec.State.OPEN) {
      codec.send(new Message.Close(CloseCodes.NORMAL));
      try {
        flush(true, 0);
      } catch (IOException e) {
        LOG.debug("sending the Close failed", e);
      }
    }
    if (!ended) {
      end();
    }
    conn.close();
  }
}
