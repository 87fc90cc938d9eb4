// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;
import dev.mint.Headers;
import dev.mint.spi.ApiAccess;

/**
 * The HTTP/2 engine's HPACK decoder and encoder ({@link HpackDecoder}, {@link TwitterHpackEncoder},
 * package-private in {@code protocol-h2}) opened to the benchmarks, so that {@code HpackBenchmark}
 * measures exactly the path the engine takes. This class lives in the engine's package only in the
 * benchmark module, which runs on the class path.
 */
public final class HpackCodec {
  private HpackCodec() {}

  /** A connection's decoder: 4096-byte table, 1 MiB header list limit. */
  public static final class Decoding {
    private final HpackDecoder decoder = new HpackDecoder(1 << 20);

    /** A decoder as a new connection has it. */
    public Decoding() {}

    /** Decodes one header block as the engine does. */
    public Headers decode(Bytes block) {
      try {
        return decoder.decode(block);
      } catch (Http2Error e) {
        throw new IllegalStateException("invalid benchmark block: " + e.getMessage(), e);
      }
    }
  }

  /** A connection's encoder: 4096-byte table. */
  public static final class Encoding {
    private final TwitterHpackEncoder encoder = new TwitterHpackEncoder();

    /** An encoder as a new connection has it. */
    public Encoding() {}

    /** Encodes one header block as the engine does. */
    public Bytes encode(Headers fields) {
      byte[] block = encoder.encode(fields, 0);
      return ApiAccess.bytesOver(block, 0, block.length);
    }
  }
}
