// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;
import dev.mint.Headers;

/**
 * HPACK decoding (RFC 7541) as the engine needs it: one whole header block in, its fields out. The
 * implementation keeps the dynamic table across blocks, so every block received on a connection
 * must pass through the same decoder in order, including blocks of streams the engine ignores.
 *
 * <p>Names and values are returned as ISO-8859-1 strings (one char per byte, so no byte is lost),
 * in the order of the block, pseudo-header fields included.
 */
interface HeaderBlockDecoder {

  /**
   * Decodes one complete header block.
   *
   * @throws Http2Error connection error COMPRESSION_ERROR when the block is not valid HPACK
   *     (truncated, bad index, bad Huffman code, table size update out of place or above the
   *     maximum); ENHANCE_YOUR_CALM when the decoded list exceeds the maximum header list size
   *     (names, values and 32 bytes per field, RFC 9113 §6.5.2): an "HPACK bomb" of small
   *     references to large table entries stops there
   */
  Headers decode(Bytes block) throws Http2Error;

  /**
   * Sets the largest dynamic table the peer's encoder may use: our SETTINGS_HEADER_TABLE_SIZE once
   * the peer has acknowledged it (RFC 7541 §4.2). A smaller value requires the peer to signal a
   * table size update at the start of its next block.
   */
  void maxTableSize(int size);

  /** Sets the largest decoded header list accepted. */
  void maxHeaderListSize(int size);
}
