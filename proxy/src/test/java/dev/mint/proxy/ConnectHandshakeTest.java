// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Headers;
import dev.mint.ProxyResponse;
import dev.mint.TransportException;
import dev.mint.TransportException.Reason;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The {@code CONNECT} codec at byte level: the request it writes, and every reply fed whole, one
 * byte at a time and randomly cut, with the same outcome each way.
 */
class ConnectHandshakeTest {
  private static final String REQUEST =
      "CONNECT origin.test:443 HTTP/1.1\r\nhost: origin.test:443\r\n\r\n";

  private static Supplier<Handshake> to(String host, int port, Headers fields, int max) {
    return () -> new ConnectHandshake(host, port, fields, max, "the HTTP proxy p.test:3128");
  }

  private static final Supplier<Handshake> PLAIN =
      to("origin.test", 443, Headers.empty(), 64 * 1024);

  @Test
  void theRequestNamesTheTargetTwiceAndCarriesTheProxyFields() {
    Fed fed =
        Fed.feed(
            to(
                    "origin.test",
                    443,
                    Headers.of("proxy-authorization", "Basic dTpw", "x-team", "a"),
                    1024)
                .get(),
            List.of());
    assertEquals(
        "CONNECT origin.test:443 HTTP/1.1\r\nhost: origin.test:443\r\n"
            + "proxy-authorization: Basic dTpw\r\nx-team: a\r\n\r\n",
        fed.sentText());
    fed.needsMore();
  }

  @Test
  void ipv6TargetsAreBracketedWithoutTheirZone() {
    assertEquals(
        "CONNECT [2001:db8::1]:8443 HTTP/1.1\r\nhost: [2001:db8::1]:8443\r\n\r\n",
        Fed.feed(to("2001:db8::1", 8443, Headers.empty(), 1024).get(), List.of()).sentText());
    assertEquals(
        "CONNECT [fe80::1]:80 HTTP/1.1\r\nhost: [fe80::1]:80\r\n\r\n",
        Fed.feed(to("[fe80::1%eth0]", 80, Headers.empty(), 1024).get(), List.of()).sentText());
  }

  @Test
  void a200OpensTheTunnel() {
    Fed fed =
        Fed.everySplit(PLAIN, "HTTP/1.1 200 Connection established\r\nvia: 1.1 squid\r\n\r\n");
    assertEquals(REQUEST, fed.sentText());
    assertEquals(
        new ProxyResponse.Http(200, "Connection established", Headers.of("via", "1.1 squid")),
        fed.done(""));
  }

  @Test
  void theOriginsFirstBytesInTheSamePacketAreLeftOver() {
    ProxyResponse reply =
        Fed.everySplit(PLAIN, "HTTP/1.0 200 OK\r\n\r\nSSH-2.0-origin\r\n")
            .done("SSH-2.0-origin\r\n");
    assertEquals(200, ((ProxyResponse.Http) reply).status(), "an HTTP/1.0 proxy is fine");
  }

  @Test
  void interimResponsesAreSkipped() {
    ProxyResponse reply =
        Fed.everySplit(
                PLAIN,
                "HTTP/1.1 100 Continue\r\n\r\n"
                    + "HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\n"
                    + "HTTP/1.1 200 OK\r\nx-final: yes\r\n\r\nrest")
            .done("rest");
    assertEquals(Headers.of("x-final", "yes"), ((ProxyResponse.Http) reply).headers());
  }

  @Test
  void aLengthOrChunkingOnA2xxIsIgnored() {
    // RFC 9110 §9.3.6: the tunnel starts right after the header section.
    Fed.everySplit(PLAIN, "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello world")
        .done("hello world");
    Fed.everySplit(PLAIN, "HTTP/1.1 204 No Content\r\ntransfer-encoding: chunked\r\n\r\n0\r\n")
        .done("0\r\n");
  }

  @Test
  void bareLfEndsLinesAndFieldsAreTrimmedAndLowerCased() {
    ProxyResponse reply =
        Fed.everySplit(PLAIN, "HTTP/1.1 200\nVia:  1.1 a \t\nX-Empty:\n\nx").done("x");
    assertEquals(new ProxyResponse.Http(200, "", Headers.of("via", "1.1 a", "x-empty", "")), reply);
  }

