// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mint.Bytes;
import dev.mint.ConnectOptions;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.Protocol;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import dev.mint.it.servers.NeedsOsServers;
import dev.mint.it.servers.OsServers;
import dev.mint.websocket.CloseCodes;
import dev.mint.websocket.Message;
import dev.mint.websocket.Opcode;
import dev.mint.websocket.WebSocket;
import dev.mint.websocket.WebSocketOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The WebSocket client against an independent implementation: Debian's python3-websockets as an
 * echo server (started by {@code .ci/servers.sh}), in cleartext and over TLS, with and without
 * permessage-deflate.
 */
@NeedsOsServers({OsServers.WEBSOCKETS, OsServers.WEBSOCKETS_TLS})
@Tag("os_servers")
@Timeout(120)
class WebSocketOsServerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  static List<Arguments> everyWay() {
    List<Arguments> all = new ArrayList<>();
    for (boolean tls : new boolean[] {false, true}) {
      all.add(Arguments.of(tls, true));
      all.add(Arguments.of(tls, false));
    }
    return all;
  }

  private static WebSocket open(boolean tls, boolean deflate, String path) throws Exception {
    OsServers servers = OsServers.current();
    String key = tls ? OsServers.WEBSOCKETS_TLS : OsServers.WEBSOCKETS;
    ConnectOptions.Builder options = ConnectOptions.builder().protocols(Protocol.HTTP1);
    if (tls) {
      options.tls(TlsOptions.defaults().withCaCertificatesPem(servers.caFile()));
    }
    HttpConnection conn =
        Mint.connect(
            tls ? Scheme.HTTPS : Scheme.HTTP,
            servers.host(key),
            servers.port(key),
            options.build());
    WebSocketOptions ws =
        deflate ? WebSocketOptions.defaults() : WebSocketOptions.defaults().withDeflate(null);
    WebSocket socket = WebSocket.connect(conn, path, ws, TIMEOUT);
    assertEquals(deflate, socket.extensions().startsWith("permessage-deflate"));
    return socket;
  }

  private static Message next(WebSocket ws) throws Exception {
    List<Message> got = ws.recv(TIMEOUT);
    assertEquals(1, got.size(), () -> "messages " + got);
    return got.get(0);
  }

  private static String text(int n) {
    return n >= 9 ? "é€😀" + "x".repeat(n - 9) : "x".repeat(n);
  }

  private static Bytes binary(int n) {
    byte[] b = new byte[n];
    new Random(n).nextBytes(b);
    return Bytes.of(b);
  }

  @ParameterizedTest
  @MethodSource("everyWay")
  void echoesEverySize(boolean tls, boolean deflate) throws Exception {
    try (WebSocket ws = open(tls, deflate, "/echo")) {
      for (int n : new int[] {0, 125, 126, 65536, 16 << 20}) {
        Bytes b = binary(n);
        ws.sendBinary(b);
        assertEquals(new Message.Binary(b), next(ws), "binary " + n);
        String s = text(n);
        ws.sendText(s);
        assertEquals(new Message.Text(s), next(ws), "text " + n);
      }
      ws.send(new Message.Ping(Bytes.utf8("ping")));
      assertEquals(new Message.Pong(Bytes.utf8("ping")), next(ws));
      ws.send(new Message.Close(CloseCodes.NORMAL, "done"));
      assertEquals(new Message.Close(CloseCodes.NORMAL, "done"), next(ws));
      assertEquals(List.of(), ws.recv(TIMEOUT));
      assertEquals(WebSocket.State.CLOSED, ws.state());
    }
  }

  @ParameterizedTest
  @MethodSource("everyWay")
  void fragmentsBothWays(boolean tls, boolean deflate) throws Exception {
    try (WebSocket ws = open(tls, deflate, "/fragments")) {
      String s = text(70_000);
      byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
      ws.send(new Message.Fragment(Opcode.TEXT, Bytes.of(utf8, 0, 3), false));
      ws.send(new Message.Fragment(Opcode.CONTINUATION, Bytes.of(utf8, 3, utf8.length - 3), true));
      assertEquals(new Message.Text(s), next(ws)); // echoed in 70 fragments
      Bytes b = binary(5000);
      ws.sendBinary(b);
      assertEquals(new Message.Binary(b), next(ws));
    }
  }

  @ParameterizedTest
  @MethodSource("everyWay")
  void aServerInitiatedCloseIsEchoed(boolean tls, boolean deflate) throws Exception {
    try (WebSocket ws = open(tls, deflate, "/close")) {
      assertEquals(new Message.Close(CloseCodes.GOING_AWAY, "going away"), next(ws));
      assertEquals(List.of(), ws.recv(TIMEOUT));
      assertEquals(WebSocket.State.CLOSED, ws.state());
    }
  }
}
