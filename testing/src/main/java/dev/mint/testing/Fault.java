// SPDX-License-Identifier: Apache-2.0
package dev.mint.testing;

/**
 * A way for a {@link MockResponse} to go wrong on purpose, after its {@linkplain
 * MockResponse.Builder#headersDelay(java.time.Duration) delay} and interim responses. What each one
 * does on HTTP/1.1, where there is no stream to reset and no GOAWAY, is stated with it.
 */
public sealed interface Fault {
  /** Resets the stream instead of answering (HTTP/2 RST_STREAM, RFC 9113 §6.4). */
  static Fault resetStream(int errorCode) {
    return new ResetStream(errorCode);
  }

  /** Resets the TCP connection instead of answering: a close with SO_LINGER 0, which sends RST. */
  static Fault resetConnection() {
    return new ResetConnection();
  }

  /**
   * Sends the response head with the whole body's {@code content-length}, then only the first
   * {@code bytes} of the body, then closes the connection.
   */
  static Fault truncateBody(int bytes) {
    return new TruncateBody(bytes);
  }

  /** Reads the request, answers nothing, and closes the connection (a FIN, no GOAWAY). */
  static Fault noResponse() {
    return new NoResponse();
  }

  /**
   * Sends GOAWAY (RFC 9113 §6.8) with {@code errorCode} and a last stream id below this request's
   * stream (so the request was not processed and may be retried), then closes the connection.
   */
  static Fault goAway(int errorCode) {
    return new GoAway(errorCode);
  }

  /**
   * An HTTP/2 RST_STREAM with an error code instead of the response; on HTTP/1.1 a TCP reset, as
   * {@link ResetConnection}.
   *
   * @param errorCode the RFC 9113 §7 error code, for example 8 (CANCEL)
   */
  record ResetStream(int errorCode) implements Fault {}

  /** A TCP reset instead of the response, on every protocol. */
  record ResetConnection() implements Fault {}

  /**
   * A body cut short: the head says the whole length, fewer bytes follow, then the connection
   * closes.
   *
   * @param bytes how many bytes of the body are sent; at least 0 and less than the body's length
   */
  record TruncateBody(int bytes) implements Fault {
    /** Checks that the count is not negative. */
    public TruncateBody {
      if (bytes < 0) {
        throw new IllegalArgumentException("negative byte count " + bytes);
      }
    }
  }

  /** No answer, then a close of the connection. */
  record NoResponse() implements Fault {}

  /**
   * An HTTP/2 GOAWAY, then a close; on HTTP/1.1 a close without an answer, as {@link NoResponse}.
   *
   * @param errorCode the RFC 9113 §7 error code, for example 0 (NO_ERROR)
   */
  record GoAway(int errorCode) implements Fault {}
}
