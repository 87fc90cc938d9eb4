// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mint.ConnectOptions;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.Scheme;
import java.net.URI;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The WebSocket examples of README.md ("WebSocket"), run against Jetty's echo: when an example
 * changes, change both. {@code println} is {@code printed.add} here.
 */
@Timeout(60)
class ReadmeExamplesTest {
  private static JettyWebSocketServer jetty;
  private static int port;
  private final List<String> printed = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    jetty = JettyWebSocketServer.shared();
    port = jetty.clearPort();
  }

  @Test
  void passive() throws Exception {
    URI uri = URI.create("ws://127.0.0.1:" + port + "/echo");
    Duration timeout = Duration.ofSeconds(5);
    try (WebSocket ws = WebSocket.connect(uri, WebSocketOptions.defaults(), timeout)) {
      ws.sendText("hello");
      for (Message m : ws.recv(timeout)) {
        if (m instanceof Message.Text t) {
          printed.add(t.text()); // hello
        }
      }
      ws.send(new Message.Close(CloseCodes.NORMAL, "bye"));
      while (ws.state() != WebSocket.State.CLOSED) {
        ws.recv(timeout); // their Close, then the end of the connection
      }
    }
    assertEquals(List.of("hello"), printed);
  }

  @Test
  void active() throws Exception {
    Selector selector = Selector.open();
    ConnectOptions options =
        ConnectOptions.builder().protocols(Protocol.HTTP1).mode(Mode.ACTIVE).build();
    HttpConnection conn = Mint.connect(Scheme.HTTP, "127.0.0.1", port, options);
    WebSocket ws = WebSocket.start(conn, "/echo", WebSocketOptions.defaults());
    SelectionKey key =
        conn.selectableChannel().orElseThrow().register(selector, conn.interestOps());
    boolean greeted = false;
    while (ws.state() != WebSocket.State.CLOSED && selector.select(5_000) > 0) {
      selector.selectedKeys().clear();
      do {
        for (Message m : ws.stream()) {
          if (m instanceof Message.Text t) {
            printed.add(t.text()); // hello
            ws.send(new Message.Close(CloseCodes.NORMAL, "bye"));
          }
        }
      } while (ws.hasBufferedInput());
      if (ws.state() == WebSocket.State.OPEN && !greeted) {
        greeted = true;
        ws.sendText("hello");
      }
      if (key.isValid()) {
        key.interestOps(conn.interestOps());
      }
    }
    ws.close();
    selector.close();
    assertEquals(List.of("hello"), printed);
    assertEquals(WebSocket.State.CLOSED, ws.state());
  }
}
