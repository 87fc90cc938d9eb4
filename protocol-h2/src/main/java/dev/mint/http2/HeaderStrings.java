// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Turns decoded header names and values (bytes, one char each: ISO-8859-1) into {@code String}s
 * without making a new one for every field: most names and many values repeat on every response.
 *
 * <p>The static table's names and values (RFC 7541 Appendix A) and a few common response header
 * names and values are one shared {@code String} each, for every connection. Beyond those, each
 * decoder keeps its last strings of up to {@link #MAX_RECENT_LENGTH} chars in {@link #RECENT_SLOTS}
 * slots chosen by hash, a newer string taking its slot: at most 64 strings of at most 64 chars per
 * connection. Values of "never indexed" fields (secrets, RFC 7541 §7.1.3) are never kept.
 */
final class HeaderStrings {
  /** The static table (RFC 7541 Appendix A): name, value, name, value..., index 1 first. */
  static final List<String> STATIC_TABLE =
      List.of(
          (":authority=|:method=GET|:method=POST|:path=/|:path=/index.html|:scheme=http"
                  + "|:scheme=https|:status=200|:status=204|:status=206|:status=304|:status=400"
                  + "|:status=404|:status=500|accept-charset=|accept-encoding=gzip, deflate"
                  + "|accept-language=|accept-ranges=|accept=|access-control-allow-origin=|age="
                  + "|allow=|authorization=|cache-control=|content-disposition=|content-encoding="
                  + "|content-language=|content-length=|content-location=|content-range="
                  + "|content-type=|cookie=|date=|etag=|expect=|expires=|from=|host=|if-match="
                  + "|if-modified-since=|if-none-match=|if-range=|if-unmodified-since="
                  + "|last-modified=|link=|location=|max-forwards=|proxy-authenticate="
                  + "|proxy-authorization=|range=|referer=|refresh=|retry-after=|server="
                  + "|set-cookie=|strict-transport-security=|transfer-encoding=|user-agent=|vary="
                  + "|via=|www-authenticate=")
              .split("[|=]", -1));

  /** Slots for recent strings per connection; a power of two. */
  static final int RECENT_SLOTS = 64;

  /** The longest string kept in a slot: longer ones are made anew each time. */
  static final int MAX_RECENT_LENGTH = 64;

  /** Reads 8 bytes of an array as one {@code long}, for {@link #hash}. */
  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  /** The shared strings (the static table's, and common ones) and their bytes, by hash. */
  private static final String[] COMMON = new String[256];

  private static final byte[][] COMMON_BYTES = new byte[256][];

  static {
    List<String> common = new ArrayList<>(STATIC_TABLE);
    common.addAll(
        List.of(
            ("alt-svc x-cache x-content-type-options x-frame-options x-xss-protection"
                    + " referrer-policy content-security-policy permissions-policy x-request-id"
                    + " access-control-allow-credentials access-control-allow-headers"
                    + " access-control-allow-methods access-control-expose-headers"
                    + " nosniff DENY SAMEORIGIN HIT MISS bytes no-cache no-store Accept-Encoding")
                .split(" ")));
    for (String s : common) {
      byte[] bytes = s.getBytes(StandardCharsets.ISO_8859_1);
      int slot = hash(bytes, 0, bytes.length);
      while (COMMON[slot & 0xff] != null && !Arrays.equals(COMMON_BYTES[slot & 0xff], bytes)) {
        slot++;
      }
      COMMON[slot & 0xff] = s;
      COMMON_BYTES[slot & 0xff] = bytes;
    }
  }

  private final String[] recent = new String[RECENT_SLOTS];
  private final byte[][] recentBytes = new byte[RECENT_SLOTS][];

  /** The string of bytes {@code [from, to)} of {@code in}; kept for reuse unless {@code secret}. */
  String of(byte[] in, int from, int to, boolean secret) {
    int hash = hash(in, from, to);
    int slot = (hash ^ hash >>> 8) & (RECENT_SLOTS - 1);
    byte[] kept = recentBytes[slot];
    if (kept != null && Arrays.equals(kept, 0, kept.length, in, from, to)) {
      return recent[slot];
    }
    for (int i = hash; COMMON[i & 0xff] != null; i++) {
      byte[] common = COMMON_BYTES[i & 0xff];
      if (Arrays.equals(common, 0, common.length, in, from, to)) {
        return COMMON[i & 0xff];
      }
    }
    String s = new String(in, from, to - from, StandardCharsets.ISO_8859_1);
    if (!secret && to - from <= MAX_RECENT_LENGTH) {
      recent[slot] = s;
      recentBytes[slot] = Arrays.copyOfRange(in, from, to);
    }
    return s;
  }

  /** The number of recent strings kept (at most {@link #RECENT_SLOTS}). */
  int kept() {
    return (int) Arrays.stream(recent).filter(Objects::nonNull).count();
  }

  /** A hash of the length and the last 8 bytes at most: where repeated values differ. */
  private static int hash(byte[] in, int from, int to) {
    int n = to - from;
    long tail = n >= 8 ? (long) LONGS.get(in, to - 8) : n;
    for (int i = from; n < 8 && i < to; i++) {
      tail = tail << 8 | in[i] & 0xff;
    }
    long h = (tail ^ n) * 0x9e3779b97f4a7c15L;
    return (int) (h >>> 32) ^ (int) h;
  }
}
