// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import com.twitter.hpack.Decoder;
import dev.mint.Bytes;
import dev.mint.Headers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * {@link HeaderBlockDecoder} on Twitter's hpack library.
 *
 * <p>The library decodes incrementally and silently waits for more bytes when a block ends in the
 * middle of a field, accepts a table size update anywhere in a block, and accepts Huffman strings
 * with EOS or bad padding. Before a block reaches the library, {@link HeaderBlockCheck} walks it
 * and rejects every number that does not fit its use (integers, string lengths, indexes, table size
 * updates), truncated blocks and invalid Huffman strings. The decoded list is counted field by
 * field (names, values and 32 bytes each) and fields past the limit are not kept, so memory stays
 * bounded by the block size (which the frame reader bounds) whatever the block references; going
 * past the limit is ENHANCE_YOUR_CALM. Any exception from the library is a COMPRESSION_ERROR.
 */
final class TwitterHpackDecoder implements HeaderBlockDecoder {
  /** RFC 9113 §6.5.2: each field counts its name, its value and 32 bytes of overhead. */
  static final int FIELD_OVERHEAD = 32;

  private final Decoder decoder;
  private final HeaderBlockCheck check;
  private int maxHeaderListSize;

  /** A decoder with the initial 4096-byte table (RFC 7541 §4.2) and a header list limit. */
  TwitterHpackDecoder(int maxHeaderListSize) {
    this(maxHeaderListSize, 4096);
  }

  /**
   * A decoder whose table starts at {@code tableSize} bytes rather than HTTP/2's 4096 (the RFC 7541
   * C.5 and C.6 examples use 256).
   */
  TwitterHpackDecoder(int maxHeaderListSize, int tableSize) {
    this.maxHeaderListSize = maxHeaderListSize;
    this.check = new HeaderBlockCheck(tableSize);
    // the library's own list limit is off: it counts fields without their overhead; ours counts
    this.decoder = new Decoder(Integer.MAX_VALUE, tableSize);
  }

  @Override
  public void maxTableSize(int size) {
    check.maxTableSize(size);
    decoder.setMaxHeaderTableSize(size);
  }

  @Override
  public void maxHeaderListSize(int size) {
    this.maxHeaderListSize = size;
  }

  @Override
  public Headers decode(Bytes block) throws Http2Error {
    check.check(block);
    Headers.Builder fields = Headers.builder();
    long[] size = {0};
    boolean[] exceeded = {false};
    boolean truncated;
    try {
      decoder.decode(
          new ByteArrayInputStream(block.toByteArray()),
          (name, value, sensitive) -> {
            size[0] += name.length + value.length + FIELD_OVERHEAD;
            if (size[0] > maxHeaderListSize) {
              exceeded[0] = true;
            } else {
              fields.add(latin1(name), latin1(value));
            }
          });
      truncated = decoder.endHeaderBlock();
    } catch (IOException | RuntimeException e) {
      throw Http2Error.connection(
          ErrorCode.COMPRESSION_ERROR, "invalid HPACK header block: " + e.getMessage());
    }
    if (truncated || exceeded[0]) {
      throw Http2Error.connection(
          ErrorCode.ENHANCE_YOUR_CALM,
          "decoded header list exceeds SETTINGS_MAX_HEADER_LIST_SIZE " + maxHeaderListSize);
    }
    return fields.build();
  }

  private static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }
}
