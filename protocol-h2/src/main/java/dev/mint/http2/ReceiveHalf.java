// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

/**
 * Where the response side of a stream stands: what the caller has been given. All transitions are
 * in {@link #next}. With {@link SendHalf} it is the stream's state: {@link Stream#state()} derives
 * the RFC 9113 §5.1 state from the two.
 *
 * <pre>
 *   RESERVED --INTERIM_HEADERS--&gt; AWAITING_RESPONSE --FINAL_HEADERS--&gt; BODY --END_STREAM--&gt; ENDED
 *   RESERVED --FINAL_HEADERS--&gt; BODY
 *   RESERVED, AWAITING_RESPONSE, BODY --FAIL--&gt; FAILED (RequestError reported, or cancelled)
 * </pre>
 *
 * Further interim (1xx) responses leave AWAITING_RESPONSE as it is; a failure once the response is
 * done (ENDED or FAILED) changes nothing: there are no more parts to report.
 */
enum ReceiveHalf {
  /** A pushed stream the server promised, before its response HEADERS (reserved (remote)). */
  RESERVED,
  /** No final response yet; interim responses may come. */
  AWAITING_RESPONSE,
  /** The final response headers came; DATA and trailers may follow. */
  BODY,
  /** The server ended the response with END_STREAM, and Done was reported. */
  ENDED,
  /** The response ended with a failure, or the caller gave it up: no more parts. */
  FAILED;

  /** What happens to the response side, and the state it leads to where it is allowed. */
  enum Event {
    /** An interim (1xx) response header block arrived. */
    INTERIM_HEADERS(AWAITING_RESPONSE),
    /** A final (non-1xx) response header block arrived. */
    FINAL_HEADERS(BODY),
    /** The server ended its side with END_STREAM, the response whole. */
    END_STREAM(ENDED),
    /** The response failed (stream error, reset, GOAWAY, cancel). */
    FAIL(FAILED);

    private final ReceiveHalf to;

    Event(ReceiveHalf to) {
      this.to = to;
    }
  }

  /**
   * The state after {@code event}, as the class comment draws it.
   *
   * @throws IllegalStateException for a pair the receiver rules out before (a second final response
   *     is trailers; END_STREAM before the final response is malformed): a bug
   */
  ReceiveHalf next(Event event) {
    boolean allowed =
        switch (event) {
          case INTERIM_HEADERS, FINAL_HEADERS -> awaitsResponse();
          case END_STREAM -> this == BODY;
          case FAIL -> true;
        };
    if (!allowed) {
      throw new IllegalStateException(event + " is not allowed when the response side is " + this);
    }
    return isDone() ? this : event.to;
  }

  /** Whether no final response came yet. */
  boolean awaitsResponse() {
    return this == RESERVED || this == AWAITING_RESPONSE;
  }

  /** Whether the caller got the last part of this response (Done or a RequestError). */
  boolean isDone() {
    return this == ENDED || this == FAILED;
  }
}
