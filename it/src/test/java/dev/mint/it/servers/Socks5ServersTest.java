// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.servers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.mint.it.h2.ServedDocuments;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The SOCKS5 servers of {@code .ci/servers.sh} (microsocks) answer as the SOCKS5 tests will expect,
 * proven with raw sockets ({@link ProxyWire}) rather than Mint: without authentication a CONNECT to
 * nginx succeeds; with username/password (RFC 1929) the server refuses a client offering no
 * authentication, accepts the test credentials and refuses a wrong password.
 */
@Tag("os_servers")
@Tag("proxy")
@NeedsOsServers({
  OsServers.NGINX_H1,
  OsServers.SOCKS5,
  OsServers.SOCKS5_AUTH,
  OsServers.SOCKS5_AUTH_USER,
  OsServers.SOCKS5_AUTH_PASSWORD
})
@Timeout(60)
class Socks5ServersTest {
  /** RFC 1928 §3: the method numbers. */
  private static final int NO_AUTHENTICATION = 0;

  private static final int USERNAME_PASSWORD = 2;
  private static final int NO_ACCEPTABLE_METHODS = 0xff;

  private static OsServers servers;
  private static InetSocketAddress nginxH1;

  @BeforeAll
  static void addresses() {
    servers = OsServers.current();
    nginxH1 = servers.address(OsServers.NGINX_H1);
  }

  private static Socket open(String key) throws Exception {
    return ProxyWire.open(servers.address(key));
  }

  private static void connectToNginxAndGet(Socket s) throws Exception {
    assertEquals(0, ProxyWire.socks5Connect(s, nginxH1), "CONNECT succeeded");
    assertEquals(ServedDocuments.SMALL_TXT, ProxyWire.getSmallTxt(s, ProxyWire.authority(nginxH1)));
  }

  @Test
  void withoutAuthenticationConnectsToNginx() throws Exception {
    try (Socket s = open(OsServers.SOCKS5)) {
      assertEquals(NO_AUTHENTICATION, ProxyWire.socks5Greeting(s, NO_AUTHENTICATION));
      connectToNginxAndGet(s);
    }
  }

  @Test
  void withAuthenticationRefusesAClientOfferingNone() throws Exception {
    try (Socket s = open(OsServers.SOCKS5_AUTH)) {
      assertEquals(NO_ACCEPTABLE_METHODS, ProxyWire.socks5Greeting(s, NO_AUTHENTICATION));
    }
  }

  @Test
  void withAuthenticationAcceptsTheTestCredentials() throws Exception {
    try (Socket s = open(OsServers.SOCKS5_AUTH)) {
      assertEquals(
          USERNAME_PASSWORD, ProxyWire.socks5Greeting(s, NO_AUTHENTICATION, USERNAME_PASSWORD));
      int status =
          ProxyWire.socks5UserPassword(
              s,
              servers.value(OsServers.SOCKS5_AUTH_USER),
              servers.value(OsServers.SOCKS5_AUTH_PASSWORD));
      assertEquals(0, status, "RFC 1929 status");
      connectToNginxAndGet(s);
    }
  }

  @Test
  void withAuthenticationRefusesAWrongPassword() throws Exception {
    try (Socket s = open(OsServers.SOCKS5_AUTH)) {
      assertEquals(USERNAME_PASSWORD, ProxyWire.socks5Greeting(s, USERNAME_PASSWORD));
      int status =
          ProxyWire.socks5UserPassword(
              s, servers.value(OsServers.SOCKS5_AUTH_USER), "not-the-password");
      assertNotEquals(0, status, "RFC 1929 status");
    }
  }
}
