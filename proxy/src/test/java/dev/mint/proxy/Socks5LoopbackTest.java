// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import static dev.mint.proxy.Connections.connect;
import static dev.mint.proxy.Connections.get;
import static dev.mint.proxy.Connections.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.HttpConnection;
import dev.mint.Mode;
import dev.mint.ProxyOptions;
import dev.mint.ProxyResponse;
import dev.mint.Scheme;
import dev.mint.TransportException;
import dev.mint.TransportException.Reason;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SOCKS5 over loopback with a scripted server in front of a scripted origin: no authentication and
 * user/password (accepted and refused), every address type sent and every bound address type
 * received, reply codes, in both modes.
 */
@Timeout(60)
class Socks5LoopbackTest {
  private LoopbackServer origin;

  @BeforeEach
  void startOrigin() throws Exception {
    origin = LoopbackServer.tcp(Scripts.origin());
  }

  @AfterEach
  void stopOrigin() throws Exception {
    origin.close();
  }

  private SocksServer socks() {
    return new SocksServer("127.0.0.1", origin.port());
  }

  private static ConnectOptions via(LoopbackServer server, Mode mode, ProxyOptions.Credentials c) {
    return options(mode)
        .proxy(ProxyOptions.socks5("127.0.0.1", server.port()).withCredentials(c))
        .build();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void noAuthenticationSendsTheNameForTheProxyToResolve(Mode mode) throws Exception {
    SocksServer script = socks();
    try (LoopbackServer server = LoopbackServer.tcp(script);
        HttpConnection conn = connect(Scheme.HTTP, "origin.test", 8080, via(server, mode, null))) {
      assertEquals("hello /a", get(mode, conn, "/a").body());
      assertEquals(
          new ProxyResponse.Socks5(0, "127.0.0.1", 1080), conn.proxyResponse().orElseThrow());
    }
    assertEquals(List.of(new SocksServer.Request(3, "origin.test", 8080)), script.requests());
    assertEquals(List.of(List.of(0)), script.offeredMethods());
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aLoginIsAccepted(Mode mode) throws Exception {
    SocksServer script = socks().requireLogin("bob", "s3cret");
    try (LoopbackServer server = LoopbackServer.tcp(script);
        HttpConnection conn =
            connect(
                Scheme.HTTP,
                "origin.test",
                80,
                via(server, mode, new ProxyOptions.Credentials("bob", "s3cret")))) {
      assertEquals("hello /in", get(mode, conn, "/in").body());
    }
    assertEquals(List.of(List.of(0, 2)), script.offeredMethods());
  }

  @Test
  void aWrongLoginIsAuthFailedAndNoLoginIsNoAcceptableMethod() throws Exception {
    try (LoopbackServer server = LoopbackServer.tcp(socks().requireLogin("bob", "s3cret"))) {
      TransportException wrong =
          assertThrows(
              TransportException.class,
              () ->
                  connect(
                      Scheme.HTTP,
                      "origin.test",
                      80,
                      via(server, Mode.PASSIVE, new ProxyOptions.Credentials("bob", "nope"))));
      assertEquals(Reason.PROXY_AUTH_FAILED, wrong.reason());
      TransportException none =
          assertThrows(
              TransportException.class,
              () -> connect(Scheme.HTTP, "origin.test", 80, via(server, Mode.PASSIVE, null)));
      assertEquals(Reason.PROXY_NO_ACCEPTABLE_AUTH, none.reason());
    }
  }

  @Test
  void addressesTravelAsTheirOwnTypes() throws Exception {
    SocksServer script = socks();
    try (LoopbackServer server = LoopbackServer.tcp(script)) {
      for (String host : List.of("192.0.2.10", "[2001:db8::7]", "2001:db8::8")) {
        try (HttpConnection conn =
            connect(Scheme.HTTP, host, 81, via(server, Mode.PASSIVE, null))) {
          assertEquals("hello /", get(Mode.PASSIVE, conn, "/").body());
        }
      }
      ConnectOptions local =
          options(Mode.PASSIVE)
              .proxy(ProxyOptions.socks5("127.0.0.1", server.port()).withRemoteDns(false))
              .build();
      try (HttpConnection conn = connect(Scheme.HTTP, "localhost", 82, local)) {
        assertEquals("hello /", get(Mode.PASSIVE, conn, "/").body());
      }
    }
    List<SocksServer.Request> requests = script.requests();
    assertEquals(new SocksServer.Request(1, "192.0.2.10", 81), requests.get(0));
    assertEquals(new SocksServer.Request(4, "2001:db8:0:0:0:0:0:7", 81), requests.get(1));
    assertEquals(new SocksServer.Request(4, "2001:db8:0:0:0:0:0:8", 81), requests.get(2));
    SocksServer.Request resolved = requests.get(3);
    assertTrue(resolved.atyp() == 1 || resolved.atyp() == 4, "resolved here: " + resolved);
    assertEquals(82, resolved.port());
  }

  @ParameterizedTest
  @CsvSource({
    "'1,10,0,0,9,0,80', 10.0.0.9, 80",
    "'4,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1,1,187', 0:0:0:0:0:0:0:1, 443",
    "'3,9,98,111,117,110,100,46,116,115,116,0,7', bound.tst, 7"
  })
  void everyBoundAddressTypeIsRead(String bound, String host, int port) throws Exception {
    String[] values = bound.split(",");
    byte[] wire = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      wire[i] = (byte) Integer.parseInt(values[i]);
    }
    try (LoopbackServer server = LoopbackServer.tcp(socks().bound(wire));
        HttpConnection conn =
            connect(Scheme.HTTP, "origin.test", 80, via(server, Mode.ACTIVE, null))) {
      assertEquals(new ProxyResponse.Socks5(0, host, port), conn.proxyResponse().orElseThrow());
      assertEquals("hello /b", get(Mode.ACTIVE, conn, "/b").body(), "nothing after BND is lost");
    }
  }

  @ParameterizedTest
  @MethodSource("dev.mint.proxy.Socks5HandshakeTest#assignedReplyCodes")
  void replyCodesAreTheirReasons(int code, Reason reason) throws Exception {
    try (LoopbackServer server = LoopbackServer.tcp(socks().reply(code))) {
      TransportException e =
          assertThrows(
              TransportException.class,
              () -> connect(Scheme.HTTPS, "origin.test", 443, via(server, Mode.PASSIVE, null)));
      assertEquals(reason, e.reason(), e.getMessage());
      assertEquals(code, ((ProxyResponse.Socks5) e.proxyResponse().orElseThrow()).reply());
    }
  }
}
