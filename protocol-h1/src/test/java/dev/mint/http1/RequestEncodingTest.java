// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static dev.mint.http1.Checks.callerError;
import static dev.mint.http1.Checks.client;
import static dev.mint.http1.Checks.closedError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.Http1Options;
import dev.mint.HttpException;
import dev.mint.HttpException.Reason;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.Scheme;
import dev.mint.spi.ApiAccess;
import dev.mint.spi.OutputQueue;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The send half: requests checked byte for byte, and every way a request is refused. */
class RequestEncodingTest {

  private static String get(Script.Client c, String target, Headers headers) throws Exception {
    c.request("GET", target, headers, RequestBody.none());
    return c.sent();
  }

  // ---- request line, host, user-agent ----

  @Test
  void simpleGetWithDefaultHost() throws Exception {
    assertEquals(
        "GET /index.html?q=1 HTTP/1.1\r\nhost: example.com\r\n\r\n",
        get(client(), "/index.html?q=1", Headers.empty()));
  }

  @Test
  void theRefTellsTheFieldsSentWithThoseTheEngineAdded() throws Exception {
    Script.Client c = client(ConnectOptions.builder().userAgent("agent/1").build());
    RequestRef ref = c.request("POST", "/f", Headers.of("accept", "*/*"), RequestBody.utf8("abc"));
    assertEquals(
        "POST /f HTTP/1.1\r\nhost: example.com\r\nuser-agent: agent/1\r\naccept: */*\r\n"
            + "content-length: 3\r\n\r\nabc",
        c.sent());
    assertEquals(
        Headers.of(
            "host", "example.com", "user-agent", "agent/1", "accept", "*/*", "content-length", "3"),
        ref.sentHeaders().orElseThrow());
    assertFalse(
        ApiAccess.newRequestRef(1, "x").sentHeaders().isPresent(), "an engine that tells none");
  }

  @Test
  void hostCarriesANonDefaultPort() throws Exception {
    Script.Client c = client(Scheme.HTTP, "example.com", 8080, Checks.NO_AGENT);
    assertEquals("GET / HTTP/1.1\r\nhost: example.com:8080\r\n\r\n", get(c, "/", Headers.empty()));
  }

  @Test
  void httpsOmitsPort443ButNot80() throws Exception {
    Script.Client tls = client(Scheme.HTTPS, "example.com", 443, Checks.NO_AGENT);
    assertEquals("GET / HTTP/1.1\r\nhost: example.com\r\n\r\n", get(tls, "/", Headers.empty()));
    Script.Client odd = client(Scheme.HTTPS, "example.com", 80, Checks.NO_AGENT);
    assertEquals("GET / HTTP/1.1\r\nhost: example.com:80\r\n\r\n", get(odd, "/", Headers.empty()));
  }

  @Test
  void ipv6AuthorityIsBracketed() throws Exception {
    Script.Client withPort = client(Scheme.HTTP, "::1", 8080, Checks.NO_AGENT);
    assertEquals("GET / HTTP/1.1\r\nhost: [::1]:8080\r\n\r\n", get(withPort, "/", Headers.empty()));
    Script.Client defaultPort = client(Scheme.HTTP, "2001:db8::1", 80, Checks.NO_AGENT);
    assertEquals(
        "GET / HTTP/1.1\r\nhost: [2001:db8::1]\r\n\r\n", get(defaultPort, "/", Headers.empty()));
  }

  @Test
  void callerHostReplacesTheDefaultInPlace() throws Exception {
    assertEquals(
        "GET / HTTP/1.1\r\naccept: */*\r\nhost: other.test:81\r\n\r\n",
        get(client(), "/", Headers.of("accept", "*/*", "Host", "other.test:81")));
  }

  @Test
  void twoHostHeadersAreRefused() {
    Script.Client c = client();
    callerError(
        Reason.INVALID_REQUEST_HEADER,
        () -> c.request("GET", "/", Headers.of("host", "a", "HOST", "b"), null));
    assertEquals("", c.sent());
  }

  @Test
  void defaultUserAgentFollowsHost() throws Exception {
    Script.Client c = client(ConnectOptions.defaults());
    assertEquals(
        "GET / HTTP/1.1\r\nhost: example.com\r\nuser-agent: "
            + ConnectOptions.DEFAULT_USER_AGENT
            + "\r\naccept: */*\r\n\r\n",
        get(c, "/", Headers.of("accept", "*/*")));
  }

