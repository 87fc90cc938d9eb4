// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.it.h2.ServedDocuments;
import java.net.InetSocketAddress;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP proxies of {@code .ci/servers.sh} answer as the proxy tests will expect, proven with raw
 * sockets ({@link ProxyWire}) rather than Mint: squid without authentication, squid with Basic
 * authentication (407 without or with wrong credentials, 200 with the right ones), squid as an
 * HTTPS proxy (TLS to the proxy, then CONNECT, then TLS to the origin inside it), and tinyproxy;
 * each tunnels to nginx, forwards absolute-form requests, and refuses CONNECT to a port that is not
 * an origin server's.
 */
@Tag("os_servers")
@Tag("proxy")
@NeedsOsServers({
  OsServers.NGINX_H1,
  OsServers.NGINX_TLS,
  OsServers.SQUID,
  OsServers.SQUID_BASIC,
  OsServers.SQUID_BASIC_USER,
  OsServers.SQUID_BASIC_PASSWORD,
  OsServers.SQUID_HTTPS,
  OsServers.TINYPROXY,
  OsServers.CA,
  OsServers.TLS_HOSTNAME
})
@Timeout(60)
class HttpProxyServersTest {
  private static OsServers servers;
  private static InetSocketAddress nginxH1;
  private static InetSocketAddress nginxTls;
  private static SSLContext trustingCa;

  @BeforeAll
  static void addresses() throws Exception {
    servers = OsServers.current();
    nginxH1 = servers.address(OsServers.NGINX_H1);
    nginxTls = servers.address(OsServers.NGINX_TLS);
    trustingCa = ProxyWire.trusting(servers.caFile());
  }

  /** CONNECT through {@code proxy} to nginx's HTTP/1.1 port, then GET through the tunnel. */
  private static void tunnelToNginx(Socket proxy, String authorization) throws Exception {
    ProxyWire.Head head = ProxyWire.connect(proxy, nginxH1, authorization);
    assertEquals(200, head.status(), head.toString());
    assertEquals(
        ServedDocuments.SMALL_TXT, ProxyWire.getSmallTxt(proxy, ProxyWire.authority(nginxH1)));
  }

  /** CONNECT through {@code proxy} to nginx's TLS port, then TLS to nginx and GET inside it. */
  private static void tlsTunnelToNginx(Socket proxy) throws Exception {
    ProxyWire.Head head = ProxyWire.connect(proxy, nginxTls, null);
    assertEquals(200, head.status(), head.toString());
    String hostname = servers.value(OsServers.TLS_HOSTNAME);
    try (SSLSocket tls = ProxyWire.tls(trustingCa, proxy, hostname)) {
      assertEquals("http/1.1", tls.getApplicationProtocol());
      assertEquals(
          ServedDocuments.SMALL_TXT,
          ProxyWire.getSmallTxt(tls, hostname + ":" + nginxTls.getPort()));
    }
  }

  private static void refusesConnectToAPortThatIsNoOrigin(String key) throws Exception {
    // The proxy's own port is open on 127.0.0.1 but is not one of the origin servers' ports.
    InetSocketAddress proxy = servers.address(key);
    try (Socket s = ProxyWire.open(proxy)) {
      ProxyWire.Head head = ProxyWire.connect(s, proxy, null);
      assertEquals(403, head.status(), head.toString());
    }
  }

  private static Socket open(String key) throws Exception {
    return ProxyWire.open(servers.address(key));
  }

  @Test
  void squidTunnelsToNginx() throws Exception {
    try (Socket s = open(OsServers.SQUID)) {
      tunnelToNginx(s, null);
    }
  }

  @Test
  void squidTunnelsTlsToNginx() throws Exception {
    try (Socket s = open(OsServers.SQUID)) {
      tlsTunnelToNginx(s);
    }
  }

  @Test
  void squidForwardsAnAbsoluteFormGet() throws Exception {
    try (Socket s = open(OsServers.SQUID)) {
      assertEquals(ServedDocuments.SMALL_TXT, ProxyWire.getSmallTxtThroughProxy(s, nginxH1));
    }
  }

  @Test
  void squidRefusesConnectToAPortThatIsNoOrigin() throws Exception {
    refusesConnectToAPortThatIsNoOrigin(OsServers.SQUID);
  }

  @Test
  void squidBasicAsksForCredentials() throws Exception {
    try (Socket s = open(OsServers.SQUID_BASIC)) {
      ProxyWire.Head head = ProxyWire.connect(s, nginxH1, null);
      assertEquals(407, head.status(), head.toString());
      String challenge = head.field("proxy-authenticate");
      assertTrue(challenge != null && challenge.startsWith("Basic"), head.toString());
    }
  }

  @Test
  void squidBasicRefusesAWrongPassword() throws Exception {
    String user = servers.value(OsServers.SQUID_BASIC_USER);
    try (Socket s = open(OsServers.SQUID_BASIC)) {
      ProxyWire.Head head =
          ProxyWire.connect(s, nginxH1, ProxyWire.basic(user, "not-the-password"));
      assertEquals(407, head.status(), head.toString());
    }
  }

  @Test
  void squidBasicTunnelsWithTheTestCredentials() throws Exception {
    String authorization =
        ProxyWire.basic(
            servers.value(OsServers.SQUID_BASIC_USER),
            servers.value(OsServers.SQUID_BASIC_PASSWORD));
    try (Socket s = open(OsServers.SQUID_BASIC)) {
      tunnelToNginx(s, authorization);
    }
  }

  @Test
  void squidHttpsTunnelsOverTlsToTheProxy() throws Exception {
    InetSocketAddress proxy = servers.address(OsServers.SQUID_HTTPS);
    try (SSLSocket toProxy =
        ProxyWire.tls(trustingCa, ProxyWire.open(proxy), proxy.getHostString())) {
      assertEquals("TLSv1.3", toProxy.getSession().getProtocol());
      tunnelToNginx(toProxy, null);
    }
  }

  @Test
  void squidHttpsCarriesTlsInsideTls() throws Exception {
    InetSocketAddress proxy = servers.address(OsServers.SQUID_HTTPS);
    try (SSLSocket toProxy =
        ProxyWire.tls(trustingCa, ProxyWire.open(proxy), proxy.getHostString())) {
      tlsTunnelToNginx(toProxy);
    }
  }

  @Test
  void tinyproxyTunnelsToNginx() throws Exception {
    try (Socket s = open(OsServers.TINYPROXY)) {
      tunnelToNginx(s, null);
    }
  }

  @Test
  void tinyproxyTunnelsTlsToNginx() throws Exception {
    try (Socket s = open(OsServers.TINYPROXY)) {
      tlsTunnelToNginx(s);
    }
  }

  @Test
  void tinyproxyForwardsAnAbsoluteFormGet() throws Exception {
    try (Socket s = open(OsServers.TINYPROXY)) {
      assertEquals(ServedDocuments.SMALL_TXT, ProxyWire.getSmallTxtThroughProxy(s, nginxH1));
    }
  }

  @Test
  void tinyproxyRefusesConnectToAPortThatIsNoOrigin() throws Exception {
    refusesConnectToAPortThatIsNoOrigin(OsServers.TINYPROXY);
  }
}
