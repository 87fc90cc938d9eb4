// SPDX-License-Identifier: Apache-2.0
package dev.mint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpException;
import dev.mint.HttpException.Reason;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.Scheme;
import dev.mint.http1.Http1ProtocolProvider;
import dev.mint.http2.Http2ProtocolProvider;
import dev.mint.spi.EngineContext;
import dev.mint.spi.ProtocolEngine;
import dev.mint.spi.ProtocolProvider;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The same fields given to both engines are refused the same way, or sent by both: HTTP/1.1 and
 * HTTP/2 share one rule set for field names, values, {@code content-length} and trailers ({@code
 * dev.mint.spi.FieldRules}). Sans-I/O: each case runs on fresh engines, no socket.
 */
class FieldRulesAcrossEnginesTest {
  private static final List<ProtocolProvider> ENGINES =
      List.of(new Http1ProtocolProvider(), new Http2ProtocolProvider());

  private static ProtocolEngine engine(ProtocolProvider provider) {
    return provider.newEngine(
        new EngineContext(Scheme.HTTPS, "example.com", 443, ConnectOptions.defaults()));
  }

  /** The reason each engine refused the request with, or null when it sent it. */
  private static Reason requestOutcome(ProtocolProvider provider, Headers headers) {
    try {
      engine(provider).request("POST", "/", headers, RequestBody.utf8("abc"));
      return null;
    } catch (HttpException e) {
      assertEquals(HttpException.Fault.CALLER, e.fault(), e.toString());
      assertEquals(HttpException.Scope.REQUEST, e.scope(), e.toString());
      return e.reason();
    }
  }

  /** The reason each engine refused the trailers with, or null when it sent them. */
  private static Reason trailerOutcome(ProtocolProvider provider, Headers trailers) {
    ProtocolEngine engine = engine(provider);
    try {
      RequestRef ref = engine.request("POST", "/", Headers.empty(), RequestBody.streaming());
      engine.endRequestBody(ref, trailers);
      return null;
    } catch (HttpException e) {
      assertEquals(HttpException.Fault.CALLER, e.fault(), e.toString());
      return e.reason();
    }
  }

  static Stream<Arguments> headers() {
    return Stream.of(
        Arguments.of(Headers.of("x-a", "a\u0001b"), Reason.INVALID_HEADER_VALUE),
        Arguments.of(Headers.of("x-a", "a\u001fb"), Reason.INVALID_HEADER_VALUE),
        Arguments.of(Headers.of("x-a", "\u007f"), Reason.INVALID_HEADER_VALUE),
        Arguments.of(Headers.of("x-a", "a\u0000b"), Reason.INVALID_HEADER_VALUE),
        Arguments.of(Headers.of("x-a", "a\r\nx-b: 1"), Reason.INVALID_HEADER_VALUE),
        Arguments.of(Headers.of("x-a", "\u20ac"), Reason.INVALID_HEADER_VALUE),
        Arguments.of(Headers.of("x-a", " padded"), Reason.INVALID_HEADER_VALUE),
        Arguments.of(Headers.of("x-a", "a\tb \u00ff"), null),
        Arguments.of(Headers.of("x a", "1"), Reason.INVALID_HEADER_NAME),
        Arguments.of(Headers.of("x\u0001", "1"), Reason.INVALID_HEADER_NAME),
        Arguments.of(Headers.of("", "1"), Reason.INVALID_HEADER_NAME),
        Arguments.of(Headers.of("content-length", "x"), Reason.INVALID_REQUEST_HEADER),
        Arguments.of(Headers.of("content-length", "+3"), Reason.INVALID_REQUEST_HEADER),
        Arguments.of(Headers.of("content-length", "3, 3"), Reason.INVALID_REQUEST_HEADER),
        Arguments.of(
            Headers.of("content-length", "3", "content-length", "3"),
            Reason.INVALID_REQUEST_HEADER),
        Arguments.of(
            Headers.of("content-length", "99999999999999999999"), Reason.INVALID_REQUEST_HEADER),
        Arguments.of(Headers.of("content-length", "3"), null));
  }

  @ParameterizedTest
  @MethodSource
  void headers(Headers headers, Reason expected) {
    for (ProtocolProvider p : ENGINES) {
      assertEquals(expected, requestOutcome(p, headers), p.alpnId() + " with " + headers);
    }
  }

  static Stream<Arguments> trailers() {
    return Stream.of(
        Arguments.of(Headers.of("content-length", "3"), Reason.INVALID_REQUEST_HEADER),
        Arguments.of(Headers.of("Content-Length", "3"), Reason.INVALID_REQUEST_HEADER),
        Arguments.of(Headers.of("host", "example.com"), Reason.INVALID_REQUEST_HEADER),
        Arguments.of(Headers.of("trailer", "x"), Reason.INVALID_REQUEST_HEADER),
        Arguments.of(Headers.of("authorization", "Bearer x"), Reason.INVALID_REQUEST_HEADER),
        Arguments.of(Headers.of("content-type", "text/plain"), Reason.INVALID_REQUEST_HEADER),
        Arguments.of(Headers.of("transfer-encoding", "chunked"), Reason.INVALID_REQUEST_HEADER),
        Arguments.of(Headers.of("x-checksum", "a\u0001"), Reason.INVALID_HEADER_VALUE),
        Arguments.of(Headers.of("x checksum", "1"), Reason.INVALID_HEADER_NAME),
        Arguments.of(Headers.of("x-checksum", "1"), null));
  }

  @ParameterizedTest
  @MethodSource
  void trailers(Headers trailers, Reason expected) {
    for (ProtocolProvider p : ENGINES) {
      assertEquals(expected, trailerOutcome(p, trailers), p.alpnId() + " with " + trailers);
    }
  }
}
