// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.util.OptionalInt;

/**
 * The HTTP/2-only operations of a connection, reached through {@link HttpConnection#http2()}
 * without casting to an implementation class.
 *
 * <p>Same threading rules as the connection: confined to one thread at a time. Operations that send
 * a frame ({@link #ping()}, {@link #updateSettings}, growing a receive window) write like {@link
 * HttpConnection#request} does (active mode: what the socket accepts now; passive mode: all of it
 * within the write timeout). The answers (a {@link ResponsePart.Pong}, the server's SETTINGS
 * acknowledgement, a WINDOW_UPDATE) arrive while the caller receives with {@link
 * HttpConnection#stream()} or {@link HttpConnection#recv}; the accessors below reflect what has
 * been received so far.
 *
 * <p>Errors: {@link HttpException} with {@link HttpException.Fault#CALLER caller} fault and {@link
 * HttpException.Scope#REQUEST request} scope when an operation cannot be done now ({@link
 * HttpException.Reason#INVALID_STATE}: too many pings or SETTINGS frames awaiting an answer, or the
 * connection is closing); {@link TransportException} when writing fails.
 */
public interface Http2Operations {

  /**
   * Sends a PING (RFC 9113 §6.7). The server's answer arrives as a {@link ResponsePart.Pong}
   * carrying the returned reference; a caller measures the round trip or checks liveness with it.
   */
  RequestRef ping() throws MintException;

  /**
   * Sends a PING carrying {@code payload}, exactly 8 bytes of opaque data (RFC 9113 §6.7); the
   * {@link ResponsePart.Pong} that answers it carries the same bytes. Pings with equal payloads are
   * matched to their answers in the order they were sent.
   *
   * @throws IllegalArgumentException when {@code payload} is not 8 bytes long
   */
  RequestRef ping(Bytes payload) throws MintException;

  /**
   * Sets the connection-level receive window we keep open for the server (Elixir Mint's {@code
   * set_window_size(conn, :connection, size)}, RFC 9113 §6.9). Growing it sends a WINDOW_UPDATE for
   * the difference at once. Shrinking cannot take back what was granted (HTTP/2 has no way to), so
   * it only lowers the level the window is refilled to as data arrives.
   *
   * @param size 1..2^31-1 bytes
   * @throws IllegalArgumentException when {@code size} is out of range
   */
  void setConnectionReceiveWindow(int size) throws MintException;

  /**
   * Sets the receive window of the stream of request {@code ref} (Elixir Mint's {@code
   * set_window_size(conn, {:request, ref}, size)}): growing sends a WINDOW_UPDATE for that stream;
   * shrinking only lowers the level it is refilled to. Other streams keep the window of
   * SETTINGS_INITIAL_WINDOW_SIZE.
   *
   * @param size 1..2^31-1 bytes
   * @throws HttpException caller fault, request scope, {@link HttpException.Reason#INVALID_STATE}
   *     when {@code ref} names no stream that can still receive
   * @throws IllegalArgumentException when {@code size} is out of range
   */
  void setStreamReceiveWindow(RequestRef ref, int size) throws MintException;

  /**
   * Sends a SETTINGS frame holding the values of {@code settings} that differ from the values sent
   * last (RFC 9113 §6.5). They take effect when the server acknowledges them; until then {@link
   * #clientSettings()} shows the previous values. {@link Settings#enableConnectProtocol()} is a
   * server setting and must be {@code false}.
   *
   * @throws HttpException caller fault, request scope: {@link HttpException.Reason#INVALID_STATE}
   *     when too many SETTINGS frames await acknowledgement, {@link
   *     HttpException.Reason#INVALID_REQUEST_HEADER} when a value cannot be sent
   */
  void updateSettings(Settings settings) throws MintException;

  /** Our settings in effect: the values the server has acknowledged. */
  Settings clientSettings();

  /**
   * The server's settings: the RFC 9113 §6.5.2 initial values until its SETTINGS frame arrives (see
   * {@link #serverSettingsReceived()}), then the values it sent.
   */
  Settings serverSettings();

