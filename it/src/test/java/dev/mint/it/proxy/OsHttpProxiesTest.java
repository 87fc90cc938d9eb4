// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.proxy;

import static dev.mint.it.proxy.OsProxyCases.THREE_SMALL;
import static dev.mint.it.proxy.OsProxyCases.assertSmallTxtFrom;
import static dev.mint.it.proxy.OsProxyCases.connect;
import static dev.mint.it.proxy.OsProxyCases.options;
import static dev.mint.it.proxy.OsProxyCases.proxyAt;
import static dev.mint.it.proxy.OsProxyCases.servers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.ProxyOptions;
import dev.mint.ProxyResponse;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.Scheme;
import dev.mint.TransportException;
import dev.mint.it.h2.Responses;
import dev.mint.it.proxy.OsProxyCases.TunnelTarget;
import dev.mint.it.servers.NeedsOsServers;
import dev.mint.it.servers.OsServers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mint through the real HTTP proxies of {@code .ci/servers.sh}: squid, tinyproxy and squid as an
 * HTTPS proxy (TLS to the proxy, then TLS to the origin inside it), and squid with Basic
 * authentication. An {@code http} target is forwarded (absolute-form requests to the proxy); an
 * {@code https} target, or a cleartext one spoken in HTTP/2 with prior knowledge, goes through a
 * {@code CONNECT} tunnel, inside which ALPN picks HTTP/2 or HTTP/1.1 with nginx or nghttpd. Every
 * case runs in passive mode ({@code recv}) and in active mode (one {@link
 * java.nio.channels.Selector} calling {@code stream()}).
 */
@Tag("os_servers")
@Tag("proxy")
@NeedsOsServers({
  OsServers.NGINX_H1,
  OsServers.NGINX_TLS,
  OsServers.NGHTTPD_TLS,
  OsServers.NGHTTPD_H2C,
  OsServers.SQUID,
  OsServers.SQUID_BASIC,
  OsServers.SQUID_BASIC_USER,
  OsServers.SQUID_BASIC_PASSWORD,
  OsServers.SQUID_HTTPS,
  OsServers.TINYPROXY,
  OsServers.CA
})
@Timeout(60)
class OsHttpProxiesTest {
  private static final List<String> THREE_SMALL = List.of("/small.txt", "/small.txt", "/small.txt");

  /** The HTTP proxies that ask for no credentials. */
  enum Proxy {
    SQUID(OsServers.SQUID, ProxyOptions.Kind.HTTP),
    TINYPROXY(OsServers.TINYPROXY, ProxyOptions.Kind.HTTP),
    /** squid's TLS port: TLS to the proxy, trusted with the test CA like the origins. */
    SQUID_HTTPS(OsServers.SQUID_HTTPS, ProxyOptions.Kind.HTTPS);

    private final String key;
    private final ProxyOptions.Kind kind;

    Proxy(String key, ProxyOptions.Kind kind) {
      this.key = key;
      this.kind = kind;
    }

    ProxyOptions options() {
      return proxyAt(key, kind);
    }
  }

  static Stream<Arguments> proxiesAndModes() {
    return OsProxyCases.combinations(Proxy.values(), Mode.values());
  }

