// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;

/**
 * HEADERS (RFC 9113 §6.2): opens a stream or carries trailers; its header block fragment continues
 * in CONTINUATION frames until END_HEADERS. {@link FrameReader} hands the engine a HEADERS frame
 * holding the whole block with END_HEADERS set.
 *
 * @param streamId the stream, never 0
 * @param fragment the header block fragment (HPACK), without padding
 * @param endStream END_STREAM
 * @param endHeaders END_HEADERS: no CONTINUATION follows
 * @param padLength the number of padding bytes, or -1 when not padded
 * @param priority the deprecated priority fields, or {@code null}
 */
record HeadersFrame(
    int streamId,
    Bytes fragment,
    boolean endStream,
    boolean endHeaders,
    int padLength,
    PriorityFrame.Priority priority)
    implements Frame {
  /** An unpadded HEADERS frame without priority. */
  HeadersFrame(int streamId, Bytes fragment, boolean endStream, boolean endHeaders) {
    this(streamId, fragment, endStream, endHeaders, -1, null);
  }

  static HeadersFrame decode(FrameHeader h, Bytes payload) throws Http2Error {
    boolean hasPriority = h.has(FLAG_PRIORITY);
    int[] range = Frame.unpad(h, payload, hasPriority ? PriorityFrame.Priority.SIZE : 0);
    PriorityFrame.Priority priority =
        hasPriority ? PriorityFrame.Priority.decode(payload, range[0] - 5) : null;
    return new HeadersFrame(
        h.streamId(),
        payload.slice(range[0], range[1]),
        h.has(FLAG_END_STREAM),
        h.has(FLAG_END_HEADERS),
        range[2],
        priority);
  }

  /** This frame with its fragment replaced by the whole block and END_HEADERS set. */
  HeadersFrame withBlock(Bytes block) {
    return new HeadersFrame(streamId, block, endStream, true, padLength, priority);
  }

  @Override
  public int type() {
    return HEADERS;
  }

  @Override
  public int flags() {
    return (endStream ? FLAG_END_STREAM : 0)
        | (endHeaders ? FLAG_END_HEADERS : 0)
        | (padLength >= 0 ? FLAG_PADDED : 0)
        | (priority != null ? FLAG_PRIORITY : 0);
  }

  @Override
  public Bytes payload() {
    return Frame.padded(padLength, priority == null ? new byte[0] : priority.encode(), fragment);
  }
}
