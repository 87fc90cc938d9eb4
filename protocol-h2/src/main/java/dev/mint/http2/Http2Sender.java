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
import dev.mint.spi.OutputQueue;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * The send half of {@link Http2Engine}: turns requests, body chunks, pings and settings changes
 * into frames in the output queue, and owns what only sending needs: the HPACK encoder, the
 * server's connection-level send window, request body waiting for window, and our pings in flight.
 *
 * <p><b>Request bodies and flow control</b> (RFC 9113 §6.9). A DATA frame never exceeds the
 * connection window, the stream window or the server's SETTINGS_MAX_FRAME_SIZE. Body bytes that do
 * not fit wait in the stream's queue and go out as WINDOW_UPDATE frames arrive (the receive half
 * calls {@link #flushAll()}), and so do body bytes the windows allow but the output queue has no
 * room for (the shell calls {@link Http2Engine#onOutputDrained()} once it wrote the queue out).
 * Request headers and body leave the last {@link Http2Limits#CONTROL_FRAME_ROOM} bytes of the queue
 * to the frames we owe the server. A fixed body is an immutable value and waits without being
 * copied; streamed chunks are copied, and at most {@link Http2Limits#MAX_QUEUED_REQUEST_BODY_BYTES}
 * of them may wait: a chunk beyond that is refused as a whole ({@link
 * Reason#HTTP2_FLOW_CONTROL_BLOCKED}, nothing queued), and the caller waits for window ({@link
 * dev.mint.Http2Operations#streamSendWindow}) by receiving.
 *
 * <p>Caller errors are checked before anything changes, so a refused call leaves the connection as
 * it was (the HPACK encoder included: blocks are encoded only after every check passed).
 */
final class Http2Sender {
  private final Http2Engine engine;
  private final OutputQueue output;
  private final HeaderBlockEncoder encoder = new TwitterHpackEncoder();

  /** The server's connection-level window: what we may still send in DATA. */
  long connectionWindow = 65_535;

  /** Streamed body bytes copied and waiting for window, over all streams. */
  private long queuedCopiedBytes;

  /**
   * The streams whose body (or end) waits for window or queue room, in the order they began to
   * wait; {@link #flushAll()} visits only these, so it costs nothing while no body waits.
   */
  private final LinkedHashSet<Stream> waiting = new LinkedHashSet<>();

  /**
   * Our PINGs awaiting their ACK, oldest first. A list, not a map by opaque value: callers may send
   * the same payload twice, and the answers are matched in order.
   */
  private final List<PendingPing> pings = new ArrayList<>();

  private record PendingPing(long opaque, RequestRef ref) {}

  Http2Sender(Http2Engine engine) {
    this.engine = engine;
    this.output = engine.output();
  }

  HeaderBlockEncoder encoder() {
    return encoder;
  }

  // ---- requests ----

  RequestRef request(String method, String target, Headers headers, RequestBody body)
      throws HttpException {
    Settings peer = engine.serverSettings();
    long fixedLength = body instanceof RequestBody.Fixed f ? f.bytes().length() : -1;
    HeaderRules.RequestHead head =
        HeaderRules.request(
            method,
            target,
            headers,
            engine.context().scheme().text(),
            engine.context().authority(),
            engine.context().options().userAgent(),
            peer.enableConnectProtocol(),
            fixedLength);
    if (head.tunnel() && fixedLength >= 0) {
      throw HttpException.caller(
          Reason.INVALID_STATE,
          "a CONNECT tunnel sends its bytes with streamRequestBody; use RequestBody.streaming()");
    }
    long listSize = HeaderRules.listSize(head.fields());
    if (listSize > peer.maxHeaderListSize()) {
      throw HttpException.caller(
          Reason.PEER_LIMIT_REACHED,
          "request header list of "
              + listSize
              + " bytes exceeds the server's SETTINGS_MAX_HEADER_LIST_SIZE "
              + peer.maxHeaderListSize());
    }
    int active = engine.streams().activeLocalCount();
    long limit = engine.maxConcurrentStreams();
    if (active >= limit) {
      throw HttpException.caller(
          Reason.PEER_LIMIT_REACHED,
          (engine.serverSettingsReceived()
                  ? "the server allows "
                      + limit
                      + " concurrent streams (SETTINGS_MAX_CONCURRENT_STREAMS)"
                  : "until the server's SETTINGS arrive, at most "
                      + limit
                      + " concurrent streams are opened (maxConcurrentStreamsBeforeSettings)")
              + " and "
              + active
              + " are open");
    }
    output.requireRoom(blockEstimate(head.fields()) + Http2Limits.CONTROL_FRAME_ROOM);

    int id = engine.streams().takeLocalId();
    RequestRef ref = engine.newRef("stream " + id, head.fields());
    Stream s =
        new Stream(
            id,
            ref,
            false,
            method,
            head.tunnel(),
            StreamState.IDLE,
            peer.initialWindowSize(),
            engine.localSettings().acked().initialWindowSize());
    boolean streaming = body instanceof RequestBody.Streaming || head.tunnel();
    boolean endStream = !streaming && fixedLength <= 0;
    writeHeaderBlock(id, encoder.encode(head.fields()), endStream);
    s.onSend(StreamEvent.SEND_HEADERS);
    engine.streams().add(s);
    s.declaredLength = head.declaredLength();
    if (endStream) {
      s.bodyEnded = true;
      s.onSend(StreamEvent.SEND_END_STREAM);
    } else if (streaming) {
      s.streamingBody = true;
    } else {
      Bytes bytes = ((RequestBody.Fixed) body).bytes();
      s.bodyEnded = true;
      s.acceptedLength = bytes.length();
      s.pending.add(bytes);
      s.pendingBytes = bytes.length();
      s.endPending = true;
      flush(s);
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
          "content-length is "
              + s.declaredLength
              + " but "
              + (s.acceptedLength + n)
              + " bytes would be sent");
    }
    long sendableNow =
        s.pending.isEmpty()
            ? Math.max(
                0,
                Math.min(
                    Math.min(connectionWindow, s.sendWindow),
                    output.limit() - output.size() - Http2Limits.CONTROL_FRAME_ROOM))
            : 0;
    long wouldWait = Math.max(0, n - sendableNow);
    if (wouldWait > 0
        && queuedCopiedBytes + wouldWait > Http2Limits.MAX_QUEUED_REQUEST_BODY_BYTES) {
      throw HttpException.caller(
          Reason.HTTP2_FLOW_CONTROL_BLOCKED,
          "the flow-control windows allow "
              + sendableNow
              + " bytes now (connection "
              + connectionWindow
              + ", stream "
              + s.sendWindow
              + ") and "
              + queuedCopiedBytes
              + " bytes already wait; "
              + Math.max(0, Http2Limits.MAX_QUEUED_REQUEST_BODY_BYTES - queuedCopiedBytes)
              + " more may wait: send at most "
              + (sendableNow
                  + Math.max(0, Http2Limits.MAX_QUEUED_REQUEST_BODY_BYTES - queuedCopiedBytes))
              + " bytes, or receive until a WINDOW_UPDATE arrives");
    }
    Bytes copy = Bytes.copyOf(chunk);
    s.pending.add(copy);
    s.pendingBytes += n;
    s.acceptedLength += n;
    queuedCopiedBytes += n;
    flush(s);
  }

  void endRequestBody(RequestRef ref, Headers trailers) throws HttpException {
    Stream s = sendingStream(ref);
    if (s.declaredLength >= 0 && s.acceptedLength != s.declaredLength) {
      throw HttpException.caller(
          Reason.BODY_LENGTH_MISMATCH,
          "content-length is "
              + s.declaredLength
              + " but "
              + s.acceptedLength
              + " bytes were sent");
    }
    Headers t = null;
    if (!trailers.isEmpty()) {
      if (s.tunnel) {
        throw HttpException.caller(
            Reason.INVALID_STATE, "a CONNECT tunnel carries no trailers (RFC 9113 §8.5)");
      }
      t = HeaderRules.requestTrailers(trailers);
      long size = HeaderRules.listSize(t);
      long max = engine.serverSettings().maxHeaderListSize();
      if (size > max) {
        throw HttpException.caller(
            Reason.PEER_LIMIT_REACHED,
            "trailers of " + size + " bytes exceed SETTINGS_MAX_HEADER_LIST_SIZE " + max);
      }
    }
    s.bodyEnded = true;
    s.endPending = true;
    s.pendingTrailers = t;
    flush(s);
  }

  private Stream sendingStream(RequestRef ref) throws HttpException {
    Stream s = engine.streams().get(ref);
    if (s == null || s.pushed) {
      throw HttpException.caller(
          Reason.UNKNOWN_REQUEST, ref + " names no request that can still send on this connection");
    }
    if (!s.streamingBody || s.bodyEnded) {
      throw HttpException.caller(
          Reason.BODY_NOT_STREAMING,
          ref + (s.streamingBody ? " already ended its body" : " does not stream its body"));
    }
    if (!s.state.canSend()) {
      throw HttpException.caller(
          Reason.INVALID_STATE, ref + " can no longer send: stream is " + s.state);
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
    output.requireRoom(FrameHeader.SIZE + 4);
    add(new RstStreamFrame(s.id, ErrorCode.CANCEL));
    if (!s.responseDone) {
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

  /** Forgets a stream we reset: drops its waiting body and remembers the reset. */
  void resetLocally(Stream s) {
    dropPending(s);
    s.responseDone = true;
    s.onSend(StreamEvent.SEND_RST_STREAM);
    engine.streams().remove(s, true);
  }

  /** Drops the body a stream still had waiting. */
  void dropPending(Stream s) {
    waiting.remove(s);
    if (s.streamingBody) {
      queuedCopiedBytes -= s.pendingBytes;
    }
    s.pending.clear();
    s.pendingBytes = 0;
    s.endPending = false;
    s.pendingTrailers = null;
  }

  /** The body bytes waiting for window over all streams. */
  long queuedBodyBytes() {
    long n = 0;
    for (Stream s : engine.streams().all()) {
      n += s.pendingBytes;
    }
    return n;
  }

  // ---- flow control ----

  /** Sends what the windows and the queue allow of every waiting body, longest waiting first. */
  void flushAll() {
    if (waiting.isEmpty()) {
      return;
    }
    for (Stream s : new ArrayList<>(waiting)) {
      if (s.endPending || !s.pending.isEmpty()) {
        flush(s);
      }
    }
  }

  /** Sends what the windows allow of one stream's waiting body, then its end when all went out. */
  void flush(Stream s) {
    send(s);
    if (s.endPending || !s.pending.isEmpty()) {
      waiting.add(s);
    } else {
      waiting.remove(s);
    }
  }

  private void send(Stream s) {
    int maxFrame = engine.serverSettings().maxFrameSize();
    while (!s.pending.isEmpty()) {
      Bytes head = s.pending.peekFirst();
      long n =
          Math.min(head.length(), Math.min(connectionWindow, Math.min(s.sendWindow, maxFrame)));
      if (n <= 0 || !fitsBody(FrameHeader.SIZE + n)) {
        return;
      }
      s.pending.pollFirst();
      Bytes chunk = head;
      if (n < head.length()) {
        chunk = head.slice(0, (int) n);
        s.pending.addFirst(head.slice((int) n, head.length()));
      }
      s.pendingBytes -= n;
      connectionWindow -= n;
      s.sendWindow -= n;
      if (s.streamingBody) {
        queuedCopiedBytes -= n;
      }
      boolean end = s.pending.isEmpty() && s.endPending && s.pendingTrailers == null;
      addQuietly(new DataFrame(s.id, chunk, end));
      if (end) {
        endSent(s);
        return;
      }
    }
    if (s.endPending) {
      if (s.pendingTrailers != null) {
        if (!fitsBody(blockEstimate(s.pendingTrailers))) {
          return;
        }
        writeHeaderBlock(s.id, encoder.encode(s.pendingTrailers), true);
        s.onSend(StreamEvent.SEND_HEADERS);
      } else {
        if (!fitsBody(FrameHeader.SIZE)) {
          return;
        }
        // END_STREAM alone: an empty DATA frame takes no window (RFC 9113 §6.9)
        addQuietly(new DataFrame(s.id, Bytes.empty(), true));
      }
      endSent(s);
    }
  }

  /**
   * Whether {@code bytes} of request body (or trailers) fit the output queue while leaving {@link
   * Http2Limits#CONTROL_FRAME_ROOM} to the frames we owe the server. What does not fit waits in the
   * stream and goes out in {@link Http2Engine#onOutputDrained()}.
   */
  private boolean fitsBody(long bytes) {
    return output.fits(bytes + Http2Limits.CONTROL_FRAME_ROOM);
  }

  private void endSent(Stream s) {
    s.endPending = false;
    s.pendingTrailers = null;
    s.onSend(StreamEvent.SEND_END_STREAM);
    if (s.state == StreamState.CLOSED) {
      engine.streams().remove(s, false);
    }
  }

  // ---- HTTP/2 operations ----

  RequestRef ping() throws HttpException {
    return ping(null);
  }

  /** Sends a PING carrying {@code opaque}, or the new reference's number when it is null. */
  RequestRef ping(Long opaque) throws HttpException {
    if (pings.size() >= Http2Limits.MAX_OUTSTANDING_PINGS) {
      throw HttpException.caller(
          Reason.INVALID_STATE,
          Http2Limits.MAX_OUTSTANDING_PINGS + " PINGs already await their answer");
    }
    output.requireRoom(FrameHeader.SIZE + 8);
    RequestRef ref = engine.newRef("ping");
    long payload = opaque != null ? opaque : ref.sequence();
    add(new PingFrame(false, payload));
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

  void updateSettings(Settings wanted) throws HttpException {
    if (wanted.enableConnectProtocol()) {
      throw HttpException.caller(
          Reason.INVALID_REQUEST_HEADER,
          "SETTINGS_ENABLE_CONNECT_PROTOCOL is a server setting (RFC 8441 §3)");
    }
    LocalSettings local = engine.localSettings();
    if (LocalSettings.diff(local.latest(), wanted).isEmpty()) {
      return;
    }
    if (local.pendingCount() >= Http2Limits.MAX_UNACKED_SETTINGS) {
      throw HttpException.caller(
          Reason.INVALID_STATE,
          local.pendingCount() + " SETTINGS frames already await acknowledgement");
    }
    output.requireRoom(FrameHeader.SIZE + 6 * 6);
    add(local.send(wanted));
    engine.receiveLimitsChanged();
  }

  // ---- frames ----

  /**
   * Queues a frame we send in answer to the peer (ACKs, RST_STREAM, WINDOW_UPDATE).
   *
   * @throws Http2Error ENHANCE_YOUR_CALM when the output queue is full: the peer keeps sending but
   *     does not read our answers
   */
  void addControl(Frame frame) throws Http2Error {
    if (!output.fits(FrameHeader.SIZE + frame.payload().length())) {
      throw Http2Error.connection(
          ErrorCode.ENHANCE_YOUR_CALM,
          "output queue full (" + output.size() + " bytes): the server does not read");
    }
    addQuietly(frame);
  }

  /** Queues a frame the caller's operation produced, room having been checked. */
  void add(Frame frame) throws HttpException {
    for (ByteBuffer b : frame.encode()) {
      output.add(b);
    }
  }

  /** Queues a frame whose room was checked. */
  void addQuietly(Frame frame) {
    try {
      add(frame);
    } catch (HttpException e) {
      throw new IllegalStateException("output room was checked", e);
    }
  }

  /**
   * Queues a header block as HEADERS and as many CONTINUATION frames as the server's
   * SETTINGS_MAX_FRAME_SIZE requires (RFC 9113 §4.3), back to back.
   */
  void writeHeaderBlock(int streamId, Bytes block, boolean endStream) {
    int max = engine.serverSettings().maxFrameSize();
    int first = Math.min(max, block.length());
    addQuietly(
        new HeadersFrame(streamId, block.slice(0, first), endStream, first == block.length()));
    for (int at = first; at < block.length(); at += max) {
      int end = Math.min(block.length(), at + max);
      addQuietly(new ContinuationFrame(streamId, block.slice(at, end), end == block.length()));
    }
  }

  /** An upper bound of the bytes a header block of {@code fields} takes with its frame headers. */
  private long blockEstimate(Headers fields) {
    long raw = 16;
    for (int i = 0; i < fields.size(); i++) {
      raw += fields.name(i).length() + fields.value(i).length() + 12;
    }
    int max = engine.serverSettings().maxFrameSize();
    return raw + FrameHeader.SIZE * (1 + raw / max + 1);
  }
}
