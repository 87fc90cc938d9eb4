// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;
import dev.mint.Headers;
import dev.mint.spi.ApiAccess;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * HPACK decoding (RFC 7541) as the engine needs it: one whole header block in, its fields out, as
 * ISO-8859-1 strings (one char per byte, so no byte is lost) in the order of the block,
 * pseudo-header fields included. The dynamic table lives across blocks, so every block received on
 * a connection must pass through the same decoder in order, including blocks of streams the engine
 * ignores.
 *
 * <p>Each block is decoded in one pass. A number that does not fit its use is a COMPRESSION_ERROR
 * (RFC 7541 §5.1 lets a decoder refuse integers beyond its limits "in value or octet length"): an
 * integer past 2^31-1 or {@link Http2Limits#MAX_HPACK_INTEGER_CONTINUATION_OCTETS}, a string longer
 * than the rest of the block, an index outside both tables, a table size update past our setting or
 * after a field. So are an invalid Huffman string ({@link HuffmanCode}), an empty name, a block
 * that stops inside a representation (blocks are whole: the frame reader joins CONTINUATION
 * frames), and a block lacking the update owed once we lowered our setting (§4.2).
 *
 * <p>The decoded list is counted field by field (names, values and 32 bytes each, §4.1) and fields
 * past the limit are not kept, so memory stays bounded by the block size (which the frame reader
 * bounds) whatever the block references; going past the limit is ENHANCE_YOUR_CALM, once the whole
 * block has been read. Values of never-indexed fields (§6.2.3) are not kept among {@link
 * HeaderStrings}' recent strings.
 */
final class HpackDecoder {
  /** RFC 7541 §4.1 and RFC 9113 §6.5.2: each entry or field counts 32 bytes beyond its strings. */
  static final int ENTRY_OVERHEAD = 32;

  /** The number of static table entries: 61. */
  static final int STATIC_LENGTH = HeaderStrings.STATIC_TABLE.size() / 2;

  /** Where an entry keeps its name and its value, in both tables: two slots, name first. */
  private static final int NAME = 0;

  private static final int VALUE = 1;

  /** The largest scratch array kept between blocks; a larger one is dropped after its block. */
  private static final int MAX_KEPT_SCRATCH = 4096;

  private final Table table = new Table();
  private final HeaderStrings strings = new HeaderStrings();
  private int maxHeaderListSize;

  /** Our SETTINGS_HEADER_TABLE_SIZE in effect: the most an update may set. */
  private int maxSize = 4096;

  /** The table's maximum size as the encoder last set it (§4.2). */
  private int capacity = 4096;

  /** We lowered our setting below {@link #capacity}: the next block must start with an update. */
  private boolean updateRequired;

  /** The block being decoded: its array, the next byte and the end. */
  private byte[] in;

  private int pos;
  private int end;

  /** Receives a block's array from {@link Bytes#writeTo}, which hands it over without a copy. */
  private final OutputStream loader =
      new OutputStream() {
        @Override
        public void write(int b) {
          throw new UnsupportedOperationException();
        }

        @Override
        public void write(byte[] b, int off, int len) {
          in = b;
          pos = off;
          end = off + len;
        }
      };

  /** Huffman strings decode here before they become {@code String}s. */
  private byte[] scratch = new byte[256];

  /** The block's fields as names and values, their count and the list's size so far. */
  private String[] fields = new String[32];

  private int count;
  private long size;

  /** A decoder with the initial 4096-byte table (RFC 7541 §4.2) and a header list limit. */
  HpackDecoder(int maxHeaderListSize) {
    this.maxHeaderListSize = maxHeaderListSize;
  }

  /**
   * Our SETTINGS_HEADER_TABLE_SIZE took effect, acknowledged by the peer: the most its encoder may
   * use. A table larger than that shrinks at once, as the encoder must now signal at the start of
   * its next block (§4.2).
   */
  void maxTableSize(int size) {
    maxSize = size;
    if (capacity > size) {
      updateRequired = true;
      resize(size);
    }
  }

  /** Sets the largest decoded header list accepted. */
  void maxHeaderListSize(int size) {
    this.maxHeaderListSize = size;
  }

  /**
   * Decodes one complete header block.
   *
   * @throws Http2Error connection error COMPRESSION_ERROR when the block is not valid HPACK;
   *     ENHANCE_YOUR_CALM when the decoded list exceeds the maximum header list size (names, values
   *     and 32 bytes per field, RFC 9113 §6.5.2): an "HPACK bomb" of small references to large
   *     table entries stops there
   */
  Headers decode(Bytes block) throws Http2Error {
    try {
      block.writeTo(loader);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // our loader does not fail
    }
    count = 0;
    size = 0;
    try {
      decodeFields();
      if (size > maxHeaderListSize) {
        throw Http2Error.connection(
            ErrorCode.ENHANCE_YOUR_CALM,
            "decoded header list exceeds SETTINGS_MAX_HEADER_LIST_SIZE " + maxHeaderListSize);
      }
      return ApiAccess.headersOver(Arrays.copyOf(fields, count)); // a copy of its own
    } finally {
      in = null;
      Arrays.fill(fields, 0, count, null);
      if (scratch.length > MAX_KEPT_SCRATCH) {
        scratch = new byte[256];
      }
      if (fields.length > 64) {
        fields = new String[32]; // a long list's array is not kept
      }
    }
  }

  /** The table's entries as names and values, newest first (index 62 first). */
  String[] tableEntries() {
    return table.unrolled(2 * table.count);
  }

  private void decodeFields() throws Http2Error {
    boolean fieldSeen = false;
    while (pos < end) {
      int b = in[pos] & 0xff;
      if (updateRequired && (b & 0xe0) != 0x20) {
        throw error(
            "the block does not start with a dynamic table size update to at most our lowered"
                + " SETTINGS_HEADER_TABLE_SIZE "
                + maxSize
                + " (RFC 7541 §4.2)");
      }
      if ((b & 0x80) != 0) { // indexed field (§6.1)
        int index = checkIndex(readInt(7));
        add(entry(index, NAME), entry(index, VALUE));
        fieldSeen = true;
      } else if ((b & 0xe0) == 0x20) { // dynamic table size update (§6.3)
        sizeUpdate(readInt(5), fieldSeen);
      } else { // literal with incremental indexing, without, or never indexed (§6.2.1 to §6.2.3)
        boolean indexing = (b & 0x40) != 0;
        String name = name(readInt(indexing ? 6 : 4));
        String value = string((b & 0xf0) == 0x10, !indexing && size > maxHeaderListSize);
        if (indexing) {
          insert(name, value);
        }
        add(name, value);
        fieldSeen = true;
      }
    }
  }

  /** Counts a field and keeps it while the list is within its limit. */
  private void add(String name, String value) {
    size += entrySize(name, value);
    if (size <= maxHeaderListSize) {
      if (count == fields.length) {
        fields = Arrays.copyOf(fields, 2 * count);
      }
      fields[count++] = name;
      fields[count++] = value;
    }
  }

  private void sizeUpdate(int size, boolean fieldSeen) throws Http2Error {
    if (fieldSeen) {
      throw error("dynamic table size update after a header field (RFC 7541 §4.2)");
    }
    if (size > maxSize) {
      throw error(
          ("dynamic table size update to %s exceeds our SETTINGS_HEADER_TABLE_SIZE %s"
                  + " (RFC 7541 §6.3)")
              .formatted(size, maxSize));
    }
    updateRequired = false;
    resize(size);
  }

  /** A field's name: a string that follows when {@code index} is 0, else indexed. */
  private String name(int index) throws Http2Error {
    if (index != 0) {
      return entry(checkIndex(index), NAME);
    }
    if (pos < end && (in[pos] & 0x7f) == 0) {
      throw error("empty header field name");
    }
    return string(false, false);
  }

  /** The {@link #NAME} or {@link #VALUE} of the entry at {@code index}, which is checked. */
  private String entry(int index, int part) {
    return index <= STATIC_LENGTH
        ? HeaderStrings.STATIC_TABLE.get(2 * index - 2 + part)
        : table.get(index - STATIC_LENGTH - 1, part);
  }

  private int checkIndex(int index) throws Http2Error {
    if (index == 0 || index > STATIC_LENGTH + table.count) {
      throw error(
          ("index %s is outside the static table (61) and the dynamic table (%s entries)"
                  + " (RFC 7541 §2.3.3)")
              .formatted(index, table.count));
    }
    return index;
  }

  /**
   * Reads a string literal (§5.2); kept among the recent strings unless {@code secret}. When {@code
   * unused} (the list is already past its limit), it is checked but no {@code String} is made.
   */
  private String string(boolean secret, boolean unused) throws Http2Error {
    if (pos >= end) {
      throw truncated();
    }
    boolean huffman = (in[pos] & 0x80) != 0;
    int length = readInt(7);
    if (length > end - pos) {
      throw truncated();
    }
    int start = pos;
    pos += length;
    if (!huffman) {
      return unused ? "" : strings.of(in, start, pos, secret);
    }
    // the shortest code has 5 bits, so n bytes hold at most 8n/5 symbols
    int most = (int) (length * 8L / 5);
    if (scratch.length < most) {
      scratch = new byte[Math.max(most, 2 * scratch.length)];
    }
    int decoded = HuffmanCode.decode(in, start, pos, scratch);
    if (decoded < 0) {
      throw error("invalid Huffman code or padding (RFC 7541 §5.2)");
    }
    return unused ? "" : strings.of(scratch, 0, decoded, secret);
  }

  /** Reads an integer with an N-bit prefix (§5.1), bounded in octets and to 2^31-1. */
  private int readInt(int prefixBits) throws Http2Error {
    int max = (1 << prefixBits) - 1;
    int prefix = in[pos++] & max;
    if (prefix < max) {
      return prefix;
    }
    long value = prefix;
    for (int i = 0; i < Http2Limits.MAX_HPACK_INTEGER_CONTINUATION_OCTETS; i++) {
      if (pos >= end) {
        throw truncated();
      }
      int b = in[pos++] & 0xff;
      value += (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        if (value > Integer.MAX_VALUE) {
          throw error("HPACK integer " + value + " exceeds 2^31-1");
        }
        return (int) value;
      }
    }
    throw error(
        "HPACK integer with more than "
            + Http2Limits.MAX_HPACK_INTEGER_CONTINUATION_OCTETS
            + " continuation octets");
  }

  /** Adds an entry (§4.4): first evicts what it needs, or empties the table if it cannot fit. */
  private void insert(String name, String value) {
    long size = entrySize(name, value);
    while (table.count > 0 && table.bytes + size > capacity) {
      table.evictOldest();
    }
    if (size <= capacity) {
      table.add(name, value);
    }
  }

  /** An entry's or field's size (§4.1): our strings hold one char per byte. */
  private static long entrySize(String name, String value) {
    return (long) name.length() + value.length() + ENTRY_OVERHEAD;
  }

  /** Sets the table's maximum size (§4.3), evicting the oldest entries beyond it. */
  private void resize(int size) {
    capacity = size;
    while (table.bytes > capacity) {
      table.evictOldest();
    }
  }

  private static Http2Error truncated() {
    return error("truncated HPACK header block");
  }

  private static Http2Error error(String message) {
    return Http2Error.connection(ErrorCode.COMPRESSION_ERROR, message);
  }

  /**
   * The dynamic table's entries, newest first (§2.3.3: index 62 is the newest): a ring of names and
   * values, two slots an entry, that grows as needed.
   */
  private static final class Table {
    private String[] ring = new String[32];
    private int newest;
    private int count;
    private long bytes;

    /** The name or value ({@code part}) of the entry {@code age} places from the newest (0). */
    String get(int age, int part) {
      return ring[slot(age) + part];
    }

    private int slot(int age) {
      return (newest + 2 * age) % ring.length;
    }

    /** The entries' names and values, newest first, in an array of {@code length} slots. */
    String[] unrolled(int length) {
      String[] out = new String[length];
      for (int i = 0; i < 2 * count; i++) {
        out[i] = ring[(newest + i) % ring.length];
      }
      return out;
    }

    void add(String name, String value) {
      if (2 * count == ring.length) {
        ring = unrolled(2 * ring.length);
        newest = 0;
      }
      newest = (newest - 2 + ring.length) % ring.length;
      ring[newest] = name;
      ring[newest + 1] = value;
      count++;
      bytes += entrySize(name, value);
    }

    void evictOldest() {
      int oldest = slot(--count);
      bytes -= entrySize(ring[oldest], ring[oldest + 1]);
      ring[oldest] = null;
      ring[oldest + 1] = null;
    }
  }
}
