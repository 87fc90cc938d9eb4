// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;

/**
 * DATA (RFC 9113 §6.1): body bytes of one stream.
 *
 * @param streamId the stream, never 0
 * @param data the content without padding
 * @param endStream END_STREAM: the sender's last frame on the stream
 * @param padLength the number of padding bytes, or -1 when the frame is not padded
 */
record DataFrame(int streamId, Bytes data, boolean endStream, int padLength) implements Frame {
  /** An unpadded DATA frame. */
  DataFrame(int streamId, Bytes data, boolean endStream) {
    this(streamId, data, endStream, -1);
  }

  static DataFrame decode(FrameHeader h, Bytes payload) throws Http2Error {
    int[] range = Frame.unpad(h, payload, 0);
    return new DataFrame(
        h.streamId(), payload.slice(range[0], range[1]), h.has(FLAG_END_STREAM), range[2]);
  }

  /**
   * The bytes this frame takes from the flow-control windows: the whole payload, padding and pad
   * length byte included (RFC 9113 §6.1).
   */
  int flowControlledLength() {
    return data.length() + (padLength >= 0 ? 1 + padLength : 0);
  }

  @Override
  public int type() {
    return DATA;
  }

  @Override
  public int flags() {
    return (endStream ? FLAG_END_STREAM : 0) | (padLength >= 0 ? FLAG_PADDED : 0);
  }

  @Override
  public Bytes payload() {
    return Frame.padded(padLength, new byte[0], data);
  }
}
