// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * An immutable sequence of bytes: the payload of a {@link ResponsePart.Data} part and of a fixed
 * request body.
 *
 * <p>Every factory copies its input (the connection machinery alone may make a value over bytes it
 * never writes again, such as a response body read straight into an array it then gives up), and
 * every accessor that exposes bytes gives a copy or a read-only view, so a {@code Bytes} value
 * never changes after it is made and stays valid forever. It is safe to share between threads.
 *
 * <p>The one exception is asked for by name: on a connection opened with {@link
 * ConnectOptions#borrowBodies()} on, the bytes of a {@link ResponsePart.Data} may be a borrowed
 * view of the thread's read buffer, valid only until that thread's next receiving call (see
 * "Borrowed body bytes" in {@link HttpConnection}); {@link #toByteArray()} copies what is kept.
 */
public final class Bytes {
  private static final Bytes EMPTY = new Bytes(new byte[0], 0, 0);

  private final byte[] array;
  private final int offset;
  private final int length;

  private Bytes(byte[] array, int offset, int length) {
    this.array = array;
    this.offset = offset;
    this.length = length;
  }

  /** The empty value. */
  public static Bytes empty() {
    return EMPTY;
  }

  /** A copy of {@code bytes}. */
  public static Bytes of(byte[] bytes) {
    return bytes.length == 0 ? EMPTY : new Bytes(bytes.clone(), 0, bytes.length);
  }

  /** A copy of {@code length} bytes of {@code bytes} from {@code offset}. */
  public static Bytes of(byte[] bytes, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, bytes.length);
    return length == 0
        ? EMPTY
        : new Bytes(Arrays.copyOfRange(bytes, offset, offset + length), 0, length);
  }

  /**
   * The {@code length} bytes of {@code array} from {@code offset}, without a copy: for the
   * connection machinery only (through {@code dev.mint.spi.ApiAccess#bytesOver}), whose caller
   * never writes those bytes of {@code array} again, so the value stays immutable; or, when the
   * caller asked for borrowed bodies ({@link ConnectOptions#borrowBodies()}), not before the
   * thread's next receiving call.
   */
  static Bytes over(byte[] array, int offset, int length) {
    Objects.checkFromIndexSize(offset, length, array.length);
    return length == 0 ? EMPTY : new Bytes(array, offset, length);
  }

  /** The UTF-8 encoding of {@code text}. */
  public static Bytes utf8(String text) {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    return b.length == 0 ? EMPTY : new Bytes(b, 0, b.length);
  }

  /** A copy of the remaining bytes of {@code buffer}; the buffer's position moves to its limit. */
  public static Bytes copyOf(ByteBuffer buffer) {
    int n = buffer.remaining();
    if (n == 0) {
      return EMPTY;
    }
    byte[] b = new byte[n];
    buffer.get(b);
    return new Bytes(b, 0, n);
  }

  /**
   * A copy of the next {@code length} bytes of {@code buffer}; the buffer's position moves past
   * them.
   */
  public static Bytes copyOf(ByteBuffer buffer, int length) {
    if (length == 0) {
      return EMPTY;
    }
    byte[] b = new byte[length];
    buffer.get(b);
    return new Bytes(b, 0, length);
  }

  /** The number of bytes. */
  public int length() {
    return length;
  }

  /** Whether there are no bytes. */
  public boolean isEmpty() {
    return length == 0;
  }

  /** The byte at {@code index}. */
  public byte byteAt(int index) {
    Objects.checkIndex(index, length);
    return array[offset + index];
  }

  /** A new array holding these bytes. */
  public byte[] toByteArray() {
    return Arrays.copyOfRange(array, offset, offset + length);
  }

  /** A read-only buffer over these bytes, positioned at the first one; no copy is made. */
  public ByteBuffer asReadOnlyBuffer() {
    return ByteBuffer.wrap(array, offset, length).slice().asReadOnlyBuffer();
  }

  /** The bytes from {@code from} (inclusive) to {@code to} (exclusive), sharing storage. */
  public Bytes slice(int from, int to) {
    Objects.checkFromToIndex(from, to, length);
    return from == to ? EMPTY : new Bytes(array, offset + from, to - from);
  }

  /** Writes these bytes to {@code out}. */
  public void writeTo(OutputStream out) throws IOException {
    out.write(array, offset, length);
  }

  /** Decodes these bytes with {@code charset}. */
  public String toString(Charset charset) {
    return new String(array, offset, length, charset);
  }

  /** Decodes these bytes as UTF-8. */
  public String utf8() {
    return toString(StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Bytes b
        && Arrays.equals(array, offset, offset + length, b.array, b.offset, b.offset + b.length);
  }

  @Override
  public int hashCode() {
    int h = 1;
    for (int i = offset; i < offset + length; i++) {
      h = 31 * h + array[i];
    }
    return h;
  }

  /** A short description: the length and, for short values, the bytes as escaped ASCII. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Bytes[").append(length);
    if (length <= 64) {
      sb.append(" \"");
      for (int i = offset; i < offset + length; i++) {
        int c = array[i] & 0xff;
        if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
          sb.append((char) c);
        } else {
          sb.append(String.format("\\x%02x", c));
        }
      }
      sb.append('"');
    }
    return sb.append(']').toString();
  }
}
