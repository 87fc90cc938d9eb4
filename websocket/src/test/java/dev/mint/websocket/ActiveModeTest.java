// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.Mode;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Active mode: one thread and one {@link Selector} drive many WebSockets against Jetty. */
class ActiveModeTest {
  private static final int SOCKETS = 1000;
  private static final long BUDGET_NANOS = TimeUnit.SECONDS.toNanos(120);
  private static JettyWebSocketServer jetty;

  @BeforeAll
  static void start() throws Exception {
    jetty = JettyWebSocketServer.shared();
  }

  /** What the loop knows of one WebSocket. */
  private static final class Client {
    final WebSocket ws;
    final String greeting;
    boolean greeted;
    boolean echoed;
    boolean closed;

    Client(WebSocket ws, int i) {
      this.ws = ws;
      this.greeting = "hello " + i;
    }
  }

  @Test
  void oneThreadDrivesAThousandWebSockets() throws Exception {
    drive(JettyTest.Transport.H1, SOCKETS, false);
  }

  /**
   * Over HTTP/2 the handshake waits in stream() for the server's SETTINGS before it is sent; over
   * TLS, records decrypted ahead are read without readiness ({@link WebSocket#hasBufferedInput()}).
   */
  @ParameterizedTest
  @EnumSource(
      value = JettyTest.Transport.class,
      names = {"H1_TLS", "H2C", "H2_TLS"})
  void oneThreadDrivesWebSocketsOverTlsAndHttp2(JettyTest.Transport transport) throws Exception {
    drive(transport, 50, false);
  }

  /**
   * With borrowed body bytes (valid until the thread's next receiving call on any connection) the
   * frame parser copies each payload as it reads it, so WebSockets sharing one thread still get
   * their own messages intact.
   */
  @ParameterizedTest
  @EnumSource(JettyTest.Transport.class)
  void webSocketsWorkOverConnectionsThatBorrowBodyBytes(JettyTest.Transport transport)
      throws Exception {
    drive(transport, 50, true);
  }

  private static void drive(JettyTest.Transport transport, int sockets, boolean borrow)
      throws Exception {
    ConnectOptions.Builder options =
        ConnectOptions.builder()
            .protocols(transport.protocol)
            .mode(Mode.ACTIVE)
            .borrowBodies(borrow);
    if (transport.tls) {
      options.tls(
          TlsOptions.defaults()
              .withCaCertificatesPem(JettyWebSocketServer.CERTS.resolve("ca.pem")));
    }
    long deadline = System.nanoTime() + BUDGET_NANOS;
    List<Client> clients = new ArrayList<>();
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < sockets; i++) {
        HttpConnection conn =
            Mint.connect(
                transport.tls ? Scheme.HTTPS : Scheme.HTTP,
                "127.0.0.1",
                transport.tls ? jetty.tlsPort() : jetty.clearPort(),
                options.build());
        Client c = new Client(WebSocket.start(conn, "/echo", WebSocketOptions.defaults()), i);
        clients.add(c);
        conn.selectableChannel().orElseThrow().register(selector, conn.interestOps(), c);
      }
      int done = 0;
      while (done < sockets && System.nanoTime() < deadline) {
        selector.select(100);
        for (SelectionKey key : selector.selectedKeys()) {
          Client c = (Client) key.attachment();
          done += step(c) ? 1 : 0;
          if (c.closed) {
            key.cancel();
          } else {
            key.interestOps(c.ws.connection().interestOps());
          }
        }
        selector.selectedKeys().clear();
      }
      long echoed = clients.stream().filter(c -> c.echoed).count();
      assertEquals(sockets, echoed, "WebSockets that got their echo within the budget");
      assertEquals(sockets, done, "WebSockets closed cleanly within the budget");
    } finally {
      clients.forEach(c -> c.ws.close());
    }
  }

  /**
   * One readiness: receive, then greet once open, close once echoed. Returns whether this step
   * finished the WebSocket.
   */
  private static boolean step(Client c) throws Exception {
    // Bounded: decrypted or parsed-ahead bytes need another stream() without readiness.
    for (int round = 0; round < 16 && !c.closed; round++) {
      for (Message m : c.ws.stream()) {
        if (m instanceof Message.Text t) {
          assertEquals(c.greeting, t.text());
          c.echoed = true;
          c.ws.send(new Message.Close(CloseCodes.NORMAL));
        } else if (m instanceof Message.Close) {
          assertTrue(c.echoed);
        }
      }
      if (c.ws.state() == WebSocket.State.OPEN && !c.greeted) {
        c.greeted = true;
        c.ws.sendText(c.greeting);
      }
      if (c.ws.state() == WebSocket.State.CLOSED) {
        c.closed = true;
        return true;
      }
      if (!c.ws.hasBufferedInput()) {
        break;
      }
    }
    return false;
  }
}
