// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;

/**
 * Walks each received HPACK header block (RFC 7541 §6) before the library decodes it, and rejects
 * with COMPRESSION_ERROR any block whose numbers do not fit their use (RFC 7541 §5.1 lets a decoder
 * refuse integers beyond its limits "in value or octet length"):
 *
 * <ul>
 *   <li>an integer has at most {@link Http2Limits#MAX_HPACK_INTEGER_CONTINUATION_OCTETS}
 *       continuation octets and is at most 2^31-1, so it can never wrap;
 *   <li>a string length is at most the bytes left in the block, and a Huffman string decodes
 *       cleanly ({@link HuffmanCode}: no EOS, short all-ones padding);
 *   <li>an index is 1..61 plus the entries now in the dynamic table (§2.3.3);
 *   <li>a dynamic table size update is at most the SETTINGS_HEADER_TABLE_SIZE we advertised and
 *       comes before the first field (§4.2, §6.3);
 *   <li>a block ends at a representation boundary: our blocks are always whole (the frame reader
 *       joins CONTINUATION frames), while the library would wait for more bytes.
 * </ul>
 *
 * <p>To know how many entries the dynamic table holds, this class mirrors it: the sizes of the
 * entries (name and value lengths plus 32, §4.1), inserted and evicted as §4.3 and §4.4 say, and
 * the table's maximum size as the encoder set it. It keeps no names or values. The library keeps
 * the real table; both follow the same rules from the same blocks, in the same order, so they
 * agree, and a block that fails here never reaches the library (the connection ends).
 */
final class HeaderBlockCheck {
  /** See {@link Http2Limits#MAX_HPACK_INTEGER_CONTINUATION_OCTETS}. */
  private static final int MAX_CONTINUATION_OCTETS =
      Http2Limits.MAX_HPACK_INTEGER_CONTINUATION_OCTETS;

  /** RFC 7541 §4.1: each entry counts its name, its value and 32 bytes of overhead. */
  static final int ENTRY_OVERHEAD = 32;

  /** The number of static table entries: 61. */
  static final int STATIC_LENGTH = HeaderStrings.STATIC_TABLE.size() / 2;

  private final EntrySizes table = new EntrySizes();

  /** Our SETTINGS_HEADER_TABLE_SIZE in effect: the most an update may set. */
  private int maxSize;

  /** The table's maximum size as the encoder last set it (§4.2). */
  private int capacity;

  private Bytes block;
  private int pos;

  /** A check for a table that starts at {@code tableSize} bytes (4096 in HTTP/2, §6.5.2). */
  HeaderBlockCheck(int tableSize) {
    this.maxSize = tableSize;
    this.capacity = tableSize;
  }

  /**
   * Our SETTINGS_HEADER_TABLE_SIZE took effect. A table larger than that shrinks at once, as the
   * encoder must now signal (§4.2).
   */
  void maxTableSize(int size) {
    maxSize = size;
    if (capacity > size) {
      resize(size);
    }
  }

  /**
   * Walks {@code block}, updating the mirror of the dynamic table.
   *
   * @throws Http2Error connection error COMPRESSION_ERROR when a number does not fit its use, a
   *     Huffman string is invalid, a table size update is out of place, or the block is truncated
   */
  void check(Bytes block) throws Http2Error {
    this.block = block;
    this.pos = 0;
    try {
      boolean fieldSeen = false;
      while (pos < block.length()) {
        int b = block.byteAt(pos) & 0xff;
        if ((b & 0x80) != 0) { // indexed field (§6.1)
          checkIndex(readInt(7));
          fieldSeen = true;
        } else if ((b & 0x40) != 0) { // literal with incremental indexing (§6.2.1)
          int nameLength = name(readInt(6));
          insert(nameLength, string());
          fieldSeen = true;
        } else if ((b & 0x20) != 0) { // dynamic table size update (§6.3)
          sizeUpdate(readInt(5), fieldSeen);
        } else { // literal without indexing / never indexed (§6.2.2, §6.2.3)
          name(readInt(4));
          string();
          fieldSeen = true;
        }
      }
    } finally {
      this.block = null;
    }
  }

  private void sizeUpdate(int size, boolean fieldSeen) throws Http2Error {
    if (fieldSeen) {
      throw error("dynamic table size update after a header field (RFC 7541 §4.2)");
    }
    if (size > maxSize) {
      throw error(
          "dynamic table size update to "
              + size
              + " exceeds our SETTINGS_HEADER_TABLE_SIZE "
              + maxSize
              + " (RFC 7541 §6.3)");
    }
    resize(size);
  }

