// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;
import dev.mint.Headers;
import dev.mint.Http2Operations.Settings;
import dev.mint.HttpException;
import dev.mint.HttpException.Fault;
import dev.mint.HttpException.Reason;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.spi.FieldRules;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The send half of {@link Http2Engine}: turns requests, body chunks and pings into frames, holds
 * them until the shell takes them ({@link #takeOutput}), and owns what only sending needs: the
 * HPACK encoder, the server's connection-level send window, request body waiting for window, and
 * our pings in flight.
 *
 * <p><b>Order of output.</b> What the shell takes comes in this order: the connection preface, then
 * control frames (SETTINGS, acknowledgements, PING, WINDOW_UPDATE, RST_STREAM in answer to the
 * server), then header blocks in the order the requests were made (each block whole: HEADERS and
 * its CONTINUATION frames back to back, RFC 9113 §6.10, and HPACK state follows that order), then
 * DATA, one frame per stream in turn so that one large body does not hold up the others, and GOAWAY
 * last. DATA is cut only when taken, so the windows it uses are the ones in force then.
 *
 * <p><b>Request bodies and flow control</b> (RFC 9113 §6.9). A DATA frame never exceeds the
 * connection window, the stream window or the server's SETTINGS_MAX_FRAME_SIZE; body bytes wait in
 * their stream until the windows allow them and the shell takes them, streamed chunks within {@link
 * Http2Limits#MAX_QUEUED_REQUEST_BODY_BYTES} (a fixed body is referenced, not copied).
 *
 * <p>Caller errors are checked before anything changes, so a refused call leaves the connection as
 * it was (the HPACK encoder included: blocks are encoded only after every check passed).
 */
final class Http2Sender {
  private final Http2Engine engine;
  private final FloodGuard guard;

  /** The connection's {@code :authority}, made once rather than for every request. */
  private final String authority;

  /** The HPACK encoder; the receive half applies the server's SETTINGS_HEADER_TABLE_SIZE to it. */
  final TwitterHpackEncoder encoder = new TwitterHpackEncoder();

  /** The client connection preface until taken (RFC 9113 §3.4), then null. */
  private ByteBuffer preface = ByteBuffer.wrap(Http2Engine.PREFACE.clone());

  /** Frames we owe the server or send on our own, untaken, in order. */
  private final ArrayDeque<Frame> control = new ArrayDeque<>();

  /** Request header blocks (and the resets of cancelled requests behind them), each whole. */
  private final ArrayDeque<ByteBuffer[]> blocks = new ArrayDeque<>();

  /** Our GOAWAY, once queued and until taken: the last frame we send. */
  private GoAwayFrame goAway;

  /** The server's connection-level window, which its WINDOW_UPDATEs grow. */
  final Window connectionWindow = new Window(65_535, -1);

  /**
   * The streams whose body (or end) waits to be sent, in turn: {@link #takeData} sends one frame of
   * the first and moves it to the back. Costs nothing while no body waits.
   */
  private final ArrayDeque<Stream> waiting = new ArrayDeque<>();

  /**
   * Our PINGs awaiting their ACK, oldest first. A list, not a map by opaque value: callers may send
   * the same payload twice, and the answers are matched in order.
   */
  private final List<PendingPing> pings = new ArrayList<>();

  private record PendingPing(long opaque, RequestRef ref) {}

  Http2Sender(Http2Engine engine, FloodGuard guard) {
    this.engine = engine;
    this.guard = guard;
    this.authority = engine.context.authority();
  }

  // ---- requests ----

  RequestRef request(String method, String target, Headers headers, RequestBody body)
      throws HttpException {
    Settings peer = engine.serverSettings();
    long fixedLength = body instanceof RequestBody.Fixed f ? f.bytes().length() : -1;
    boolean tunnel = method.equals("CONNECT"); // RFC 9113 §8.5, or RFC 8441 with :protocol
    Headers fields =
        HeaderRules.request(
            method,
            target,
            headers,
            engine.context.scheme().text(),
            authority,
            engine.context.options().userAgent(),
            peer.enableConnectProtocol(),
            fixedLength);
    if (tunnel && fixedLength >= 0) {
      throw HttpException.caller(
          Reason.INVALID_STATE,
          "a CONNECT tunnel sends its bytes with streamRequestBody; use RequestBody.streaming()");
    }
    HeaderRules.requireWithin(fields, peer.maxHeaderListSize(), "request header list");
    int active = engine.streams().activeLocalCount();
    long limit = engine.maxConcurrentStreams();
    if (active >= limit) {
      String why =
          engine.serverSettingsReceived()
              ? "the server allows %d concurrent streams (SETTINGS_MAX_CONCURRENT_STREAMS)"
              : "until the server's SETTINGS arrive, at most %d concurrent streams are opened"
                  + " (maxConcurrentStreamsBeforeSettings)";
      throw HttpException.caller(
          Reason.PEER_LIMIT_REACHED, format(why + " and %d are open", limit, active));
    }

    int id = engine.streams().takeLocalId();
    RequestRef ref = engine.newRef(method, fields);
    Stream s =
        new Stream(
            id, ref, method, peer.initialWindowSize(), engine.local.acked().initialWindowSize());
    boolean streaming = body instanceof RequestBody.Streaming || tunnel;
    boolean endStream = !streaming && fixedLength <= 0;
    blocks.addLast(headerBlock(id, fields, endStream));
    engine.streams().add(s);
    if (streaming) {
      s.declaredLength = FieldRules.declaredContentLength(headers); // HeaderRules checked it
    } else if (endStream) {
      s.onSendHalf(SendHalf.Event.END_SENT);
    } else {
      s.queueBody(((RequestBody.Fixed) body).bytes());
      s.onSendHalf(SendHalf.Event.END_BODY);
      startWaiting(s);
    }
    return ref;
  }

  void streamRequestBody(RequestRef ref, ByteBuffer chunk) throws HttpException {
    Stream s = sendingStream(ref);
    int n = chunk.remaining();
    if (n == 0) {
      return;
    }
    if (s.declaredLength >= 0 && s.acceptedLength + n > s.declaredLength) {
      throw HttpException.caller(
          Reason.BODY_LENGTH_MISMATCH,
          format(
              "content-length is %d but %d bytes would be sent",
              s.declaredLength, s.acceptedLength + n));
    }
    long room = Http2Limits.MAX_QUEUED_REQUEST_BODY_BYTES - s.pendingBytes();
    if (n > room) {
      throw HttpException.caller(
          Reason.HTTP2_FLOW_CONTROL_BLOCKED,
          format(
              "Http2Limits.MAX_QUEUED_REQUEST_BODY_BYTES (%d) bounds what one request body holds:"
                  + " %d streamed bytes of %s already wait to be sent (the flow-control windows"
                  + " allow connection %d, stream %d): send at most %d bytes, or receive until a"
                  + " WINDOW_UPDATE arrives and the socket takes them",
              Http2Limits.MAX_QUEUED_REQUEST_BODY_BYTES,
              s.pendingBytes(),
              ref,
              connectionWindow.available(),
              s.sendWindow.available(),
              Math.max(0, room)));
    }
    s.queueBody(Bytes.copyOf(chunk));
    startWaiting(s);
  }

  void endRequestBody(RequestRef ref, Headers trailers) throws HttpException {
    Stream s = sendingStream(ref);
    if (s.declaredLength >= 0 && s.acceptedLength != s.declaredLength) {
      throw HttpException.caller(
          Reason.BODY_LENGTH_MISMATCH,
          format(
              "content-length is %d but %d bytes were sent", s.declaredLength, s.acceptedLength));
    }
    Headers t = null;
    if (!trailers.isEmpty()) {
      if (s.tunnel) {
        throw HttpException.caller(
            Reason.INVALID_STATE, "a CONNECT tunnel carries no trailers (RFC 9113 §8.5)");
      }
      t = HeaderRules.requestTrailers(trailers);
      HeaderRules.requireWithin(t, engine.serverSettings().maxHeaderListSize(), "trailer list");
    }
    if (s.pendingBytes() == 0) {
      // nothing waits before the end: decide it now, behind the stream's header block
      blocks.addLast(end(s.id, t));
      endSent(s);
      return;
    }
    s.pendingTrailers = t;
    // The end rides on the last DATA only when the windows hold that DATA back now; body the
    // windows already allow keeps the frames it would have had, and the end follows on its own.
    boolean sendableNow =
        s.pendingBytes() <= Math.min(connectionWindow.available(), s.sendWindow.available());
    s.onSendHalf(sendableNow ? SendHalf.Event.END_BODY_AFTER_DATA : SendHalf.Event.END_BODY);
    startWaiting(s);
  }

  private Stream sendingStream(RequestRef ref) throws HttpException {
    Stream s = engine.streams().get(ref);
    if (s == null || s.pushed) {
      throw HttpException.caller(
          Reason.UNKNOWN_REQUEST, ref + " names no request that can still send on this connection");
    }
    // only a streamed body is STREAMING once request() returned; a reset stream is RESET
    if (!s.send().acceptsBody()) {
      throw HttpException.caller(
          Reason.BODY_NOT_STREAMING,
          ref + " does not stream its body, or its body ended (request side " + s.send() + ")");
    }
    return s;
  }

  /**
   * Resets a stream the caller gave up on: RST_STREAM(CANCEL) (RFC 9113 §8.7), and a {@link
   * Reason#CANCELLED} part to end its request when the response had not ended.
   */
  void cancel(RequestRef ref, List<ResponsePart> out) throws HttpException {
    Stream s = engine.streams().get(ref);
    if (s == null) {
      return;
    }
    // behind the stream's HEADERS, which may not have been taken yet (RFC 9113 §6.4: never on idle)
    blocks.add(new RstStreamFrame(s.id, ErrorCode.CANCEL).encode());
    if (!s.receive().isDone()) {
      out.add(
          s.failure(
              Reason.CANCELLED,
              Fault.CALLER,
              "cancelled by the caller; stream " + s.id + " reset with CANCEL",
              ErrorCode.CANCEL.code(),
              false));
    }
    resetLocally(s);
  }

  /** Forgets a stream we reset and failed: drops its waiting body and remembers the reset. */
  void resetLocally(Stream s) {
    dropPending(s);
    engine.streams().remove(s, true);
  }

  /** Drops the body a stream still had waiting. */
  void dropPending(Stream s) {
    waiting.remove(s);
    s.onSendHalf(SendHalf.Event.RESET);
    s.dropBody();
    s.pendingTrailers = null;
  }

  /** The body bytes waiting for window over all streams. */
  long queuedBodyBytes() {
    return waiting.stream().mapToLong(Stream::pendingBytes).sum(); // a stream with body waits
  }

  // ---- output ----

  private void startWaiting(Stream s) {
    if (!waiting.contains(s)) {
      waiting.add(s);
    }
  }

  /** Whether {@link #takeOutput} would move bytes now. */
  boolean hasOutput() {
    if (preface != null || !control.isEmpty() || !blocks.isEmpty() || goAway != null) {
      return true;
    }
    for (Stream s : waiting) {
      if (canSend(s)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code s} can send a frame now: body within both windows, or its end once sent. */
  private boolean canSend(Stream s) {
    return s.pendingBytes() == 0
        ? s.send().endWaits()
        : connectionWindow.available() > 0 && s.sendWindow.available() > 0;
  }

  /** Moves about {@code max} bytes into {@code out} in the order the class comment gives. */
  long takeOutput(long max, List<ByteBuffer> out) {
    long taken = 0;
    if (preface != null) {
      taken += preface.remaining();
      out.add(preface);
      preface = null;
    }
    while (taken < max && !control.isEmpty()) {
      Frame f = control.pollFirst();
      guard.taken(f);
      taken += put(f.encode(), out);
    }
    while (taken < max && !blocks.isEmpty()) {
      taken += put(blocks.pollFirst(), out);
    }
    if (!blocks.isEmpty() || !control.isEmpty()) {
      return taken; // DATA never overtakes a header block: its stream may not be open yet
    }
    taken += takeData(max - taken, out);
    if (goAway != null) {
      taken += put(goAway.encode(), out);
      goAway = null;
    }
    return taken;
  }

  private static long put(ByteBuffer[] frame, List<ByteBuffer> out) {
    long n = 0;
    for (ByteBuffer b : frame) {
      n += b.remaining();
      out.add(b);
    }
    return n;
  }

  /** Sends one frame of each waiting stream in turn, while the budget and windows allow. */
  private long takeData(long budget, List<ByteBuffer> out) {
    long taken = 0;
    int idle = 0; // streams asked in a row that sent nothing: the windows only shrink here
    while (taken < budget && idle < waiting.size()) {
      Stream s = waiting.pollFirst();
      long n = sendOne(s, out);
      taken += n;
      idle = n > 0 ? 0 : idle + 1;
      if (s.send().endWaits() || s.pendingBytes() > 0) {
        waiting.addLast(s);
      }
    }
    return taken;
  }

  /**
   * Sends the next frame of one stream's body, as large as the windows and the server's frame size
   * allow, or its end (trailers, or an empty DATA with END_STREAM) once the body went out.
   *
   * @return the bytes sent, 0 when the windows allow nothing
   */
  private long sendOne(Stream s, List<ByteBuffer> out) {
    if (!canSend(s)) {
      return 0;
    }
    if (s.pendingBytes() > 0) {
      long n =
          Math.min(
              engine.serverSettings().maxFrameSize(),
              Math.min(connectionWindow.available(), s.sendWindow.available()));
      Bytes chunk = s.takeBody(n);
      connectionWindow.consume(chunk.length());
      s.sendWindow.consume(chunk.length());
      boolean end =
          s.pendingBytes() == 0 && s.send() == SendHalf.ENDING && s.pendingTrailers == null;
      long sent = put(new DataFrame(s.id, chunk, end).encode(), out);
      if (end) {
        endSent(s);
      }
      return sent;
    }
    // trailers are encoded now, as they go out: HPACK state follows the order of blocks on the wire
    long sent = put(end(s.id, s.pendingTrailers), out);
    endSent(s);
    return sent;
  }

  /** END_STREAM alone: trailers, or an empty DATA frame, which takes no window (RFC 9113 §6.9). */
  private ByteBuffer[] end(int streamId, Headers trailers) {
    return trailers != null
        ? headerBlock(streamId, trailers, true)
        : new DataFrame(streamId, Bytes.empty(), true).encode();
  }

  private void endSent(Stream s) {
    s.onSendHalf(SendHalf.Event.END_SENT);
    s.pendingTrailers = null;
    if (s.state() == StreamState.CLOSED) {
      engine.streams().remove(s, false);
    }
  }

  // ---- HTTP/2 operations ----

  /** Sends a PING carrying {@code opaque}, or the new reference's number when it is null. */
  RequestRef ping(Long opaque) throws HttpException {
    if (pings.size() >= Http2Limits.MAX_OUTSTANDING_PINGS) {
      throw HttpException.caller(
          Reason.INVALID_STATE,
          Http2Limits.MAX_OUTSTANDING_PINGS + " PINGs already await their answer");
    }
    RequestRef ref = engine.newRef("ping");
    long payload = opaque != null ? opaque : ref.sequence();
    queue(new PingFrame(false, payload));
    pings.add(new PendingPing(payload, ref));
    return ref;
  }

  /** The oldest ping answered by a PING ACK carrying {@code opaque}, or null. */
  RequestRef pong(long opaque) {
    for (int i = 0; i < pings.size(); i++) {
      if (pings.get(i).opaque() == opaque) {
        return pings.remove(i).ref();
      }
    }
    return null;
  }

  // ---- frames ----

  /**
   * Queues a control frame: SETTINGS, PING, WINDOW_UPDATE, or an answer to the server (ACKs,
   * RST_STREAM). What may wait of the answers is bounded by {@link FloodGuard}.
   */
  void queue(Frame frame) {
    control.addLast(frame);
  }

  /** Queues GOAWAY, the last frame this connection sends (the engine sends one: it closes). */
  void goAway(GoAwayFrame frame) {
    goAway = frame;
  }

  /**
   * A header block as HEADERS and as many CONTINUATION frames as the server's
   * SETTINGS_MAX_FRAME_SIZE requires (RFC 9113 §4.3), back to back in one buffer. The block is
   * encoded behind room for the first frame header, so a block that fits one frame is not copied
   * (it is put onto itself, in place).
   */
  private ByteBuffer[] headerBlock(int streamId, Headers fields, boolean endStream) {
    byte[] block = encoder.encode(fields, FrameHeader.SIZE);
    int length = block.length - FrameHeader.SIZE;
    int max = engine.serverSettings().maxFrameSize();
    int frames = Math.max(1, (length + max - 1) / max);
    ByteBuffer out =
        frames == 1
            ? ByteBuffer.wrap(block)
            : ByteBuffer.allocate(length + frames * FrameHeader.SIZE);
    for (int i = 0; i < frames; i++) {
      int n = Math.min(max, length - i * max);
      int flags =
          (i == 0 && endStream ? Frame.FLAG_END_STREAM : 0)
              | (i == frames - 1 ? Frame.FLAG_END_HEADERS : 0);
      new FrameHeader(n, i == 0 ? Frame.HEADERS : Frame.CONTINUATION, flags, streamId).encode(out);
      out.put(block, FrameHeader.SIZE + i * max, n);
    }
    return new ByteBuffer[] {out.flip()};
  }

  /** A message with numbers in ASCII digits whatever the default locale. */
  private static String format(String template, Object... args) {
    return String.format(Locale.ROOT, template, args);
  }
}
