// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import com.twitter.hpack.Encoder;
import dev.mint.Headers;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * HPACK encoding (RFC 7541) on Twitter's hpack library: a header list in, one whole header block
 * out. The library uses the dynamic table and Huffman coding where it makes the block shorter; the
 * dynamic table lives across blocks, so blocks must be sent in the order they were encoded. Names
 * and values hold only chars 0..255, one byte each (ISO-8859-1).
 *
 * <p>Fields that carry secrets are sent as "never indexed" literals (RFC 7541 §7.1.3) so that no
 * intermediary compresses them: {@code authorization}, {@code proxy-authorization}, and short
 * {@code cookie} values (under 20 bytes, which a compression oracle could guess).
 *
 * <p>The bytes of recent names and values are kept for the next block as {@link HeaderStrings}
 * keeps strings: {@link HeaderStrings#RECENT_SLOTS} slots, of at most {@link
 * HeaderStrings#MAX_RECENT_LENGTH} chars.
 */
final class TwitterHpackEncoder {
  /** The static table (RFC 7541 Appendix A) by name, then value: the entry's index. */
  private static final Map<String, Map<String, Integer>> STATIC_FIELDS = new HashMap<>();

  static {
    List<String> table = HeaderStrings.STATIC_TABLE;
    for (int i = 0; i < table.size(); i += 2) {
      STATIC_FIELDS
          .computeIfAbsent(table.get(i), name -> new HashMap<>())
          .putIfAbsent(table.get(i + 1), i / 2 + 1);
    }
  }

  private final Encoder encoder;
  private final BlockOutput out = new BlockOutput();
  private final String[] recentStrings = new String[HeaderStrings.RECENT_SLOTS];
  private final byte[][] recentBytes = new byte[HeaderStrings.RECENT_SLOTS][];
  private int tableSize;

  /** The smallest size the peer allowed since the last block, or -1 when unchanged. */
  private int pendingMinimum = -1;

  /** An encoder starting with the initial 4096-byte table (RFC 7541 §4.2). */
  TwitterHpackEncoder() {
    this.tableSize = Math.min(4096, Http2Limits.MAX_ENCODER_TABLE_SIZE);
    this.encoder = new Encoder(tableSize);
  }

  /**
   * Takes the peer's SETTINGS_HEADER_TABLE_SIZE: the encoder uses at most that much (and never more
   * than {@link Http2Limits#MAX_ENCODER_TABLE_SIZE}), signalling the change in the next block.
   */
  void peerMaxTableSize(long size) {
    int wanted = (int) Math.min(size, Http2Limits.MAX_ENCODER_TABLE_SIZE);
    if (pendingMinimum < 0 || wanted < pendingMinimum) {
      pendingMinimum = Math.min(wanted, tableSize);
    }
    tableSize = wanted;
  }

  /**
   * Encodes one header block, starting with any pending dynamic table size update, into a new array
   * that starts with {@code room} zero bytes for the caller (a frame header).
   */
  byte[] encode(Headers fields, int room) {
    try {
      if (pendingMinimum >= 0) {
        // RFC 7541 §4.2: signal the smallest size reached, then the final one
        encoder.setMaxHeaderTableSize(out, pendingMinimum);
        encoder.setMaxHeaderTableSize(out, tableSize);
        pendingMinimum = -1;
      }
      for (int i = 0; i < fields.size(); i++) {
        String name = fields.name(i);
        String value = fields.value(i);
        boolean sensitive =
            name.equals("authorization")
                || name.equals("proxy-authorization")
                || name.equals("cookie") && value.length() < 20;
        Integer index = sensitive ? null : STATIC_FIELDS.getOrDefault(name, Map.of()).get(value);
        if (index != null) {
          out.write(0x80 | index); // §6.1, as the library would, without its lookups
          continue;
        }
        encoder.encodeHeader(out, latin1(name, false), latin1(value, sensitive), sensitive);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a BlockOutput does not fail
    }
    return out.take(room);
  }

  /** The bytes of {@code s}: those of the last block when it held {@code s} too, unless secret. */
  private byte[] latin1(String s, boolean secret) {
    if (secret || s.length() > HeaderStrings.MAX_RECENT_LENGTH) {
      return s.getBytes(StandardCharsets.ISO_8859_1);
    }
    int slot = s.hashCode() & (HeaderStrings.RECENT_SLOTS - 1);
    if (!s.equals(recentStrings[slot])) {
      recentStrings[slot] = s;
      recentBytes[slot] = s.getBytes(StandardCharsets.ISO_8859_1);
    }
    return recentBytes[slot];
  }

  /** An unsynchronized, reused output for one block; a large block's array is not kept. */
  private static final class BlockOutput extends OutputStream {
    private byte[] buf = new byte[256];
    private int count;

    @Override
    public void write(int b) {
      if (count == buf.length) {
        buf = Arrays.copyOf(buf, 2 * count);
      }
      buf[count++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (len > buf.length - count) {
        buf = Arrays.copyOf(buf, Math.max(2 * buf.length, count + len));
      }
      System.arraycopy(b, off, buf, count, len);
      count += len;
    }

    /** The block written since the last call, after {@code room} zero bytes. */
    byte[] take(int room) {
      byte[] block = new byte[room + count];
      System.arraycopy(buf, 0, block, room, count);
      count = 0;
      if (buf.length > 4096) {
        buf = new byte[256];
      }
      return block;
    }
  }
}
