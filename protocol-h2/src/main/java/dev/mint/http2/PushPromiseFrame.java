// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;
import java.nio.ByteBuffer;

/**
 * PUSH_PROMISE (RFC 9113 §6.6): the server reserves {@code promisedStreamId} for a response to a
 * request it states in the header block. {@link FrameReader} hands the engine the whole block with
 * END_HEADERS set.
 *
 * @param streamId the stream the promise belongs to (one of our requests)
 * @param promisedStreamId the even stream the server reserves
 * @param fragment the header block fragment (HPACK), without padding
 * @param endHeaders END_HEADERS
 * @param padLength the number of padding bytes, or -1 when not padded
 */
record PushPromiseFrame(
    int streamId, int promisedStreamId, Bytes fragment, boolean endHeaders, int padLength)
    implements Frame {
  static PushPromiseFrame decode(FrameHeader h, Bytes payload) throws Http2Error {
    int[] range = Frame.unpad(h, payload, 4);
    int promised = Frame.int32(payload, range[0] - 4) & 0x7fff_ffff;
    return new PushPromiseFrame(
        h.streamId(),
        promised,
        payload.slice(range[0], range[1]),
        h.has(FLAG_END_HEADERS),
        range[2]);
  }

  /** This frame with its fragment replaced by the whole block and END_HEADERS set. */
  PushPromiseFrame withBlock(Bytes block) {
    return new PushPromiseFrame(streamId, promisedStreamId, block, true, padLength);
  }

  @Override
  public int type() {
    return PUSH_PROMISE;
  }

  @Override
  public int flags() {
    return (endHeaders ? FLAG_END_HEADERS : 0) | (padLength >= 0 ? FLAG_PADDED : 0);
  }

  @Override
  public Bytes payload() {
    return Frame.padded(
        padLength, ByteBuffer.allocate(4).putInt(promisedStreamId).array(), fragment);
  }
}