  @Test
  void a407IsDistinguishableAndCarriesItsChallenges() {
    TransportException e =
        Fed.everySplit(
                PLAIN,
                "HTTP/1.1 407 Proxy Authentication Required\r\n"
                    + "Proxy-Authenticate: Basic realm=\"corp\"\r\n"
                    + "Proxy-Authenticate: Negotiate\r\n"
                    + "content-length: 10\r\n\r\n0123456789")
            .failed(Reason.PROXY_AUTH_REQUIRED);
    ProxyResponse.Http reply = (ProxyResponse.Http) e.proxyResponse().orElseThrow();
    assertEquals(407, reply.status());
    assertEquals("Proxy Authentication Required", reply.reasonPhrase());
    assertEquals(
        List.of("Basic realm=\"corp\"", "Negotiate"), reply.headers().getAll("proxy-authenticate"));
    assertTrue(e.getMessage().contains("Basic realm"), e.getMessage());
    assertTrue(e.getMessage().contains("origin.test:443"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(ints = {301, 400, 403, 404, 500, 502, 503, 504})
  void otherFinalStatusesAreRefusals(int status) {
    TransportException e =
        Fed.everySplit(PLAIN, "HTTP/1.1 " + status + " No\r\nx-reason: policy\r\n\r\n")
            .failed(Reason.PROXY_REFUSED);
    assertEquals(
        new ProxyResponse.Http(status, "No", Headers.of("x-reason", "policy")),
        e.proxyResponse().orElseThrow());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTP/2 200\r\n\r\n",
        "HTTP/1.2 200 OK\r\n\r\n",
        "http/1.1 200 OK\r\n\r\n",
        "HTTP/1.1 20 OK\r\n\r\n",
        "HTTP/1.1 2000 OK\r\n\r\n",
        "HTTP/1.1 099 Odd\r\n\r\n",
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/1.1  200 OK\r\n\r\n",
        "SSH-2.0-OpenSSH\r\n\r\n",
        "\r\n",
        "HTTP/1.1 200 OK\rvia: x\r\n\r\n",
        "HTTP/1.1 200 OK\r\nvia: a\u0000b\r\n\r\n",
        "HTTP/1.1 200 OK\r\nvia: a\u0001b\r\n\r\n",
        "HTTP/1.1 200 O\u0007K\r\n\r\n",
        "HTTP/1.1 200 OK\r\nvia: a\r\n folded\r\n\r\n",
        "HTTP/1.1 200 OK\r\nvia : a\r\n\r\n",
        "HTTP/1.1 200 OK\r\n: a\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nupgrade: h2c\r\n\r\n"
      })
  void malformedRepliesAreBadReplies(String reply) {
    Fed.everySplit(PLAIN, reply).failed(Reason.PROXY_BAD_REPLY);
  }

  @Test
  void anOversizedReplyHeadIsRefusedAtTheLimit() {
    Supplier<Handshake> small = to("origin.test", 443, Headers.empty(), 1024);
    String head = "HTTP/1.1 200 OK\r\nx-pad: " + "a".repeat(1024) + "\r\n\r\n";
    Fed.everySplit(small, head).failed(Reason.PROXY_BAD_REPLY);
    // exactly at the limit is fine
    String fits = "HTTP/1.1 200 OK\r\nx-pad: ";
    fits += "a".repeat(1024 - fits.length() - 4) + "\r\n\r\n";
    assertEquals(1024, fits.length());
    Fed.everySplit(small, fits + "tail").done("tail");
  }

  @Test
  void interimResponsesCountAgainstTheLimit() {
    Supplier<Handshake> small = to("origin.test", 443, Headers.empty(), 1024);
    Fed.everySplit(small, "HTTP/1.1 100 Continue\r\n\r\n".repeat(60) + "HTTP/1.1 200 OK\r\n\r\n")
        .failed(Reason.PROXY_BAD_REPLY);
  }

  @Test
  void aProxyThatStopsHalfwayStillWaits() {
    Fed.everySplit(PLAIN, "HTTP/1.1 200 OK\r\nvia: x\r\n").needsMore();
  }

  @Test
  void anEndOfStreamBeforeTheReplyIsProxyClosed() throws Exception {
    Handshake h = PLAIN.get();
    TransportException e = assertThrows(TransportException.class, h::receiveEnd);
    assertEquals(Reason.PROXY_CLOSED, e.reason());
    assertTrue(e.getMessage().contains("without answering"), e.getMessage());
    Handshake partial = PLAIN.get();
    Fed.feed(partial, List.of("HTTP/1.1 2".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    TransportException after = assertThrows(TransportException.class, partial::receiveEnd);
    assertTrue(after.getMessage().contains("after 10 bytes"), after.getMessage());
  }
}
