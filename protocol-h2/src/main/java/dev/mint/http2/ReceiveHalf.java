// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

/**
 * Where the response side of a stream stands: what the caller has been given. All transitions are
 * in {@link #next}.
 *
 * <pre>
 *   AWAITING_RESPONSE --FINAL_HEADERS--&gt; BODY --END_STREAM--&gt; ENDED (Done reported)
 *   AWAITING_RESPONSE, BODY --FAIL--&gt; FAILED (RequestError reported, or the caller cancelled)
 * </pre>
 *
 * Interim (1xx) responses leave the state as it is. ENDED and FAILED are both done: no more parts
 * for the stream.
 */
enum ReceiveHalf {
  /** No final response yet; interim responses may come. */
  AWAITING_RESPONSE,
  /** The final response headers came; DATA and trailers may follow. */
  BODY,
  /** The server ended the response with END_STREAM, and Done was reported. */
  ENDED,
  /** The response ended with a failure, or the caller gave it up: no more parts. */
  FAILED;

  /** What happens to the response side. */
  enum Event {
    /** A final (non-1xx) response header block arrived. */
    FINAL_HEADERS,
    /** The server ended its side with END_STREAM, the response whole. */
    END_STREAM,
    /** The response failed (stream error, reset, GOAWAY, cancel). */
    FAIL
  }

  /**
   * The state after {@code event}.
   *
   * @throws IllegalStateException for a pair the receiver rules out before (a second final response
   *     is trailers; END_STREAM before the final response is malformed): a bug
   */
  ReceiveHalf next(Event event) {
    return switch (this) {
      case AWAITING_RESPONSE ->
          switch (event) {
            case FINAL_HEADERS -> BODY;
            case FAIL -> FAILED;
            case END_STREAM -> throw bug(event);
          };
      case BODY ->
          switch (event) {
            case END_STREAM -> ENDED;
            case FAIL -> FAILED;
            case FINAL_HEADERS -> throw bug(event);
          };
      case ENDED, FAILED ->
          switch (event) {
            case FAIL -> this; // already done: nothing more to report
            case FINAL_HEADERS, END_STREAM -> throw bug(event);
          };
    };
  }

  /** Whether the caller got the last part of this response (Done or a RequestError). */
  boolean isDone() {
    return this == ENDED || this == FAILED;
  }

  private IllegalStateException bug(Event event) {
    return new IllegalStateException(event + " is not allowed when the response side is " + this);
  }
}
