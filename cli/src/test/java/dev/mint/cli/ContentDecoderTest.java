// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --compressed} decoding, whole, byte by byte and in random splits. */
class ContentDecoderTest {
  private static final byte[] TEXT =
      "to be, or not to be, that is the question\n".repeat(500).getBytes();

  @ParameterizedTest
  @ValueSource(strings = {"gzip", "deflate", "raw-deflate"})
  void decodesWholeByteByByteAndSplit(String coding) throws IOException {
    byte[] encoded = encode(coding);
    String header = coding.equals("raw-deflate") ? "deflate" : coding;
    assertArrayEquals(TEXT, decode(header, encoded, encoded.length));
    assertArrayEquals(TEXT, decode(header, encoded, 1));
    Random random = new Random(5);
    for (int i = 0; i < 20; i++) {
      assertArrayEquals(TEXT, decode(header, encoded, 1 + random.nextInt(300)));
    }
  }

  @Test
  void identityAndNoCodingPassThrough() throws IOException {
    OutputStream out = new ByteArrayOutputStream();
    assertSame(out, ContentDecoder.decoding(null, out));
    assertSame(out, ContentDecoder.decoding("identity", out));
    assertThrows(ContentDecoder.DecodeException.class, () -> ContentDecoder.decoding("br", out));
  }

  @Test
  void aTruncatedOrCorruptBodyIsADecodeError() throws IOException {
    byte[] gzip = encode("gzip");
    byte[] cut = Arrays.copyOf(gzip, gzip.length - 4);
    assertTrue(
        assertThrows(ContentDecoder.DecodeException.class, () -> decode("gzip", cut, 100))
            .getMessage()
            .contains("trailer"));
    byte[] badCrc = gzip.clone();
    badCrc[gzip.length - 8] ^= 1;
    assertThrows(ContentDecoder.DecodeException.class, () -> decode("gzip", badCrc, 100));
    byte[] notGzip = "plain text, not gzip".getBytes();
    assertThrows(ContentDecoder.DecodeException.class, () -> decode("gzip", notGzip, 100));
    byte[] deflate = encode("deflate");
    assertThrows(
        ContentDecoder.DecodeException.class,
        () -> decode("deflate", Arrays.copyOf(deflate, deflate.length / 2), 100));
  }

  private static byte[] decode(String coding, byte[] encoded, int split) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    OutputStream decoder = ContentDecoder.decoding(coding, out);
    for (int at = 0; at < encoded.length; at += split) {
      decoder.write(encoded, at, Math.min(split, encoded.length - at));
    }
    decoder.close();
    return out.toByteArray();
  }

  private static byte[] encode(String coding) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    OutputStream z =
        switch (coding) {
          case "gzip" -> new GZIPOutputStream(bytes);
          case "deflate" -> new DeflaterOutputStream(bytes);
          default ->
              new DeflaterOutputStream(bytes, new Deflater(Deflater.DEFAULT_COMPRESSION, true));
        };
    z.write(TEXT);
    z.close();
    return bytes.toByteArray();
  }
}
