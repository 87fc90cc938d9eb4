// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.HttpException.Reason;

/**
 * A rule of RFC 9113 was broken by the peer: either a connection error (§5.4.1: GOAWAY, the
 * connection ends) or a stream error (§5.4.2: RST_STREAM, one stream ends). Internal to the engine,
 * which turns it into a {@link dev.mint.HttpException} or a {@link
 * dev.mint.ResponsePart.RequestError}. Thrown without a stack trace: it is an expected outcome of
 * parsing hostile input, not a bug.
 */
final class Http2Error extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient ErrorCode code;
  private final int streamId;
  private final Reason reason;

  private Http2Error(ErrorCode code, int streamId, Reason reason, String message) {
    super(message, null, false, false);
    this.code = code;
    this.streamId = streamId;
    this.reason = reason;
  }

  /** A connection error (RFC 9113 §5.4.1). */
  static Http2Error connection(ErrorCode code, String message) {
    return new Http2Error(code, 0, Reason.HTTP2_CONNECTION_ERROR, message);
  }

  /**
   * A stream error on {@code streamId} (RFC 9113 §5.4.2), reported to the caller as {@link
   * Reason#HTTP2_STREAM_ERROR}.
   */
  static Http2Error stream(int streamId, ErrorCode code, String message) {
    return stream(streamId, code, Reason.HTTP2_STREAM_ERROR, message);
  }

  /** A stream error on {@code streamId} that the caller sees with a reason of its own. */
  static Http2Error stream(int streamId, ErrorCode code, Reason reason, String message) {
    return new Http2Error(code, streamId, reason, message);
  }

  /** A connection error when {@code streamId} is 0, else a stream error on it. */
  static Http2Error on(int streamId, ErrorCode code, String message) {
    return streamId == 0 ? connection(code, message) : stream(streamId, code, message);
  }

  /** The error code to send. */
  ErrorCode code() {
    return code;
  }

  /** The stream of a stream error; 0 for a connection error. */
  int streamId() {
    return streamId;
  }

  /** The reason the caller sees. */
  Reason reason() {
    return reason;
  }

  /** Whether the whole connection ends: a stream error always names a stream (RFC 9113 §5.4.2). */
  boolean isConnectionError() {
    return streamId == 0;
  }
}
