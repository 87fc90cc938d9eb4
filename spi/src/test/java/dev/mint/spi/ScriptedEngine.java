// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.mint.Bytes;
import dev.mint.Headers;
import dev.mint.Http2Operations;
import dev.mint.HttpConnection;
import dev.mint.HttpException;
import dev.mint.MintException;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.slf4j.MDC;

/**
 * A tiny line-based protocol engine for testing the shell. A request is sent as {@code REQ <method>
 * <target>\n} followed by its fixed body; streamed chunks are sent as given. The peer answers in
 * lines, for the oldest open request:
 *
 * <ul>
 *   <li>{@code S <code>}: a status; {@code D <text>}: data; {@code E}: done;
 *   <li>{@code X <message>}: a connection error from the peer (the engine closes);
 *   <li>{@code C}: the peer asks to close (the engine finishes);
 *   <li>{@code P}: a ping the engine answers by queueing {@code ACK\n}.
 * </ul>
 *
 * The methods {@code BAD} and {@code FATAL} make {@link #request} fail with request and connection
 * scope. {@link #close()} queues {@code BYE\n}. A fixed body that does not fit the output queue
 * waits in the engine and moves into the queue as the shell takes the queue ({@link #takeOutput}),
 * unless {@link #holdFixedBodies} queues fixed bodies by reference with {@link
 * OutputQueue#addHeld}. With {@link #rawBodies}, received bytes are body bytes, not lines.
 */
final class ScriptedEngine implements ProtocolEngine {
  private final Protocol protocol;
  private final OutputQueue output;
  private final ArrayDeque<RequestRef> open = new ArrayDeque<>();
  private final StringBuilder line = new StringBuilder();

  /** Fixed body bytes that did not fit the output queue yet, in order. */
  private final ArrayDeque<ByteBuffer> waiting = new ArrayDeque<>();

  private long sequence;
  private boolean closed;
  private boolean closing;
  boolean closeOnCancel;

  /** What the shell said of the peer's end in {@link #receiveEnd}, or null before it. */
  Boolean endClean;

  /** Queue fixed bodies with {@link OutputQueue#addHeld} rather than waiting for room. */
  boolean holdFixedBodies;

  long bytesReceived;

  /**
   * Every received buffer becomes one {@link ResponsePart.Data} of the oldest open request, made by
   * {@link ReadBuffers#bodyChunk}, instead of being parsed as lines.
   */
  boolean rawBodies;

  ScriptedEngine() {
    this(Protocol.HTTP1, OutputQueue.DEFAULT_LIMIT);
  }

  ScriptedEngine(Protocol protocol, long outputLimit) {
    this.protocol = protocol;
    this.output = new OutputQueue(outputLimit);
  }

  @Override
  public Protocol protocol() {
    return protocol;
  }

  @Override
  public RequestRef request(String method, String target, Headers headers, RequestBody body)
      throws HttpException {
    if (method.equals("BAD")) {
      throw HttpException.caller(HttpException.Reason.INVALID_METHOD, "BAD is not allowed");
    }
    if (method.equals("FATAL") || !canSendRequests()) {
      closed = true;
      throw new HttpException(
          HttpException.Reason.INVALID_STATE,
          HttpException.Fault.CALLER,
          HttpException.Scope.CONNECTION,
          "cannot send " + method);
    }
    byte[] head = ("REQ " + method + " " + target + "\n").getBytes(StandardCharsets.UTF_8);
    byte[] fixed = body instanceof RequestBody.Fixed f ? f.bytes().toByteArray() : new byte[0];
    if (output.room() < head.length) {
      throw HttpException.caller(HttpException.Reason.INVALID_STATE, "output queue full");
    }
    output.add(ByteBuffer.wrap(head));
    if (holdFixedBodies && body instanceof RequestBody.Fixed f) {
      output.addHeld(f.bytes());
    }
    waiting.add(ByteBuffer.wrap(holdFixedBodies ? new byte[0] : fixed));
    refill(); // what fits goes into the queue now, the rest waits for room
    RequestRef ref = ApiAccess.newRequestRef(++sequence, method + " " + target);
    open.add(ref);
    return ref;
  }

  @Override
  public void streamRequestBody(RequestRef ref, ByteBuffer chunk) throws HttpException {
    output.addCopy(chunk);
  }

