// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import dev.mint.Bytes;
import dev.mint.Headers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client side of RFC 6455 §5-§8 without I/O: bytes from the server in, {@link Message}s out;
 * messages to send in, bytes for the server out.
 *
 * <h2>Theory of operation</h2>
 *
 * <ul>
 *   <li><b>Receiving.</b> {@link #receive} takes every byte given: a {@link FrameReader} cuts
 *       frames and checks the rules of one frame (opcode, RSV bits, control frame size and
 *       fragmentation, masking, minimal length, {@link WebSocketOptions#maxFrameSize()}); this
 *       class checks the rules of a sequence: a continuation needs a message in progress and a new
 *       message needs none (§5.4), control frames may come between fragments, text is valid UTF-8
 *       from its first fragment on (checked incrementally, §8.1), a compressed message is inflated
 *       within {@link WebSocketOptions#maxMessageSize()} (RFC 7692), a Close frame's body is a
 *       valid code and a UTF-8 reason (§5.5.1, §7.4).
 *   <li><b>Failing.</b> A broken rule "fails the WebSocket connection" (§7.1.7): a Close frame with
 *       the code that names it (1002 frame rules, 1007 bad UTF-8 or DEFLATE data, 1009 a limit) is
 *       queued, the state becomes {@link State#CLOSED}, and {@link #receive} throws a {@link
 *       WebSocketException} with that code and the messages parsed before it. Bytes received after
 *       that are dropped.
 *   <li><b>Sending.</b> {@link #send} encodes a message as masked frames (a fresh key per frame)
 *       and queues them; {@link #takeOutput()} hands the queued bytes to whoever writes them.
 *       Nothing is written here.
 *   <li><b>Closing (§7.1.2-§7.1.5).</b> {@link State#OPEN} → (we send Close) {@link
 *       State#CLOSE_SENT} → (their Close arrives) {@link State#CLOSED}; or {@link State#OPEN} →
 *       (their Close arrives: we queue the echo of its code) {@link State#CLOSED}. Data frames may
 *       still arrive in {@link State#CLOSE_SENT}; nothing may be sent after a Close.
 *   <li><b>Pings.</b> With {@link WebSocketOptions#autoPong()} a ping is answered with a pong of
 *       its payload; pings arriving before the answer is taken are answered once, for the latest
 *       (§5.5.3 allows it), so a ping flood cannot grow the output.
 * </ul>
 *
 * <p>What it leaves out: the opening handshake ({@link WebSocket} does it over an {@code
 * HttpConnection}), extensions other than permessage-deflate, and splitting outgoing messages into
 * frames by size (send {@link Message.Fragment}s to fragment).
 *
 * <p>Not thread-safe: confine an instance to one thread at a time. Buffers given to {@link
 * #receive} are read, never kept; buffers returned by {@link #takeOutput()} belong to the caller.
 */
public final class WebSocketCodec {
  private static final Logger LOG = LoggerFactory.getLogger(WebSocketCodec.class);

  /** Where the close handshake is. */
  public enum State {
    /** Messages flow both ways. */
    OPEN,
    /** We sent a Close; waiting for the server's. Received data is still delivered. */
    CLOSE_SENT,
    /** Both Closes are exchanged, or the connection was failed: nothing more flows. */
    CLOSED
  }

  private final WebSocketOptions options;
  private final PerMessageDeflate deflate;
  private final FrameReader reader;
  private final FrameWriter writer;
  private final Utf8Validator utf8 = new Utf8Validator();
  private final ArrayDeque<byte[]> output = new ArrayDeque<>();

  private State state = State.OPEN;
  private byte[] pendingPong;

  // The message being received.
  private Opcode receivingType;
  private boolean receivingCompressed;
  private byte[] message = new byte[0];
  private int messageSize;

  // The message being sent in fragments.
  private Opcode sendingType;

  /** A codec with no extension, masking with keys from {@code random}. */
  public WebSocketCodec(WebSocketOptions options, SecureRandom random) {
    this(options, null, random);
  }

  WebSocketCodec(WebSocketOptions options, PerMessageDeflate deflate, SecureRandom random) {
    this.options = options;
    this.deflate = deflate;
    this.reader = new FrameReader(options.maxFrameSize(), deflate != null);
    this.writer = new FrameWriter(random);
  }

  /**
   * A codec for a handshake the caller did itself: the extensions the server accepted in {@code
   * responseHeaders} ({@code sec-websocket-extensions}) are checked against what {@code options}
   * offers, and permessage-deflate is on when the server accepted it.
   *
   * @throws HandshakeException {@link HandshakeException.Reason#BAD_EXTENSION} when the server
   *     accepted what was not offered
   */
  public static WebSocketCodec forResponse(
      WebSocketOptions options, Headers responseHeaders, SecureRandom random)
      throws HandshakeException {
    Handshake.Negotiated n = Handshake.check(101, responseHeaders, null, options);
    return new WebSocketCodec(options, n.deflate(), random);
  }

  /** Where the close handshake is. */
  public State state() {
    return state;
  }

  /** Whether permessage-deflate is in use. */
  public boolean compressing() {
    return deflate != null;
  }

  /**
   * Takes all of {@code in} and returns the messages (or, with {@link
   * WebSocketOptions.Delivery#FRAMES}, the frames) completed by it; an incomplete frame waits
   * inside for the next call. After the state is {@link State#CLOSED}, bytes are dropped.
   *
   * @throws WebSocketException when the server broke a rule or passed a limit; a Close frame with
   *     the exception's {@link WebSocketException#closeCode()} is queued and the state is {@link
   *     State#CLOSED}. The exception carries the messages completed before the failure.
   */
  public List<Message> receive(ByteBuffer in) throws WebSocketException {
    List<Message> out = new ArrayList<>();
    try {
      while (state != State.CLOSED && in.hasRemaining()) {
        FrameReader.Frame frame = reader.next(in);
        if (frame == null) {
          break;
        }
        onFrame(frame, out);
      }
    } catch (WebSocketException e) {
      fail(e);
      throw e.withMessagesBeforeFailure(out);
    } finally {
      if (state == State.CLOSED) {
        in.position(in.limit()); // §5.5.1: nothing follows a Close; we stopped reading on failure
      }
    }
    return out;
  }

  private void fail(WebSocketException e) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("failing the WebSocket with {}: {}", e.closeCode(), e.getMessage());
    }
    if (state == State.OPEN) {
      queue(Opcode.CLOSE, true, false, closePayload(e.closeCode(), ""));
    }
    state = State.CLOSED;
    receivingType = null;
    message = new byte[0];
  }

  private void onFrame(FrameReader.Frame frame, List<Message> out) throws WebSocketException {
    switch (frame.opcode()) {
      case TEXT, BINARY -> {
        if (receivingType != null) {
          throw protocolError(
              "a " + frame.opcode() + " frame while a fragmented message is in progress (§5.4)");
        }
        receivingType = frame.opcode();
        receivingCompressed = frame.rsv1();
        messageSize = 0;
        utf8.reset();
        onData(frame, out);
      }
      case CONTINUATION -> {
        if (receivingType == null) {
          throw protocolError("a continuation frame with no message in progress (§5.4)");
        }
        onData(frame, out);
      }
      case PING -> {
        out.add(new Message.Ping(Bytes.of(frame.payload())));
        if (options.autoPong() && state == State.OPEN) {
          pendingPong = frame.payload();
        }
      }
      case PONG -> out.add(new Message.Pong(Bytes.of(frame.payload())));
      case CLOSE -> onClose(frame.payload(), out);
    }
  }

  private void onData(FrameReader.Frame frame, List<Message> out) throws WebSocketException {
    boolean wholeMessages = options.delivery() == WebSocketOptions.Delivery.MESSAGES;
    int budget = options.maxMessageSize() - (wholeMessages ? messageSize : 0);
    byte[] data = frame.payload();
    if (receivingCompressed) {
      data = deflate.decompress(data, frame.fin(), budget);
    } else if (data.length > budget) {
      throw new WebSocketException(
          CloseCodes.TOO_BIG,
          "a message of more than " + options.maxMessageSize() + " bytes (maxMessageSize)");
    }
    if (receivingType == Opcode.TEXT) {
      checkUtf8(data, frame.fin());
    }
    if (wholeMessages) {
      append(data);
      if (frame.fin()) {
        byte[] whole =
            messageSize == message.length ? message : Arrays.copyOf(message, messageSize);
        out.add(
            receivingType == Opcode.TEXT
                ? new Message.Text(new String(whole, StandardCharsets.UTF_8))
                : new Message.Binary(Bytes.of(whole)));
        message = new byte[0];
      }
    } else {
      out.add(new Message.Fragment(frame.opcode(), Bytes.of(data), frame.fin()));
    }
    if (frame.fin()) {
      receivingType = null;
    }
  }

  private void checkUtf8(byte[] data, boolean fin) throws WebSocketException {
    int bad = utf8.feed(data, 0, data.length);
    if (bad >= 0) {
      throw new WebSocketException(
          CloseCodes.INVALID_PAYLOAD,
          String.format(
              "text is not UTF-8: byte 0x%02X at %d of a frame (§8.1)", data[bad] & 0xFF, bad));
    }
    if (fin && !utf8.isComplete()) {
      throw new WebSocketException(
          CloseCodes.INVALID_PAYLOAD, "text ends inside a UTF-8 sequence (§8.1)");
    }
  }

  private void append(byte[] data) {
    if (messageSize == 0 && message.length == 0) {
      message = data; // the usual unfragmented message: no copy
    } else {
      if (messageSize + data.length > message.length) {
        message = Arrays.copyOf(message, Math.max(messageSize + data.length, message.length * 2));
      }
      System.arraycopy(data, 0, message, messageSize, data.length);
    }
    messageSize += data.length;
  }

  private void onClose(byte[] payload, List<Message> out) throws WebSocketException {
    int code = CloseCodes.NO_STATUS;
    String reason = "";
    if (payload.length == 1) {
      throw protocolError("a Close frame with a 1-byte body (§5.5.1: a code takes 2)");
    }
    if (payload.length >= 2) {
      code = (payload[0] & 0xFF) << 8 | payload[1] & 0xFF;
      if (!CloseCodes.isValidOnWire(code)) {
        throw protocolError("close code " + code + " is not valid in a Close frame (§7.4)");
      }
      Utf8Validator check = new Utf8Validator();
      int bad = check.feed(payload, 2, payload.length - 2);
      if (bad >= 0 || !check.isComplete()) {
        throw new WebSocketException(
            CloseCodes.INVALID_PAYLOAD, "the close reason is not UTF-8 (§5.5.1)");
      }
      reason = new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8);
    }
    out.add(new Message.Close(code, reason));
    if (state == State.OPEN) {
      // §5.5.1: echo the status code received
      queue(Opcode.CLOSE, true, false, closePayload(code, ""));
    }
    state = State.CLOSED;
    pendingPong = null;
  }

  /**
   * Encodes {@code message} and queues its bytes; take them with {@link #takeOutput()}. Text and
   * binary messages go as one frame, compressed when permessage-deflate is on; {@link
   * Message.Fragment}s go as one frame each (compressed too, RSV1 on the first); a {@link
   * Message.Close} moves the state to {@link State#CLOSE_SENT}.
   *
   * @throws IllegalStateException when a Close was sent or the connection failed ({@link #state()}
   *     is not {@link State#OPEN}), or the fragments are out of order (a new message while one is
   *     in progress, a continuation with none)
   * @throws IllegalArgumentException when a ping or pong payload is over 125 bytes
   */
  public void send(Message message) {
    if (state != State.OPEN) {
      throw new IllegalStateException("cannot send " + kind(message) + " in state " + state);
    }
    if (message instanceof Message.Text t) {
      sendWhole(Opcode.TEXT, t.text().getBytes(StandardCharsets.UTF_8));
    } else if (message instanceof Message.Binary b) {
      sendWhole(Opcode.BINARY, b.bytes().toByteArray());
    } else if (message instanceof Message.Fragment f) {
      sendFragment(f);
    } else if (message instanceof Message.Ping p) {
      sendControl(Opcode.PING, p.payload());
    } else if (message instanceof Message.Pong p) {
      sendControl(Opcode.PONG, p.payload());
    } else if (message instanceof Message.Close c) {
      queue(Opcode.CLOSE, true, false, closePayload(c.code(), c.reason()));
      state = State.CLOSE_SENT;
    }
  }

  private static String kind(Message message) {
    return message.getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
  }

  private void sendWhole(Opcode opcode, byte[] data) {
    if (sendingType != null) {
      throw new IllegalStateException(
          "a fragmented " + sendingType + " message is in progress: finish it with fin first");
    }
    if (deflate != null) {
      queue(opcode, true, true, deflate.compress(data, 0, data.length, true));
    } else {
      queue(opcode, true, false, data);
    }
  }

  private void sendFragment(Message.Fragment f) {
    boolean first = f.opcode() != Opcode.CONTINUATION;
    if (first && sendingType != null) {
      throw new IllegalStateException(
          "a " + f.opcode() + " fragment while a " + sendingType + " message is in progress");
    }
    if (!first && sendingType == null) {
      throw new IllegalStateException("a continuation fragment with no message in progress");
    }
    byte[] data = f.payload().toByteArray();
    if (deflate != null) {
      queue(f.opcode(), f.fin(), first, deflate.compress(data, 0, data.length, f.fin()));
    } else {
      queue(f.opcode(), f.fin(), false, data);
    }
    sendingType = f.fin() ? null : first ? f.opcode() : sendingType;
  }

  private void sendControl(Opcode opcode, Bytes payload) {
    if (payload.length() > 125) {
      throw new IllegalArgumentException(
          "a " + opcode + " payload is at most 125 bytes (§5.5), got " + payload.length());
    }
    queue(opcode, true, false, payload.toByteArray());
  }

  private static byte[] closePayload(int code, String reason) {
    if (code == CloseCodes.NO_STATUS) {
      return new byte[0];
    }
    byte[] text = reason.getBytes(StandardCharsets.UTF_8);
    byte[] payload = new byte[2 + text.length];
    payload[0] = (byte) (code >>> 8);
    payload[1] = (byte) code;
    System.arraycopy(text, 0, payload, 2, text.length);
    return payload;
  }

  private void queue(Opcode opcode, boolean fin, boolean rsv1, byte[] payload) {
    flushPendingPong();
    output.add(writer.encode(opcode, fin, rsv1, payload, 0, payload.length));
  }

  private void flushPendingPong() {
    if (pendingPong != null) {
      byte[] pong = pendingPong;
      pendingPong = null;
      output.add(writer.encode(Opcode.PONG, true, false, pong, 0, pong.length));
    }
  }

  /** Whether bytes wait to be taken by {@link #takeOutput()}. */
  public boolean hasOutput() {
    return pendingPong != null || !output.isEmpty();
  }

  /**
   * The bytes queued for the server, in order, removed from the queue; an empty buffer when none.
   * The buffer belongs to the caller.
   */
  public ByteBuffer takeOutput() {
    flushPendingPong();
    if (output.size() == 1) {
      return ByteBuffer.wrap(output.poll());
    }
    int total = 0;
    for (byte[] b : output) {
      total += b.length;
    }
    ByteBuffer all = ByteBuffer.allocate(total);
    while (!output.isEmpty()) {
      all.put(output.poll());
    }
    return all.flip();
  }

  /** Releases the native memory of permessage-deflate's compressor; the codec is unusable after. */
  public void release() {
    if (deflate != null) {
      deflate.end();
    }
  }

  private static WebSocketException protocolError(String message) {
    return new WebSocketException(CloseCodes.PROTOCOL_ERROR, message);
  }
}
