// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mint.spi.FieldRules;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A small, strict parser of what a server would read from the engine's output, for the request
 * encoder's fuzz target: exactly one request (RFC 9112 §3, §5, §6), with nothing before or after
 * it. Every deviation is an {@link AssertionError} naming it. Stricter than a server needs to be:
 * single spaces, CRLF only, no obs-fold, no chunk extensions, and the framing rules of §6.1 and
 * §6.3 (one {@code host}, never {@code content-length} with {@code transfer-encoding}, chunked last
 * and once).
 */
final class StrictRequestParser {
  /** One parsed request; {@code complete} is false when the body stopped early. */
  record Request(
      String method,
      String target,
      List<String[]> fields,
      byte[] body,
      List<String[]> trailers,
      boolean complete) {

    /** The values of the fields named {@code name}, any case. */
    List<String> values(String name) {
      List<String> values = new ArrayList<>();
      for (String[] f : fields) {
        if (f[0].equalsIgnoreCase(name)) {
          values.add(f[1]);
        }
      }
      return values;
    }
  }

  private final byte[] wire;
  private int at;

  private StrictRequestParser(byte[] wire) {
    this.wire = wire;
  }

  /**
   * Parses {@code wire} as exactly one request; when {@code mayEndEarly}, the body may stop short
   * (a streamed body the caller never ended), but nothing may follow it.
   */
  static Request parse(byte[] wire, boolean strictTarget, boolean mayEndEarly) {
    return new StrictRequestParser(wire).request(strictTarget, mayEndEarly);
  }

  private Request request(boolean strictTarget, boolean mayEndEarly) {
    String method = until(' ', "method");
    assertTrue(FieldRules.isToken(method), "method is not a token: " + method);
    String target = until(' ', "target");
    assertTrue(!target.isEmpty(), "empty target");
    for (char c : target.toCharArray()) {
      boolean ok = strictTarget ? c > 0x20 && c < 0x7f : c != '\r' && c != '\n' && c != 0;
      assertTrue(ok, "target byte " + (int) c);
    }
    expect("HTTP/1.1\r\n");
    List<String[]> fields = fields();
    Request head = new Request(method, target, fields, new byte[0], List.of(), true);
    assertEquals(1, head.values("host").size(), "exactly one host (RFC 9112 §3.2)");
    List<String> lengths = head.values("content-length");
    List<String> codings = head.values("transfer-encoding");
    assertTrue(lengths.size() <= 1, "several content-length");
    assertTrue(lengths.isEmpty() || codings.isEmpty(), "content-length with transfer-encoding");
    Request parsed;
    if (!codings.isEmpty()) {
      checkEndsInOneChunked(String.join(",", codings));
      parsed = chunked(method, target, fields, mayEndEarly);
    } else {
      String declared = lengths.isEmpty() ? "0" : lengths.get(0);
      assertTrue(
          declared.chars().allMatch(ch -> ch >= '0' && ch <= '9') && declared.length() <= 19,
          "content-length " + declared);
      long length = Long.parseLong(declared);
      long left = wire.length - at;
      boolean complete = left >= length;
      assertTrue(complete || mayEndEarly, "body " + left + " of " + length + " bytes");
      int n = (int) Math.min(left, length);
      byte[] body = java.util.Arrays.copyOfRange(wire, at, at + n);
      at += n;
      parsed = new Request(method, target, fields, body, List.of(), complete);
    }
    assertEquals(wire.length, at, "bytes after the request: more than one request on the wire");
    return parsed;
  }

  private static void checkEndsInOneChunked(String list) {
    String[] codings = list.split(",", -1);
    int chunked = 0;
    for (String c : codings) {
      String name = c.strip();
      int semi = name.indexOf(';');
      assertTrue(!name.isEmpty(), "empty transfer coding in " + list);
      if ((semi < 0 ? name : name.substring(0, semi).strip()).equalsIgnoreCase("chunked")) {
        chunked++;
      }
    }
    assertEquals(1, chunked, "chunked once (RFC 9112 §7.1): " + list);
    assertTrue(
        codings[codings.length - 1].strip().equalsIgnoreCase("chunked"),
        "chunked last (RFC 9112 §6.1): " + list);
  }

  private Request chunked(
      String method, String target, List<String[]> fields, boolean mayEndEarly) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    while (true) {
      if (at == wire.length && mayEndEarly) {
        return new Request(method, target, fields, body.toByteArray(), List.of(), false);
      }
      String size = line("chunk size");
      assertTrue(!size.isEmpty() && size.length() <= 16, "chunk size '" + size + "'");
      long n = Long.parseLong(size, 16);
      assertEquals(Long.toHexString(n), size, "chunk size in lower-case hex, no extension");
      if (n == 0) {
        List<String[]> trailers = fields();
        return new Request(method, target, fields, body.toByteArray(), trailers, true);
      }
      assertTrue(wire.length - at >= n + 2, "chunk of " + n + " bytes cut short");
      body.write(wire, at, (int) n);
      at += (int) n;
      expect("\r\n");
    }
  }

  /** Field lines up to the empty line: {@code name ": " value CRLF}, strictly. */
  private List<String[]> fields() {
    List<String[]> fields = new ArrayList<>();
    while (true) {
      String line = line("field line");
      if (line.isEmpty()) {
        return fields;
      }
      int colon = line.indexOf(':');
      assertTrue(colon > 0, "field line without a name: " + line);
      String name = line.substring(0, colon);
      assertTrue(FieldRules.isToken(name), "field name is not a token: " + name);
      assertTrue(line.startsWith(": ", colon), "name, colon and one space: " + line);
      String value = line.substring(colon + 2);
      assertTrue(FieldRules.invalidValueIndex(value) < 0, "invalid byte in the value: " + line);
      assertTrue(!FieldRules.hasOuterWhitespace(value), "whitespace around the value: " + line);
      fields.add(new String[] {name, value});
    }
  }

  /** The text up to CRLF, which is consumed; a bare CR or LF is an error. */
  private String line(String what) {
    int start = at;
    while (at < wire.length && wire[at] != '\r' && wire[at] != '\n') {
      at++;
    }
    String text = new String(wire, start, at - start, StandardCharsets.ISO_8859_1);
    if (at + 1 >= wire.length || wire[at] != '\r' || wire[at + 1] != '\n') {
      fail(what + " not ended by CRLF: '" + text + "'");
    }
    at += 2;
    return text;
  }

  private String until(char end, String what) {
    int start = at;
    while (at < wire.length && wire[at] != end && wire[at] != '\r' && wire[at] != '\n') {
      at++;
    }
    if (at == wire.length || wire[at] != end) {
      fail(what + " not followed by '" + end + "'");
    }
    String text = new String(wire, start, at - start, StandardCharsets.ISO_8859_1);
    at++;
    return text;
  }

  private void expect(String text) {
    byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < b.length; i++) {
      if (at + i >= wire.length || wire[at + i] != b[i]) {
        fail("expected " + text.replace("\r\n", "CRLF") + " at offset " + at);
      }
    }
    at += b.length;
  }
}
