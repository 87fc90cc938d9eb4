// SPDX-License-Identifier: Apache-2.0
package dev.mint;

/**
 * HTTP/2 settings of a connection. Immutable; start from {@link #defaults()}.
 *
 * @param initialStreamWindow the receive window of each stream we advertise
 *     (SETTINGS_INITIAL_WINDOW_SIZE); default 4 MiB, so that one stream can run at full speed on a
 *     fast link
 * @param connectionWindow the connection-level receive window; default 16 MiB
 * @param maxFrameSize the largest frame we accept (SETTINGS_MAX_FRAME_SIZE); default 16 KiB
 * @param maxHeaderListSize the largest decoded header list we accept
 *     (SETTINGS_MAX_HEADER_LIST_SIZE); default 256 KiB; protects against HPACK bombs
 * @param headerTableSize our HPACK decoder table size (SETTINGS_HEADER_TABLE_SIZE); default 4096
 * @param enablePush accept server push (SETTINGS_ENABLE_PUSH); default {@code false}
 * @param maxConcurrentPushedStreams the most pushed streams open at once when push is on; default
 *     100
 * @param maxInterimResponses the most interim (1xx) responses accepted on one stream before its
 *     final response; default 32. Protects against a server that sends {@code 103} for ever, each
 *     one a new part that would otherwise count as progress. Exceeding it resets the stream with
 *     ENHANCE_YOUR_CALM and fails the request with {@link
 *     HttpException.Reason#TOO_MANY_INTERIM_RESPONSES}.
 * @param windowRefillPercent how much of a receive window (connection or stream) must be used
 *     before we refill it with a WINDOW_UPDATE, in percent of its size, 1..100; default 50. Lower
 *     means more WINDOW_UPDATE frames and a server that never waits; higher means fewer frames
 * @param maxConcurrentStreamsBeforeSettings the most streams we open before the server's first
 *     SETTINGS frame tells its real limit; default 100, the value RFC 9113 §6.5.2 recommends a
 *     server allow at least (as Elixir Mint assumes). Without it a burst of requests sent right
 *     after connecting could exceed a small limit and come back as REFUSED_STREAM resets
 */
