// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;
import dev.mint.Headers;
import dev.mint.HttpException;
import dev.mint.HttpException.Fault;
import dev.mint.HttpException.Reason;
import dev.mint.HttpException.Scope;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import java.util.ArrayDeque;

/**
 * What the engine tracks for one stream: its two sides ({@link SendHalf}, {@link ReceiveHalf}),
 * from which its RFC 9113 §5.1 state is derived, both flow-control windows, and the request body
 * still waiting for window. Mutable, confined to the engine.
 */
final class Stream {
  /** The stream identifier: odd for our requests, even for pushes. */
  final int id;

  /** The reference the caller sees on this stream's parts. */
  final RequestRef ref;

  /** Whether the server opened this stream with PUSH_PROMISE. */
  final boolean pushed;

  /** The request method ({@code HEAD} responses have no content; {@code CONNECT} tunnels). */
  final String method;

  /** Whether the stream is a CONNECT or extended CONNECT tunnel (RFC 9113 §8.5, RFC 8441). */
  final boolean tunnel;

  /** The table that holds this stream and counts it, or null before and after. */
  private Streams table;

  // ---- receiving ----

  /**
   * How many more flow-controlled bytes the server may send on this stream; refilled to our
   * SETTINGS_INITIAL_WINDOW_SIZE unless the caller set a level ({@code setStreamReceiveWindow}).
   */
  final Window recvWindow;

  /** Where the response stands; changed only through {@link #moveTo}. */
  private ReceiveHalf receive;

  /** The interim (1xx) responses received so far. */
  int interimResponses;

  /** The final status code, once received. */
  int status;

  /** The response's content-length, or -1. */
  long expectedLength = -1;

  /** The DATA bytes received so far. */
  long receivedLength;

  // ---- sending ----

  /** How many more flow-controlled bytes we may send on this stream; may be negative. */
  final Window sendWindow;

  /** Where the request side stands; changed only through {@link #moveTo}. */
  private SendHalf send;

  /** The content-length the caller declared, or -1. */
  long declaredLength = -1;

  /** The body bytes the caller handed over so far. */
  long acceptedLength;

  /** Body bytes waiting for flow-control window, in order; made for the first body bytes. */
  private ArrayDeque<Bytes> pending;

  /** The bytes in {@link #pending}. */
  private long pendingBytes;

  /** Trailers to send (with END_STREAM) once {@link #pending} drains, or null. */
  Headers pendingTrailers;

  Stream(int id, RequestRef ref, String method, long sendWindow, long recvWindow) {
    this.id = id;
    this.ref = ref;
    this.pushed = (id & 1) == 0; // RFC 9113 §5.1.1: the server's streams are even
    this.method = method;
    this.tunnel = method.equals("CONNECT");
    // a request is open once its HEADERS are queued; a push is reserved, the server's to send on
    this.send = pushed ? SendHalf.ENDED : SendHalf.STREAMING;
    this.receive = pushed ? ReceiveHalf.RESERVED : ReceiveHalf.AWAITING_RESPONSE;
    this.sendWindow = new Window(sendWindow, -1);
    this.recvWindow = new Window(recvWindow, -1);
  }

  /**
   * The state (RFC 9113 §5.1), derived from the two sides: a side is closed once its END_STREAM
   * passed or the stream was reset, and a push is reserved (remote) until its response HEADERS.
   * Idle streams have no {@code Stream}; a client reserves none locally.
   */
  StreamState state() {
    boolean localOpen = !send.isClosed();
    return switch (receive) {
      case RESERVED -> StreamState.RESERVED_REMOTE;
      case AWAITING_RESPONSE, BODY -> localOpen ? StreamState.OPEN : StreamState.HALF_CLOSED_LOCAL;
      case ENDED, FAILED -> localOpen ? StreamState.HALF_CLOSED_REMOTE : StreamState.CLOSED;
    };
  }

  SendHalf send() {
    return send;
  }

  ReceiveHalf receive() {
    return receive;
  }

  /**
   * Checks a frame received on this stream against its state (RFC 9113 §5.1); the sides then record
   * what the frame changed.
   */
  void on(StreamEvent event) throws Http2Error {
    state().next(event, id);
  }

  void onReceive(ReceiveHalf.Event event) {
    moveTo(send, receive.next(event));
  }

  void onSendHalf(SendHalf.Event event) {
    moveTo(send.next(event), receive);
  }

  /** Counts this stream out of the table that held it, and into {@code streams} (or none: null). */
  void heldBy(Streams streams) {
    if (table != null) {
      table.count(this, -1);
    }
    table = streams;
    if (table != null) {
      table.count(this, 1);
    }
  }

  /** The one place the sides change: the table's counts follow. */
  private void moveTo(SendHalf nextSend, ReceiveHalf nextReceive) {
    Streams held = table;
    heldBy(null);
    send = nextSend;
    receive = nextReceive;
    heldBy(held);
  }

  long pendingBytes() {
    return pendingBytes;
  }

  /** Takes body bytes (never empty) from the caller, to wait behind those already waiting. */
  void queueBody(Bytes bytes) {
    if (pending == null) {
      pending = new ArrayDeque<>(2);
    }
    pending.add(bytes);
    pendingBytes += bytes.length();
    acceptedLength += bytes.length();
  }

  /** Takes up to {@code max} (at least 1) bytes of the first chunk waiting, which must exist. */
  Bytes takeBody(long max) {
    Bytes head = pending.pollFirst();
    if (max < head.length()) {
      pending.addFirst(head.slice((int) max, head.length()));
      head = head.slice(0, (int) max);
    }
    pendingBytes -= head.length();
    return head;
  }

  /** Drops the body bytes waiting. */
  void dropBody() {
    pending = null;
    pendingBytes = 0;
  }

  /** Whether the response to a request of this method with this status has no content. */
  boolean responseHasNoContent() {
    return method.equals("HEAD") || status == 204 || status == 304;
  }

  /** A {@link #failure(Reason, Fault, Scope, String, long, boolean) failure} of request scope. */
  ResponsePart.RequestError failure(
      Reason reason, Fault fault, String message, long errorCode, boolean retrySafe) {
    return failure(reason, fault, Scope.REQUEST, message, errorCode, retrySafe);
  }

  /**
   * The part that ends this stream's request with a failure.
   *
   * @param scope {@link Scope#CONNECTION} when the connection ended under the request
   * @param errorCode the RFC 9113 §7 code sent or received in RST_STREAM or GOAWAY
   * @param retrySafe whether the server is known not to have processed the request
   */
  ResponsePart.RequestError failure(
      Reason reason, Fault fault, Scope scope, String message, long errorCode, boolean retrySafe) {
    onReceive(ReceiveHalf.Event.FAIL);
    return new ResponsePart.RequestError(
        ref, new HttpException(reason, fault, scope, message, errorCode, retrySafe, null));
  }

  @Override
  public String toString() {
    return "Stream[" + id + " " + state() + " " + ref + "]";
  }
}
