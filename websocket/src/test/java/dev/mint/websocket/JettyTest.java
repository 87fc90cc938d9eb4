// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.ConnectOptions;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.Protocol;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * WebSockets against embedded Jetty 12 over loopback: HTTP/1.1 upgrade and HTTP/2 extended CONNECT,
 * each in cleartext and over TLS, with and without permessage-deflate.
 */
class JettyTest {
  static final java.time.Duration TIMEOUT = java.time.Duration.ofSeconds(30);
  private static JettyWebSocketServer jetty;

  /** How the connection under the WebSocket is made. */
  enum Transport {
    H1(Protocol.HTTP1, false),
    H1_TLS(Protocol.HTTP1, true),
    H2C(Protocol.HTTP2, false),
    H2_TLS(Protocol.HTTP2, true);

    final Protocol protocol;
    final boolean tls;

    Transport(Protocol protocol, boolean tls) {
      this.protocol = protocol;
      this.tls = tls;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    jetty = JettyWebSocketServer.shared();
  }

  static HttpConnection connect(Transport t, int clearPort) throws Exception {
    ConnectOptions.Builder options = ConnectOptions.builder().protocols(t.protocol);
    if (t.tls) {
      options.tls(
          TlsOptions.defaults()
              .withCaCertificatesPem(JettyWebSocketServer.CERTS.resolve("ca.pem")));
    }
    HttpConnection conn =
        Mint.connect(
            t.tls ? Scheme.HTTPS : Scheme.HTTP,
            "127.0.0.1",
            t.tls ? jetty.tlsPort() : clearPort,
            options.build());
    assertEquals(t.protocol, conn.protocol());
    return conn;
  }

  static WebSocket open(Transport t, String path, boolean deflate) throws Exception {
    WebSocketOptions options =
        deflate ? WebSocketOptions.defaults() : WebSocketOptions.defaults().withDeflate(null);
    WebSocket ws = WebSocket.connect(connect(t, jetty.clearPort()), path, options, TIMEOUT);
    assertEquals(deflate, ws.extensions().startsWith("permessage-deflate"), ws.extensions());
    return ws;
  }

  static List<Arguments> everyWay() {
    List<Arguments> all = new ArrayList<>();
    for (Transport t : Transport.values()) {
      all.add(Arguments.of(t, true));
      all.add(Arguments.of(t, false));
    }
    return all;
  }

  /** Text of {@code n} UTF-8 bytes, with 2-, 3- and 4-byte characters when it has room. */
  static String text(int n) {
    String wide = "é€😀"; // 2 + 3 + 4 bytes
    return n >= 9 ? wide + "x".repeat(n - 9) : "x".repeat(n);
  }

  static Bytes binary(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return Bytes.of(b);
  }

  /** Receives until one message arrives, and returns it. */
  static Message next(WebSocket ws) throws Exception {
    List<Message> got = ws.recv(TIMEOUT);
    assertEquals(1, got.size(), () -> "messages " + got);
    return got.get(0);
  }

  @ParameterizedTest
  @MethodSource("everyWay")
  void echoesEverySizeTextAndBinary(Transport t, boolean deflate) throws Exception {
    try (WebSocket ws = open(t, "/echo", deflate)) {
      for (int n : new int[] {0, 125, 126, 65536, 16 << 20}) {
        Bytes b = binary(n);
        ws.sendBinary(b);
        assertEquals(new Message.Binary(b), next(ws), "binary " + n);
        if (n < 16 << 20 || t == Transport.H2_TLS || t == Transport.H1) {
          String s = text(n);
          ws.sendText(s);
          assertEquals(new Message.Text(s), next(ws), "text " + n);
        }
      }
      closeCleanly(ws, t);
    }
  }

