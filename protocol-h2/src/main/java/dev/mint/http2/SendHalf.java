// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

/**
 * Where the request side of a stream stands: the caller's body and our END_STREAM. All transitions
 * are in {@link #next}. With {@link ReceiveHalf} it is the stream's state: {@link Stream#state()}
 * derives the RFC 9113 §5.1 state from the two.
 *
 * <pre>
 *   STREAMING --END_BODY--&gt; ENDING ----------END_SENT--&gt; ENDED
 *       |  \--END_BODY_AFTER_DATA--&gt; ENDING_ALONE --/        |
 *       `--END_SENT (nothing waited) ---------------------&gt;-'
 *   any --RESET--&gt; RESET
 * </pre>
 */
enum SendHalf {
  /** The caller streams the body and has not ended it. */
  STREAMING,
  /** The body is whole and some of it waits; END_STREAM goes on its last DATA. */
  ENDING,
  /**
   * The body is whole; what waits of it the windows already allowed when the caller ended it, so it
   * keeps its frames and END_STREAM follows in an empty DATA (or trailers) of its own.
   */
  ENDING_ALONE,
  /** END_STREAM went out (or was never ours to send: a pushed stream). */
  ENDED,
  /** The stream was reset or abandoned: nothing more is sent. */
  RESET;

  /** What happens to the request side, and the state it leads to where it is allowed. */
  enum Event {
    /** The caller ended the body while some of it waits for window. */
    END_BODY(ENDING),
    /** The caller ended the body while all that waits could be sent now. */
    END_BODY_AFTER_DATA(ENDING_ALONE),
    /** END_STREAM was sent. */
    END_SENT(ENDED),
    /** Either side reset the stream, or the connection dropped it. */
    RESET(SendHalf.RESET);

    private final SendHalf to;

    Event(SendHalf to) {
      this.to = to;
    }
  }

  /**
   * The state after {@code event}, as the class comment draws it.
   *
   * @throws IllegalStateException for a pair the engine never produces, since it refuses such calls
   *     as caller errors first: a bug
   */
  SendHalf next(Event event) {
    boolean allowed =
        switch (event) {
          case END_BODY, END_BODY_AFTER_DATA -> this == STREAMING;
          case END_SENT -> this == STREAMING || endWaits();
          case RESET -> true;
        };
    if (!allowed) {
      throw new IllegalStateException(event + " is not allowed when the request side is " + this);
    }
    return event.to;
  }

  /** Whether the caller may still stream body bytes or end the body. */
  boolean acceptsBody() {
    return this == STREAMING;
  }

  /** Whether our side of the stream is closed (RFC 9113 §5.1): END_STREAM sent, or reset. */
  boolean isClosed() {
    return this == ENDED || this == RESET;
  }

  /** Whether END_STREAM waits to be sent behind what the stream holds. */
  boolean endWaits() {
    return this == ENDING || this == ENDING_ALONE;
  }
}
