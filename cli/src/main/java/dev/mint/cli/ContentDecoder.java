// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * {@code --compressed}: decodes a {@code gzip} (RFC 1952) or {@code deflate} (RFC 1950 zlib, or raw
 * RFC 1951 as some servers send it) response body as it streams through, with {@link
 * java.util.zip.Inflater}. Brotli and zstd are not asked for: the JDK decodes neither.
 *
 * <p>The decoded bytes go straight to the output: nothing but the gzip header (at most {@link
 * #MAX_HEADER} bytes) is held. A gzip body must end with its trailer, whose CRC-32 and length are
 * checked; a body that ends early or does not decode is a {@link DecodeException}.
 */
final class ContentDecoder extends OutputStream {
  /** The {@code accept-encoding} value {@code --compressed} sends. */
  static final String ACCEPTED = "gzip, deflate";

  /** The largest gzip header (with its name and comment) accepted: a bound on what is held. */
  static final int MAX_HEADER = 64 * 1024;

  private static final int FHCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;

  private final OutputStream out;
  private final boolean gzip;
  private final byte[] decoded = new byte[64 * 1024];
  private final CRC32 crc = new CRC32();
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private Inflater inflater;
  private long size;
  private boolean started;

  private ContentDecoder(OutputStream out, boolean gzip) {
    this.out = out;
    this.gzip = gzip;
  }

  /** A failure to decode the body: curl's exit status 61. */
  static final class DecodeException extends IOException {
    private static final long serialVersionUID = 1L;

    DecodeException(String message) {
      super(message);
    }
  }

  /**
   * The stream that decodes a body sent with {@code contentEncoding} into {@code out}: {@code out}
   * itself for none or {@code identity}.
   *
   * @throws DecodeException for a coding other than gzip, deflate and identity
   */
  static OutputStream decoding(String contentEncoding, OutputStream out) throws DecodeException {
    String coding =
        contentEncoding == null ? "identity" : contentEncoding.trim().toLowerCase(Locale.ROOT);
    return switch (coding) {
      case "", "identity" -> out;
      case "gzip", "x-gzip" -> new ContentDecoder(out, true);
      case "deflate" -> new ContentDecoder(out, false);
      default -> throw new DecodeException("the server sent a body in '" + coding + "' coding");
    };
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return;
    }
    started = true;
    if (inflater == null) {
      pending.write(b, off, len);
      if (!startInflater()) {
        return;
      }
      byte[] rest = pending.toByteArray();
      pending.reset();
      inflate(rest, 0, rest.length);
    } else if (inflater.finished()) {
      pending.write(b, off, len); // the gzip trailer
    } else {
      inflate(b, off, len);
    }
  }

  /** Once the header is whole, makes the inflater and drops the header from {@code pending}. */
  private boolean startInflater() throws DecodeException {
    byte[] head = pending.toByteArray();
    if (!gzip) {
      // RFC 1950 §2.2: a zlib stream starts with CMF, FLG where CMF*256+FLG is a multiple of 31.
      if (head.length < 2) {
        return false;
      }
      int cmf = head[0] & 0xff;
      boolean zlib = (cmf & 0x0f) == 8 && ((cmf << 8) | (head[1] & 0xff)) % 31 == 0;
      inflater = new Inflater(!zlib);
      return true;
    }
    int length = gzipHeaderLength(head);
    if (length < 0) {
      if (head.length > MAX_HEADER) {
        throw new DecodeException("the gzip header is longer than " + MAX_HEADER + " bytes");
      }
      return false;
    }
    inflater = new Inflater(true);
    pending.reset();
    pending.write(head, length, head.length - length);
    return true;
  }

  /** The length of the RFC 1952 §2.3 header at the start of {@code b}, or -1 when incomplete. */
  private static int gzipHeaderLength(byte[] b) throws DecodeException {
    if (b.length < 10) {
      return -1;
    }
    if ((b[0] & 0xff) != 0x1f || (b[1] & 0xff) != 0x8b || b[2] != 8) {
      throw new DecodeException("the body is not gzip: it does not start with 1f 8b 08");
    }
    int flags = b[3];
    int at = 10;
    if ((flags & FEXTRA) != 0) {
      if (b.length < at + 2) {
        return -1;
      }
      at += 2 + ((b[at] & 0xff) | (b[at + 1] & 0xff) << 8);
    }
    for (int flag : new int[] {FNAME, FCOMMENT}) {
      if ((flags & flag) != 0) {
        while (at < b.length && b[at] != 0) {
          at++;
        }
        if (at >= b.length) {
          return -1;
        }
        at++;
      }
    }
    if ((flags & FHCRC) != 0) {
      at += 2;
    }
    return at <= b.length ? at : -1;
  }

  private void inflate(byte[] b, int off, int len) throws IOException {
    inflater.setInput(b, off, len);
    try {
      while (!inflater.finished() && !inflater.needsInput()) {
        int n = inflater.inflate(decoded);
        if (n == 0 && inflater.needsDictionary()) {
          throw new DecodeException("the deflate body needs a preset dictionary");
        }
        out.write(decoded, 0, n);
        crc.update(decoded, 0, n);
        size += n;
      }
    } catch (DataFormatException e) {
      throw new DecodeException("the compressed body is corrupt: " + e.getMessage());
    }
    if (inflater.finished()) {
      int rest = inflater.getRemaining();
      pending.write(b, off + len - rest, rest);
    }
  }

  /**
   * Checks the end of the body: the compressed stream finished and, for gzip, the trailer matches.
   *
   * @throws DecodeException when the body ended early or the trailer does not match
   */
  @Override
  public void close() throws IOException {
    if (inflater != null) {
      inflater.end();
    }
    if (!started) {
      return; // no body at all (HEAD, 204, 304)
    }
    if (inflater == null || !inflater.finished()) {
      throw new DecodeException("the compressed body ended early");
    }
    if (gzip) {
      byte[] t = pending.toByteArray();
      if (t.length < 8) {
        throw new DecodeException("the gzip body ended before its trailer");
      }
      long expectedCrc = le32(t, 0);
      long expectedSize = le32(t, 4);
      if (expectedCrc != crc.getValue() || expectedSize != (size & 0xffffffffL)) {
        throw new DecodeException("the gzip trailer does not match the decoded body");
      }
    }
    out.flush();
  }

  @Override
  public void flush() throws IOException {
    out.flush();
  }

  private static long le32(byte[] b, int at) {
    return (b[at] & 0xffL)
        | (b[at + 1] & 0xffL) << 8
        | (b[at + 2] & 0xffL) << 16
        | (b[at + 3] & 0xffL) << 24;
  }
}
