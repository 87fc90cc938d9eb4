// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.Headers;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Our HPACK wrappers against the public hpack-test-case vectors (see
 * src/test/resources/hpack-test-case/README.md), and the checks we add to the library.
 */
class HpackTest {
  static Stream<String> stories() {
    return Stream.of(
        "go-hpack/story_00.json",
        "haskell-http2-linear-huffman/story_00.json",
        "nghttp2-change-table-size/story_00.json",
        "nghttp2-change-table-size/story_01.json",
        "nghttp2-change-table-size/story_30.json");
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> cases(String story) throws IOException {
    try (InputStream in = HpackTest.class.getResourceAsStream("/hpack-test-case/" + story)) {
      if (in == null) {
        throw new AssertionError("missing test vector " + story);
      }
      Map<String, Object> doc =
          (Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
      return (List<Map<String, Object>>) (List<?>) doc.get("cases");
    }
  }

  @SuppressWarnings("unchecked")
  private static Headers headers(Map<String, Object> c) {
    Headers.Builder b = Headers.builder();
    for (Object field : (List<Object>) c.get("headers")) {
      for (Map.Entry<String, Object> e : ((Map<String, Object>) field).entrySet()) {
        b.add(e.getKey(), (String) e.getValue());
      }
    }
    return b.build();
  }

  @ParameterizedTest
  @MethodSource("stories")
  void decodesEveryCase(String story) throws Exception {
    HpackDecoder decoder = new HpackDecoder(1 << 20);
    List<Map<String, Object>> cases = cases(story);
    assertFalse(cases.isEmpty());
    for (Map<String, Object> c : cases) {
      if (c.get("header_table_size") instanceof Long size) {
        decoder.maxTableSize(size.intValue()); // acknowledged just before this case
      }
      Bytes wire = Bytes.of(HexFormat.of().parseHex((String) c.get("wire")));
      assertEquals(headers(c), decoder.decode(wire), story + " case " + c.get("seqno"));
    }
  }

  @ParameterizedTest
  @MethodSource("stories")
  void encodeThenDecodeRoundTrips(String story) throws Exception {
    TwitterHpackEncoder encoder = new TwitterHpackEncoder();
    HpackDecoder decoder = new HpackDecoder(1 << 20);
    for (Map<String, Object> c : cases(story)) {
      if (c.get("header_table_size") instanceof Long size) {
        encoder.peerMaxTableSize(size);
        decoder.maxTableSize(size.intValue());
      }
      Headers fields = headers(c);
      assertEquals(
          fields, decoder.decode(Raw.block(encoder, fields)), story + " " + c.get("seqno"));
    }
  }

  @Test
  void roundTripsUnderShrinkingAndGrowingTables() throws Exception {
    TwitterHpackEncoder encoder = new TwitterHpackEncoder();
    HpackDecoder decoder = new HpackDecoder(1 << 20);
    long[] sizes = {4096, 0, 100, 4096, 10_000, 50};
    for (String story : stories().toList()) {
      int i = 0;
      for (Map<String, Object> c : cases(story)) {
        long size = sizes[i++ % sizes.length];
        encoder.peerMaxTableSize(size);
        decoder.maxTableSize((int) Math.min(size, Http2Limits.MAX_ENCODER_TABLE_SIZE));
        Headers fields = headers(c);
        assertEquals(fields, decoder.decode(Raw.block(encoder, fields)));
      }
    }
  }

  @Test
  void tableSizeUpdatesAreSignalledSmallestFirst() {
    TwitterHpackEncoder encoder = new TwitterHpackEncoder();
    Bytes unchanged = Raw.block(encoder, Headers.of(":method", "GET"));
    assertArrayEquals(new byte[] {(byte) 0x82}, unchanged.toByteArray());
    encoder.peerMaxTableSize(8192); // we stay at 4096: nothing to signal
    assertArrayEquals(
        new byte[] {(byte) 0x82}, Raw.block(encoder, Headers.of(":method", "GET")).toByteArray());
    encoder.peerMaxTableSize(0);
    encoder.peerMaxTableSize(4096);
    // RFC 7541 §4.2: 0 then 4096, then the field
    assertArrayEquals(
        new byte[] {0x20, 0x3f, (byte) 0xe1, 0x1f, (byte) 0x82},
        Raw.block(encoder, Headers.of(":method", "GET")).toByteArray());
  }

  @Test
  void secretsAreNeverIndexed() {
    TwitterHpackEncoder encoder = new TwitterHpackEncoder();
    byte[] block = Raw.block(encoder, Headers.of("authorization", "Bearer x")).toByteArray();
    assertEquals(0x10, block[0] & 0xf0, "literal never indexed (RFC 7541 §6.2.3)");
    block = Raw.block(encoder, Headers.of("cookie", "id=1")).toByteArray();
    assertEquals(0x10, block[0] & 0xf0);
  }

  @Test
  void structureChecks() {
    assertCompressionError(new byte[] {(byte) 0x82, 0x3f, 0x01}); // size update after a field
    assertCompressionError(new byte[] {0x40, 0x7f}); // name length prefix cut off
    assertCompressionError(new byte[] {0x0f}); // index prefix cut off
    assertCompressionError(new byte[] {0x01, 0x03, 'a'}); // value shorter than its length
    assertCompressionError(
        new byte[] {0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f});
    assertDoesNotThrow(
        new byte[] {0x3f, (byte) 0xe1, 0x1f, 0x20, (byte) 0x82}); // two updates first
  }

  @Test
  void integersAreBoundedByTheirUse() throws Exception {
    // the reproducer: a Huffman name length with nine continuation bytes
    assertCompressionError(hex("00ff80808080808080808001"));
    // RFC 7541 §5.1 leaves the octet length to the implementation: at most five continuations
    assertDoesNotThrow(hex("3f8080808000")); // table size update to 31, five continuations
    assertCompressionError(hex("3f808080808000")); // the same with six
    assertCompressionError(hex("3fffffffff07")); // 31 + 2^31-1 + ...: above 2^31-1
    // a string length is at most the bytes left in the block
    assertCompressionError(hex("007fffffffff07"));
    assertCompressionError(hex("000261"));
    assertDoesNotThrow(hex("0001610162"));
    // an index is at most 61 static entries plus the dynamic table's entries
    assertCompressionError(hex("80"));
    assertCompressionError(hex("be")); // 62: the dynamic table is empty
    assertCompressionError(hex("0f30" + "0162")); // literal name from index 63
    assertCompressionError(hex("7f00" + "0162")); // indexing literal, name from index 63
    HpackDecoder decoder = new HpackDecoder(1 << 20);
    decoder.decode(hex("4001610162")); // a: b into the table
    assertEquals(Headers.of("a", "b"), decoder.decode(hex("be")));
    assertEquals(Headers.of("a", "c"), decoder.decode(hex("7e0163")));
    assertEquals(Headers.of("a", "c", "a", "b"), decoder.decode(hex("bebf")));
    Http2Error e = assertThrows(Http2Error.class, () -> decoder.decode(hex("c0")));
    assertEquals(ErrorCode.COMPRESSION_ERROR, e.code());
    // a table size update is at most the size we advertised
    assertCompressionError(hex("3fe21f")); // 4097 > 4096
    HpackDecoder small = new HpackDecoder(1 << 20);
    small.maxTableSize(100);
    e = assertThrows(Http2Error.class, () -> small.decode(hex("3f46"))); // 101
    assertEquals(ErrorCode.COMPRESSION_ERROR, e.code());
    HpackDecoder hundred = new HpackDecoder(1 << 20);
    hundred.maxTableSize(100);
    assertEquals(Headers.of("a", "b"), hundred.decode(hex("3f45" + "4001610162")));
  }

  @Test
  void aLoweredTableSizeMustBeSignalledFirst() throws Exception {
    HpackDecoder decoder = new HpackDecoder(1 << 20);
    decoder.decode(hex("4001610162")); // a: b into the table (35 bytes)
    decoder.maxTableSize(4096); // not lowered: nothing to signal
    assertEquals(Headers.of("a", "b"), decoder.decode(hex("be")));
    decoder.maxTableSize(20); // below the table's 4096: the next block starts with an update
    assertEquals(Headers.of(), decoder.decode(hex("")));
    Http2Error e = assertThrows(Http2Error.class, () -> decoder.decode(hex("82")));
    assertEquals(ErrorCode.COMPRESSION_ERROR, e.code());
    assertTrue(e.getMessage().contains("20"), e.getMessage());
    HpackDecoder signalled = new HpackDecoder(1 << 20);
    signalled.decode(hex("4001610162"));
    signalled.maxTableSize(20);
    assertEquals(Headers.of(":method", "GET"), signalled.decode(hex("3482")));
    assertEquals(0, signalled.tableEntries().length); // evicted when the setting took effect
    assertEquals(Headers.of(":method", "GET"), signalled.decode(hex("82")));
  }

  @Test
  void entriesAreEvictedAsTheRfcSays() throws Exception {
    // RFC 7541 C.6: responses with Huffman coding through a 256-byte table, with evictions; the
    // second block indexes entry 65, the oldest one left after the first eviction
    HpackDecoder decoder = new HpackDecoder(1 << 20);
    decoder.maxTableSize(256); // as HTTP/2 gets it: our setting took effect, the encoder signals it
    assertEquals(Headers.of(), decoder.decode(hex("3fe101")));
    assertEquals(
        c6("302", "1"),
        decoder.decode(
            hex(
                "488264025885aec3771a4b6196d07abe941054d444a8200595040b8166e082a62d1bff"
                    + "6e919d29ad171863c78f0b97c8e9ae82ae43d3")));
    assertEquals(c6("307", "1"), decoder.decode(hex("4883640effc1c0bf")));
    Headers third =
        c6("200", "2").toBuilder()
            .add("content-encoding", "gzip")
            .add("set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1")
            .build();
    assertEquals(
        third,
        decoder.decode(
            hex(
                "88c16196d07abe941054d444a8200595040b8166e084a62d1bffc05a839bd9ab77ad"
                    + "94e7821dd7f2e6c7b335dfdfcd5b3960d5af27087f3672c1ab270fb5291f9587316065c003ed4ee5"
                    + "b1063d5007")));
    // three entries are left (set-cookie, content-encoding, date): 62..64, and 65 is gone
    Http2Error e = assertThrows(Http2Error.class, () -> decoder.decode(hex("c1")));
    assertEquals(ErrorCode.COMPRESSION_ERROR, e.code());
  }

  /** The first four fields of the RFC 7541 C.6 responses. */
  private static Headers c6(String status, String lastDigitOfSeconds) {
    return Headers.of(
        ":status",
        status,
        "cache-control",
        "private",
        "date",
        "Mon, 21 Oct 2013 20:13:2" + lastDigitOfSeconds + " GMT",
        "location",
        "https://www.example.com");
  }

  @Test
  void huffmanStringsAreStrict() throws Exception {
    // "www.example.com" from RFC 7541 C.4.1
    byte[] good = HexFormat.of().parseHex("418cf1e3c2e5f23a6ba0ab90f4ff");
    assertEquals(
        "www.example.com", new HpackDecoder(4096).decode(Bytes.of(good)).get(":authority"));
    assertEquals(15, HuffmanStrings.decodedLength(Bytes.of(good), 2, good.length));
    byte[] longPadding = HexFormat.of().parseHex("418df1e3c2e5f23a6ba0ab90f4ffff");
    assertEquals(-1, HuffmanStrings.decodedLength(Bytes.of(longPadding), 2, longPadding.length));
    assertCompressionError(longPadding);
    assertEquals(-1, HuffmanStrings.decodedLength(Bytes.of(new byte[] {(byte) 0xfe}), 0, 1));
    assertEquals(0, HuffmanStrings.decodedLength(Bytes.of(new byte[0]), 0, 0));
  }

  @Test
  void theHeaderListLimitCountsFieldOverhead() throws Exception {
    TwitterHpackEncoder encoder = new TwitterHpackEncoder();
    Headers fields = Headers.of("a", "b", "c", "d"); // 2 * (1 + 1 + 32) = 68
    Bytes block = Raw.block(encoder, fields);
    assertEquals(fields, new HpackDecoder(68).decode(block));
    Http2Error e =
        assertThrows(
            Http2Error.class, () -> new HpackDecoder(67).decode(Bytes.of(block.toByteArray())));
    assertEquals(ErrorCode.ENHANCE_YOUR_CALM, e.code());
    assertTrue(e.isConnectionError());
  }

  private static Bytes hex(String hex) {
    return Bytes.of(HexFormat.of().parseHex(hex));
  }

  private static void assertCompressionError(Bytes block) {
    assertCompressionError(block.toByteArray());
  }

  private static void assertDoesNotThrow(Bytes block) {
    assertDoesNotThrow(block.toByteArray());
  }

  private static void assertCompressionError(byte[] block) {
    Http2Error e =
        assertThrows(Http2Error.class, () -> new HpackDecoder(1 << 20).decode(Bytes.of(block)));
    assertEquals(ErrorCode.COMPRESSION_ERROR, e.code(), e.getMessage());
    assertTrue(e.isConnectionError());
  }

  private static void assertDoesNotThrow(byte[] block) {
    try {
      new HpackDecoder(1 << 20).decode(Bytes.of(block));
    } catch (Http2Error e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }
}