  /**
   * Whether the server's first SETTINGS frame has arrived (RFC 9113 §3.4: the server sends it
   * first, but it may come after our first requests went out). Until then {@link
   * #maxConcurrentStreams()} is the conservative {@link
   * Http2Options#maxConcurrentStreamsBeforeSettings()}. A caller who wants the server's real limits
   * before sending calls {@link HttpConnection#recv} (or {@link HttpConnection#stream()} on
   * readiness) until this is true; the SETTINGS frame yields no part, so in passive mode each
   * {@code recv} with nothing else to return ends in its timeout, after which this is checked
   * again.
   */
  boolean serverSettingsReceived();

  /**
   * The bytes of request body the server's connection-level flow-control window lets us send now
   * (RFC 9113 §6.9). Body bytes beyond the windows wait inside the connection, bounded, until a
   * WINDOW_UPDATE arrives.
   */
  int connectionSendWindow();

  /**
   * The stream-level send window of the request {@code ref}; may be negative after the server
   * lowers SETTINGS_INITIAL_WINDOW_SIZE (RFC 9113 §6.9.2). Empty when {@code ref} names no stream
   * that can still send.
   */
  OptionalInt streamSendWindow(RequestRef ref);

  /**
   * Our connection-level receive window: how many more bytes of DATA (padding included) the server
   * may send now before we grant more (RFC 9113 §6.9). It falls as DATA arrives and rises with each
   * WINDOW_UPDATE we send, which happens once {@link Http2Options#windowRefillPercent()} of the
   * level set by {@link Http2Options#connectionWindow()} or {@link #setConnectionReceiveWindow} is
   * used.
   */
  int connectionReceiveWindow();

  /**
   * The stream-level receive window of the request (or pushed response) {@code ref}: how many more
   * bytes of DATA the server may send on it now; may be negative after we lower
   * SETTINGS_INITIAL_WINDOW_SIZE (RFC 9113 §6.9.2). Empty when {@code ref} names no stream that can
   * still receive.
   */
  OptionalInt streamReceiveWindow(RequestRef ref);

  /**
   * The bytes of streamed request body accepted but not yet sent because the windows are exhausted,
   * over all streams. A chunk is refused with {@link
   * HttpException.Reason#HTTP2_FLOW_CONTROL_BLOCKED} when what its own request body holds would
   * grow past the engine's bound per request body (16 MiB for the HTTP/2 engine this project
   * ships).
   */
  long queuedRequestBodyBytes();

  /**
   * The most streams requests may have open at once: the server's SETTINGS_MAX_CONCURRENT_STREAMS
   * ({@link Settings#UNLIMITED} when it set none) once its SETTINGS arrived; before that, at most
   * {@link Http2Options#maxConcurrentStreamsBeforeSettings()}. A request beyond it is refused with
   * {@link HttpException.Reason#PEER_LIMIT_REACHED}.
   */
  long maxConcurrentStreams();

  /**
   * The number of streams we opened that count against {@link #maxConcurrentStreams()} (open or
   * half-closed, RFC 9113 §5.1.2); a pool routes a request elsewhere when it equals the maximum.
   */
  int openStreamCount();

