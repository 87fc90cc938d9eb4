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
 * middle of a field, and it accepts a table size update anywhere in a block. Our blocks are always
 * complete, so before handing a block to the library this class walks its structure (integers and
 * string lengths, RFC 7541 §5 and §6) and rejects a truncated block, an integer that overflows, a
 * dynamic table size update after the first field (§4.2), and Huffman strings with EOS or bad
 * padding ({@link HuffmanCode}). The decoded list is counted field by field (names, values and 32
 * bytes each) and fields past the limit are not kept, so memory stays bounded by the block size
 * (which the frame reader bounds) whatever the block references; going past the limit is
 * ENHANCE_YOUR_CALM. Any exception from the library is a COMPRESSION_ERROR.
 */
final class TwitterHpackDecoder implements HeaderBlockDecoder {
  /** RFC 9113 §6.5.2: each field counts its name, its value and 32 bytes of overhead. */
  static final int FIELD_OVERHEAD = 32;

  private final Decoder decoder;
  private int maxHeaderListSize;

  /** A decoder with the initial 4096-byte table (RFC 7541 §4.2) and a header list limit. */
  TwitterHpackDecoder(int maxHeaderListSize) {
    this.maxHeaderListSize = maxHeaderListSize;
    // the library's own list limit is off: it counts fields without their overhead; ours counts
    this.decoder = new Decoder(Integer.MAX_VALUE, 4096);
  }

  @Override
  public void maxTableSize(int size) {
    decoder.setMaxHeaderTableSize(size);
  }

  @Override
  public void maxHeaderListSize(int size) {
    this.maxHeaderListSize = size;
  }

  @Override
  public Headers decode(Bytes block) throws Http2Error {
    checkStructure(block);
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

  /** Walks the representations of {@code block} (RFC 7541 §6) without decoding strings. */
  static void checkStructure(Bytes block) throws Http2Error {
    int[] pos = {0};
    int n = block.length();
    boolean fieldSeen = false;
    while (pos[0] < n) {
      int b = block.byteAt(pos[0]) & 0xff;
      if ((b & 0x80) != 0) { // indexed field (§6.1)
        readInt(block, pos, 7);
        fieldSeen = true;
      } else if ((b & 0x40) != 0) { // literal with incremental indexing (§6.2.1)
        literal(block, pos, 6);
        fieldSeen = true;
      } else if ((b & 0x20) != 0) { // dynamic table size update (§6.3)
        if (fieldSeen) {
          throw Http2Error.connection(
              ErrorCode.COMPRESSION_ERROR,
              "dynamic table size update after a header field (RFC 7541 §4.2)");
        }
        readInt(block, pos, 5);
      } else { // literal without indexing / never indexed (§6.2.2, §6.2.3)
        literal(block, pos, 4);
        fieldSeen = true;
      }
    }
  }

  private static void literal(Bytes block, int[] pos, int prefix) throws Http2Error {
    long index = readInt(block, pos, prefix);
    if (index == 0) {
      skipString(block, pos);
    }
    skipString(block, pos);
  }

  private static void skipString(Bytes block, int[] pos) throws Http2Error {
    if (pos[0] >= block.length()) {
      throw truncated();
    }
    boolean huffman = (block.byteAt(pos[0]) & 0x80) != 0;
    long length = readInt(block, pos, 7);
    if (length > block.length() - pos[0]) {
      throw truncated();
    }
    int start = pos[0];
    pos[0] += (int) length;
    if (huffman && HuffmanCode.decodedLength(block, start, pos[0]) < 0) {
      throw Http2Error.connection(
          ErrorCode.COMPRESSION_ERROR, "invalid Huffman code or padding (RFC 7541 §5.2)");
    }
  }

  /** Reads an integer with an N-bit prefix (RFC 7541 §5.1); rejects values beyond 2^31-1. */
  private static long readInt(Bytes block, int[] pos, int prefixBits) throws Http2Error {
    int max = (1 << prefixBits) - 1;
    long value = block.byteAt(pos[0]++) & max;
    if (value < max) {
      return value;
    }
    int shift = 0;
    while (true) {
      if (pos[0] >= block.length()) {
        throw truncated();
      }
      int b = block.byteAt(pos[0]++) & 0xff;
      value += (long) (b & 0x7f) << shift;
      if (value > Integer.MAX_VALUE) {
        throw Http2Error.connection(ErrorCode.COMPRESSION_ERROR, "HPACK integer overflow");
      }
      if ((b & 0x80) == 0) {
        return value;
      }
      shift += 7;
    }
  }

  private static Http2Error truncated() {
    return Http2Error.connection(ErrorCode.COMPRESSION_ERROR, "truncated HPACK header block");
  }
}
