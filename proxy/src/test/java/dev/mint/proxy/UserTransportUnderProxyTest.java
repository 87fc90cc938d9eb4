// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import static dev.mint.proxy.Connections.connect;
import static dev.mint.proxy.Connections.get;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.HttpConnection;
import dev.mint.Mode;
import dev.mint.ProxyOptions;
import dev.mint.Scheme;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A user's transport at the bottom of a chain: a Unix domain socket provider written against the
 * SPI alone, chosen by name, reaches a scripted proxy listening on a socket file; the tunnel and
 * TLS layers run over it unchanged, and its channel drives active mode.
 */
@Timeout(60)
class UserTransportUnderProxyTest {
  @TempDir Path dir;

  private LoopbackServer origin;
  private LoopbackServer tlsOrigin;

  @BeforeEach
  void startOrigins() throws Exception {
    origin = LoopbackServer.tcp(Scripts.origin());
    tlsOrigin = LoopbackServer.tls(TestCertificates.server("server"), Scripts.origin());
  }

  @AfterEach
  void stopOrigins() throws Exception {
    origin.close();
    tlsOrigin.close();
  }

  private static ConnectOptions.Builder overUnix(Mode mode, LoopbackServer proxy) {
    return Connections.options(mode)
        .transport(UnixSocketTransportProvider.NAME)
        .extension(UnixSocketTransportProvider.PATH, proxy.path());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void connectTunnelOverAUnixSocket(Mode mode) throws Exception {
    try (LoopbackServer proxy = LoopbackServer.unix(dir, Scripts.connect(Scripts.ESTABLISHED));
        HttpConnection conn =
            connect(
                Scheme.HTTP,
                "127.0.0.1",
                origin.port(),
                overUnix(mode, proxy)
                    .proxy(ProxyOptions.http("proxy.invalid", 3128).withTunnelHttp(true))
                    .build())) {
      assertEquals("hello /unix", get(mode, conn, "/unix").body());
      String head = proxy.sessions().get(0).heads().get(0);
      assertTrue(head.startsWith("CONNECT 127.0.0.1:" + origin.port()), head);
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void tlsThroughATunnelOverAUnixSocket(Mode mode) throws Exception {
    try (LoopbackServer proxy = LoopbackServer.unix(dir, Scripts.connect(Scripts.ESTABLISHED));
        HttpConnection conn =
            connect(
                Scheme.HTTPS,
                "127.0.0.1",
                tlsOrigin.port(),
                overUnix(mode, proxy)
                    .proxy(ProxyOptions.http("proxy.invalid", 3128))
                    .tls(TestCertificates.trusting("truststore"))
                    .build())) {
      assertEquals("hello /tls", get(mode, conn, "/tls").body());
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void socksOverAUnixSocket(Mode mode) throws Exception {
    SocksServer socks = new SocksServer("127.0.0.1", origin.port());
    try (LoopbackServer proxy = LoopbackServer.unix(dir, socks);
        HttpConnection conn =
            connect(
                Scheme.HTTP,
                "origin.test",
                80,
                overUnix(mode, proxy).proxy(ProxyOptions.socks5("proxy.invalid", 1080)).build())) {
      assertEquals("hello /socks", get(mode, conn, "/socks").body());
    }
    assertEquals(new SocksServer.Request(3, "origin.test", 80), socks.requests().get(0));
  }
}
