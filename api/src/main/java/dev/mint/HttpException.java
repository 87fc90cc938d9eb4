// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.util.Objects;

/**
 * The HTTP protocol was broken. Every instance says:
 *
 * <ul>
 *   <li>{@link #reason()}: what went wrong, machine-readable;
 *   <li>{@link #fault()}: who broke the rules, the {@linkplain Fault#PEER peer} (a malformed
 *       response) or the {@linkplain Fault#CALLER caller} (an invalid request);
 *   <li>{@link #scope()}: whether it ends one {@linkplain Scope#REQUEST request} (the connection
 *       stays usable) or the whole {@linkplain Scope#CONNECTION connection};
 *   <li>{@link #http2ErrorCode()}: for HTTP/2, the RFC 9113 §7 error code sent or received, or -1.
 * </ul>
 *
 * <p>A caller error thrown by {@code request}, {@code streamRequestBody} or {@code endRequestBody}
 * has request scope and leaves the connection as it was: nothing reached the wire.
 */
public final class HttpException extends MintException {
  private static final long serialVersionUID = 1L;

  /** Who broke the protocol. */
  public enum Fault {
    /** The server (or proxy) sent something the RFCs forbid, or exceeded one of our limits. */
    PEER,
    /** The caller asked for something that cannot be sent or done. */
    CALLER
  }

  /** How much the error ends. */
  public enum Scope {
    /** One request failed; the connection remains usable. */
    REQUEST,
    /** The connection is unusable and has been closed. */
    CONNECTION
  }

  /**
   * What went wrong. Each constant is the one list of where it comes from: a line per engine that
   * produces it ({@code HTTP/1.1:}, {@code HTTP/2:}) gives the fault and scope it comes with, and
   * when. A caller error of request scope changed nothing and queued nothing.
   */
  public enum Reason {
    // ---- caller errors: invalid requests ----
    /**
     * The method is not a token (RFC 9110 §9.1).
     *
     * <p>HTTP/1.1: caller, request. HTTP/2: caller, request.
     */
    INVALID_METHOD,
    /**
     * The request target contains bytes that cannot be sent (RFC 9112 §3.2).
     *
     * <p>HTTP/1.1: caller, request. HTTP/2: caller, request.
     */
    INVALID_TARGET,
    /**
     * A header name is empty or not a token (RFC 9110 §5.1).
     *
     * <p>HTTP/1.1: caller, request. HTTP/2: caller, request.
     */
    INVALID_HEADER_NAME,
    /**
     * A header value contains CR, LF, NUL or another forbidden byte, or leading or trailing
     * whitespace (RFC 9110 §5.5).
     *
     * <p>HTTP/1.1: caller, request. HTTP/2: caller, request.
     */
    INVALID_HEADER_VALUE,
    /**
     * A header the protocol manages was set in a way that contradicts the request: a {@code
     * transfer-encoding} with a fixed body or one that does not end in {@code chunked}, trailers
     * without chunked framing, trailers that frame, route or manage the connection, HTTP/2
     * connection-specific fields, a client-only setting.
     *
     * <p>HTTP/1.1: caller, request. HTTP/2: caller, request.
     */
    INVALID_REQUEST_HEADER,
    /**
     * The reference names no request in flight on this connection.
     *
     * <p>HTTP/1.1: caller, request. HTTP/2: caller, request.
     */
    UNKNOWN_REQUEST,
    /**
     * Body bytes or an end were given for a request whose body is not streaming or has ended.
     *
     * <p>HTTP/1.1: caller, request. HTTP/2: caller, request.
     */
    BODY_NOT_STREAMING,
    /**
     * A streamed body sent more or fewer bytes than its declared {@code content-length}.
     *
     * <p>HTTP/1.1: caller, request. HTTP/2: caller, request.
     */
    BODY_LENGTH_MISMATCH,
    /**
     * The operation is not possible in the connection's current state.
     *
     * <p>HTTP/1.1: caller, request (a request while a streamed body is open, behind a CONNECT or
     * upgrade request still in flight, while the connection drains after {@code connection: close},
     * or once it is a tunnel; a CONNECT with a fixed body); caller, connection (any sending call
     * once the engine is closed, for whatever reason). HTTP/2: caller, request (closed, GOAWAY
     * received, identifiers used up, too many pings or unacknowledged settings, a tunnel with a
     * fixed body or trailers).
     */
    INVALID_STATE,
    /**
     * The request would exceed a limit of the peer.
     *
     * <p>HTTP/1.1: caller, request (too many requests in flight). HTTP/2: caller, request (the
     * server's concurrent streams, or before its SETTINGS arrive {@link
     * Http2Options#maxConcurrentStreamsBeforeSettings()}, or its header list size).
     */
    PEER_LIMIT_REACHED,
    /**
     * The bytes waiting to be written would pass the connection's output bound: a header section,
     * streamed body or tunnel outran the peer; a fixed body never counts. Nothing was queued; wait
     * for write readiness, call {@code stream()} (or {@code recv}) to drain the queue, then send
     * again.
     *
     * <p>HTTP/1.1: caller, request.
     */
    OUTPUT_QUEUE_FULL,
    /**
     * The caller cancelled the request with {@code cancelRequest}: the part that ends it when the
     * engine reports one.
     *
     * <p>HTTP/2: caller, request (the stream is reset with CANCEL; none when the response had
     * ended).
     */
    CANCELLED,

