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

  /** What went wrong. Each constant documents its usual fault and scope. */
  public enum Reason {
    // ---- caller errors: invalid requests (caller, request) ----
    /** The method is not a token (RFC 9110 §9.1). */
    INVALID_METHOD,
    /** The request target contains bytes that cannot be sent (RFC 9112 §3.2). */
    INVALID_TARGET,
    /** A header name is empty or not a token (RFC 9110 §5.1). */
    INVALID_HEADER_NAME,
    /** A header value contains CR, LF, NUL or another forbidden byte (RFC 9110 §5.5). */
    INVALID_HEADER_VALUE,
    /** A header the protocol manages was set in a way that contradicts the request. */
    INVALID_REQUEST_HEADER,
    /** The reference names no request in flight on this connection. */
    UNKNOWN_REQUEST,
    /** Body bytes or an end were given for a request whose body is not streaming or has ended. */
    BODY_NOT_STREAMING,
    /** A streamed body sent more or fewer bytes than its declared {@code content-length}. */
    BODY_LENGTH_MISMATCH,
    /** The operation is not possible in the connection's current state. */
    INVALID_STATE,
    /** The request would exceed a limit of the peer (HTTP/2 concurrent streams, window). */
    PEER_LIMIT_REACHED,
    /**
     * The bytes waiting to be written would pass the connection's output bound (caller, request): a
     * streamed body or tunnel outran the peer. Nothing was queued; wait for write readiness, call
     * {@code stream()} (or {@code recv}) to drain the queue, then send again.
     */
    OUTPUT_QUEUE_FULL,
    /**
     * The caller cancelled the request with {@code cancelRequest} (caller, request): the part that
     * ends it when the engine reports one (HTTP/2 sends RST_STREAM CANCEL).
     */
    CANCELLED,

    // ---- peer errors: malformed or hostile responses (peer, connection) ----
    /** The status line is malformed (RFC 9112 §4). */
    INVALID_STATUS_LINE,
    /** The response uses an HTTP version this engine does not speak. */
    UNSUPPORTED_VERSION,
    /** A header or trailer line is malformed (RFC 9112 §5). */
    INVALID_RESPONSE_HEADER,
    /** The header section exceeded the configured maximum size. */
    HEADER_SECTION_TOO_LARGE,
    /** The trailer section exceeded the configured maximum size. */
    TRAILER_SECTION_TOO_LARGE,
    /** {@code content-length} is not a non-negative decimal number (RFC 9110 §8.6). */
    INVALID_CONTENT_LENGTH,
    /** Several {@code content-length} values that disagree, or repeat (strict mode). */
    CONFLICTING_CONTENT_LENGTH,
    /** Both {@code transfer-encoding} and {@code content-length} were sent (RFC 9112 §6.3). */
    TRANSFER_ENCODING_WITH_CONTENT_LENGTH,
    /** A transfer coding other than a final {@code chunked} (RFC 9112 §6.1). */
    UNSUPPORTED_TRANSFER_ENCODING,
    /** A chunk size line is not strict hexadecimal or overflows (RFC 9112 §7.1). */
    INVALID_CHUNK_SIZE,
    /** Chunk data was not followed by CRLF, or the chunk framing is otherwise broken. */
    INVALID_CHUNK_FRAMING,
    /** Bytes arrived while no request was waiting for a response. */
    UNEXPECTED_DATA,
    /**
     * The peer closed the connection before the response was complete (peer, connection: the
     * connection is gone, whatever protocol it spoke).
     */
    PREMATURE_CLOSE,
    /**
     * The response is delimited by the end of the connection (RFC 9112 §6.3, no length and no
     * chunking) and the TLS connection ended without a {@code close_notify} alert, so a truncation
     * cannot be told from the end (RFC 9112 §9.8) (peer, connection). The parts before it are kept.
     * {@link Http1Options#acceptCloseWithoutCloseNotify()} accepts such an end as complete, for
     * servers known to skip the alert.
     */
    TRUNCATED_RESPONSE,
    /**
     * The server sent more interim (1xx) responses to one request than {@link
     * Http1Options#maxInterimResponses()} or {@link Http2Options#maxInterimResponses()} allow
     * (peer; connection scope over HTTP/1.1, which cannot skip the rest of a response; request
     * scope over HTTP/2, where the stream is reset with ENHANCE_YOUR_CALM).
     */
    TOO_MANY_INTERIM_RESPONSES,

    // ---- HTTP/2 (RFC 9113) ----
    /** HTTP/2 connection error: the peer broke a framing or state rule (see the error code). */
    HTTP2_CONNECTION_ERROR,
    /**
     * HTTP/2 stream error found by this side: the peer broke a rule on one stream, which was reset
     * with RST_STREAM (peer, request; see the error code).
     */
    HTTP2_STREAM_ERROR,
    /**
     * The server reset the stream with RST_STREAM (peer, request); {@link #http2ErrorCode()} is the
     * code it sent (RFC 9113 §7; REFUSED_STREAM means unprocessed, so retry-safe).
     */
    STREAM_RESET_BY_PEER,
    /** The peer sent GOAWAY; requests it did not process are safe to retry elsewhere. */
    HTTP2_GOAWAY,
    /** A flow-control window is exhausted; wait for WINDOW_UPDATE before sending more. */
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