  @Test
  void configuredUserAgent() throws Exception {
    Script.Client c = client(ConnectOptions.builder().userAgent("probe/2").build());
    assertEquals(
        "GET / HTTP/1.1\r\nhost: example.com\r\nuser-agent: probe/2\r\n\r\n",
        get(c, "/", Headers.empty()));
  }

  @Test
  void callerUserAgentWins() throws Exception {
    Script.Client c = client(ConnectOptions.defaults());
    assertEquals(
        "GET / HTTP/1.1\r\nhost: example.com\r\nuser-agent: mine\r\n\r\n",
        get(c, "/", Headers.of("User-Agent", "mine")));
  }

  @Test
  void nullUserAgentSendsNone() throws Exception {
    assertEquals("GET / HTTP/1.1\r\nhost: example.com\r\n\r\n", get(client(), "/", null));
  }

  @Test
  void unsendableAuthorityFailsUnlessTheCallerSetsHost() throws Exception {
    Script.Client c = client(Scheme.HTTP, "evil.test\r\nx-injected: 1", 80, Checks.NO_AGENT);
    callerError(Reason.INVALID_HEADER_VALUE, () -> c.get("/"));
    assertEquals("", c.sent());
    assertEquals(
        "GET / HTTP/1.1\r\nhost: good.test\r\n\r\n", get(c, "/", Headers.of("host", "good.test")));
  }

  @Test
  void unsendableUserAgentFailsUnlessTheCallerSetsOne() throws Exception {
    Script.Client c = client(ConnectOptions.builder().userAgent("a\nb").build());
    callerError(Reason.INVALID_HEADER_VALUE, () -> c.get("/"));
    assertEquals(
        "GET / HTTP/1.1\r\nhost: example.com\r\nuser-agent: ok\r\n\r\n",
        get(c, "/", Headers.of("user-agent", "ok")));
  }

  // ---- header case ----

  @Test
  void namesAreLowerCasedValuesKept() throws Exception {
    assertEquals(
        "GET / HTTP/1.1\r\nhost: example.com\r\nx-custom-id: AbC\r\naccept: Text/HTML\r\n\r\n",
        get(client(), "/", Headers.of("X-Custom-ID", "AbC", "ACCEPT", "Text/HTML")));
  }

  @Test
  void preserveHeaderCaseKeepsCallerNamesAndCapitalizesEngineNames() throws Exception {
    Script.Client c =
        client(
            ConnectOptions.builder()
                .userAgent("ua")
                .http1(Http1Options.defaults().withPreserveHeaderCase(true))
                .build());
    c.request("POST", "/", Headers.of("X-Custom-ID", "AbC"), RequestBody.utf8("hi"));
    assertEquals(
        "POST / HTTP/1.1\r\nHost: example.com\r\nUser-Agent: ua\r\nX-Custom-ID: AbC\r\n"
            + "Content-Length: 2\r\n\r\nhi",
        c.sent());
    c.request("POST", "/s", Headers.empty(), RequestBody.streaming());
    assertEquals(
        "POST /s HTTP/1.1\r\nHost: example.com\r\nUser-Agent: ua\r\n"
            + "Transfer-Encoding: chunked\r\n\r\n",
        c.sent());
  }

  @Test
  void valuesMayHoldTabsAndObsText() throws Exception {
    assertEquals(
        "GET / HTTP/1.1\r\nhost: example.com\r\nx-a: a\tb  c\r\nx-b: caf\u00e9\r\nx-c: \r\n\r\n",
        get(client(), "/", Headers.of("x-a", "a\tb  c", "x-b", "caf\u00e9", "x-c", "")));
  }

  // ---- bodies and their framing headers ----

