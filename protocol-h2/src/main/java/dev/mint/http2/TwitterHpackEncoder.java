// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import com.twitter.hpack.Encoder;
import dev.mint.Bytes;
import dev.mint.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@link HeaderBlockEncoder} on Twitter's hpack library. The library uses the dynamic table and
 * Huffman coding where it makes the block shorter.
 *
 * <p>Fields that carry secrets are sent as "never indexed" literals (RFC 7541 §7.1.3) so that no
 * intermediary compresses them: {@code authorization}, {@code proxy-authorization}, and short
 * {@code cookie} values (under 20 bytes, which a compression oracle could guess).
 */
final class TwitterHpackEncoder implements HeaderBlockEncoder {
  private final Encoder encoder;
  private int tableSize;

  /** The smallest size the peer allowed since the last block, or -1 when unchanged. */
  private int pendingMinimum = -1;

  /** An encoder starting with the initial 4096-byte table (RFC 7541 §4.2). */
  TwitterHpackEncoder() {
    this.tableSize = Math.min(4096, Http2Limits.MAX_ENCODER_TABLE_SIZE);
    this.encoder = new Encoder(tableSize);
  }

  @Override
  public void peerMaxTableSize(long size) {
    int wanted = (int) Math.min(size, Http2Limits.MAX_ENCODER_TABLE_SIZE);
    if (pendingMinimum < 0 || wanted < pendingMinimum) {
      pendingMinimum = Math.min(wanted, tableSize);
    }
    tableSize = wanted;
  }

  @Override
  public Bytes encode(Headers fields) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 + 32 * fields.size());
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
        encoder.encodeHeader(out, latin1(name), latin1(value), sensitive(name, value));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return Bytes.of(out.toByteArray());
  }

  private static boolean sensitive(String name, String value) {
    return name.equals("authorization")
        || name.equals("proxy-authorization")
        || name.equals("cookie") && value.length() < 20;
  }

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