  /**
   * The values of the HTTP/2 settings (RFC 9113 §6.5.2, RFC 8441 §3). Immutable.
   *
   * @param headerTableSize SETTINGS_HEADER_TABLE_SIZE: the HPACK dynamic table size the sender's
   *     decoder allows; initial 4096
   * @param enablePush SETTINGS_ENABLE_PUSH: whether server push is allowed; initial {@code true}
   *     (Mint sends {@code false} unless push is enabled in {@link Http2Options})
   * @param maxConcurrentStreams SETTINGS_MAX_CONCURRENT_STREAMS: the most streams the receiver of
   *     these settings may open towards the sender; initial {@link #UNLIMITED}
   * @param initialWindowSize SETTINGS_INITIAL_WINDOW_SIZE: the initial stream-level flow-control
   *     window; initial 65535, at most 2^31-1
   * @param maxFrameSize SETTINGS_MAX_FRAME_SIZE: the largest frame payload accepted; initial 16384,
   *     16384..16777215
   * @param maxHeaderListSize SETTINGS_MAX_HEADER_LIST_SIZE: the largest header list accepted
   *     (names, values and 32 bytes per field); initial {@link #UNLIMITED}
   * @param enableConnectProtocol SETTINGS_ENABLE_CONNECT_PROTOCOL (RFC 8441): whether the server
   *     accepts extended CONNECT; initial {@code false}
   */
  record Settings(
      long headerTableSize,
      boolean enablePush,
      long maxConcurrentStreams,
      int initialWindowSize,
      int maxFrameSize,
      long maxHeaderListSize,
      boolean enableConnectProtocol) {

    /** The value of a limit that was never set: no limit. */
    public static final long UNLIMITED = Long.MAX_VALUE;

    private static final long MAX_U32 = 0xFFFF_FFFFL;

    private static final Settings DEFAULTS =
        new Settings(4096, true, UNLIMITED, 65_535, 16_384, UNLIMITED, false);

    /** Checks the ranges of RFC 9113 §6.5.2. */
    public Settings {
      requireU32("headerTableSize", headerTableSize, false);
      requireU32("maxConcurrentStreams", maxConcurrentStreams, true);
      requireU32("maxHeaderListSize", maxHeaderListSize, true);
      if (initialWindowSize < 0) {
        throw new IllegalArgumentException("initialWindowSize must be 0..2^31-1");
      }
      if (maxFrameSize < 16_384 || maxFrameSize > 16_777_215) {
        throw new IllegalArgumentException("maxFrameSize must be 16384..16777215");
      }
    }

    private static void requireU32(String name, long value, boolean unlimitedAllowed) {
      if (value < 0 || value > MAX_U32 && !(unlimitedAllowed && value == UNLIMITED)) {
        throw new IllegalArgumentException(name + " must be 0..2^32-1, was " + value);
      }
    }

    /** The initial values every HTTP/2 endpoint assumes before SETTINGS arrive. */
    public static Settings defaults() {
      return DEFAULTS;
    }

    /** A copy with {@code headerTableSize} changed. */
    public Settings withHeaderTableSize(long value) {
      return new Settings(
          value,
          enablePush,
          maxConcurrentStreams,
          initialWindowSize,
          maxFrameSize,
          maxHeaderListSize,
          enableConnectProtocol);
    }

    /** A copy with {@code enablePush} changed. */
    public Settings withEnablePush(boolean value) {
      return new Settings(
          headerTableSize,
          value,
          maxConcurrentStreams,
          initialWindowSize,
          maxFrameSize,
          maxHeaderListSize,
          enableConnectProtocol);
    }

    /** A copy with {@code maxConcurrentStreams} changed. */
    public Settings withMaxConcurrentStreams(long value) {
      return new Settings(
          headerTableSize,
          enablePush,
          value,
          initialWindowSize,
          maxFrameSize,
          maxHeaderListSize,
          enableConnectProtocol);
    }

    /** A copy with {@code initialWindowSize} changed. */
    public Settings withInitialWindowSize(int value) {
      return new Settings(
          headerTableSize,
          enablePush,
          maxConcurrentStreams,
          value,
          maxFrameSize,
          maxHeaderListSize,
          enableConnectProtocol);
    }

    /** A copy with {@code maxFrameSize} changed. */
    public Settings withMaxFrameSize(int value) {
      return new Settings(
          headerTableSize,
          enablePush,
          maxConcurrentStreams,
          initialWindowSize,
          value,
          maxHeaderListSize,
          enableConnectProtocol);
    }

    /** A copy with {@code maxHeaderListSize} changed. */
    public Settings withMaxHeaderListSize(long value) {
      return new Settings(
          headerTableSize,
          enablePush,
          maxConcurrentStreams,
          initialWindowSize,
          maxFrameSize,
          value,
          enableConnectProtocol);
    }

    /** A copy with {@code enableConnectProtocol} changed (a server setting). */
    public Settings withEnableConnectProtocol(boolean value) {
      return new Settings(
          headerTableSize,
          enablePush,
          maxConcurrentStreams,
          initialWindowSize,
          maxFrameSize,
          maxHeaderListSize,
          value);
    }
  }
}