    // ---- peer errors: malformed or hostile responses ----
    /**
     * The status line is malformed (RFC 9112 §4), or a 101 answers a request that offered no
     * upgrade.
     *
     * <p>HTTP/1.1: peer, connection.
     */
    INVALID_STATUS_LINE,
    /**
     * The response uses an HTTP version this engine does not speak.
     *
     * <p>HTTP/1.1: peer, connection.
     */
    UNSUPPORTED_VERSION,
    /**
     * A header or trailer line is malformed (RFC 9112 §5).
     *
     * <p>HTTP/1.1: peer, connection.
     */
    INVALID_RESPONSE_HEADER,
    /**
     * The header section exceeded the configured maximum size.
     *
     * <p>HTTP/1.1: peer, connection.
     */
    HEADER_SECTION_TOO_LARGE,
    /**
     * The trailer section exceeded the configured maximum size.
     *
     * <p>HTTP/1.1: peer, connection.
     */
    TRAILER_SECTION_TOO_LARGE,
    /**
     * {@code content-length} is not a non-negative decimal number (RFC 9110 §8.6).
     *
     * <p>HTTP/1.1: peer, connection.
     */
    INVALID_CONTENT_LENGTH,
    /**
     * Several {@code content-length} values that disagree, or repeat (strict mode).
     *
     * <p>HTTP/1.1: peer, connection.
     */
    CONFLICTING_CONTENT_LENGTH,
    /**
     * Both {@code transfer-encoding} and {@code content-length} were sent (RFC 9112 §6.3).
     *
     * <p>HTTP/1.1: peer, connection.
     */
    TRANSFER_ENCODING_WITH_CONTENT_LENGTH,
    /**
     * A transfer coding other than a final {@code chunked} (RFC 9112 §6.1).
     *
     * <p>HTTP/1.1: peer, connection.
     */
    UNSUPPORTED_TRANSFER_ENCODING,
    /**
     * A chunk size line is not strict hexadecimal or overflows (RFC 9112 §7.1).
     *
     * <p>HTTP/1.1: peer, connection.
     */
    INVALID_CHUNK_SIZE,
    /**
     * Chunk data was not followed by CRLF, or the chunk framing is otherwise broken.
     *
     * <p>HTTP/1.1: peer, connection.
     */
    INVALID_CHUNK_FRAMING,
    /**
     * Bytes arrived while no request was waiting for a response.
     *
     * <p>HTTP/1.1: peer, connection.
     */
    UNEXPECTED_DATA,
    /**
     * The peer closed the connection before the response was complete (the connection is gone,
     * whatever protocol it spoke).
     *
     * <p>HTTP/1.1: peer, connection (from {@code receiveEnd}: inside a response, or after an
     * interim one). HTTP/2: peer, connection (from {@code receiveEnd}: thrown once when responses
     * were incomplete; after a GOAWAY, a {@link ResponsePart.RequestError} for each stream left
     * open instead, with the GOAWAY's code, not retry-safe since the server may have processed it).
     */
    PREMATURE_CLOSE,
    /**
     * The response is delimited by the end of the connection (RFC 9112 §6.3, no length and no
     * chunking) and the TLS connection ended without a {@code close_notify} alert, so a truncation
     * cannot be told from the end (RFC 9112 §9.8). The parts before it are kept. {@link
     * Http1Options#acceptCloseWithoutCloseNotify()} accepts such an end as complete, for servers
     * known to skip the alert.
     *
     * <p>HTTP/1.1: peer, connection.
     */
    TRUNCATED_RESPONSE,
    /**
     * The server sent more interim (1xx) responses to one request than {@link
     * Http1Options#maxInterimResponses()} or {@link Http2Options#maxInterimResponses()} allow.
     *
     * <p>HTTP/1.1: peer, connection (HTTP/1.1 cannot skip the rest of a response). HTTP/2: peer,
     * request (the stream is reset with ENHANCE_YOUR_CALM).
     */
    TOO_MANY_INTERIM_RESPONSES,

