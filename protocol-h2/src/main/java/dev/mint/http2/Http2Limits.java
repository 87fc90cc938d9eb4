// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

/**
 * The fixed limits of the HTTP/2 engine, each protecting the client against a peer (or a caller)
 * that would otherwise make it buffer or work without bound. The limits a caller may tune are the
 * settings of {@link dev.mint.Http2Options}; of those, {@code maxHeaderListSize} also bounds the
 * compressed header block (HEADERS or PUSH_PROMISE with its CONTINUATION frames), and both it and
 * {@code maxFrameSize} follow {@link dev.mint.Http2Operations#updateSettings} (the larger of the
 * acknowledged and the sent value while a change is in flight). The server's settings bound what we
 * send: a request beyond them is refused as a caller error ({@link
 * dev.mint.HttpException.Reason#PEER_LIMIT_REACHED}).
 *
 * <p>Counters of frames we queue in answer to the peer ({@link #MAX_QUEUED_PING_ACKS}, {@link
 * #MAX_QUEUED_SETTINGS_ACKS}, {@link #MAX_QUEUED_RESETS}) count the answers the shell has not taken
 * yet: they only trip when the peer keeps sending while not reading our answers, the shape of the
 * PING, SETTINGS and reset floods of CVE-2019-9512/9515/9514.
 */
public final class Http2Limits {
  /**
   * The most CONTINUATION frames one header block may span: 256. With the smallest frame size a
   * block of 4 MiB fits; more frames means a CONTINUATION flood (CVE-2024-27316 and kin).
   */
  public static final int MAX_CONTINUATION_FRAMES = 256;

  /**
   * The largest HPACK dynamic table our encoder uses, whatever the server allows: 4096 bytes, the
   * RFC 7541 default. Bounds the memory one connection spends on compression state.
   */
  public static final int MAX_ENCODER_TABLE_SIZE = 4096;

  /**
   * The most continuation octets of one HPACK integer (RFC 7541 §5.1): 5, enough for any value up
   * to 2^31-1. Longer integers, and larger values, are COMPRESSION_ERROR: an unbounded integer
   * would wrap past 64 bits. Each is also bounded by its use: bytes left, table entries, our table
   * size.
   */
  public static final int MAX_HPACK_INTEGER_CONTINUATION_OCTETS = 5;

  /** The most PINGs we sent that may await their answer at once: 32. */
  public static final int MAX_OUTSTANDING_PINGS = 32;

  /** The most PING ACKs that may wait unwritten before the peer is told to calm down: 100. */
  public static final int MAX_QUEUED_PING_ACKS = 100;

  /** The most SETTINGS ACKs that may wait unwritten before ENHANCE_YOUR_CALM: 100. */
  public static final int MAX_QUEUED_SETTINGS_ACKS = 100;

  /**
   * The most RST_STREAM frames, sent in answer to the peer's stream errors, that may wait unwritten
   * before ENHANCE_YOUR_CALM: 100.
   */
  public static final int MAX_QUEUED_RESETS = 100;

  /**
   * The most frames in a row that produce nothing for the caller and change nothing (frames on
   * closed streams, RST_STREAM for streams already gone, PRIORITY, empty DATA without END_STREAM,
   * unknown frame types): 1000. A response part resets the count. Stops a peer from keeping the
   * client busy with cheap no-op frames (CVE-2019-9518, rapid reset and its kin).
   */
  public static final int MAX_UNPRODUCTIVE_FRAMES = 1000;

  /** The most SETTINGS frames we sent that may await acknowledgement: 8. */
  public static final int MAX_UNACKED_SETTINGS = 8;

  /**
   * The most bytes of one streamed request body, copied from the caller's buffers, that the engine
   * holds (waiting for flow-control window, or for the shell to take them): 16 MiB per request
   * body, the engine's one bound on request body. It protects against a caller that streams faster
   * than the server grants window; each stream has its own, so one stalled stream cannot block the
   * others' bodies. A chunk that would pass it is refused as a whole with {@link
   * dev.mint.HttpException.Reason#HTTP2_FLOW_CONTROL_BLOCKED}, naming this limit. Fixed bodies are
   * immutable values that the engine references without copying, so they do not count.
   */
  public static final long MAX_QUEUED_REQUEST_BODY_BYTES = 16L << 20;

  /**
   * How many streams we reset are remembered, so that frames the peer sent before seeing our
   * RST_STREAM are ignored (RFC 9113 §5.1, closed) rather than treated as errors: 1024. DATA on
   * such a stream within the receive window it had when we reset it is traffic; beyond, each frame
   * counts towards {@link #MAX_UNPRODUCTIVE_FRAMES}.
   */
  public static final int MAX_REMEMBERED_RESETS = 1024;

  /**
   * How many streams the server ended (END_STREAM received) are remembered, so that DATA or HEADERS
   * it sends on one afterwards is the connection error STREAM_CLOSED of RFC 9113 §5.1: 1024. On an
   * older closed stream such a frame gets the milder stream error STREAM_CLOSED.
   */
  public static final int MAX_REMEMBERED_ENDED_STREAMS = 1024;

  /** The largest stream identifier, 2^31-1; a connection that used it can open no more streams. */
  public static final int MAX_STREAM_ID = Integer.MAX_VALUE;

  /** The largest flow-control window, 2^31-1 (RFC 9113 §6.9.1). */
  public static final long MAX_WINDOW = Integer.MAX_VALUE;

  private Http2Limits() {}
}
