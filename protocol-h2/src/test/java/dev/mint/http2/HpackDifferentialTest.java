// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.twitter.hpack.Decoder;
import com.twitter.hpack.Encoder;
import dev.mint.Bytes;
import dev.mint.Headers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Our decoder against Twitter's hpack {@code Decoder} (here only, as the reference): random valid
 * blocks made by Twitter's {@code Encoder} (random fields, sensitive ones among them, Huffman
 * coding chosen, forced on or off, indexing on or off, table size updates to random sizes) decode
 * to the same fields, and after each block both dynamic tables hold the same entries in the same
 * order.
 */
@ExtendWith(SeedReporter.class)
class HpackDifferentialTest {
  private static final String[] NAMES = {
    ":status",
    "content-type",
    "date",
    "etag",
    "set-cookie",
    "authorization",
    "x-a",
    "x-request-id",
    "cache-control",
    "location",
    "vary",
    "x-long-header-name-for-the-table"
  };

  @Test
  void theStaticTableIsTheLibrarysOne() throws Exception {
    List<String> table = new ArrayList<>();
    byte[] block = new byte[61]; // indexed fields 1..61 (RFC 7541 §6.1)
    for (int i = 0; i < block.length; i++) {
      block[i] = (byte) (0x81 + i);
    }
    new Decoder(Integer.MAX_VALUE, 0)
        .decode(
            new ByteArrayInputStream(block),
            (name, value, sensitive) -> table.addAll(List.of(latin1(name), latin1(value))));
    assertEquals(table, HeaderStrings.STATIC_TABLE);
  }

  @Test
  void randomBlocksDecodeAsTheLibraryDecodesThem() throws Exception {
    Random random = new Random(SeedReporter.SEED);
    for (int connection = 0; connection < 40; connection++) {
      int settings = 4096;
      Encoder encoder = encoder(random);
      Decoder library = new Decoder(Integer.MAX_VALUE, settings);
      HpackDecoder ours = new HpackDecoder(1 << 30);
      for (int blockNo = 0; blockNo < 60; blockNo++) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (random.nextInt(5) == 0) { // our SETTINGS_HEADER_TABLE_SIZE changes, then the encoder's
          settings = random.nextInt(4) == 0 ? 0 : random.nextInt(8192);
          library.setMaxHeaderTableSize(settings);
          ours.maxTableSize(settings);
          encoder.setMaxHeaderTableSize(out, random.nextInt(settings + 1));
        }
        int fields = random.nextInt(12);
        for (int i = 0; i < fields; i++) {
          boolean sensitive = random.nextInt(8) == 0;
          encoder.encodeHeader(out, name(random), value(random), sensitive);
        }
        String context = "connection " + connection + " block " + blockNo;
        byte[] block = out.toByteArray();
        Headers.Builder expected = Headers.builder();
        library.decode(
            new ByteArrayInputStream(block), (n, v, s) -> expected.add(latin1(n), latin1(v)));
        assertEquals(false, library.endHeaderBlock(), context);
        assertEquals(expected.build(), ours.decode(Bytes.of(block)), context);
        assertArrayEquals(entries(library), ours.tableEntries(), context);
      }
    }
  }

  /** The library's encoder, with its defaults or (package-private) forced choices. */
  private static Encoder encoder(Random random) throws Exception {
    if (random.nextBoolean()) {
      return new Encoder(4096);
    }
    Constructor<Encoder> forced =
        Encoder.class.getDeclaredConstructor(
            int.class, boolean.class, boolean.class, boolean.class);
    forced.setAccessible(true);
    boolean huffmanOn = random.nextBoolean();
    return forced.newInstance(4096, random.nextInt(4) != 0, huffmanOn, !huffmanOn);
  }

  /** The library decoder's dynamic table, newest first: names and values. */
  private static String[] entries(Decoder decoder) throws Exception {
    Method length = Decoder.class.getDeclaredMethod("length");
    Method entry = Decoder.class.getDeclaredMethod("getHeaderField", int.class);
    length.setAccessible(true);
    entry.setAccessible(true);
    int n = (int) length.invoke(decoder);
    String[] entries = new String[2 * n];
    for (int i = 0; i < n; i++) {
      Object field = entry.invoke(decoder, i);
      entries[2 * i] = latin1(bytesOf(field, "name"));
      entries[2 * i + 1] = latin1(bytesOf(field, "value"));
    }
    return entries;
  }

  private static byte[] bytesOf(Object headerField, String name) throws Exception {
    Field f = headerField.getClass().getDeclaredField(name);
    f.setAccessible(true);
    return (byte[]) f.get(headerField);
  }

  private static byte[] name(Random random) {
    String name =
        random.nextInt(4) == 0
            ? "x-" + Integer.toString(random.nextInt(1 << 20), 36)
            : NAMES[random.nextInt(NAMES.length)];
    return name.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A value: a repeated one, printable text, or any bytes at all, up to a few hundred. */
  private static byte[] value(Random random) {
    int kind = random.nextInt(3);
    if (kind == 0) {
      return ("v" + random.nextInt(8)).getBytes(StandardCharsets.ISO_8859_1);
    }
    byte[] value = new byte[random.nextInt(random.nextInt(10) == 0 ? 600 : 40)];
    for (int i = 0; i < value.length; i++) {
      value[i] = (byte) (kind == 1 ? 0x20 + random.nextInt(0x5f) : random.nextInt(256));
    }
    return value;
  }

  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }
}
