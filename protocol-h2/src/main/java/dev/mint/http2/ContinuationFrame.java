// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;

/**
 * CONTINUATION (RFC 9113 §6.10): more of the header block begun by HEADERS or PUSH_PROMISE on the
 * same stream, with no other frame in between.
 *
 * @param streamId the stream, never 0
 * @param fragment the header block fragment
 * @param endHeaders END_HEADERS: the block is complete
 */
record ContinuationFrame(int streamId, Bytes fragment, boolean endHeaders) implements Frame {
  static ContinuationFrame decode(FrameHeader h, Bytes payload) {
    return new ContinuationFrame(h.streamId(), payload, h.has(FLAG_END_HEADERS));
  }

  @Override
  public int type() {
    return CONTINUATION;
  }

  @Override
  public int flags() {
    return endHeaders ? FLAG_END_HEADERS : 0;
  }

  @Override
  public Bytes payload() {
    return fragment;
  }
}
