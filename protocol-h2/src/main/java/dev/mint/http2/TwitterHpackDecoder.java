// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import com.twitter.hpack.Decoder;
import com.twitter.hpack.HeaderListener;
import dev.mint.Bytes;
import dev.mint.Headers;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

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
final class TwitterHpackDecoder implements HeaderBlockDecoder, HeaderListener {
  /** RFC 9113 §6.5.2: each field counts its name, its value and 32 bytes of overhead. */
  static final int FIELD_OVERHEAD = 32;

  private final Decoder decoder;
  private final HeaderBlockCheck check;
  private final BlockInput input = new BlockInput();
  private final HeaderStrings strings = new HeaderStrings();
  private int maxHeaderListSize;

  /** The block being decoded: its fields as names and values, and its size so far. */
  private String[] fields = new String[32];

  private int count;
  private long size;

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
    count = 0;
    size = 0;
    boolean truncated;
    try {
      decoder.decode(input.over(block), this);
      truncated = decoder.endHeaderBlock();
    } catch (IOException | RuntimeException e) {
      throw Http2Error.connection(
          ErrorCode.COMPRESSION_ERROR, "invalid HPACK header block: " + e.getMessage());
    } finally {
      input.over(Bytes.empty());
    }
    if (truncated || size > maxHeaderListSize) {
      throw Http2Error.connection(
          ErrorCode.ENHANCE_YOUR_CALM,
          "decoded header list exceeds SETTINGS_MAX_HEADER_LIST_SIZE " + maxHeaderListSize);
    }
    Headers headers = Headers.of(Arrays.copyOf(fields, count));
    Arrays.fill(fields, 0, count, null);
    if (fields.length > 64) {
      fields = new String[32]; // a long list's array is not kept
    }
    return headers;
  }

  /** Takes one decoded field from the library; fields past the list limit are not kept. */
  @Override
  public void addHeader(byte[] name, byte[] value, boolean sensitive) {
    size += name.length + value.length + FIELD_OVERHEAD;
    if (size <= maxHeaderListSize) {
      if (count == fields.length) {
        fields = Arrays.copyOf(fields, 2 * count);
      }
      fields[count++] = strings.of(name, false);
      fields[count++] = strings.of(value, sensitive);
    }
  }

  /**
   * The block as an {@code InputStream} that the library reads a byte at a time: unsynchronized
   * (unlike its superclass), over the block's own bytes, which {@link Bytes#writeTo} hands over
   * without a copy. They are only read, and only during {@link #decode}.
   */
  private static final class BlockInput extends ByteArrayInputStream {
    private final OutputStream loader =
        new OutputStream() {
          @Override
          public void write(int b) {
            throw new UnsupportedOperationException();
          }

          @Override
          public void write(byte[] b, int off, int len) {
            buf = b;
            pos = mark = off;
            count = off + len;
          }
        };

    BlockInput() {
      super(new byte[0]);
    }

    BlockInput over(Bytes block) {
      try {
        block.writeTo(loader);
      } catch (IOException e) {
        throw new UncheckedIOException(e); // our loader does not fail
      }
      return this;
    }

    @Override
    public int read() {
      return pos < count ? buf[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      int n = Math.min(len, count - pos);
      System.arraycopy(buf, pos, b, off, Math.max(n, 0));
      pos += Math.max(n, 0);
      return n > 0 || len == 0 ? Math.max(n, 0) : -1;
    }

    @Override
    public int available() {
      return count - pos;
    }

    @Override
    public void mark(int limit) {
      mark = pos;
    }

    @Override
    public void reset() {
      pos = mark;
    }
  }
}
