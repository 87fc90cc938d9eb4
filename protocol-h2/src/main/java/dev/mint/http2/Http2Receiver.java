// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Headers;
import dev.mint.Http2Operations.Settings;
import dev.mint.Http2Options;
import dev.mint.HttpException.Fault;
import dev.mint.HttpException.Reason;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive half of {@link Http2Engine}: takes whole frames from the {@link FrameReader} and
 * applies them, producing response parts. It owns what only receiving needs: the frame reader, the
 * HPACK decoder, our connection-level receive window and the flood counters.
 *
 * <p>Every header block is decoded, even on streams the engine ignores, because HPACK state is
 * shared by the whole connection (RFC 9113 §4.3). Every DATA frame is counted against the
 * connection window, even on closed streams, for the same reason (§6.9).
 *
 * <p>A stream error (RFC 9113 §5.4.2) ends the stream: a {@link ResponsePart.RequestError} if the
 * caller still waits for it, and RST_STREAM. A connection error propagates to the engine. What a
 * frame changes for the whole connection (the server's settings, its GOAWAY) is returned to the
 * engine ({@link Received}), which owns the connection's state.
 */
final class Http2Receiver {
  private static final Logger LOG = LoggerFactory.getLogger(Http2Receiver.class);

  private final Http2Engine engine;
  private final Http2Sender sender;
  private final Streams streams;

  /** The largest header block or list an int-sized buffer holds, whatever the settings say. */
  private static final int MAX_HEADER_BLOCK = Integer.MAX_VALUE - 8;

  private final FrameReader reader;
  private final HpackDecoder decoder;
  private final FloodGuard guard;

  private final Http2Options options;

  /**
   * How many more flow-controlled bytes the server may send on the connection: 65,535 until our
   * first WINDOW_UPDATE (RFC 9113 §6.9.2), refilled to a level the caller may move.
   */
  final Window connectionWindow = new Window(65_535, 65_535);

  Http2Receiver(Http2Engine engine, Http2Sender sender, FloodGuard guard, Http2Options options) {
    this.engine = engine;
    this.sender = sender;
    this.guard = guard;
    this.streams = engine.streams();
    this.reader = new FrameReader(options.maxFrameSize(), options.maxHeaderListSize());
    this.decoder = new HpackDecoder(options.maxHeaderListSize());
    this.options = options;
  }

  /** The server acknowledged our oldest SETTINGS: apply it (RFC 9113 §6.5.3). */
  private Received onSettingsAck() throws Http2Error {
    LocalSettings local = engine.local;
    Settings before = local.acknowledge();
    Settings now = local.acked();
    if (now.headerTableSize() != before.headerTableSize()) {
      decoder.maxTableSize((int) Math.min(now.headerTableSize(), Integer.MAX_VALUE));
    }
    changeReceiveWindows((long) now.initialWindowSize() - before.initialWindowSize());
    receiveLimitsChanged();
    return Received.NOTHING;
  }

  /** Our receive limits follow the settings in effect and those sent (see {@link Http2Limits}). */
  void receiveLimitsChanged() {
    LocalSettings local = engine.local;
    int headerListSize =
        (int) Math.min(MAX_HEADER_BLOCK, local.receiveLimit(Settings::maxHeaderListSize));
    decoder.maxHeaderListSize(headerListSize);
    reader.limits((int) local.receiveLimit(Settings::maxFrameSize), headerListSize);
  }

  /**
   * What a frame changed for the whole connection, which the engine owns: it applies it before the
   * next frame is read, since the frames after depend on it (RFC 9113 §6.5.3, §6.8).
   */
  sealed interface Received {
    /** Nothing for the engine: the frame was applied here (or ended one stream). */
    Received NOTHING = new Nothing();

    /** See {@link #NOTHING}. */
    record Nothing() implements Received {}

    /** The server's SETTINGS (not an ACK), merged into the settings it sent before. */
    record ServerSettings(Settings settings) implements Received {}

    /** The server's GOAWAY. */
    record GoAway(GoAwayFrame frame) implements Received {}
  }

  /**
   * Parses and applies the next whole frame in {@code in}, appending the parts it completes to
   * {@code out}; a stream error ends its stream here.
   *
   * @return what the frame changed for the connection, or null when no whole frame is left
   * @throws Http2Error a connection error
   */
  Received next(ByteBuffer in, List<ResponsePart> out) throws Http2Error {
    try {
      Frame frame = reader.next(in);
      if (frame == null) {
        return null;
      }
      LOG.trace("recv {}", frame);
      return handle(frame, out);
    } catch (Http2Error e) {
      if (e.isConnectionError()) {
        throw e;
      }
      streamError(e, out);
      return Received.NOTHING;
    }
  }

  private Received handle(Frame frame, List<ResponsePart> out) throws Http2Error {
    if (frame instanceof SettingsFrame s) {
      return s.ack() ? onSettingsAck() : new Received.ServerSettings(onSettings(s));
    } else if (frame instanceof GoAwayFrame g) {
      return new Received.GoAway(g);
    } else if (frame instanceof DataFrame d) {
      onData(d, out);
    } else if (frame instanceof HeadersFrame h) {
      onHeaders(h, out);
    } else if (frame instanceof PriorityFrame p) {
      onPriority(p);
    } else if (frame instanceof RstStreamFrame r) {
      onRstStream(r, out);
    } else if (frame instanceof PushPromiseFrame p) {
      onPushPromise(p, out);
    } else if (frame instanceof PingFrame p) {
      onPing(p, out);
    } else if (frame instanceof WindowUpdateFrame w) {
      onWindowUpdate(w);
    } else if (frame instanceof UnknownFrame u) {
      // RFC 9113 §5.5: extension frames we do not understand are ignored
      guard.unproductive(Frame.frameName(u.type()));
    } else {
      throw new IllegalStateException("the frame reader joins CONTINUATION frames: " + frame);
    }
    return Received.NOTHING;
  }

  // ---- DATA ----

  private void onData(DataFrame d, List<ResponsePart> out) throws Http2Error {
    int length = d.flowControlledLength();
    long over = connectionWindow.receive(length);
    if (over > 0) {
      throw Http2Error.connection(
          ErrorCode.FLOW_CONTROL_ERROR,
          "DATA of " + length + " bytes overruns the connection window by " + over);
    }
    grant(0, connectionWindow.refill(0, options.windowRefillPercent()));
    Stream s = liveStream(d.streamId(), "DATA", length);
    if (s == null) {
      return;
    }
    s.on(StreamEvent.RECV_DATA);
    long streamOver = s.recvWindow.receive(length);
    if (streamOver > 0) {
      throw Http2Error.stream(
          s.id,
          ErrorCode.FLOW_CONTROL_ERROR,
          "DATA of " + length + " bytes overruns the stream window by " + streamOver);
    }
    if (s.receive() == ReceiveHalf.AWAITING_RESPONSE) {
      throw malformed(s, "DATA before the final response headers");
    }
    int n = d.data().length();
    s.receivedLength += n;
    boolean tunnelOpen = s.tunnel && s.status / 100 == 2;
    if (n > 0 && s.responseHasNoContent()) {
      throw malformed(
          s, "DATA in a response that has no content (" + s.method + " " + s.status + ")");
    }
    if (!tunnelOpen && s.expectedLength >= 0 && s.receivedLength > s.expectedLength) {
      throw malformed(
          s, "more DATA (" + s.receivedLength + ") than content-length " + s.expectedLength);
    }
    if (n > 0) {
      out.add(new ResponsePart.Data(s.ref, d.data()));
      guard.productive();
    } else if (!d.endStream()) {
      guard.unproductive("empty DATA");
    }
    if (d.endStream()) {
      complete(s, out);
    } else {
      refillStream(s);
    }
  }

  /** The peer ended the stream (END_STREAM): check the length and report Done. */
  private void complete(Stream s, List<ResponsePart> out) throws Http2Error {
    s.on(StreamEvent.RECV_END_STREAM);
    boolean tunnelOpen = s.tunnel && s.status / 100 == 2;
    if (!tunnelOpen
        && !s.responseHasNoContent()
        && s.expectedLength >= 0
        && s.receivedLength != s.expectedLength) {
      throw malformed(
          s, "content-length " + s.expectedLength + " but " + s.receivedLength + " bytes of DATA");
    }
    if (!s.receive().isDone()) {
      s.onReceive(ReceiveHalf.Event.END_STREAM);
      out.add(new ResponsePart.Done(s.ref));
    }
    if (s.state() == StreamState.CLOSED) {
      streams.remove(s, false);
    }
  }

  private void refillStream(Stream s) {
    grant(s.id, s.recvWindow.refill(initialWindow(), options.windowRefillPercent()));
  }

  /** Sends WINDOW_UPDATE for an increment a window granted, if any. */
  private void grant(int streamId, int increment) {
    if (increment > 0) {
      sender.queue(new WindowUpdateFrame(streamId, increment));
    }
  }

  /** Our acknowledged SETTINGS_INITIAL_WINDOW_SIZE: the level stream windows follow. */
  private long initialWindow() {
    return engine.local.acked().initialWindowSize();
  }

  // ---- receive windows set by the caller ----

  /**
   * Moves the connection window's refill level to {@code size}; growing grants the difference at
   * once, within 2^31-1 (RFC 9113 §6.9.1).
   */
  void setConnectionTarget(int size) {
    grant(0, connectionWindow.setLevel(size, 0));
  }

  /** Moves the refill level of stream {@code s} to {@code size}, granting any growth at once. */
  void setStreamTarget(Stream s, int size) {
    grant(s.id, s.recvWindow.setLevel(size, initialWindow()));
  }

  // ---- HEADERS ----

  private void onHeaders(HeadersFrame h, List<ResponsePart> out) throws Http2Error {
    Headers fields = decoder.decode(h.fragment());
    Stream s = liveStream(h.streamId(), "HEADERS", 0);
    if (s == null) {
      return;
    }
    checkDependency(s.id, h.priority());
    s.on(StreamEvent.RECV_HEADERS);
    if (s.receive().awaitsResponse()) {
      HeaderRules.ResponseHead head = HeaderRules.response(fields, s.id);
      int status = head.status();
      if (status < 200) {
        if (status == 101) {
          throw malformed(s, "101 Switching Protocols is not allowed in HTTP/2 (RFC 9113 §8.6)");
        }
        if (h.endStream()) {
          throw malformed(s, "informational response " + status + " with END_STREAM");
        }
        // a 1xx is a part, progress against floods: this bound stops a server sending them for ever
        if (++s.interimResponses > options.maxInterimResponses()) {
          throw Http2Error.stream(
              s.id,
              ErrorCode.ENHANCE_YOUR_CALM,
              Reason.TOO_MANY_INTERIM_RESPONSES,
              "more than %s interim (1xx) responses on stream %s"
                  .formatted(options.maxInterimResponses(), s.id));
        }
        s.onReceive(ReceiveHalf.Event.INTERIM_HEADERS);
      } else {
        s.onReceive(ReceiveHalf.Event.FINAL_HEADERS);
        s.status = status;
        s.expectedLength = head.contentLength();
      }
      out.add(new ResponsePart.Status(s.ref, status));
      out.add(new ResponsePart.Headers(s.ref, head.headers()));
    } else {
      if (s.tunnel && s.status / 100 == 2) {
        throw malformed(s, "HEADERS on an established CONNECT tunnel (RFC 9113 §8.5)");
      }
      if (!h.endStream()) {
        throw malformed(s, "trailers without END_STREAM");
      }
      out.add(new ResponsePart.Trailers(s.ref, HeaderRules.trailers(fields, s.id)));
    }
    guard.productive();
    if (h.endStream()) {
      complete(s, out);
    }
  }

  /**
   * The live stream a DATA or HEADERS frame names, or null when the frame is to be ignored: on a
   * stream we reset, the peer may have sent it before seeing our RST_STREAM (RFC 9113 §5.1, §6.4;
   * {@link Http2Limits#MAX_REMEMBERED_RESETS} says which such frames count as a flood). On an idle
   * stream (the server opens streams only by promising them, §5.1.1) or a closed one, an error.
   */
  private Stream liveStream(int id, String kind, int flowControlled) throws Http2Error {
    Stream live = streams.get(id); // one lookup for the usual case
    if (live != null) {
      return live;
    }
    switch (streams.standing(id)) {
      case IDLE:
        throw Http2Error.connection(
            ErrorCode.PROTOCOL_ERROR, kind + " on idle stream " + id + " (RFC 9113 §5.1)");
      case RESET_BY_US:
        if (!streams.absorbAfterReset(id, flowControlled)) {
          guard.unproductive(kind + " on a stream we reset");
        }
        return null;
      case ENDED_BY_PEER:
        throw Http2Error.connection(
            ErrorCode.STREAM_CLOSED,
            kind + " on stream " + id + " after its END_STREAM (RFC 9113 §5.1)");
      default: // CLOSED; a LIVE stream was found above
        throw Http2Error.stream(id, ErrorCode.STREAM_CLOSED, kind + " on closed stream " + id);
    }
  }

  /**
   * The live stream a RST_STREAM or WINDOW_UPDATE names, or null when the stream is closed: such
   * frames may still arrive for a while after a close and are ignored (counted as unproductive
   * against floods). On an idle stream they are a connection error.
   */
  private Stream liveOrIgnored(int id, String kind, String section) throws Http2Error {
    Stream s = streams.get(id);
    if (s == null && streams.standing(id) == Streams.Standing.IDLE) {
      throw Http2Error.connection(
          ErrorCode.PROTOCOL_ERROR, kind + " on idle stream " + id + " (RFC 9113 " + section + ")");
    } else if (s == null) {
      guard.unproductive(kind + " on a closed stream");
    }
    return s;
  }

  // ---- PRIORITY, RST_STREAM ----

  private void onPriority(PriorityFrame p) throws Http2Error {
    guard.unproductive("PRIORITY");
    if (streams.standing(p.streamId()) == Streams.Standing.LIVE) {
      checkDependency(p.streamId(), p.priority());
    }
  }

  /** RFC 9113 §5.3.1: a stream cannot depend on itself, a stream error. */
  private static void checkDependency(int id, PriorityFrame.Priority p) throws Http2Error {
    if (p != null && p.dependency() == id) {
      throw Http2Error.stream(
          id, ErrorCode.PROTOCOL_ERROR, "stream " + id + " depends on itself (§5.3.1)");
    }
  }

  private void onRstStream(RstStreamFrame r, List<ResponsePart> out) throws Http2Error {
    int id = r.streamId();
    Stream s = liveOrIgnored(id, "RST_STREAM", "§6.4");
    if (s == null) {
      return;
    }
    s.on(StreamEvent.RECV_RST_STREAM);
    sender.dropPending(s);
    streams.remove(s, false);
    if (!s.receive().isDone()) {
      boolean refused = r.errorCode() == ErrorCode.REFUSED_STREAM.code();
      out.add(
          s.failure(
              Reason.STREAM_RESET_BY_PEER,
              Fault.PEER,
              "stream " + id + " reset by the server: " + ErrorCode.describe(r.errorCode()),
              r.errorCode(),
              refused)); // RFC 9113 §8.7: REFUSED_STREAM means not processed
      guard.productive();
    }
  }

  // ---- SETTINGS ----

  /**
   * Applies the server's SETTINGS (to the HPACK encoder's table and the send windows) and
   * acknowledges it.
   *
   * @return the server's settings now in effect
   */
  private Settings onSettings(SettingsFrame f) throws Http2Error {
    Settings p = engine.serverSettings().withEnablePush(false);
    for (SettingsFrame.Setting setting : f.settings()) {
      long v = setting.value();
      switch (setting.id()) {
        case SettingsFrame.HEADER_TABLE_SIZE -> {
          sender.encoder.peerMaxTableSize(v);
          p = p.withHeaderTableSize(v);
        }
        case SettingsFrame.ENABLE_PUSH -> {
          // RFC 9113 §6.5.2: a server may only send 0; 1 or anything else is PROTOCOL_ERROR
          if (v != 0) {
            throw Http2Error.connection(
                ErrorCode.PROTOCOL_ERROR, "server sent SETTINGS_ENABLE_PUSH=" + v);
          }
        }
        case SettingsFrame.MAX_CONCURRENT_STREAMS -> p = p.withMaxConcurrentStreams(v);
        case SettingsFrame.INITIAL_WINDOW_SIZE -> {
          if (v > Http2Limits.MAX_WINDOW) {
            throw Http2Error.connection(
                ErrorCode.FLOW_CONTROL_ERROR, "SETTINGS_INITIAL_WINDOW_SIZE " + v + " > 2^31-1");
          }
          changeSendWindows(v - p.initialWindowSize());
          p = p.withInitialWindowSize((int) v);
        }
        case SettingsFrame.MAX_FRAME_SIZE -> {
          if (v < 16_384 || v > 16_777_215) {
            throw Http2Error.connection(
                ErrorCode.PROTOCOL_ERROR, "SETTINGS_MAX_FRAME_SIZE " + v + " out of range");
          }
          p = p.withMaxFrameSize((int) v);
        }
        case SettingsFrame.MAX_HEADER_LIST_SIZE -> p = p.withMaxHeaderListSize(v);
        case SettingsFrame.ENABLE_CONNECT_PROTOCOL -> {
          boolean granted = p.enableConnectProtocol();
          if (v > 1 || granted && v == 0) {
            // RFC 8441 §3: 0 or 1, and never withdrawn once granted
            throw Http2Error.connection(
                ErrorCode.PROTOCOL_ERROR,
                "SETTINGS_ENABLE_CONNECT_PROTOCOL=" + v + (granted ? " after 1" : ""));
          }
          p = p.withEnableConnectProtocol(v == 1);
        }
        case SettingsFrame.NO_RFC7540_PRIORITIES -> {
          if (v > 1) {
            throw Http2Error.connection(
                ErrorCode.PROTOCOL_ERROR, "SETTINGS_NO_RFC7540_PRIORITIES=" + v);
          }
        }
        default -> {
          // RFC 9113 §6.5.2: unknown settings are ignored
        }
      }
    }
    sender.queue(SettingsFrame.ACK);
    guard.settingsAck();
    return p;
  }

  /** RFC 9113 §6.9.2: a new initial window changes every stream's window by the difference. */
  private void changeSendWindows(long delta) throws Http2Error {
    if (delta == 0) {
      return;
    }
    for (Stream s : streams.all()) {
      if (!s.sendWindow.grow(delta)) {
        throw Http2Error.connection(
            ErrorCode.FLOW_CONTROL_ERROR,
            "SETTINGS_INITIAL_WINDOW_SIZE change overflows the window of stream " + s.id);
      }
    }
  }

  // ---- PUSH_PROMISE ----

  private void onPushPromise(PushPromiseFrame p, List<ResponsePart> out) throws Http2Error {
    Headers fields = decoder.decode(p.fragment());
    int promised = p.promisedStreamId();
    if ((promised & 1) != 0 || promised <= streams.highestPromisedId()) {
      throw Http2Error.connection(
          ErrorCode.PROTOCOL_ERROR,
          "PUSH_PROMISE promises stream " + promised + ", not a new even stream (§5.1.1)");
    }
    streams.promised(promised);
    LocalSettings local = engine.local;
    if (local.ackedOnce() && !local.acked().enablePush()) {
      throw Http2Error.connection(
          ErrorCode.PROTOCOL_ERROR,
          "PUSH_PROMISE although SETTINGS_ENABLE_PUSH=0 was acknowledged (RFC 9113 §6.6)");
    }
    int id = p.streamId();
    Streams.Standing standing = streams.standing(id);
    if (standing == Streams.Standing.RESET_BY_US) {
      refuse(promised, ErrorCode.CANCEL); // promised before our reset reached the server
      return;
    }
    Stream parent = standing == Streams.Standing.LIVE ? streams.get(id) : null;
    if (parent == null
        || parent.pushed
        || parent.state() != StreamState.OPEN && parent.state() != StreamState.HALF_CLOSED_LOCAL) {
      throw Http2Error.connection(
          ErrorCode.PROTOCOL_ERROR,
          "PUSH_PROMISE on stream "
              + id
              + (parent == null ? " that is " + standing : " in state " + parent.state()));
    }
    // RFC 9113 §5.1.2: beyond the SETTINGS_MAX_CONCURRENT_STREAMS we advertise (the larger value
    // while a change is in flight), and beyond the options' bound, a push is refused
    long pushLimit =
        Math.min(
            options.maxConcurrentPushedStreams(),
            local.receiveLimit(Settings::maxConcurrentStreams));
    if (!local.latest().enablePush() || streams.livePushCount() >= pushLimit) {
      refuse(promised, ErrorCode.REFUSED_STREAM);
      return;
    }
    Headers request;
    try {
      request = HeaderRules.pushRequest(fields, promised);
    } catch (Http2Error e) {
      LOG.debug("refusing pushed stream {}: {}", promised, e.getMessage());
      refuse(promised, ErrorCode.PROTOCOL_ERROR); // RFC 9113 §8.4.1
      return;
    }
    RequestRef ref = engine.newRef("push " + promised);
    long sendWindow = engine.serverSettings().initialWindowSize();
    streams.add(new Stream(promised, ref, request.get(":method"), sendWindow, initialWindow()));
    out.add(new ResponsePart.PushPromise(parent.ref, ref, request));
    guard.productive();
  }

  private void refuse(int promised, ErrorCode code) throws Http2Error {
    sender.queue(new RstStreamFrame(promised, code));
    guard.reset();
    // the server may send the pushed response up to the stream window before it sees our reset
    streams.rememberReset(promised, initialWindow());
  }

  // ---- PING, WINDOW_UPDATE ----

  private void onPing(PingFrame p, List<ResponsePart> out) throws Http2Error {
    if (p.ack()) {
      RequestRef ref = sender.pong(p.opaque());
      if (ref != null) {
        out.add(new ResponsePart.Pong(ref, PingFrame.payload(p.opaque())));
        guard.productive();
      } else {
        guard.unproductive("PING ACK for no PING of ours");
      }
      return;
    }
    sender.queue(new PingFrame(true, p.opaque()));
    guard.pingAck();
  }

  /** RFC 9113 §6.9: the same rules hold for the connection's window and a stream's. */
  private void onWindowUpdate(WindowUpdateFrame w) throws Http2Error {
    int id = w.streamId();
    Window window = sender.connectionWindow;
    if (id != 0) {
      Stream s = liveOrIgnored(id, "WINDOW_UPDATE", "§5.1");
      if (s == null) {
        return;
      }
      s.on(StreamEvent.RECV_WINDOW_UPDATE);
      window = s.sendWindow;
    }
    if (w.increment() == 0) {
      throw Http2Error.on(
          id, ErrorCode.PROTOCOL_ERROR, "WINDOW_UPDATE with increment 0 (RFC 9113 §6.9)");
    }
    if (!window.grow(w.increment())) {
      throw Http2Error.on(
          id,
          ErrorCode.FLOW_CONTROL_ERROR,
          "WINDOW_UPDATE overflows the "
              + (id == 0 ? "connection window" : "window of stream " + id));
    }
  }

  // ---- stream errors ----

  /** Ends one stream after a stream error: RequestError for the caller, RST_STREAM for the peer. */
  private void streamError(Http2Error e, List<ResponsePart> out) throws Http2Error {
    int id = e.streamId();
    if (streams.standing(id) == Streams.Standing.IDLE) {
      // RST_STREAM must not name an idle stream (RFC 9113 §6.4): the error ends the connection
      throw Http2Error.connection(e.code(), e.getMessage());
    }
    LOG.debug("stream error on {}: {} {}", id, e.code(), e.getMessage());
    Stream s = streams.get(id);
    if (s != null) {
      if (!s.receive().isDone()) {
        out.add(
            s.failure(
                e.reason(), Fault.PEER, e.code() + ": " + e.getMessage(), e.code().code(), false));
        guard.productive();
      }
      sender.resetLocally(s);
    } else {
      streams.rememberReset(id, 0);
    }
    sender.queue(new RstStreamFrame(id, e.code()));
    guard.reset();
  }

  private static Http2Error malformed(Stream s, String message) {
    return Http2Error.stream(s.id, ErrorCode.PROTOCOL_ERROR, "malformed response: " + message);
  }

  /**
   * Applies a change of our initial window, acknowledged by the server, to every stream (RFC 9113
   * §6.9.2). A decrease can leave a window at or below zero: the server then cannot send until we
   * grant more, and DATA (the usual trigger of a refill) will not come, so refill now.
   */
  private void changeReceiveWindows(long delta) {
    for (Stream s : streams.all()) {
      s.recvWindow.shift(delta);
      if (delta < 0 && !s.receive().isDone()) {
        refillStream(s);
      }
    }
  }
}
