// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.HttpConnection;
import dev.mint.Mode;
import dev.mint.it.h2.Http2Connect;
import dev.mint.it.h2.JettyH2Server;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** What a connection over real sockets tells its owner, through the public API alone. */
class ConnectionInfoLoopbackTest {
  private static JettyH2Server server;

  @BeforeAll
  static void start() throws Exception {
    server = JettyH2Server.builder().start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
  }

  @Test
  void tlsConnectionShowsAddressesSessionAndAlpn() throws Exception {
    try (HttpConnection conn =
        Http2Connect.open(true, "127.0.0.1", server.tlsPort(), Mode.ACTIVE)) {
      assertEquals(
          Optional.of(new InetSocketAddress("127.0.0.1", server.tlsPort())), conn.peerAddress());
      SocketAddress local = conn.localAddress().orElseThrow();
      assertTrue(
          local instanceof InetSocketAddress a
              && a.getAddress().isLoopbackAddress()
              && a.getPort() > 0,
          local.toString());
      assertEquals(Optional.of("h2"), conn.alpnProtocol());
      SSLSession session = conn.sslSession().orElseThrow();
      assertTrue(session.getProtocol().startsWith("TLSv1."), session.getProtocol());
      assertTrue(session.getCipherSuite().startsWith("TLS_"), session.getCipherSuite());
      assertTrue(session.getPeerCertificates()[0] instanceof X509Certificate);
      assertTrue(conn.id().matches("c[0-9]+"), conn.id());
    }
  }

  @Test
  void cleartextConnectionHasAddressesButNoSessionNorAlpn() throws Exception {
    try (HttpConnection conn =
        Http2Connect.open(false, "127.0.0.1", server.h2cPort(), Mode.PASSIVE)) {
      assertEquals(
          Optional.of(new InetSocketAddress("127.0.0.1", server.h2cPort())), conn.peerAddress());
      assertTrue(conn.localAddress().isPresent());
      assertEquals(Optional.empty(), conn.sslSession());
      assertEquals(Optional.empty(), conn.alpnProtocol());
    }
  }
}
