// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import static dev.mint.websocket.Wire.bytes;
import static dev.mint.websocket.Wire.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.Protocol;
import dev.mint.Scheme;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/** The handshake and the WebSocket over loopback against servers scripted at the byte level. */
class ScriptedServerTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private static HttpConnection connect(ScriptedServer server) throws Exception {
    return Mint.connect(
        Scheme.HTTP,
        "127.0.0.1",
        server.port(),
        ConnectOptions.builder().protocols(Protocol.HTTP1).build());
  }

  private static WebSocket open(ScriptedServer server, WebSocketOptions options) throws Exception {
    return WebSocket.connect(connect(server), "/chat?x=1", options, TIMEOUT);
  }

  @Test
  void theRequestCarriesTheHandshakeFieldsAndTheAcceptIsChecked() throws Exception {
    try (ScriptedServer server =
        new ScriptedServer(
            peer -> {
              peer.accept("sec-websocket-protocol: chat");
              peer.echoUntilClose();
            })) {
      WebSocketOptions options =
          WebSocketOptions.defaults()
              .withSubprotocols(List.of("chat", "superchat"))
              .withHeaders(Headers.of("origin", "http://example.test"))
              .withDeflate(null);
      try (WebSocket ws = open(server, options)) {
        assertEquals(WebSocket.State.OPEN, ws.state());
        assertEquals("chat", ws.subprotocol().orElseThrow());
        ws.sendText("héllo");
        assertEquals(List.of(new Message.Text("héllo")), ws.recv(TIMEOUT));
        ws.send(new Message.Close(CloseCodes.NORMAL, "bye"));
        assertEquals(List.of(new Message.Close(1000, "bye")), ws.recv(TIMEOUT));
      }
      server.finish();
      String head = server.requestHeads.get(0).toLowerCase(Locale.ROOT);
      assertTrue(head.startsWith("get /chat?x=1 http/1.1\r\n"), head);
      for (String field :
          List.of(
              "upgrade: websocket",
              "connection: upgrade",
              "sec-websocket-version: 13",
              "sec-websocket-protocol: chat, superchat",
              "origin: http://example.test",
              "host: 127.0.0.1:")) {
        assertTrue(head.contains("\r\n" + field), field + " in " + head);
      }
      assertTrue(!head.contains("sec-websocket-extensions"), head);
    }
  }

  @Test
  void bytesThatCameWithThe101AreKept() throws Exception {
    try (ScriptedServer server =
        new ScriptedServer(
            peer -> {
              byte[] head =
                  ("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade"
                          + "\r\nsec-websocket-accept: "
                          + Handshake.acceptFor(peer.key)
                          + "\r\n\r\n")
                      .getBytes(StandardCharsets.ISO_8859_1);
              peer.write(Wire.concat(head, frame(0x81, "first".getBytes(StandardCharsets.UTF_8))));
              peer.echoUntilClose();
            })) {
      try (WebSocket ws = open(server, WebSocketOptions.defaults())) {
        assertEquals(List.of(new Message.Text("first")), ws.recv(TIMEOUT));
      }
      server.finish();
    }
  }

  @Test
  void aRefusalCarriesStatusHeadersAndBody() throws Exception {
    try (ScriptedServer server =
        new ScriptedServer(
            peer ->
                peer.write(
                    ("HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\nx-why: origin\r\n"
                            + "content-length: 7\r\n\r\nno way!")
                        .getBytes(StandardCharsets.ISO_8859_1)))) {
      HandshakeException e =
          assertThrows(HandshakeException.class, () -> open(server, WebSocketOptions.defaults()));
      assertEquals(HandshakeException.Reason.REJECTED, e.reason());
      assertEquals(403, e.status());
      assertEquals("origin", e.headers().get("x-why"));
      assertEquals("no way!", e.body().utf8());
      assertEquals(CloseCodes.ABNORMAL, e.closeCode());
      server.finish();
    }
  }

  @Test
  void aWrongAcceptIsRefused() throws Exception {
    try (ScriptedServer server =
        new ScriptedServer(
            peer ->
                peer.write(
                    ("HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: "
                            + "upgrade\r\nsec-websocket-accept: "
                            + Handshake.acceptFor("not the key")
                            + "\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1)))) {
      HandshakeException e =
          assertThrows(HandshakeException.class, () -> open(server, WebSocketOptions.defaults()));
      assertEquals(HandshakeException.Reason.INVALID_RESPONSE, e.reason());
      assertEquals(101, e.status());
      server.finish();
    }
  }

  @Test
  void aSubprotocolOrExtensionNotOfferedIsRefused() throws Exception {
    try (ScriptedServer server =
        new ScriptedServer(peer -> peer.accept("sec-websocket-protocol: other"))) {
      HandshakeException e =
          assertThrows(
              HandshakeException.class,
              () -> open(server, WebSocketOptions.defaults().withSubprotocols(List.of("chat"))));
      assertEquals(HandshakeException.Reason.BAD_SUBPROTOCOL, e.reason());
      server.finish();
    }
    try (ScriptedServer server =
        new ScriptedServer(peer -> peer.accept("sec-websocket-extensions: permessage-deflate"))) {
      HandshakeException e =
          assertThrows(
              HandshakeException.class,
              () -> open(server, WebSocketOptions.defaults().withDeflate(null)));
      assertEquals(HandshakeException.Reason.BAD_EXTENSION, e.reason());
      server.finish();
    }
  }

  @Test
  void aProtocolViolationIsClosedWith1002AndReported() throws Exception {
    try (ScriptedServer server =
        new ScriptedServer(
            peer -> {
              peer.accept();
              peer.write(frame(0x81, "ok".getBytes(StandardCharsets.UTF_8)));
              peer.write(bytes(0x81, 0x81, 1, 2, 3, 4, 'x' ^ 1)); // masked: forbidden (§5.1)
              Wire.ClientFrame close = peer.readFrame();
              assertEquals(0x8, close.opcode());
              assertArrayEquals(bytes(0x03, 0xEA), close.payload());
            })) {
      WebSocket ws = open(server, WebSocketOptions.defaults());
      List<Message> got = new java.util.ArrayList<>();
      WebSocketException e =
          assertThrows(
              WebSocketException.class,
              () -> {
                while (true) {
                  got.addAll(ws.recv(TIMEOUT));
                }
              });
      got.addAll(e.messagesBeforeFailure());
      assertEquals(CloseCodes.PROTOCOL_ERROR, e.closeCode());
      assertEquals(List.of(new Message.Text("ok")), got);
      assertEquals(WebSocket.State.CLOSED, ws.state());
      assertTrue(!ws.connection().isOpen());
      server.finish();
    }
  }

  @Test
  void aServerInitiatedCloseIsEchoedAndTheServerClosesTheConnection() throws Exception {
    try (ScriptedServer server =
        new ScriptedServer(
            peer -> {
              peer.accept();
              peer.write(frame(0x89, "are you there".getBytes(StandardCharsets.UTF_8)));
              Wire.ClientFrame pong = peer.readFrame();
              assertEquals(0xA, pong.opcode());
              assertEquals("are you there", new String(pong.payload(), StandardCharsets.UTF_8));
              peer.write(frame(0x88, Wire.concat(bytes(0x03, 0xE9), "restart".getBytes())));
              Wire.ClientFrame echo = peer.readFrame();
              assertArrayEquals(bytes(0x03, 0xE9), echo.payload());
              peer.socket.close();
            })) {
      try (WebSocket ws = open(server, WebSocketOptions.defaults())) {
        assertEquals(List.of(new Message.Ping(Bytes.utf8("are you there"))), ws.recv(TIMEOUT));
        assertEquals(List.of(new Message.Close(1001, "restart")), ws.recv(TIMEOUT));
        assertEquals(WebSocket.State.CLOSING, ws.state());
        assertThrows(IllegalStateException.class, () -> ws.sendText("too late"));
        assertEquals(List.of(), ws.recv(TIMEOUT)); // the server closed the connection
        assertEquals(WebSocket.State.CLOSED, ws.state());
      }
      server.finish();
    }
  }

  @Test
  void theConnectionEndingWithoutACloseIsAbnormal() throws Exception {
    try (ScriptedServer server =
        new ScriptedServer(
            peer -> {
              peer.accept();
              peer.write(frame(0x82, new byte[3]));
              peer.socket.close();
            })) {
      WebSocket ws = open(server, WebSocketOptions.defaults());
      WebSocketException e =
          assertThrows(
              WebSocketException.class,
              () -> {
                List<Message> first = ws.recv(TIMEOUT);
                assertEquals(1, first.size());
                ws.recv(TIMEOUT);
              });
      assertEquals(CloseCodes.ABNORMAL, e.closeCode());
      server.finish();
    }
  }

  @Test
  void aHandshakeThatNeverCompletesTimesOut() throws Exception {
    try (ScriptedServer server = new ScriptedServer(peer -> Thread.sleep(3000))) {
      HandshakeException e =
          assertThrows(
              HandshakeException.class,
              () ->
                  WebSocket.connect(
                      connect(server), "/", WebSocketOptions.defaults(), Duration.ofMillis(300)));
      assertEquals(HandshakeException.Reason.TIMEOUT, e.reason());
    }
  }

  @Test
  void wsUrisConnect() throws Exception {
    try (ScriptedServer server =
        new ScriptedServer(
            peer -> {
              peer.accept();
              peer.echoUntilClose();
            })) {
      URI uri = URI.create("ws://127.0.0.1:" + server.port() + "/echo?a=b");
      try (WebSocket ws = WebSocket.connect(uri, WebSocketOptions.defaults(), TIMEOUT)) {
        ws.sendBinary(Bytes.of(new byte[] {1, 2, 3}));
        assertEquals(List.of(new Message.Binary(Bytes.of(new byte[] {1, 2, 3}))), ws.recv(TIMEOUT));
      }
      assertTrue(server.requestHeads.get(0).startsWith("GET /echo?a=b HTTP/1.1"));
      assertThrows(
          IllegalArgumentException.class,
          () -> WebSocket.connect(URI.create("http://x/"), WebSocketOptions.defaults(), TIMEOUT));
    }
  }
}