public record Http2Options(
    int initialStreamWindow,
    int connectionWindow,
    int maxFrameSize,
    int maxHeaderListSize,
    int headerTableSize,
    boolean enablePush,
    int maxConcurrentPushedStreams,
    int maxInterimResponses,
    int windowRefillPercent,
    int maxConcurrentStreamsBeforeSettings) {

  private static final Http2Options DEFAULTS =
      new Http2Options(4 << 20, 16 << 20, 16_384, 256 * 1024, 4096, false, 100, 32, 50, 100);

  /** Checks ranges (RFC 9113 §6.5.2). */
  public Http2Options {
    if (initialStreamWindow < 0) {
      throw new IllegalArgumentException("initialStreamWindow must be 0..2^31-1");
    }
    if (connectionWindow < 65_535) {
      throw new IllegalArgumentException("connectionWindow must be at least 65535");
    }
    if (maxFrameSize < 16_384 || maxFrameSize > 16_777_215) {
      throw new IllegalArgumentException("maxFrameSize must be 16384..16777215");
    }
    if (maxHeaderListSize <= 0
        || headerTableSize < 0
        || maxConcurrentPushedStreams < 0
        || maxInterimResponses <= 0) {
      throw new IllegalArgumentException("limits must be positive");
    }
    if (windowRefillPercent < 1 || windowRefillPercent > 100) {
      throw new IllegalArgumentException("windowRefillPercent must be 1..100");
    }
    if (maxConcurrentStreamsBeforeSettings < 1) {
      throw new IllegalArgumentException("maxConcurrentStreamsBeforeSettings must be positive");
    }
  }

  /**
   * The options before the refill threshold and the limit before SETTINGS existed, with those two
   * at their defaults; kept so that code written against it still compiles.
   */
  public Http2Options(
      int initialStreamWindow,
      int connectionWindow,
      int maxFrameSize,
      int maxHeaderListSize,
      int headerTableSize,
      boolean enablePush,
      int maxConcurrentPushedStreams,
      int maxInterimResponses) {
    this(
        initialStreamWindow,
        connectionWindow,
        maxFrameSize,
        maxHeaderListSize,
        headerTableSize,
        enablePush,
        maxConcurrentPushedStreams,
        maxInterimResponses,
        DEFAULTS.windowRefillPercent,
        DEFAULTS.maxConcurrentStreamsBeforeSettings);
  }

  /** The defaults documented on each component. */
  public static Http2Options defaults() {
    return DEFAULTS;
  }

  /** A copy with {@code initialStreamWindow} changed. */
  public Http2Options withInitialStreamWindow(int value) {
    return new Http2Options(
        value,
        connectionWindow,
        maxFrameSize,
        maxHeaderListSize,
        headerTableSize,
        enablePush,
        maxConcurrentPushedStreams,
        maxInterimResponses,
        windowRefillPercent,
        maxConcurrentStreamsBeforeSettings);
  }

  /** A copy with {@code connectionWindow} changed. */
  public Http2Options withConnectionWindow(int value) {
    return new Http2Options(
        initialStreamWindow,
        value,
        maxFrameSize,
        maxHeaderListSize,
        headerTableSize,
        enablePush,
        maxConcurrentPushedStreams,
        maxInterimResponses,
        windowRefillPercent,
        maxConcurrentStreamsBeforeSettings);
  }

  /** A copy with {@code maxFrameSize} changed. */
  public Http2Options withMaxFrameSize(int value) {
    return new Http2Options(
        initialStreamWindow,
        connectionWindow,
        value,
        maxHeaderListSize,
        headerTableSize,
        enablePush,
        maxConcurrentPushedStreams,
        maxInterimResponses,
        windowRefillPercent,
        maxConcurrentStreamsBeforeSettings);
  }

  /** A copy with {@code maxHeaderListSize} changed. */
  public Http2Options withMaxHeaderListSize(int value) {
    return new Http2Options(
        initialStreamWindow,
        connectionWindow,
        maxFrameSize,
        value,
        headerTableSize,
        enablePush,
        maxConcurrentPushedStreams,
        maxInterimResponses,
        windowRefillPercent,
        maxConcurrentStreamsBeforeSettings);
  }

  /** A copy with {@code headerTableSize} changed. */
  public Http2Options withHeaderTableSize(int value) {
    return new Http2Options(
        initialStreamWindow,
        connectionWindow,
        maxFrameSize,
        maxHeaderListSize,
        value,
        enablePush,
        maxConcurrentPushedStreams,
        maxInterimResponses,
        windowRefillPercent,
        maxConcurrentStreamsBeforeSettings);
  }

  /** A copy with {@code enablePush} changed. */
  public Http2Options withEnablePush(boolean value) {
    return new Http2Options(
        initialStreamWindow,
        connectionWindow,
        maxFrameSize,
        maxHeaderListSize,
        headerTableSize,
        value,
        maxConcurrentPushedStreams,
        maxInterimResponses,
        windowRefillPercent,
        maxConcurrentStreamsBeforeSettings);
  }

  /** A copy with {@code maxConcurrentPushedStreams} changed. */
  public Http2Options withMaxConcurrentPushedStreams(int value) {
    return new Http2Options(
        initialStreamWindow,
        connectionWindow,
        maxFrameSize,
        maxHeaderListSize,
        headerTableSize,
        enablePush,
        value,
        maxInterimResponses,
        windowRefillPercent,
        maxConcurrentStreamsBeforeSettings);
  }

  /** A copy with {@code maxInterimResponses} changed. */
  public Http2Options withMaxInterimResponses(int value) {
    return new Http2Options(
        initialStreamWindow,
        connectionWindow,
        maxFrameSize,
        maxHeaderListSize,
        headerTableSize,
        enablePush,
        maxConcurrentPushedStreams,
        value,
        windowRefillPercent,
        maxConcurrentStreamsBeforeSettings);
  }

  // ---- runtime controls: refill threshold and the limit before SETTINGS ----

  /** A copy with {@code windowRefillPercent} changed. */
  public Http2Options withWindowRefillPercent(int value) {
    return new Http2Options(
        initialStreamWindow,
        connectionWindow,
        maxFrameSize,
        maxHeaderListSize,
        headerTableSize,
        enablePush,
        maxConcurrentPushedStreams,
        maxInterimResponses,
        value,
        maxConcurrentStreamsBeforeSettings);
  }

  /** A copy with {@code maxConcurrentStreamsBeforeSettings} changed. */
  public Http2Options withMaxConcurrentStreamsBeforeSettings(int value) {
    return new Http2Options(
        initialStreamWindow,
        connectionWindow,
        maxFrameSize,
        maxHeaderListSize,
        headerTableSize,
        enablePush,
        maxConcurrentPushedStreams,
        maxInterimResponses,
        windowRefillPercent,
        value);
  }
}
