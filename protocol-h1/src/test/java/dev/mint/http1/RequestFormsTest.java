// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static dev.mint.http1.Checks.callerError;
import static dev.mint.http1.Checks.client;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Headers;
import dev.mint.Http1Options;
import dev.mint.HttpException.Reason;
import dev.mint.RequestBody;
import dev.mint.Scheme;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The forms of the request target (RFC 9112 §3.2), the {@code host} each implies, requests that
 * switch protocols (CONNECT, upgrade), and what the caller may put in field values and trailers.
 */
class RequestFormsTest {

  private static String send(Script.Client c, String method, String target, Headers headers)
      throws Exception {
    c.request(method, target, headers, null);
    return c.sent();
  }

  // ---- target forms and host (RFC 9112 §3.2) ----

  @Test
  void absoluteFormSendsTheAuthorityOfItsUriAsHost() throws Exception {
    // RFC 9112 §3.2: host is identical to the target URI's authority, without userinfo; the
    // connection's own authority (a forward proxy's) would be wrong.
    assertEquals(
        "GET http://other.test:8080/a?b=c HTTP/1.1\r\nhost: other.test:8080\r\n\r\n",
        send(client(), "GET", "http://other.test:8080/a?b=c", Headers.empty()));
    assertEquals(
        "GET https://user:pw@other.test HTTP/1.1\r\nhost: other.test\r\n\r\n",
        send(client(), "GET", "https://user:pw@other.test", Headers.empty()));
    assertEquals(
        "GET http://[::1]:81?q HTTP/1.1\r\nhost: [::1]:81\r\n\r\n",
        send(client(), "GET", "http://[::1]:81?q", Headers.empty()));
  }

  @Test
  void callerHostWinsOverTheTargetsAuthority() throws Exception {
    assertEquals(
        "GET http://other.test/ HTTP/1.1\r\nhost: mine.test\r\n\r\n",
        send(client(), "GET", "http://other.test/", Headers.of("HOST", "mine.test")));
  }

