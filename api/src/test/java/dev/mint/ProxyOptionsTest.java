// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyOptionsTest {

  @Test
  void defaultsAreTheDocumentedOnes() {
    ProxyOptions p = ProxyOptions.http("proxy.test", 3128);
    assertEquals(ProxyOptions.Kind.HTTP, p.kind());
    assertEquals("proxy.test", p.host());
    assertEquals(3128, p.port());
    assertNull(p.credentials());
    assertEquals(Headers.empty(), p.headers());
    assertEquals(Duration.ofSeconds(30), p.tunnelTimeout());
    assertEquals(TlsOptions.defaults(), p.tls());
    assertTrue(p.remoteDns());
    assertFalse(p.tunnelHttp());
    assertEquals(64 * 1024, p.maxReplySize());
    assertTrue(p.isHttp());
    assertFalse(ProxyOptions.socks5("s", 1080).isHttp());
    assertEquals(ProxyOptions.Kind.HTTPS, ProxyOptions.https("h", 1).kind());
  }

  @Test
  void withersChangeOneSettingEach() {
    ProxyOptions p = ProxyOptions.http("p", 1);
    TlsOptions tls = TlsOptions.defaults().withVerifyHostname(false);
    ProxyOptions q =
        p.withCredentials("u", "pw")
            .withHeaders(Headers.of("x-a", "1"))
            .withTunnelTimeout(Duration.ofSeconds(2))
            .withTls(tls)
            .withRemoteDns(false)
            .withTunnelHttp(true)
            .withMaxReplySize(4096);
    assertEquals(new ProxyOptions.Credentials("u", "pw"), q.credentials());
    assertEquals("1", q.headers().get("x-a"));
    assertEquals(Duration.ofSeconds(2), q.tunnelTimeout());
    assertSame(tls, q.tls());
    assertFalse(q.remoteDns());
    assertTrue(q.tunnelHttp());
    assertEquals(4096, q.maxReplySize());
    assertNull(q.withCredentials(null).credentials());
    assertEquals(ProxyOptions.http("p", 1), p, "the original is unchanged");
  }

  @Test
  void bracketsAroundAnIpv6HostAreDropped() {
    assertEquals("::1", ProxyOptions.http("[::1]", 8080).host());
    assertEquals("http://[::1]:8080", ProxyOptions.http("::1", 8080).uri());
  }

  @Test
  void basicCredentialsFollowRfc7617() {
    // RFC 7617 §2 and §2.1 examples.
    ProxyOptions p = ProxyOptions.http("p", 1).withCredentials("Aladdin", "open sesame");
    assertEquals(
        "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", p.requestHeaders().get("proxy-authorization"));
    ProxyOptions utf8 = ProxyOptions.http("p", 1).withCredentials("test", "123\u00a3");
    assertEquals("Basic dGVzdDoxMjPCow==", utf8.requestHeaders().get("proxy-authorization"));
  }

  @Test
  void requestHeadersKeepTheCallersOwnAuthorization() {
    ProxyOptions p =
        ProxyOptions.http("p", 1)
            .withHeaders(Headers.of("Proxy-Authorization", "Bearer t", "x-a", "1"))
            .withCredentials("u", "p");
    assertEquals(Headers.of("Proxy-Authorization", "Bearer t", "x-a", "1"), p.requestHeaders());
    assertEquals(
        Headers.of("x-a", "1"),
        ProxyOptions.http("p", 1).withHeaders(Headers.of("x-a", "1")).requestHeaders());
  }

  @Test
  void refusesWhatCannotBeSent() {
    ProxyOptions p = ProxyOptions.http("p", 1);
    assertThrows(IllegalArgumentException.class, () -> ProxyOptions.http("p", 0));
    assertThrows(IllegalArgumentException.class, () -> ProxyOptions.http("p", 65536));
    assertThrows(IllegalArgumentException.class, () -> ProxyOptions.http("", 1));
    assertThrows(IllegalArgumentException.class, () -> p.withTunnelTimeout(Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> p.withMaxReplySize(1023));
    assertThrows(IllegalArgumentException.class, () -> p.withCredentials("a:b", "c"));
    assertThrows(IllegalArgumentException.class, () -> p.withCredentials("a", "b\r\nc"));
    assertThrows(
        IllegalArgumentException.class, () -> p.withHeaders(Headers.of("x-a", "1\r\nx-b: 2")));
    assertThrows(IllegalArgumentException.class, () -> p.withHeaders(Headers.of("x a", "1")));
    assertThrows(IllegalArgumentException.class, () -> p.withHeaders(Headers.of("x-a", " 1")));
    assertThrows(IllegalArgumentException.class, () -> p.withHeaders(Headers.of("Host", "h")));
    assertThrows(
        IllegalArgumentException.class,
        () -> p.withHeaders(Headers.of("transfer-encoding", "chunked")));
  }

  @Test
  void socksCredentialsAreOneTo255Bytes() {
    ProxyOptions s = ProxyOptions.socks5("s", 1080);
    assertEquals("a:b", s.withCredentials("a:b", "c").credentials().username(), "':' is fine");
    assertThrows(IllegalArgumentException.class, () -> s.withCredentials("", "c"));
    assertThrows(IllegalArgumentException.class, () -> s.withCredentials("a", ""));
    assertThrows(IllegalArgumentException.class, () -> s.withCredentials("a".repeat(256), "c"));
    assertEquals(255, s.withCredentials("a".repeat(255), "c").credentials().username().length());
    // 128 two-byte characters are 256 bytes in UTF-8
    assertThrows(
        IllegalArgumentException.class, () -> s.withCredentials("\u00e9".repeat(128), "c"));
  }

  @Test
  void toStringShowsNoSecret() {
    ProxyOptions p =
        ProxyOptions.http("p", 1)
            .withCredentials("alice", "s3cret")
            .withHeaders(Headers.of("x-token", "hidden-value"));
    String text = p.toString();
    assertTrue(text.contains("alice"), text);
    assertTrue(text.contains("x-token"), text);
    assertFalse(text.contains("s3cret"), text);
    assertFalse(text.contains("hidden-value"), text);
    assertFalse(p.credentials().toString().contains("s3cret"));
  }

  @Test
  void urisAsCurlWritesThem() {
    ProxyOptions plain = ProxyOptions.fromUri("proxy.test:3128");
    assertEquals(ProxyOptions.Kind.HTTP, plain.kind());
    assertEquals("proxy.test", plain.host());
    assertEquals(3128, plain.port());
    assertEquals(80, ProxyOptions.fromUri("http://proxy.test").port());
    assertEquals(80, ProxyOptions.fromUri("HTTP://proxy.test/").port());
    assertEquals(443, ProxyOptions.fromUri("https://proxy.test").port());
    assertEquals(ProxyOptions.Kind.HTTPS, ProxyOptions.fromUri("https://proxy.test").kind());
    ProxyOptions local = ProxyOptions.fromUri("socks5://s.test");
    assertEquals(ProxyOptions.Kind.SOCKS5, local.kind());
    assertEquals(1080, local.port());
    assertFalse(local.remoteDns(), "socks5:// resolves here");
    ProxyOptions remote = ProxyOptions.fromUri("socks5h://u%40x:p%3Aw%C3%A9@s.test:1081");
    assertTrue(remote.remoteDns(), "socks5h:// lets the proxy resolve");
    assertEquals(new ProxyOptions.Credentials("u@x", "p:w\u00e9"), remote.credentials());
    assertEquals(1081, remote.port());
    ProxyOptions v6 = ProxyOptions.fromUri("http://[2001:db8::1]:8080");
    assertEquals("2001:db8::1", v6.host());
    assertEquals(8080, v6.port());
    assertEquals("under_score", ProxyOptions.fromUri("http://under_score:1").host());
    assertEquals(
        new ProxyOptions.Credentials("user", ""),
        ProxyOptions.fromUri("http://user@p:1").credentials());
    assertEquals("socks5h://s.test:1081", remote.uri());
    assertEquals("socks5://s.test:1080", local.uri());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "ftp://p:21",
        "socks4://p:1080",
        "http://p:3128/path",
        "http://p:3128?q",
        "http://:3128",
        "http://p:99999",
        "http://p:0",
        "http://p:x",
        "http://[::1",
        "http://[::1]x",
        "http://u:%zz@p:1"
      })
  void malformedUrisAreRefused(String uri) {
    assertThrows(IllegalArgumentException.class, () -> ProxyOptions.fromUri(uri));
  }

  @Test
  void connectOptionsCarryTheProxy() {
    ProxyOptions p = ProxyOptions.socks5("s", 1080);
    ConnectOptions o = ConnectOptions.builder().proxy(p).build();
    assertEquals(Optional.of(p), o.proxy());
    assertEquals(Optional.of(p), o.toBuilder().build().proxy());
    assertEquals(Optional.empty(), o.toBuilder().proxy(null).build().proxy());
    assertEquals(Optional.empty(), ConnectOptions.defaults().proxy());
    assertTrue(o.toString().contains("socks5h://s:1080"), o.toString());
  }

  @Test
  void aProxyFailureCarriesTheReply() {
    ProxyResponse.Http reply =
        new ProxyResponse.Http(
            407,
            "Proxy Authentication Required",
            Headers.of("proxy-authenticate", "Basic realm=\"x\""));
    TransportException e =
        new TransportException(TransportException.Reason.PROXY_AUTH_REQUIRED, "refused", reply);
    assertEquals(Optional.of(reply), e.proxyResponse());
    assertFalse(reply.isSuccess());
    assertEquals("Basic realm=\"x\"", reply.headers().get("proxy-authenticate"));
    assertEquals(
        Optional.empty(),
        new TransportException(TransportException.Reason.CLOSED, "closed").proxyResponse());
    assertTrue(new ProxyResponse.Socks5(0, "10.0.0.1", 4321).isSuccess());
    assertFalse(new ProxyResponse.Socks5(5, "", 0).isSuccess());
    assertTrue(new ProxyResponse.Http(200, "", Headers.empty()).isSuccess());
  }
}