  private static ProxyResponse.Http established(HttpConnection conn) {
    ProxyResponse.Http reply = (ProxyResponse.Http) conn.proxyResponse().orElseThrow();
    assertEquals(200, reply.status(), reply.toString());
    return reply;
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("proxiesAndModes")
  void forwardsRequestsForAnHttpTarget(Proxy proxy, Mode mode) throws Exception {
    try (HttpConnection conn =
        connect(Scheme.HTTP, OsServers.NGINX_H1, options(mode, proxy.options()).build())) {
      assertEquals(Protocol.HTTP1, conn.protocol());
      assertTrue(conn.proxyResponse().isEmpty(), "forwarded: no tunnel, no proxy reply");
      // tinyproxy closes the connection after each response: one request per connection there.
      List<String> targets = proxy == Proxy.TINYPROXY ? List.of("/small.txt") : THREE_SMALL;
      List<Responses.Received> responses = Exchanges.getAll(mode, conn, targets);
      assertSmallTxtFrom("nginx", responses);
      if (proxy != Proxy.TINYPROXY) {
        String via = responses.get(0).headers().get("via");
        assertTrue(via != null && via.contains("mint-test-squid"), "via: " + via);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void tinyproxyClosesAfterEachForwardedResponseAndTheRequestsBehindItEndAsData(Mode mode)
      throws Exception {
    // tinyproxy answers the first request without "connection: close", then closes: the
    // pipelined requests behind it end with a RequestError each, and the connection with them.
    // The three leave in one write (auto-flush off), so none is written after the close.
    try (HttpConnection conn =
        connect(
            Scheme.HTTP,
            OsServers.NGINX_H1,
            options(mode, Proxy.TINYPROXY.options()).autoFlush(false).build())) {
      Responses responses = new Responses(true);
      List<RequestRef> refs = new ArrayList<>();
      for (String target : THREE_SMALL) {
        refs.add(
            responses.expect(conn.request("GET", target, Headers.empty(), RequestBody.none())));
      }
      Exchanges.receive(mode, conn, responses);
      assertSmallTxtFrom("nginx", List.of(responses.get(refs.get(0)).ok()));
      for (RequestRef ref : refs.subList(1, refs.size())) {
        MintException error = responses.get(ref).error();
        assertTrue(
            error instanceof TransportException t && t.reason() == TransportException.Reason.CLOSED,
            String.valueOf(error));
      }
    }
  }

  static Stream<Arguments> proxiesTargetsAndModes() {
    return OsProxyCases.combinations(Proxy.values(), TunnelTarget.values(), Mode.values());
  }

  @ParameterizedTest(name = "{0} to {1}, {2}")
  @MethodSource("proxiesTargetsAndModes")
  void tunnels(Proxy proxy, TunnelTarget target, Mode mode) throws Exception {
    // withTunnelHttp: an http target over HTTP/1.1 is tunnelled instead of forwarded.
    try (HttpConnection conn = target.connect(mode, proxy.options().withTunnelHttp(true))) {
      ProxyResponse.Http reply = established(conn);
      if (proxy == Proxy.TINYPROXY) {
        assertTrue(reply.headers().get("proxy-agent").startsWith("tinyproxy"), reply.toString());
      }
      List<Responses.Received> responses = target.getSmallThreeTimes(mode, conn);
      assertEquals(null, responses.get(0).headers().get("via"), "the proxy only relayed bytes");
    }
  }

  // ---- squid with Basic authentication ----

  private static ProxyOptions squidBasic() {
    return proxyAt(OsServers.SQUID_BASIC, ProxyOptions.Kind.HTTP);
  }

  private static ProxyOptions squidBasicWithTheTestCredentials() {
    return squidBasic()
        .withCredentials(
            servers().value(OsServers.SQUID_BASIC_USER),
            servers().value(OsServers.SQUID_BASIC_PASSWORD));
  }

  /** The 407 of a refused {@code CONNECT}, read from the exception. */
  private static ProxyResponse.Http refusedWith407(Mode mode, ProxyOptions proxy) {
    TransportException e =
        assertThrows(
            TransportException.class,
            () -> connect(Scheme.HTTPS, OsServers.NGINX_TLS, options(mode, proxy).build()));
    assertEquals(TransportException.Reason.PROXY_AUTH_REQUIRED, e.reason(), e.getMessage());
    ProxyResponse.Http reply = (ProxyResponse.Http) e.proxyResponse().orElseThrow();
    assertEquals(407, reply.status());
    assertEquals(
        "Basic realm=\"mint-test\"", reply.headers().get("proxy-authenticate"), reply.toString());
    return reply;
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void withoutCredentialsTheTunnelIsRefusedWith407(Mode mode) {
    ProxyResponse.Http reply = refusedWith407(mode, squidBasic());
    assertTrue(reply.headers().get("server").startsWith("squid"), reply.toString());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void wrongCredentialsAreRefusedWith407Too(Mode mode) {
    refusedWith407(
        mode, squidBasic().withCredentials(servers().value(OsServers.SQUID_BASIC_USER), "not-it"));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theTestCredentialsOpenTheTunnel(Mode mode) throws Exception {
    ProxyOptions proxy = squidBasicWithTheTestCredentials();
    try (HttpConnection conn = TunnelTarget.NGINX_TLS_H2.connect(mode, proxy)) {
      established(conn);
      TunnelTarget.NGINX_TLS_H2.getSmallThreeTimes(mode, conn);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aForwardedRequestWithoutCredentialsIsAnswered407(Mode mode) throws Exception {
    // No tunnel to refuse: the proxy's 407 is the response to the request itself.
    try (HttpConnection conn =
        connect(Scheme.HTTP, OsServers.NGINX_H1, options(mode, squidBasic()).build())) {
      Responses.Received r = Exchanges.get(mode, conn, "/small.txt");
      assertEquals(407, r.status());
      assertEquals("Basic realm=\"mint-test\"", r.headers().get("proxy-authenticate"));
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aForwardedRequestWithTheTestCredentialsIsServed(Mode mode) throws Exception {
    ConnectOptions options = options(mode, squidBasicWithTheTestCredentials()).build();
    try (HttpConnection conn = connect(Scheme.HTTP, OsServers.NGINX_H1, options)) {
      assertSmallTxtFrom("nginx", Exchanges.getAll(mode, conn, THREE_SMALL));
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void proxyHeadersReachTheProxyAlongsideTheCredentials(Mode mode) throws Exception {
    // The caller's proxy fields go with the credentials on the CONNECT, and squid accepts both.
    ProxyOptions proxy =
        squidBasicWithTheTestCredentials().withHeaders(Headers.of("x-mint-test", "proxy-only"));
    try (HttpConnection conn = TunnelTarget.NGINX_TLS_H1.connect(mode, proxy)) {
      TunnelTarget.NGINX_TLS_H1.getSmallThreeTimes(mode, conn);
    }
  }

  // ---- one selector, every proxy ----

  @Test
  void oneSelectorDrivesConnectionsThroughEveryProxyAtOnce() throws Exception {
    List<ProxyOptions> proxies = new ArrayList<>();
    for (Proxy proxy : Proxy.values()) {
      proxies.add(proxy.options());
    }
    proxies.add(squidBasicWithTheTestCredentials());
    Map<HttpConnection, Responses> connections = new IdentityHashMap<>();
    Map<RequestRef, Responses> requests = new IdentityHashMap<>();
    List<HttpConnection> opened = new ArrayList<>();
    try {
      for (ProxyOptions proxy : proxies) {
        HttpConnection conn =
            connect(Scheme.HTTPS, OsServers.NGINX_TLS, options(Mode.ACTIVE, proxy).build());
        opened.add(conn);
        Responses responses = new Responses(true);
        for (String target : THREE_SMALL) {
          RequestRef ref = conn.request("GET", target, Headers.empty(), RequestBody.none());
          requests.put(responses.expect(ref), responses);
        }
        connections.put(conn, responses);
      }
      Exchanges.select(Collections.unmodifiableMap(connections));
      assertEquals(proxies.size() * THREE_SMALL.size(), requests.size());
      for (Map.Entry<RequestRef, Responses> e : requests.entrySet()) {
        assertSmallTxtFrom("nginx", List.of(e.getValue().get(e.getKey()).ok()));
      }
    } finally {
      opened.forEach(HttpConnection::close);
    }
  }
}
