// SPDX-License-Identifier: Apache-2.0
package dev.mint;

/**
 * HTTP/1.1 settings of a connection. Immutable; start from {@link #defaults()} and change fields
 * with the {@code with*} methods.
 *
 * @param preserveHeaderCase send request header names with the case the caller gave (default {@code
 *     false}: names are sent lower-case, as HTTP/2 requires and most servers accept). Some old
 *     servers match names case-sensitively; this option serves them.
 * @param validateTarget check the request target for bytes that cannot be sent and for its form
 *     (RFC 9112 §3.2: origin-form {@code /path}, absolute-form, authority-form {@code host:port}
 *     for CONNECT only, asterisk-form for OPTIONS only; no fragment) (default {@code true}). Turn
 *     it off only to send deliberately unusual targets; CR, LF, NUL and space are rejected even
 *     then, because they would let a target inject headers or split the request line.
 * @param maxHeaderSectionSize the most bytes a response's status line plus header section may take
 *     (default 256 KiB). Protects against a peer that never ends its header section.
 * @param maxTrailerSectionSize the most bytes a chunked response's trailer section may take
 *     (default 64 KiB).
 * @param maxPipelinedRequests the most requests that may be in flight at once on one connection
 *     (default 1024). Protects the caller from unbounded queues of pending responses.
 * @param maxInterimResponses the most interim (1xx) responses accepted before one final response
 *     (default 32). Protects against a server that sends {@code 103} for ever: each one would
 *     otherwise be a new part and reset no limit. Exceeding it is {@link
 *     HttpException.Reason#TOO_MANY_INTERIM_RESPONSES} and closes the connection.
 * @param acceptCloseWithoutCloseNotify accept a response delimited by the end of the connection as
 *     complete when the TLS connection ended without a {@code close_notify} alert (default {@code
 *     false}: such an end is {@link HttpException.Reason#TRUNCATED_RESPONSE}, as RFC 9112 §9.8
 *     requires, because an attacker who can cut the TCP connection could otherwise truncate the
 *     body unseen). Turn it on only for servers known to skip the alert. Without TLS there is no
 *     alert to wait for and the end of the connection completes such a response.
 */
public record Http1Options(
    boolean preserveHeaderCase,
    boolean validateTarget,
    int maxHeaderSectionSize,
    int maxTrailerSectionSize,
    int maxPipelinedRequests,
    int maxInterimResponses,
    boolean acceptCloseWithoutCloseNotify) {

  /** The default header section limit: 256 KiB. */
  public static final int DEFAULT_MAX_HEADER_SECTION_SIZE = 256 * 1024;

  /** The default trailer section limit: 64 KiB. */
  public static final int DEFAULT_MAX_TRAILER_SECTION_SIZE = 64 * 1024;

  /** The default limit on requests in flight: 1024. */
  public static final int DEFAULT_MAX_PIPELINED_REQUESTS = 1024;

  /** The default limit on interim (1xx) responses before a final one: 32. */
  public static final int DEFAULT_MAX_INTERIM_RESPONSES = 32;

  private static final Http1Options DEFAULTS =
      new Http1Options(
          false,
          true,
          DEFAULT_MAX_HEADER_SECTION_SIZE,
          DEFAULT_MAX_TRAILER_SECTION_SIZE,
          DEFAULT_MAX_PIPELINED_REQUESTS,
          DEFAULT_MAX_INTERIM_RESPONSES,
          false);

  /** Checks that every limit is positive. */
  public Http1Options {
    requirePositive("maxHeaderSectionSize", maxHeaderSectionSize);
    requirePositive("maxTrailerSectionSize", maxTrailerSectionSize);
    requirePositive("maxPipelinedRequests", maxPipelinedRequests);
    requirePositive("maxInterimResponses", maxInterimResponses);
  }

  private static void requirePositive(String name, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }

  /** The defaults documented on each component. */
  public static Http1Options defaults() {
    return DEFAULTS;
  }

  /** A copy with {@code preserveHeaderCase} changed. */
  public Http1Options withPreserveHeaderCase(boolean value) {
    return new Http1Options(
        value,
        validateTarget,
        maxHeaderSectionSize,
        maxTrailerSectionSize,
        maxPipelinedRequests,
        maxInterimResponses,
        acceptCloseWithoutCloseNotify);
  }

  /** A copy with {@code validateTarget} changed. */
  public Http1Options withValidateTarget(boolean value) {
    return new Http1Options(
        preserveHeaderCase,
        value,
        maxHeaderSectionSize,
        maxTrailerSectionSize,
        maxPipelinedRequests,
        maxInterimResponses,
        acceptCloseWithoutCloseNotify);
  }

  /** A copy with {@code maxHeaderSectionSize} changed. */
  public Http1Options withMaxHeaderSectionSize(int value) {
    return new Http1Options(
        preserveHeaderCase,
        validateTarget,
        value,
        maxTrailerSectionSize,
        maxPipelinedRequests,
        maxInterimResponses,
        acceptCloseWithoutCloseNotify);
  }

  /** A copy with {@code maxTrailerSectionSize} changed. */
  public Http1Options withMaxTrailerSectionSize(int value) {
    return new Http1Options(
        preserveHeaderCase,
        validateTarget,
        maxHeaderSectionSize,
        value,
        maxPipelinedRequests,
        maxInterimResponses,
        acceptCloseWithoutCloseNotify);
  }

  /** A copy with {@code maxPipelinedRequests} changed. */
  public Http1Options withMaxPipelinedRequests(int value) {
    return new Http1Options(
        preserveHeaderCase,
        validateTarget,
        maxHeaderSectionSize,
        maxTrailerSectionSize,
        value,
        maxInterimResponses,
        acceptCloseWithoutCloseNotify);
  }

  /** A copy with {@code maxInterimResponses} changed. */
  public Http1Options withMaxInterimResponses(int value) {
    return new Http1Options(
        preserveHeaderCase,
        validateTarget,
        maxHeaderSectionSize,
        maxTrailerSectionSize,
        maxPipelinedRequests,
        value,
        acceptCloseWithoutCloseNotify);
  }

  /** A copy with {@code acceptCloseWithoutCloseNotify} changed. */
  public Http1Options withAcceptCloseWithoutCloseNotify(boolean value) {
    return new Http1Options(
        preserveHeaderCase,
        validateTarget,
        maxHeaderSectionSize,
        maxTrailerSectionSize,
        maxPipelinedRequests,
        maxInterimResponses,
        value);
  }
}
