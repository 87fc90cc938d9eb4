// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.proxy;

import static dev.mint.it.proxy.OsProxyCases.THREE_SMALL;
import static dev.mint.it.proxy.OsProxyCases.assertSmallTxtFrom;
import static dev.mint.it.proxy.OsProxyCases.options;
import static dev.mint.it.proxy.OsProxyCases.servers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.Mode;
import dev.mint.ProxyOptions;
import dev.mint.ProxyResponse;
import dev.mint.Scheme;
import dev.mint.TransportException;
import dev.mint.TransportException.Reason;
import dev.mint.it.proxy.OsProxyCases.TunnelTarget;
import dev.mint.it.servers.NeedsOsServers;
import dev.mint.it.servers.OsServers;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Mint through the real SOCKS5 servers of {@code .ci/servers.sh} (microsocks, without and with
 * username/password authentication, RFC 1928 and RFC 1929): TLS with ALPN to nginx and nghttpd
 * through the tunnel, cleartext HTTP/1.1 and HTTP/2, the proxy resolving a name or being sent an
 * address, refused credentials and a refused target with their reasons. Every case runs in passive
 * and in active mode.
 */
@Tag("os_servers")
@Tag("proxy")
@NeedsOsServers({
  OsServers.NGINX_H1,
  OsServers.NGINX_TLS,
  OsServers.NGHTTPD_TLS,
  OsServers.NGHTTPD_H2C,
  OsServers.SOCKS5,
  OsServers.SOCKS5_AUTH,
  OsServers.SOCKS5_AUTH_USER,
  OsServers.SOCKS5_AUTH_PASSWORD,
  OsServers.CA
})
@Timeout(60)
class OsSocks5Test {
  private static ProxyOptions socks5() {
    return ProxyOptions.socks5(servers().host(OsServers.SOCKS5), servers().port(OsServers.SOCKS5));
  }

  private static ProxyOptions socks5Auth() {
    return ProxyOptions.socks5(
        servers().host(OsServers.SOCKS5_AUTH), servers().port(OsServers.SOCKS5_AUTH));
  }

  private static ProxyOptions socks5AuthWithTheTestCredentials() {
    return socks5Auth()
        .withCredentials(
            servers().value(OsServers.SOCKS5_AUTH_USER),
            servers().value(OsServers.SOCKS5_AUTH_PASSWORD));
  }

  private static ProxyResponse.Socks5 succeeded(HttpConnection conn) {
    ProxyResponse.Socks5 reply = (ProxyResponse.Socks5) conn.proxyResponse().orElseThrow();
    assertEquals(0, reply.reply(), reply.toString());
    return reply;
  }

  static Stream<Arguments> targetsAndModes() {
    return OsProxyCases.combinations(TunnelTarget.values(), Mode.values());
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("targetsAndModes")
  void tunnels(TunnelTarget target, Mode mode) throws Exception {
    // SOCKS5 has no forwarding: http targets go through the tunnel too.
    try (HttpConnection conn = target.connect(mode, socks5())) {
      // microsocks does not say where it connected from: BND.ADDR 0.0.0.0, BND.PORT 0.
      assertEquals(new ProxyResponse.Socks5(0, "0.0.0.0", 0), succeeded(conn));
      target.getSmallThreeTimes(mode, conn);
    }
  }

  @ParameterizedTest(name = "{0}, {1}")
  @MethodSource("targetsAndModes")
  void theTestCredentialsOpenTheTunnel(TunnelTarget target, Mode mode) throws Exception {
    try (HttpConnection conn = target.connect(mode, socks5AuthWithTheTestCredentials())) {
      succeeded(conn);
      target.getSmallThreeTimes(mode, conn);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theProxyResolvesANameOrIsSentTheAddress(Mode mode) throws Exception {
    // socks5h:// (the default) sends "localhost" for microsocks to resolve; socks5:// resolves it
    // here and sends the address. Either way TLS checks the certificate against "localhost".
    int port = servers().port(OsServers.NGINX_TLS);
    for (ProxyOptions proxy : List.of(socks5(), socks5().withRemoteDns(false))) {
      try (HttpConnection conn =
          Mint.connect(Scheme.HTTPS, "localhost", port, options(mode, proxy).build())) {
        succeeded(conn);
        assertSmallTxtFrom("nginx", Exchanges.getAll(mode, conn, THREE_SMALL));
      }
    }
  }

  private static TransportException refused(
      Mode mode, ProxyOptions proxy, Scheme scheme, int port) {
    return assertThrows(
        TransportException.class,
        () -> Mint.connect(scheme, "127.0.0.1", port, options(mode, proxy).build()));
  }

  private static TransportException refusedOnTheWayToNginx(Mode mode, ProxyOptions proxy) {
    return refused(mode, proxy, Scheme.HTTPS, servers().port(OsServers.NGINX_TLS));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void withoutCredentialsNoMethodIsAcceptable(Mode mode) {
    TransportException e = refusedOnTheWayToNginx(mode, socks5Auth());
    assertEquals(Reason.PROXY_NO_ACCEPTABLE_AUTH, e.reason(), e.getMessage());
    assertTrue(e.proxyResponse().isEmpty(), "no CONNECT reply: " + e.proxyResponse());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void wrongCredentialsAreProxyAuthFailed(Mode mode) {
    ProxyOptions wrong =
        socks5Auth().withCredentials(servers().value(OsServers.SOCKS5_AUTH_USER), "not-it");
    TransportException e = refusedOnTheWayToNginx(mode, wrong);
    assertEquals(Reason.PROXY_AUTH_FAILED, e.reason(), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aTargetWhereNothingListensIsSocksConnectionRefused(Mode mode) throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      closed = s.getLocalPort();
    }
    TransportException e = refused(mode, socks5(), Scheme.HTTP, closed);
    assertEquals(Reason.SOCKS_CONNECTION_REFUSED, e.reason(), e.getMessage());
    ProxyResponse.Socks5 reply = (ProxyResponse.Socks5) e.proxyResponse().orElseThrow();
    assertEquals(5, reply.reply(), "RFC 1928 §6 X'05' connection refused");
  }
}
