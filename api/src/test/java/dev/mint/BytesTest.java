// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import org.junit.jupiter.api.Test;

class BytesTest {

  @Test
  void factoriesCopyTheirInput() {
    byte[] source = {1, 2, 3};
    Bytes b = Bytes.of(source);
    source[0] = 9;
    assertEquals(1, b.byteAt(0));

    ByteBuffer buffer = ByteBuffer.wrap(new byte[] {4, 5, 6});
    Bytes copied = Bytes.copyOf(buffer);
    assertEquals(3, buffer.position());
    buffer.put(0, (byte) 0);
    assertEquals(4, copied.byteAt(0));
  }

  @Test
  void accessorsNeverExposeStorage() {
    Bytes b = Bytes.utf8("abc");
    byte[] array = b.toByteArray();
    array[0] = 'z';
    assertEquals("abc", b.utf8());
    ByteBuffer view = b.asReadOnlyBuffer();
    assertTrue(view.isReadOnly());
    assertThrows(ReadOnlyBufferException.class, () -> view.put(0, (byte) 'z'));
  }

  @Test
  void copyOfTakesExactlyTheGivenLength() {
    ByteBuffer buffer = ByteBuffer.wrap("hello world".getBytes());
    assertEquals("hello", Bytes.copyOf(buffer, 5).utf8());
    assertEquals(5, buffer.position());
    assertSame(Bytes.empty(), Bytes.copyOf(buffer, 0));
  }

  @Test
  void slicesShareValueSemantics() {
    Bytes b = Bytes.utf8("hello world");
    Bytes world = b.slice(6, 11);
    assertEquals(Bytes.utf8("world"), world);
    assertEquals(Bytes.utf8("world").hashCode(), world.hashCode());
    assertArrayEquals("world".getBytes(), world.toByteArray());
    assertEquals(5, world.asReadOnlyBuffer().remaining());
    assertThrows(IndexOutOfBoundsException.class, () -> b.slice(3, 12));
    assertSame(Bytes.empty(), b.slice(2, 2));
  }

  @Test
  void writesToStreams() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Bytes.of("xyz".getBytes(), 1, 2).writeTo(out);
    assertEquals("yz", out.toString());
  }

  @Test
  void toStringEscapesShortValuesAndSummarisesLongOnes() {
    assertEquals("Bytes[3 \"a\\x0a\\x22\"]", Bytes.of(new byte[] {'a', '\n', '"'}).toString());
    assertEquals("Bytes[100]", Bytes.of(new byte[100]).toString());
  }
}