  /** The length of a field's name: a string that follows when {@code index} is 0, else indexed. */
  private int name(int index) throws Http2Error {
    if (index == 0) {
      return string();
    }
    checkIndex(index);
    return index <= STATIC_LENGTH
        ? HeaderStrings.STATIC_TABLE.get(2 * index - 2).length()
        : table.nameLength(index - STATIC_LENGTH - 1);
  }

  private void checkIndex(int index) throws Http2Error {
    if (index == 0 || index > STATIC_LENGTH + table.count()) {
      throw error(
          "index "
              + index
              + " is outside the static table (61) and the dynamic table ("
              + table.count()
              + " entries) (RFC 7541 §2.3.3)");
    }
  }

  /** Reads a string literal (§5.2) and returns its decoded length. */
  private int string() throws Http2Error {
    if (pos >= block.length()) {
      throw truncated();
    }
    boolean huffman = (block.byteAt(pos) & 0x80) != 0;
    int length = readInt(7);
    if (length > block.length() - pos) {
      throw truncated();
    }
    int start = pos;
    pos += length;
    if (!huffman) {
      return length;
    }
    int decoded = HuffmanCode.decodedLength(block, start, pos);
    if (decoded < 0) {
      throw error("invalid Huffman code or padding (RFC 7541 §5.2)");
    }
    return decoded;
  }

  /** Reads an integer with an N-bit prefix (§5.1), bounded in octets and to 2^31-1. */
  private int readInt(int prefixBits) throws Http2Error {
    int max = (1 << prefixBits) - 1;
    int prefix = block.byteAt(pos++) & max;
    if (prefix < max) {
      return prefix;
    }
    long value = prefix;
    for (int i = 0; i < MAX_CONTINUATION_OCTETS; i++) {
      if (pos >= block.length()) {
        throw truncated();
      }
      int b = block.byteAt(pos++) & 0xff;
      value += (long) (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        if (value > Integer.MAX_VALUE) {
          throw error("HPACK integer " + value + " exceeds 2^31-1");
        }
        return (int) value;
      }
    }
    throw error("HPACK integer with more than " + MAX_CONTINUATION_OCTETS + " continuation octets");
  }

  /** Adds an entry (§4.4): first evicts what it needs, or empties the table if it cannot fit. */
  private void insert(int nameLength, int valueLength) {
    long size = (long) nameLength + valueLength + ENTRY_OVERHEAD;
    if (size > capacity) {
      table.clear();
      return;
    }
    while (table.bytes() + size > capacity) {
      table.evictOldest();
    }
    table.add(nameLength, (int) size);
  }

  /** Sets the table's maximum size (§4.3), evicting the oldest entries beyond it. */
  private void resize(int size) {
    capacity = size;
    while (table.bytes() > capacity) {
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
   * The sizes of the dynamic table's entries, newest first (§2.3.3: index 62 is the newest): a ring
   * of name lengths and entry sizes that grows as needed.
   */
  private static final class EntrySizes {
    private int[] nameLengths = new int[16];
    private int[] sizes = new int[16];
    private int newest;
    private int count;
    private long bytes;

    int count() {
      return count;
    }

    long bytes() {
      return bytes;
    }

    /** The name length of the entry {@code age} places from the newest (0 = newest). */
    int nameLength(int age) {
      return nameLengths[(newest + age) % nameLengths.length];
    }

    void add(int nameLength, int size) {
      if (count == sizes.length) {
        grow();
      }
      newest = (newest - 1 + sizes.length) % sizes.length;
      nameLengths[newest] = nameLength;
      sizes[newest] = size;
      count++;
      bytes += size;
    }

    void evictOldest() {
      count--;
      bytes -= sizes[(newest + count) % sizes.length];
    }

    void clear() {
      count = 0;
      bytes = 0;
    }

    private void grow() {
      int[] names = new int[sizes.length * 2];
      int[] grown = new int[sizes.length * 2];
      for (int i = 0; i < count; i++) {
        names[i] = nameLength(i);
        grown[i] = sizes[(newest + i) % sizes.length];
      }
      nameLengths = names;
      sizes = grown;
      newest = 0;
    }
  }
}