  @Override
  public void endRequestBody(RequestRef ref, Headers trailers) throws HttpException {
    output.add(ByteBuffer.wrap("END\n".getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void receive(ByteBuffer in, List<ResponsePart> out) throws HttpException {
    bytesReceived += in.remaining();
    if (rawBodies) {
      out.add(new ResponsePart.Data(current("raw"), ReadBuffers.bodyChunk(in, in.remaining())));
      return;
    }
    while (in.hasRemaining()) {
      char c = (char) (in.get() & 0xFF);
      if (c != '\n') {
        line.append(c);
        continue;
      }
      String l = line.toString();
      line.setLength(0);
      handle(l, out);
    }
  }

  private void handle(String l, List<ResponsePart> out) throws HttpException {
    char kind = l.isEmpty() ? '?' : l.charAt(0);
    String arg = l.length() > 2 ? l.substring(2) : "";
    switch (kind) {
      case 'S' -> out.add(new ResponsePart.Status(current(l), Integer.parseInt(arg)));
      case 'D' -> out.add(new ResponsePart.Data(current(l), Bytes.utf8(arg)));
      case 'E' -> {
        current(l);
        out.add(new ResponsePart.Done(open.poll()));
      }
      case 'C' -> closed = true;
      case 'P' -> output.add(ByteBuffer.wrap("ACK\n".getBytes(StandardCharsets.UTF_8)));
      case 'X' -> {
        closed = true;
        throw HttpException.peer(HttpException.Reason.INVALID_STATUS_LINE, arg);
      }
      default -> {
        closed = true;
        throw HttpException.peer(HttpException.Reason.UNEXPECTED_DATA, "unknown line " + l);
      }
    }
  }

  private RequestRef current(String l) throws HttpException {
    RequestRef ref = open.peek();
    if (ref == null) {
      closed = true;
      throw HttpException.peer(HttpException.Reason.UNEXPECTED_DATA, "no request for " + l);
    }
    return ref;
  }

  @Override
  public void receiveEnd(boolean clean, List<ResponsePart> out) throws HttpException {
    endClean = clean;
    closed = true;
    if (!open.isEmpty()) {
      throw HttpException.peer(
          HttpException.Reason.PREMATURE_CLOSE, "peer closed with " + open.size() + " open");
    }
  }

  @Override
  public void cancelRequest(RequestRef ref, List<ResponsePart> out) throws HttpException {
    if (open.remove(ref)) {
      out.add(
          new ResponsePart.RequestError(
              ref,
              new HttpException(
                  HttpException.Reason.HTTP2_STREAM_ERROR,
                  HttpException.Fault.CALLER,
                  HttpException.Scope.REQUEST,
                  "cancelled")));
      if (closeOnCancel) {
        closed = true;
      }
    }
  }

  /** The bytes queued, for tests. */
  OutputQueue output() {
    return output;
  }

  @Override
  public boolean hasOutput() {
    return !output.isEmpty() || !closed && !waiting.isEmpty();
  }

  @Override
  public long takeOutput(long max, List<ByteBuffer> out) {
    refill();
    return output.take(max, out);
  }

  /** Moves waiting body bytes into the queue, as many as fit. */
  private boolean refill() {
    boolean queued = false;
    while (!closed && !waiting.isEmpty()) {
      ByteBuffer head = waiting.peek();
      int n = (int) Math.min(head.remaining(), output.room());
      if (n == 0 && head.hasRemaining()) {
        break;
      }
      ByteBuffer piece = head.slice();
      piece.limit(n);
      head.position(head.position() + n);
      if (!head.hasRemaining()) {
        waiting.poll();
      }
      try {
        output.add(piece);
      } catch (HttpException e) {
        throw new IllegalStateException("room was checked", e);
      }
      queued |= n > 0;
    }
    return queued;
  }

  @Override
  public int openRequestCount() {
    return open.size();
  }

  @Override
  public boolean canSendRequests() {
    return !closed && !closing;
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public void close() {
    if (!closing && !closed) {
      closing = true;
      closed = true;
      try {
        output.add(ByteBuffer.wrap("BYE\n".getBytes(StandardCharsets.UTF_8)));
      } catch (HttpException full) {
        // no room for the goodbye: the connection closes without it
      }
    }
  }

  /**
   * A small HTTP/2 surface whose commands run through the shell's runner: {@code ping()} queues
   * {@code PING <n>\n} and notes the connection id in the MDC while it ran; {@code updateSettings}
   * with push enabled is a caller error of request scope, with a maximum frame size other than the
   * default a connection error (the engine closes). The other operations answer fixed values.
   */
  @Override
  public Optional<Http2Operations> http2(CommandRunner shell) {
    return Optional.of(new Controls(shell));
  }

  /** The connection id the MDC held while the last command ran, or null. */
  String commandLogContext;

  /** How many commands ran. */
  int commandsRun;

  private final class Controls implements Http2Operations {
    private final CommandRunner shell;

    Controls(CommandRunner shell) {
      this.shell = shell;
    }

    @Override
    public RequestRef ping() throws MintException {
      return shell.run(
          () -> {
            commandsRun++;
            commandLogContext = MDC.get(HttpConnection.LOG_CONTEXT_KEY);
            output.add(ByteBuffer.wrap(("PING " + ++sequence + "\n").getBytes(UTF_8)));
            return ApiAccess.newRequestRef(sequence, "PING");
          });
    }

    @Override
    public RequestRef ping(Bytes payload) throws MintException {
      return ping();
    }

    @Override
    public void setConnectionReceiveWindow(int size) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void setStreamReceiveWindow(RequestRef ref, int size) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void updateSettings(Settings settings) throws MintException {
      shell.run(
          () -> {
            commandsRun++;
            if (settings.enablePush()) {
              throw HttpException.caller(HttpException.Reason.INVALID_STATE, "no push here");
            }
            if (settings.maxFrameSize() != Settings.defaults().maxFrameSize()) {
              closed = true;
              output.add(ByteBuffer.wrap("BYE\n".getBytes(UTF_8)));
              throw new HttpException(
                  HttpException.Reason.INVALID_STATE,
                  HttpException.Fault.CALLER,
                  HttpException.Scope.CONNECTION,
                  "frame size fixed");
            }
            output.add(ByteBuffer.wrap("SETTINGS\n".getBytes(UTF_8)));
            return null;
          });
    }

    @Override
    public Settings clientSettings() {
      return Settings.defaults();
    }

    @Override
    public Settings serverSettings() {
      return Settings.defaults();
    }

    @Override
    public boolean serverSettingsReceived() {
      return false;
    }

    @Override
    public int connectionSendWindow() {
      return 65_535;
    }

    @Override
    public OptionalInt streamSendWindow(RequestRef ref) {
      return OptionalInt.empty();
    }

    @Override
    public int connectionReceiveWindow() {
      return 65_535;
    }

    @Override
    public OptionalInt streamReceiveWindow(RequestRef ref) {
      return OptionalInt.empty();
    }

    @Override
    public long queuedRequestBodyBytes() {
      return 0;
    }

    @Override
    public long maxConcurrentStreams() {
      return 100;
    }

    @Override
    public int openStreamCount() {
      return open.size();
    }
  }
}