    // ---- HTTP/2 (RFC 9113) ----
    /**
     * HTTP/2 connection error: the peer broke a framing or state rule; {@link #http2ErrorCode()} is
     * the code of the GOAWAY we sent.
     *
     * <p>HTTP/2: peer, connection.
     */
    HTTP2_CONNECTION_ERROR,
    /**
     * HTTP/2 stream error found by this side: the peer broke a rule on one stream, which was reset
     * with RST_STREAM (see the error code).
     *
     * <p>HTTP/2: peer, request.
     */
    HTTP2_STREAM_ERROR,
    /**
     * The server reset the stream with RST_STREAM; {@link #http2ErrorCode()} is the code it sent
     * (RFC 9113 §7; REFUSED_STREAM means unprocessed, so retry-safe).
     *
     * <p>HTTP/2: peer, request.
     */
    STREAM_RESET_BY_PEER,
    /**
     * The peer sent GOAWAY naming a last stream below this one: the request was not processed and
     * is safe to retry elsewhere.
     *
     * <p>HTTP/2: peer, request.
     */
    HTTP2_GOAWAY,
    /**
     * More of one streamed request body would wait inside the connection than the bound per request
     * body allows (for flow-control window, or for the socket); send less, or receive until a
     * WINDOW_UPDATE arrives.
     *
     * <p>HTTP/2: caller, request.
     */
    HTTP2_FLOW_CONTROL_BLOCKED
  }

  /** What went wrong: {@link #reason()}. */
  private final Reason reason;

  /** Who was at fault: {@link #fault()}. */
  private final Fault fault;

  /** What the error ends: {@link #scope()}. */
  private final Scope scope;

  /** The RFC 9113 §7 error code, or -1: {@link #http2ErrorCode()}. */
  private final long http2ErrorCode;

  /** Whether the request may be sent again: {@link #isRetrySafe()}. */
  private final boolean retrySafe;

  /** A protocol error. */
  public HttpException(Reason reason, Fault fault, Scope scope, String message) {
    this(reason, fault, scope, message, -1, false, null);
  }

  /** A protocol error with every attribute. */
  public HttpException(
      Reason reason,
      Fault fault,
      Scope scope,
      String message,
      long http2ErrorCode,
      boolean retrySafe,
      Throwable cause) {
    super(reason + ": " + message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.fault = Objects.requireNonNull(fault, "fault");
    this.scope = Objects.requireNonNull(scope, "scope");
    this.http2ErrorCode = http2ErrorCode;
    this.retrySafe = retrySafe;
  }

  /** A caller error that ends only the request being made. */
  public static HttpException caller(Reason reason, String message) {
    return new HttpException(reason, Fault.CALLER, Scope.REQUEST, message);
  }

  /** A peer error that ends the connection. */
  public static HttpException peer(Reason reason, String message) {
    return new HttpException(reason, Fault.PEER, Scope.CONNECTION, message);
  }

  /** What went wrong. */
  public Reason reason() {
    return reason;
  }

  /** Who broke the protocol. */
  public Fault fault() {
    return fault;
  }

  /** Whether one request or the whole connection ended. */
  public Scope scope() {
    return scope;
  }

  /** The HTTP/2 error code (RFC 9113 §7), or -1 for HTTP/1.1 and errors without one. */
  public long http2ErrorCode() {
    return http2ErrorCode;
  }

  /**
   * Whether the request is known not to have been processed by the server, so that sending it again
   * (on another connection) is safe whatever its method.
   */
  public boolean isRetrySafe() {
    return retrySafe;
  }
}