  @Test
  void connectSendsItsAuthorityFormTargetAsHost() throws Exception {
    Script.Client c = Checks.client(Scheme.HTTP, "proxy.test", 3128, Checks.NO_AGENT);
    assertEquals(
        "CONNECT origin.test:443 HTTP/1.1\r\nhost: origin.test:443\r\n\r\n",
        send(c, "CONNECT", "origin.test:443", Headers.empty()));
    Script.Client v6 = Checks.client(Scheme.HTTP, "proxy.test", 3128, Checks.NO_AGENT);
    assertEquals(
        "CONNECT [2001:db8::1]:443 HTTP/1.1\r\nhost: [2001:db8::1]:443\r\n\r\n",
        send(v6, "CONNECT", "[2001:db8::1]:443", Headers.empty()));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/",
        "origin.test",
        "origin.test:",
        "origin.test:x",
        "origin.test:443/",
        "user@origin.test:443",
        "http://origin.test:443",
        "[::1:443",
        "::1:443",
        ":443",
        "origin.test:443?",
        "origin.test:99999"
      })
  void connectNeedsAnAuthorityFormTarget(String target) {
    Script.Client c = client();
    callerError(Reason.INVALID_TARGET, () -> c.request("CONNECT", target, null, null));
    assertEquals("", c.sent());
  }

  @Test
  void asteriskFormIsForOptionsOnly() throws Exception {
    assertEquals(
        "OPTIONS * HTTP/1.1\r\nhost: example.com\r\n\r\n",
        send(client(), "OPTIONS", "*", Headers.empty()));
    Script.Client c = client();
    callerError(Reason.INVALID_TARGET, () -> c.request("GET", "*", null, null));
    assertEquals("", c.sent());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "index.html",
        "?q=1",
        "origin.test:443",
        "http:/no-authority",
        "1http://x/",
        "/a#fragment",
        "http://x/#",
        "**"
      })
  void targetsOfNoFormAreRefused(String target) {
    Script.Client c = client();
    callerError(Reason.INVALID_TARGET, () -> c.get(target));
    assertEquals("", c.sent());
  }

  @Test
  void withoutTargetValidationFormsAreNotChecked() throws Exception {
    Script.Client c = client(Http1Options.defaults().withValidateTarget(false));
    c.request("M-SEARCH", "*", null, null);
    c.get("index.html#x");
    assertEquals(
        "M-SEARCH * HTTP/1.1\r\nhost: example.com\r\n\r\n"
            + "GET index.html#x HTTP/1.1\r\nhost: example.com\r\n\r\n",
        c.sent());
  }

  @Test
  void zoneIdIsNotSentInHost() throws Exception {
    // RFC 6874 §4: a zone identifier has only local significance; a client MUST remove it.
    Script.Client c = Checks.client(Scheme.HTTP, "fe80::1%eth0", 8080, Checks.NO_AGENT);
    assertEquals(
        "GET / HTTP/1.1\r\nhost: [fe80::1]:8080\r\n\r\n", send(c, "GET", "/", Headers.empty()));
    assertEquals(
        "GET http://[fe80::1%25eth0]:81/ HTTP/1.1\r\nhost: [fe80::1]:81\r\n\r\n",
        send(client(), "GET", "http://[fe80::1%25eth0]:81/", Headers.empty()));
    assertEquals(
        "CONNECT [fe80::1%25eth0]:443 HTTP/1.1\r\nhost: [fe80::1]:443\r\n\r\n",
        send(client(), "CONNECT", "[fe80::1%25eth0]:443", Headers.empty()));
  }

  // ---- requests that switch protocols ----

  @Test
  void nothingIsPipelinedBehindConnect() throws Exception {
    // After a 2xx the proxy relays every following byte to the origin: a request queued behind
    // the CONNECT would go into the tunnel.
    Script.Client c = client();
    c.get("/before");
    c.request("CONNECT", "origin.test:443", null, null);
    c.sent();
    assertTrue(
        callerError(Reason.INVALID_STATE, () -> c.get("/behind")).getMessage().contains("CONNECT"));
    assertEquals("", c.sent());
    assertEquals(2, c.engine.openRequestCount());
  }

  @Test
  void nothingIsPipelinedBehindAnUpgrade() throws Exception {
    Script.of("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
        .requests(c -> c.request("GET", "/", Headers.of("upgrade", "h2c"), null))
        .after(
            c -> {
              // the server declined: HTTP/1.1 goes on
              c.get("/next");
            })
        .run()
        .parts("status 1 200", "headers 1 Headers[content-length: 0]", "done 1")
        .output("GET /next HTTP/1.1\r\nhost: example.com\r\n\r\n");
    Script.Client c = client();
    c.request("GET", "/", Headers.of("Upgrade", "websocket"), null);
    callerError(Reason.INVALID_STATE, () -> c.get("/behind"));
  }

  @Test
  void connectStreamsTunnelBytesOnlyAndSendsNoFraming() throws Exception {
    // RFC 9110 §9.3.6: CONNECT has no content. RequestBody.streaming() (as HTTP/2 asks for)
    // means tunnel bytes after the 2xx, never a chunked body.
    Script.of("HTTP/1.1 200 Connection Established\r\n\r\n")
        .requests(
            c -> {
              c.request("CONNECT", "origin.test:443", null, RequestBody.streaming());
              callerError(Reason.BODY_NOT_STREAMING, () -> c.stream(1, "early"));
            })
        .after(c -> c.stream(1, "tls bytes"))
        .run()
        .parts("status 1 200", "headers 1 Headers[]")
        .output("tls bytes");
    Script.Client c = client();
    c.request("CONNECT", "origin.test:443", null, RequestBody.streaming());
    assertEquals("CONNECT origin.test:443 HTTP/1.1\r\nhost: origin.test:443\r\n\r\n", c.sent());
  }

  @Test
  void connectWithAFixedBodyIsRefused() {
    Script.Client c = client();
    callerError(
        Reason.INVALID_STATE,
        () -> c.request("CONNECT", "origin.test:443", null, RequestBody.utf8("x")));
    assertEquals("", c.sent());
  }

  // ---- field values the caller gives (RFC 9110 §5.5) ----

  @ParameterizedTest
  @ValueSource(strings = {" v", "v ", "\tv", "v\t", " ", "\t", "a b "})
  void valuesWithLeadingOrTrailingWhitespaceAreRefused(String value) throws Exception {
    // A field value has no leading or trailing whitespace; the recipient would strip it, so the
    // value the caller meant cannot be sent. HTTP/2 refuses the same values (RFC 9113 §8.2.1).
    Script.Client c = client();
    callerError(
        Reason.INVALID_HEADER_VALUE, () -> c.request("GET", "/", Headers.of("x-a", value), null));
    assertEquals("", c.sent());
    c.request("POST", "/", null, RequestBody.streaming());
    c.sent();
    callerError(
        Reason.INVALID_HEADER_VALUE,
        () -> c.engine.endRequestBody(c.ref(1), Headers.of("x-t", value)));
    assertEquals("", c.sent());
  }

  @Test
  void innerWhitespaceAndEmptyValuesAreKept() throws Exception {
    assertEquals(
        "GET / HTTP/1.1\r\nhost: example.com\r\nx-a: a \t b\r\nx-b: \r\n\r\n",
        send(client(), "GET", "/", Headers.of("x-a", "a \t b", "x-b", "")));
  }

  // ---- trailers the caller gives (RFC 9110 §6.5.1) ----

  @ParameterizedTest
  @ValueSource(
      strings = {
        "content-length",
        "Transfer-Encoding",
        "host",
        "connection",
        "keep-alive",
        "proxy-connection",
        "te",
        "trailer",
        "upgrade",
        "authorization",
        "cookie",
        "content-type",
        "expect"
      })
  void trailersThatFrameRouteOrControlTheConnectionAreRefused(String name) throws Exception {
    Script.Client c = client();
    c.request("POST", "/", null, RequestBody.streaming());
    c.sent();
    callerError(
        Reason.INVALID_REQUEST_HEADER,
        () -> c.engine.endRequestBody(c.ref(1), Headers.of(name, "1")));
    assertEquals("", c.sent());
    c.engine.endRequestBody(c.ref(1), Headers.of("x-checksum", "1"));
    assertEquals("0\r\nx-checksum: 1\r\n\r\n", c.sent());
  }

  @Test
  void streamedChunkAfterARefusedTrailerStillWorks() throws Exception {
    Script.Client c = client();
    c.request("POST", "/", null, RequestBody.streaming());
    c.sent();
    callerError(
        Reason.INVALID_REQUEST_HEADER,
        () -> c.engine.endRequestBody(c.ref(1), Headers.of("content-length", "3")));
    c.engine.streamRequestBody(c.ref(1), ByteBuffer.wrap(Script.bytes("abc")));
    assertEquals("3\r\nabc\r\n", c.sent());
  }
}