  @ParameterizedTest
  @ValueSource(strings = {"POST", "PUT", "PATCH"})
  void bodylessPostPutPatchSendContentLengthZero(String method) throws Exception {
    Script.Client c = client();
    c.request(method, "/r", Headers.empty(), RequestBody.none());
    assertEquals(
        method + " /r HTTP/1.1\r\nhost: example.com\r\ncontent-length: 0\r\n\r\n", c.sent());
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "DELETE", "OPTIONS", "HEAD", "TRACE", "post"})
  void otherBodylessMethodsSendNoLength(String method) throws Exception {
    Script.Client c = client();
    c.request(method, "/r", null, null);
    assertEquals(method + " /r HTTP/1.1\r\nhost: example.com\r\n\r\n", c.sent());
  }

  @Test
  void fixedBodyGetsContentLength() throws Exception {
    Script.Client c = client();
    c.request("POST", "/p", Headers.of("content-type", "text/plain"), RequestBody.utf8("hello"));
    assertEquals(
        "POST /p HTTP/1.1\r\nhost: example.com\r\ncontent-type: text/plain\r\n"
            + "content-length: 5\r\n\r\nhello",
        c.sent());
  }

  @Test
  void emptyFixedBodyGetsContentLengthZero() throws Exception {
    Script.Client c = client();
    c.request("GET", "/", Headers.empty(), RequestBody.of(new byte[0]));
    assertEquals("GET / HTTP/1.1\r\nhost: example.com\r\ncontent-length: 0\r\n\r\n", c.sent());
  }

  @Test
  void largeFixedBodyIsSentWhole() throws Exception {
    byte[] body = new byte[100_000];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) ('a' + i % 26);
    }
    Script.Client c = client();
    c.request("PUT", "/big", Headers.empty(), RequestBody.of(body));
    assertEquals(
        "PUT /big HTTP/1.1\r\nhost: example.com\r\ncontent-length: 100000\r\n\r\n"
            + new String(body, java.nio.charset.StandardCharsets.ISO_8859_1),
        c.sent());
  }

  @Test
  void matchingCallerContentLengthIsKept() throws Exception {
    Script.Client c = client();
    c.request("POST", "/", Headers.of("Content-Length", "3"), RequestBody.utf8("abc"));
    assertEquals("POST / HTTP/1.1\r\nhost: example.com\r\ncontent-length: 3\r\n\r\nabc", c.sent());
  }

  @Test
  void callerContentLengthZeroWithoutBodyIsKept() throws Exception {
    Script.Client c = client();
    c.request("POST", "/", Headers.of("content-length", "0"), RequestBody.none());
    assertEquals("POST / HTTP/1.1\r\nhost: example.com\r\ncontent-length: 0\r\n\r\n", c.sent());
  }

  /**
   * The smuggling reproducer: a caller {@code transfer-encoding} over a fixed body let the body's
   * bytes frame the message, so one call put two requests on the wire. A fixed body is always
   * framed by the engine, so the header is refused whatever the body holds.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "0\r\n\r\nGET /x HTTP/1.1\r\nhost: example.com\r\n\r\n",
        "3\r\nabc\r\n0\r\n\r\n",
        ""
      })
  void callerTransferEncodingWithAFixedBodyIsRefused(String body) {
    Script.Client c = client();
    HttpException e =
        callerError(
            Reason.INVALID_REQUEST_HEADER,
            () ->
                c.request(
                    "POST",
                    "/",
                    Headers.of("Transfer-Encoding", "chunked"),
                    RequestBody.utf8(body)));
    assertTrue(e.getMessage().contains("fixed body"), e.getMessage());
    assertEquals("", c.sent());
    assertEquals(0, c.engine.openRequestCount());
    assertTrue(c.engine.canSendRequests());
  }

  @Test
  void mismatchedContentLengthIsRefused() {
    Script.Client c = client();
    callerError(
        Reason.INVALID_REQUEST_HEADER,
        () -> c.request("POST", "/", Headers.of("content-length", "4"), RequestBody.utf8("abc")));
    assertEquals("", c.sent());
    assertEquals(0, c.engine.openRequestCount());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-1", "+3", "3 3", "0x3", "1e3", "1234567890123456789012"})
  void malformedCallerContentLengthIsRefused(String value) {
    Script.Client c = client();
    callerError(
        Reason.INVALID_REQUEST_HEADER,
        () -> c.request("POST", "/", Headers.of("content-length", value), RequestBody.streaming()));
    assertEquals("", c.sent());
  }

  @Test
  void duplicateContentLengthIsRefused() {
    Script.Client c = client();
    callerError(
        Reason.INVALID_REQUEST_HEADER,
        () ->
            c.request(
                "POST",
                "/",
                Headers.of("content-length", "3", "content-length", "3"),
                RequestBody.utf8("abc")));
  }

  @Test
  void contentLengthWithTransferEncodingIsRefused() {
    Script.Client c = client();
    callerError(
        Reason.INVALID_REQUEST_HEADER,
        () ->
            c.request(
                "POST",
                "/",
                Headers.of("content-length", "3", "transfer-encoding", "chunked"),
                RequestBody.streaming()));
  }

  @Test
  void framingHeadersWithoutABodyAreRefused() {
    Script.Client c = client();
    callerError(
        Reason.INVALID_REQUEST_HEADER,
        () -> c.request("POST", "/", Headers.of("transfer-encoding", "chunked"), null));
    callerError(
        Reason.INVALID_REQUEST_HEADER,
        () -> c.request("GET", "/", Headers.of("content-length", "5"), null));
    assertEquals("", c.sent());
  }

  // ---- validation: nothing reaches the wire ----

  @ParameterizedTest
  @ValueSource(strings = {"", "GE T", "GET\r\nX", "G(ET", "G\u00c9T", "GET\u0000", "GET\t", "A:B"})
  void methodMustBeAToken(String method) {
    Script.Client c = client();
    callerError(Reason.INVALID_METHOD, () -> c.request(method, "/", null, null));
    assertEquals("", c.sent());
  }

  @Test
  void extensionMethodsAreTokens() throws Exception {
    Script.Client c = client();
    c.request("M-SEARCH.x~!", "/", null, null);
    assertEquals("M-SEARCH.x~! / HTTP/1.1\r\nhost: example.com\r\n\r\n", c.sent());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "/a b",
        "/a\r\nx-injected: 1",
        "/a\nb",
        "/a\rb",
        "/\u0000",
        "/\u0001",
        "/\u007f",
        "/caf\u00e9",
        "/\u4e2d",
        "/\ta"
      })
  void targetIsValidated(String target) {
    Script.Client c = client();
    callerError(Reason.INVALID_TARGET, () -> c.get(target));
    assertEquals("", c.sent());
  }

  @Test
  void targetValidationOffStillRefusesLineBreakingBytes() throws Exception {
    Script.Client c = client(Http1Options.defaults().withValidateTarget(false));
    for (String bad : new String[] {"/a b", "/a\r", "/a\n", "/a\u0000", "/\u4e2d", ""}) {
      callerError(Reason.INVALID_TARGET, () -> c.get(bad));
    }
    assertEquals("", c.sent());
    c.get("/caf\u00e9\u0001|{}\"");
    assertEquals("GET /caf\u00e9\u0001|{}\" HTTP/1.1\r\nhost: example.com\r\n\r\n", c.sent());
  }

  @Test
  void connectAndAsteriskTargets() throws Exception {
    Script.Client c = client();
    c.request("CONNECT", "example.com:443", Headers.empty(), null);
    assertEquals("CONNECT example.com:443 HTTP/1.1\r\nhost: example.com:443\r\n\r\n", c.sent());
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "x y", "x:y", "x\r\ny", "x\n", "caf\u00e9", "x\u0000", "(x)", "x\t"})
  void headerNameMustBeAToken(String name) {
    Script.Client c = client();
    callerError(
        Reason.INVALID_HEADER_NAME, () -> c.request("GET", "/", Headers.of(name, "v"), null));
    assertEquals("", c.sent());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a\r\nx-injected: 1",
        "a\nb",
        "a\rb",
        "a\u0000b",
        "\u0001",
        "a\u001fb",
        "\u007f",
        "\u0100",
        "\u4e2d\u6587",
        "a\r\n\r\nGET /smuggled HTTP/1.1"
      })
  void headerValueMayNotHoldControlBytes(String value) {
    Script.Client c = client();
    callerError(
        Reason.INVALID_HEADER_VALUE, () -> c.request("GET", "/", Headers.of("x-a", value), null));
    assertEquals("", c.sent());
  }

  @Test
  void refusedRequestChangesNothing() throws Exception {
    Script.Client c = client();
    callerError(
        Reason.INVALID_HEADER_VALUE,
        () -> c.request("GET", "/", Headers.of("x-ok", "1", "x-bad", "a\r\nb"), null));
    assertEquals(0, c.engine.openRequestCount());
    assertTrue(c.engine.canSendRequests());
    RequestRef ref = c.get("/");
    assertEquals(1, ref.sequence(), "a refused request takes no sequence number");
    assertEquals("GET / HTTP/1.1\r\nhost: example.com\r\n\r\n", c.sent());
  }

  @Test
  void errorMessagesNameTheOffendingCharacter() {
    Script.Client c = client();
    String m =
        callerError(
                Reason.INVALID_HEADER_VALUE,
                () -> c.request("GET", "/", Headers.of("x-a", "ab\nc"), null))
            .getMessage();
    assertTrue(m.contains("0x0a") && m.contains("x-a") && m.contains("index 2"), m);
    String t = callerError(Reason.INVALID_TARGET, () -> c.get("/a b")).getMessage();
    assertTrue(t.contains("0x20") && t.contains("index 2"), t);
  }

  // ---- refs, limits, state ----

  @Test
  void refsAreSequencedAndCounted() throws Exception {
    Script.Client c = client();
    RequestRef a = c.get("/a");
    RequestRef b = c.request("HEAD", "/b", null, null);
    assertEquals(1, a.sequence());
    assertEquals(2, b.sequence());
    assertEquals(2, c.engine.openRequestCount());
    assertEquals(Protocol.HTTP1, c.engine.protocol());
    assertEquals(
        "GET /a HTTP/1.1\r\nhost: example.com\r\n\r\nHEAD /b HTTP/1.1\r\nhost: example.com\r\n\r\n",
        c.sent());
  }

  @Test
  void pipeliningLimitIsEnforced() throws Exception {
    Script.Client c = client(Http1Options.defaults().withMaxPipelinedRequests(2));
    c.get("/1");
    c.get("/2");
    callerError(Reason.PEER_LIMIT_REACHED, () -> c.get("/3"));
    c.sent();
    c.engine.receive(
        java.nio.ByteBuffer.wrap(Script.bytes("HTTP/1.1 204 No Content\r\n\r\n")),
        new ArrayList<>());
    c.get("/3");
    assertEquals("GET /3 HTTP/1.1\r\nhost: example.com\r\n\r\n", c.sent());
  }

  @Test
  void fullOutputQueueRefusesTheRequestWhole() throws Exception {
    Script.Client c = client(40);
    callerError(
        Reason.OUTPUT_QUEUE_FULL, () -> c.request("POST", "/", null, RequestBody.utf8("x")));
    assertEquals(0, c.engine.openRequestCount());
    assertEquals("", c.sent());
    c.get("/");
    assertEquals("GET / HTTP/1.1\r\nhost: example.com\r\n\r\n", c.sent());
  }

  /**
   * A fixed body is already in the caller's memory: it goes out however large it is, referenced
   * rather than copied, and only the header section counts against the queue's bound (which stops a
   * caller streaming faster than the peer reads, not one handing over bytes it holds).
   */
  @ParameterizedTest
  @ValueSource(ints = {1, 5_000, 100_000, 3_000_000})
  void fixedBodyLargerThanTheQueueGoesOut(int length) throws Exception {
    byte[] body = new byte[length];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) ('a' + i % 26);
    }
    OutputQueue output = new OutputQueue(120);
    Script.Client c = client(output);
    c.request("PUT", "/big", null, RequestBody.of(body));
    String head =
        "PUT /big HTTP/1.1\r\nhost: example.com\r\ncontent-length: " + length + "\r\n\r\n";
    long queued = c.engine.queuedBytes();
    assertEquals(head.length() + length, queued);
    assertEquals(120 - head.length(), output.room());
    c.get("/next"); // the held body does not fill the queue
    assertEquals(
        head
            + new String(body, java.nio.charset.StandardCharsets.ISO_8859_1)
            + "GET /next HTTP/1.1\r\nhost: example.com\r\n\r\n",
        c.sent());
  }

  @Test
  void headerSectionStillCountsAgainstTheQueue() {
    Script.Client c = client(40);
    callerError(
        Reason.OUTPUT_QUEUE_FULL,
        () ->
            c.request(
                "PUT",
                "/",
                Headers.of("x-pad", "p".repeat(40)),
                RequestBody.of(new byte[100_000])));
    assertEquals(0, c.engine.openRequestCount());
    assertEquals("", c.sent());
  }

  @Test
  void callerConnectionCloseMakesTheLastRequest() throws Exception {
    Script.Client c = client();
    c.request("GET", "/", Headers.of("Connection", "keep-alive, Close"), null);
    assertFalse(c.engine.canSendRequests());
    assertFalse(c.engine.isClosed());
    callerError(Reason.INVALID_STATE, () -> c.get("/next"));
    assertEquals(
        "GET / HTTP/1.1\r\nhost: example.com\r\nconnection: keep-alive, Close\r\n\r\n", c.sent());
  }

  @Test
  void closedEngineRefusesWithConnectionScope() {
    Script.Client c = client();
    c.engine.close();
    assertTrue(c.engine.isClosed());
    assertFalse(c.engine.canSendRequests());
    closedError(() -> c.get("/"));
    assertEquals("", c.sent());
  }

  @Test
  void bytesBodyIsImmutableOnceQueued() throws Exception {
    byte[] raw = Script.bytes("abc");
    Script.Client c = client();
    c.request("POST", "/", null, RequestBody.of(Bytes.of(raw)));
    raw[0] = 'X';
    assertEquals("POST / HTTP/1.1\r\nhost: example.com\r\ncontent-length: 3\r\n\r\nabc", c.sent());
  }
}