  @ParameterizedTest
  @MethodSource("everyWay")
  void fragmentsBothWaysAndPings(Transport t, boolean deflate) throws Exception {
    try (WebSocket ws = open(t, "/fragments", deflate)) {
      String s = text(70_000);
      byte[] utf8 = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      // split inside the 3-byte € on purpose: fragments need not end on a character
      ws.send(new Message.Fragment(Opcode.TEXT, Bytes.of(utf8, 0, 3), false));
      ws.send(new Message.Ping(Bytes.utf8("between")));
      ws.send(new Message.Fragment(Opcode.CONTINUATION, Bytes.of(utf8, 3, 40_000), false));
      ws.send(new Message.Fragment(Opcode.CONTINUATION, Bytes.of(utf8, 40_003, 29_997), true));
      List<Message> got = new ArrayList<>();
      while (got.stream().noneMatch(m -> m instanceof Message.Text)) {
        got.addAll(ws.recv(TIMEOUT));
      }
      assertEquals(List.of(new Message.Pong(Bytes.utf8("between")), new Message.Text(s)), got);
      Bytes b = binary(5000);
      ws.sendBinary(b);
      assertEquals(new Message.Binary(b), next(ws)); // came in 5 fragments of 1000
      closeCleanly(ws, t);
    }
  }

  /** We close; the server answers; the WebSocket ends. */
  static void closeCleanly(WebSocket ws, Transport t) throws Exception {
    ws.send(new Message.Close(CloseCodes.NORMAL, "done"));
    assertEquals(WebSocket.State.CLOSING, ws.state());
    assertEquals(new Message.Close(CloseCodes.NORMAL, "done"), next(ws));
    if (t.protocol == Protocol.HTTP1) {
      assertEquals(List.of(), ws.recv(TIMEOUT)); // the server closes the connection
    }
    assertEquals(WebSocket.State.CLOSED, ws.state());
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aServerInitiatedCloseIsEchoed(Transport t) throws Exception {
    try (WebSocket ws = open(t, "/close", false)) {
      assertEquals(new Message.Close(CloseCodes.GOING_AWAY, "going away"), next(ws));
      if (t.protocol == Protocol.HTTP1) {
        assertEquals(List.of(), ws.recv(TIMEOUT));
      }
      assertEquals(WebSocket.State.CLOSED, ws.state());
    }
  }

  @ParameterizedTest
  @EnumSource(Transport.class)
  void aPathWithoutAWebSocketIsRefusedWithItsStatus(Transport t) throws Exception {
    HandshakeException e =
        assertThrows(HandshakeException.class, () -> open(t, "/nothing-here", true));
    assertEquals(HandshakeException.Reason.REJECTED, e.reason());
    assertEquals(404, e.status());
  }

  /**
   * A message far larger than what the HTTP/2 connection queues beyond the server's 64 KiB windows:
   * a passive send receives (and keeps what arrives) while it waits for WINDOW_UPDATEs.
   */
  @Test
  void aPassiveSendWaitsForTheHttp2Window() throws Exception {
    HttpConnection conn = connect(Transport.H2C, jetty.smallWindowsPort());
    WebSocketOptions options = WebSocketOptions.defaults().withDeflate(null);
    try (WebSocket ws = WebSocket.connect(conn, "/echo", options, TIMEOUT)) {
      ws.send(new Message.Ping(Bytes.utf8("first")));
      Bytes big = binary(24 << 20);
      ws.sendBinary(big);
      List<Message> got = new ArrayList<>();
      while (got.size() < 2) {
        got.addAll(ws.recv(TIMEOUT));
      }
      assertEquals(List.of(new Message.Pong(Bytes.utf8("first")), new Message.Binary(big)), got);
    }
  }

  @Test
  void http2WithoutExtendedConnectIsAClearError() throws Exception {
    HttpConnection conn = connect(Transport.H2C, jetty.noExtendedConnectPort());
    HandshakeException e =
        assertThrows(
            HandshakeException.class,
            () -> WebSocket.connect(conn, "/echo", WebSocketOptions.defaults(), TIMEOUT));
    assertEquals(HandshakeException.Reason.EXTENDED_CONNECT_DISABLED, e.reason());
    assertTrue(e.getMessage().contains("SETTINGS_ENABLE_CONNECT_PROTOCOL"), e.getMessage());
    assertFalse(conn.isOpen());
  }
}
