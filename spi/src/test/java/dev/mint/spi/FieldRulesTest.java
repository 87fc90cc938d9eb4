// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Headers;
import dev.mint.HttpException;
import dev.mint.spi.FieldRules.Violation;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The one rule set both engines use for field names, values, lengths and trailers. */
class FieldRulesTest {

  // ---- bytes ----

  @Test
  void lowerCaseNameIgnoresTheDefaultLocale() {
    assertEquals("title", FieldRules.lowerCaseName("TITLE"));
  }

  @Test
  void trimWhitespaceRemovesOnlySpaceAndTabAtTheEnds() {
    assertEquals("a=1", FieldRules.trimWhitespace(" \ta=1\t "));
    assertEquals("a \t b", FieldRules.trimWhitespace("a \t b"));
    assertEquals("", FieldRules.trimWhitespace(" \t "));
    assertEquals("\u00a0x\u000b", FieldRules.trimWhitespace("\u00a0x\u000b")); // not OWS
  }

  @Test
  void tokenBytesAreTcharOfRfc9110() {
    String tchar = "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for (int b = -128; b < 256; b++) {
      boolean expected = b >= 0 && tchar.indexOf(b) >= 0;
      assertEquals(expected, FieldRules.isTokenByte(b), "0x" + Integer.toHexString(b & 0xff));
    }
  }

  @Test
  void fieldValueBytesAreVcharObsTextSpaceAndTab() {
    for (int b = 0; b < 256; b++) {
      boolean expected = b == '\t' || b >= 0x20 && b != 0x7f;
      assertEquals(expected, FieldRules.isFieldValueByte(b), Integer.toHexString(b));
      assertEquals(expected, FieldRules.isFieldValueByte((byte) b), "signed " + b);
    }
  }

  @Test
  void whitespaceIsSpaceAndTab() {
    for (int b = 0; b < 256; b++) {
      assertEquals(b == ' ' || b == '\t', FieldRules.isWhitespace(b), Integer.toHexString(b));
    }
  }

  // ---- names ----

  @ParameterizedTest
  @ValueSource(strings = {"x", "content-length", "X-Custom_1", "!#$%&'*+-.^_`|~09azAZ"})
  void tokensAreNames(String name) throws Exception {
    assertTrue(FieldRules.isToken(name));
    FieldRules.checkName("header", name);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "x y",
        "x:y",
        ":path",
        "x\r\ny",
        "x\n",
        "caf\u00e9",
        "x\u0000",
        "x\u0001",
        "(x)",
        "x\t",
        "a\u0100",
        "\"x\"",
        "x/y",
        "x@y",
        "x\u007f"
      })
  void nonTokensAreRefused(String name) {
    assertFalse(FieldRules.isToken(name));
    Violation v = assertThrows(Violation.class, () -> FieldRules.checkName("header", name));
    assertEquals(Violation.Kind.INVALID_NAME, v.kind());
    assertEquals(HttpException.Reason.INVALID_HEADER_NAME, v.toCallerError().reason());
    assertTrue(v.getMessage().contains("header name"), v.getMessage());
  }

  // ---- values ----

  @ParameterizedTest
  @ValueSource(strings = {"", "v", "a b", "a \t b", "\u00e9\u00ff", "!~", "a\"b\\c"})
  void validValues(String value) throws Exception {
    assertTrue(FieldRules.isValidValue(value));
    assertEquals(-1, FieldRules.invalidValueIndex(value));
    FieldRules.checkValue("header", "x", value);
  }

  static Stream<Arguments> controlBytesDelAndWideCharactersAreRefused() {
    return Stream.of(
        Arguments.of("a\rb", 1, "0x0d"),
        Arguments.of("a\nb", 1, "0x0a"),
        Arguments.of("ab\u0000", 2, "0x00"),
        Arguments.of("\u0001", 0, "0x01"),
        Arguments.of("a\u001fb", 1, "0x1f"),
        Arguments.of("x\u007f", 1, "0x7f"),
        Arguments.of("a\u0100", 1, "U+100"),
        Arguments.of("\u4e2d", 0, "U+4e2d"),
        Arguments.of("a\r\n\r\nGET /smuggled HTTP/1.1", 1, "0x0d"));
  }

  @ParameterizedTest
  @MethodSource
  void controlBytesDelAndWideCharactersAreRefused(String value, int index, String shown) {
    assertFalse(FieldRules.isValidValue(value));
    assertEquals(index, FieldRules.invalidValueIndex(value));
    Violation v =
        assertThrows(Violation.class, () -> FieldRules.checkValue("trailer", "x-a", value));
    assertEquals(Violation.Kind.INVALID_VALUE, v.kind());
    assertEquals(HttpException.Reason.INVALID_HEADER_VALUE, v.toCallerError().reason());
    assertEquals(HttpException.Reason.INVALID_RESPONSE_HEADER, v.toPeerError().reason());
    String m = v.getMessage();
    assertTrue(m.contains(shown) && m.contains("'x-a'") && m.contains("index " + index), () -> m);
    assertTrue(m.contains("trailer"), m);
  }

  @ParameterizedTest
  @ValueSource(strings = {" v", "v ", "\tv", "v\t", " ", "\t", "a b "})
  void outerWhitespaceIsRefused(String value) {
    // RFC 9110 §5.5: a field value neither starts nor ends with whitespace; the recipient strips
    // it as OWS (HTTP/1.1) or treats the message as malformed (HTTP/2, RFC 9113 §8.2.1).
    assertTrue(FieldRules.hasOuterWhitespace(value));
    assertFalse(FieldRules.isValidValue(value));
    Violation v = assertThrows(Violation.class, () -> FieldRules.checkValue("header", "x", value));
    assertEquals(Violation.Kind.INVALID_VALUE, v.kind());
    assertTrue(v.getMessage().contains("whitespace"), v.getMessage());
  }

  // ---- content-length (RFC 9110 §8.6) ----

  @ParameterizedTest
  @CsvSource({"0, 0", "5, 5", "007, 7", "9223372036854775807, 9223372036854775807"})
  void contentLengths(String value, long expected) throws Exception {
    assertEquals(expected, FieldRules.contentLength(Headers.of("content-length", value)));
    assertEquals(expected, FieldRules.contentLength(Headers.of("Content-Length", value)));
  }

  @Test
  void noContentLengthIsMinusOne() throws Exception {
    assertEquals(-1, FieldRules.contentLength(Headers.empty()));
    assertEquals(-1, FieldRules.contentLength(Headers.of("content-type", "text/plain")));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "abc",
        "-1",
        "+5",
        "1 2",
        "0x10",
        "5.0",
        "1e3",
        "\u00e9",
        "5,",
        ",5",
        "abc, 5",
        "9223372036854775808",
        "99999999999999999999999"
      })
  void malformedContentLengthsAreInvalid(String value) {
    Violation v =
        assertThrows(
            Violation.class, () -> FieldRules.contentLength(Headers.of("content-length", value)));
    assertEquals(Violation.Kind.INVALID_CONTENT_LENGTH, v.kind(), v.getMessage());
    assertEquals(HttpException.Reason.INVALID_CONTENT_LENGTH, v.toPeerError().reason());
    assertEquals(HttpException.Reason.INVALID_REQUEST_HEADER, v.toCallerError().reason());
  }

  @Test
  void overflowSaysSo() {
    Violation v =
        assertThrows(
            Violation.class,
            () -> FieldRules.contentLength(Headers.of("content-length", "9223372036854775808")));
    assertTrue(v.getMessage().contains("overflow"), v.getMessage());
  }

  @Test
  void severalValuesConflictEvenWhenIdentical() {
    // RFC 9110 §8.6 lets a recipient either refuse a list of identical values or take it as one;
    // both engines refuse it, because where readers differ on framing, messages get smuggled.
    Headers[] cases = {
      Headers.of("content-length", "5", "content-length", "6"),
      Headers.of("content-length", "5", "Content-Length", "5"),
      Headers.of("content-length", "5, 5"),
      Headers.of("content-length", "5,6"),
      Headers.of("content-length", "5 ,\t5"),
    };
    for (Headers h : cases) {
      Violation v = assertThrows(Violation.class, () -> FieldRules.contentLength(h));
      assertEquals(Violation.Kind.CONFLICTING_CONTENT_LENGTH, v.kind(), h.toString());
      assertEquals(HttpException.Reason.CONFLICTING_CONTENT_LENGTH, v.toPeerError().reason());
      assertEquals(HttpException.Reason.INVALID_REQUEST_HEADER, v.toCallerError().reason());
    }
  }

  @Test
  void errorsHaveTheirFaultAndScope() {
    Violation v =
        assertThrows(Violation.class, () -> FieldRules.checkValue("header", "x", "a\u0001"));
    assertEquals(HttpException.Fault.CALLER, v.toCallerError().fault());
    assertEquals(HttpException.Scope.REQUEST, v.toCallerError().scope());
    assertEquals(HttpException.Fault.PEER, v.toPeerError().fault());
    assertEquals(HttpException.Scope.CONNECTION, v.toPeerError().scope());
    assertEquals(v.getMessage(), v.toCallerError().getMessage().split(": ", 2)[1]);
  }

  @Test
  void fieldsACallerSendsFailAsCallerErrors() throws Exception {
    FieldRules.requireSendable("header", "x-a", "1");
    HttpException name =
        assertThrows(HttpException.class, () -> FieldRules.requireSendable("trailer", "x a", "1"));
    assertEquals(HttpException.Reason.INVALID_HEADER_NAME, name.reason());
    assertEquals(HttpException.Fault.CALLER, name.fault());
    HttpException value =
        assertThrows(
            HttpException.class, () -> FieldRules.requireSendable("header", "x-a", "a\u0001"));
    assertEquals(HttpException.Reason.INVALID_HEADER_VALUE, value.reason());
    assertEquals(3, FieldRules.declaredContentLength(Headers.of("Content-Length", "3")));
    assertEquals(-1, FieldRules.declaredContentLength(Headers.empty()));
    HttpException length =
        assertThrows(
            HttpException.class,
            () -> FieldRules.declaredContentLength(Headers.of("content-length", "3, 3")));
    assertEquals(HttpException.Reason.INVALID_REQUEST_HEADER, length.reason());
    assertEquals(HttpException.Scope.REQUEST, length.scope());
  }

  // ---- fields with a place ----

  @ParameterizedTest
  @ValueSource(
      strings = {"connection", "Keep-Alive", "proxy-connection", "transfer-encoding", "upgrade"})
  void connectionSpecificFields(String name) {
    assertTrue(FieldRules.isConnectionSpecific(name));
    assertTrue(FieldRules.isForbiddenInHttp2Request(name, "x"));
  }

  @Test
  void teInAnHttp2RequestMayOnlyBeTrailers() {
    // RFC 9113 §8.2.2: te is the one exception, with the one value trailers.
    assertFalse(FieldRules.isConnectionSpecific("te"));
    assertFalse(FieldRules.isForbiddenInHttp2Request("te", "trailers"));
    assertFalse(FieldRules.isForbiddenInHttp2Request("TE", "Trailers"));
    assertTrue(FieldRules.isForbiddenInHttp2Request("te", "gzip"));
    assertTrue(FieldRules.isForbiddenInHttp2Request("te", "trailers, gzip"));
    assertFalse(FieldRules.isForbiddenInHttp2Request("x-te", "gzip"));
    assertFalse(FieldRules.isConnectionSpecific("content-length"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // framing
        "content-length",
        "Transfer-Encoding",
        "trailer",
        // routing and the connection
        "host",
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "upgrade",
        // request modifiers
        "expect",
        "max-forwards",
        "range",
        "if-match",
        "if-none-match",
        "if-modified-since",
        "if-unmodified-since",
        "if-range",
        "cache-control",
        // authentication
        "authorization",
        "proxy-authorization",
        "www-authenticate",
        "proxy-authenticate",
        "cookie",
        "set-cookie",
        // content format and response controls
        "content-type",
        "content-encoding",
        "content-range",
        "age",
        "expires",
        "date",
        "location",
        "retry-after",
        "vary"
      })
  void fieldsThatCannotBeTrailers(String name) {
    assertTrue(FieldRules.isForbiddenTrailer(name), name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"x-checksum", "server-timing", "digest", "grpc-status", "etag2"})
  void fieldsThatMayBeTrailers(String name) throws Exception {
    assertFalse(FieldRules.isForbiddenTrailer(name), name);
    FieldRules.requireSendableTrailer(name, "1");
  }

  @Test
  void everyConnectionSpecificFieldIsAForbiddenTrailer() {
    for (String name :
        new String[] {
          "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"
        }) {
      assertTrue(FieldRules.isConnectionSpecific(name));
      assertTrue(FieldRules.isForbiddenTrailer(name), name);
    }
  }

  @Test
  void trailersACallerSendsFailAsCallerErrors() {
    HttpException e =
        assertThrows(
            HttpException.class, () -> FieldRules.requireSendableTrailer("Content-Length", "3"));
    assertEquals(HttpException.Reason.INVALID_REQUEST_HEADER, e.reason());
    assertEquals(HttpException.Fault.CALLER, e.fault());
    assertTrue(e.getMessage().contains("RFC 9110 §6.5.1"), e.getMessage());
    assertEquals(
        HttpException.Reason.INVALID_HEADER_VALUE,
        assertThrows(
                HttpException.class, () -> FieldRules.requireSendableTrailer("x-sum", "\u0001"))
            .reason());
  }
}
