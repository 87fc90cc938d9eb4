// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;
import dev.mint.Headers;
import dev.mint.spi.ApiAccess;

/**
 * HPACK encoding (RFC 7541) as the engine needs it: a header list in, one whole header block out.
 * The implementation keeps the dynamic table across blocks, so blocks must be sent in the order
 * they were encoded.
 *
 * <p>Names and values must hold only chars 0..255; each char is one byte (ISO-8859-1).
 */
interface HeaderBlockEncoder {

  /** Encodes one header block, starting with any pending dynamic table size update. */
  default Bytes encode(Headers fields) {
    byte[] block = encode(fields, 0);
    return ApiAccess.bytesOver(block, 0, block.length);
  }

  /**
   * Encodes one header block as {@link #encode(Headers)} does, into a new array that starts with
   * {@code room} zero bytes for the caller (a frame header) and ends where the block ends.
   */
  byte[] encode(Headers fields, int room);

  /**
   * Takes the peer's SETTINGS_HEADER_TABLE_SIZE: the encoder uses at most that much (and never more
   * than {@link Http2Limits#MAX_ENCODER_TABLE_SIZE}), signalling the change in the next block.
   */
  void peerMaxTableSize(long size);
}
