// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.Headers;
import dev.mint.Http1Options;
import dev.mint.HttpException;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.spi.FieldRules;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Jazzer target for the send half: a request (method, target, headers, body kind, streamed chunks,
 * trailers) from the fuzzer is either refused with a {@link HttpException} the engine's Javadoc
 * lists as a caller error with request scope, leaving nothing queued, or it puts exactly one
 * well-formed request on the wire: {@link StrictRequestParser} reads the queued bytes back and
 * finds one request whose method, target, fields, framing, body and trailers are the ones given.
 * Never another exception, never a second request (the smuggling of a body that frames itself), and
 * never a run over one second.
 *
 * <p><b>Input</b>, readable so that seeds can be written by hand, lines split at LF:
 *
 * <ol>
 *   <li>{@code METHOD TARGET [preserve] [lenient]}: {@code preserve} sends header names as given,
 *       {@code lenient} turns target validation off;
 *   <li>header lines {@code name: value} (one space after the colon is dropped) up to an empty
 *       line; a name starting with {@code ~} is a trailer of a streamed body;
 *   <li>the body kind, {@code none}, {@code fixed} or {@code stream};
 *   <li>the rest: a fixed body as it is, or the chunks of a streamed one separated by {@code |}.
 * </ol>
 *
 * In the method, target, names and values, {@code \r \n \t \0 \\ \xHH} and {@code \}{@code uHHHH}
 * stand for the characters they name, so that a value can hold any character.
 *
 * <p><b>Regression mode</b> (every {@code mvn verify}) replays {@code
 * src/test/resources/dev/mint/http1/RequestEncoderFuzzTestInputs/requestEncoder/}. <b>Fuzzing</b>:
 * {@code JAZZER_FUZZ=1 mvn -o test -pl protocol-h1 -am -Dtest=RequestEncoderFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class RequestEncoderFuzzTest {

  /** A counted body left short is filled up to this size before the end; beyond, it stays open. */
  private static final long MAX_FILL = 64 * 1024;

  /** The reasons {@link Http1Engine}'s Javadoc lists as caller errors with request scope. */
  private static final Set<String> CALLER_REASONS = FuzzRun.documentedReasons("caller/request");

  @com.code_intelligence.jazzer.junit.FuzzTest(maxDuration = "5m")
  void requestEncoder(byte[] input) throws Exception {
    FuzzRun.withinASecond(() -> run(Input.parse(input)));
  }

  private static void run(Input in) throws Exception {
    Script.Client c =
        Checks.client(
            Http1Options.defaults()
                .withPreserveHeaderCase(in.preserve)
                .withValidateTarget(!in.lenient));
    RequestRef ref;
    try {
      ref = c.engine.request(in.method, in.target, in.headers, in.body());
    } catch (HttpException refused) {
      checkRefused(c, refused, 0);
      assertEquals(0, c.engine.openRequestCount());
      assertTrue(c.engine.canSendRequests());
      return;
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    Headers trailers = Headers.empty();
    boolean ended = true;
    if (in.kind.equals("fixed")) {
      body.writeBytes(in.fixed);
    } else if (in.kind.equals("stream")) {
      for (byte[] chunk : in.chunks) {
        stream(c, ref, chunk, body);
      }
      if (end(c, ref, in.trailers)) {
        trailers = in.trailers;
      } else if (!end(c, ref, null)) {
        ended = fillAndEnd(c, ref, in, body);
      }
    }
    byte[] wire = Script.bytes(c.sent());
    StrictRequestParser.Request r = StrictRequestParser.parse(wire, !in.lenient, !ended);
    assertEquals(in.method, r.method());
    assertEquals(in.target, r.target());
    checkFields(in, r);
    assertArrayEquals(body.toByteArray(), r.body(), "the body as sent");
    assertEquals(fieldList(trailers, in.preserve), text(r.trailers()), "trailers");
    assertTrue(r.complete() || !ended, "the request ended, its body did not");
  }

  private static void stream(
      Script.Client c, RequestRef ref, byte[] chunk, ByteArrayOutputStream body) throws Exception {
    ByteBuffer b = ByteBuffer.wrap(chunk);
    long before = c.engine.queuedBytes();
    try {
      c.engine.streamRequestBody(ref, b);
      body.writeBytes(chunk);
    } catch (HttpException refused) {
      checkRefused(c, refused, before);
      assertEquals(chunk.length, b.remaining(), "a refused chunk is not consumed");
    }
  }

  private static boolean end(Script.Client c, RequestRef ref, Headers trailers) throws Exception {
    long before = c.engine.queuedBytes();
    try {
      c.engine.endRequestBody(ref, trailers);
      return true;
    } catch (HttpException refused) {
      checkRefused(c, refused, before);
      return false;
    }
  }

  /** A counted body ended short: fills it when that is small, else leaves it open. */
  private static boolean fillAndEnd(
      Script.Client c, RequestRef ref, Input in, ByteArrayOutputStream body) throws Exception {
    String declared = in.headerValue("content-length");
    if (declared == null || in.method.equals("CONNECT")) {
      return false; // not streaming at all (CONNECT has tunnel bytes only after a 2xx)
    }
    long missing = Long.parseLong(declared) - body.size();
    if (missing > MAX_FILL) {
      return false;
    }
    stream(c, ref, new byte[(int) missing], body);
    assertTrue(end(c, ref, null), "a filled counted body ends");
    return true;
  }

  private static void checkRefused(Script.Client c, HttpException e, long queuedBefore) {
    assertTrue(CALLER_REASONS.contains(e.reason().name()), "undocumented: " + e);
    assertEquals(HttpException.Fault.CALLER, e.fault(), e.toString());
    assertEquals(HttpException.Scope.REQUEST, e.scope(), e.toString());
    assertEquals(queuedBefore, c.engine.queuedBytes(), "a refused call queued bytes: " + e);
    assertFalse(c.engine.isClosed());
  }

  /**
   * The fields on the wire are the caller's, in order, between the {@code host} the engine adds
   * first (when the caller set none) and the framing field it adds last (when the caller set none).
   */
  private static void checkFields(Input in, StrictRequestParser.Request r) {
    List<String> actual = text(r.fields());
    if (in.headerValue("host") == null) {
      assertTrue(
          FieldRules.lowerCaseName(actual.get(0)).startsWith("host: "), "host first: " + actual);
      actual.remove(0);
    }
    if (in.headerValue("content-length") == null && in.headerValue("transfer-encoding") == null) {
      String added = expectedFraming(in, r);
      if (added != null) {
        assertFalse(actual.isEmpty(), "no framing field: " + r.fields());
        assertEquals(added, FieldRules.lowerCaseName(actual.remove(actual.size() - 1)));
      }
    }
    assertEquals(fieldList(in.headers, in.preserve), actual);
  }

  /** The field the engine frames the body with when the caller set none, lower-cased, or null. */
  private static String expectedFraming(Input in, StrictRequestParser.Request r) {
    if (in.method.equals("CONNECT")) {
      return null;
    }
    return switch (in.kind) {
      case "fixed" -> "content-length: " + in.fixed.length;
      case "stream" -> "transfer-encoding: chunked";
      default -> Set.of("POST", "PUT", "PATCH").contains(r.method()) ? "content-length: 0" : null;
    };
  }

  private static List<String> fieldList(Headers h, boolean preserve) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < h.size(); i++) {
      out.add((preserve ? h.name(i) : FieldRules.lowerCaseName(h.name(i))) + ": " + h.value(i));
    }
    return out;
  }

  private static List<String> text(List<String[]> fields) {
    List<String> out = new ArrayList<>();
    for (String[] f : fields) {
      out.add(f[0] + ": " + f[1]);
    }
    return out;
  }

  /** A decoded input: see the class Javadoc. */
  static final class Input {
    String method = "GET";
    String target = "/";
    boolean preserve;
    boolean lenient;
    Headers headers = Headers.empty();
    Headers trailers = Headers.empty();
    String kind = "none";
    byte[] fixed = new byte[0];
    final List<byte[]> chunks = new ArrayList<>();

    RequestBody body() {
      return switch (kind) {
        case "fixed" -> RequestBody.of(Bytes.of(fixed));
        case "stream" -> RequestBody.streaming();
        default -> RequestBody.none();
      };
    }

    /** The value of the caller's header {@code name} (any case), or null. */
    String headerValue(String name) {
      for (int i = 0; i < headers.size(); i++) {
        if (headers.name(i).equalsIgnoreCase(name)) {
          return headers.value(i);
        }
      }
      return null;
    }

    static Input parse(byte[] input) {
      Input in = new Input();
      int[] at = {0};
      String first = line(input, at);
      if (first == null) {
        return in;
      }
      String[] words = first.split(" ", -1);
      in.method = unescape(words[0]);
      in.target = words.length > 1 ? unescape(words[1]) : "/";
      for (int i = 2; i < words.length; i++) {
        in.preserve |= words[i].equals("preserve");
        in.lenient |= words[i].equals("lenient");
      }
      Headers.Builder headers = Headers.builder();
      Headers.Builder trailers = Headers.builder();
      String line;
      while ((line = line(input, at)) != null && !line.isEmpty()) {
        int colon = line.indexOf(':');
        String name = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        value = value.startsWith(" ") ? value.substring(1) : value;
        if (name.startsWith("~")) {
          trailers.add(unescape(name.substring(1)), unescape(value));
        } else {
          headers.add(unescape(name), unescape(value));
        }
      }
      in.headers = headers.build();
      in.trailers = trailers.build();
      String kind = line == null ? null : line(input, at);
      in.kind = kind == null ? "none" : kind;
      byte[] rest = Arrays.copyOfRange(input, Math.min(at[0], input.length), input.length);
      if (in.kind.equals("fixed")) {
        in.fixed = rest;
      } else if (in.kind.equals("stream")) {
        int from = 0;
        for (int i = 0; i <= rest.length; i++) {
          if (i == rest.length || rest[i] == '|') {
            in.chunks.add(Arrays.copyOfRange(rest, from, i));
            from = i + 1;
          }
        }
      }
      return in;
    }

    /** The next line (without its LF) from {@code at[0]}, or null at the end. */
    private static String line(byte[] input, int[] at) {
      if (at[0] >= input.length) {
        return null;
      }
      int start = at[0];
      int lf = start;
      while (lf < input.length && input[lf] != '\n') {
        lf++;
      }
      at[0] = lf + 1;
      return new String(input, start, lf - start, StandardCharsets.ISO_8859_1);
    }

    /** Resolves the escapes of the class Javadoc; anything else stays as it is. */
    static String unescape(String s) {
      StringBuilder sb = new StringBuilder(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        if (c != '\\' || i + 1 == s.length()) {
          sb.append(c);
          continue;
        }
        char e = s.charAt(i + 1);
        int hex = e == 'x' ? 2 : e == 'u' ? 4 : 0;
        if (hex > 0 && i + 2 + hex <= s.length() && isHex(s, i + 2, hex)) {
          sb.append((char) Integer.parseInt(s.substring(i + 2, i + 2 + hex), 16));
          i += 1 + hex;
          continue;
        }
        int simple = "rnt0\\".indexOf(e);
        if (simple >= 0) {
          sb.append("\r\n\t\0\\".charAt(simple));
          i++;
        } else {
          sb.append(c);
        }
      }
      return sb.toString();
    }

    private static boolean isHex(String s, int from, int n) {
      for (int i = from; i < from + n; i++) {
        if (Character.digit(s.charAt(i), 16) < 0) {
          return false;
        }
      }
      return true;
    }
  }
}
