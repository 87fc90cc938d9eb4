// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.HttpException;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.it.h2.Http2Connect;
import dev.mint.it.h2.JettyH2Server;
import java.io.IOException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link HttpConnection#setMode}: both directions over real sockets, and the refused switch. */
@Timeout(30)
class SetModeLoopbackTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
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
  void activeToPassiveNeedsTheKeyCancelledFirstThenRecvWorks() throws Exception {
    try (HttpConnection conn =
            Http2Connect.open(false, "127.0.0.1", server.h2cPort(), Mode.ACTIVE);
        Selector selector = Selector.open()) {
      SelectableChannel channel = conn.selectableChannel().orElseThrow();
      SelectionKey key = channel.register(selector, conn.interestOps());
      assertEquals(JettyH2Server.SMALL_BODY, body(getActive(conn, selector, key)));

      HttpException e = assertThrows(HttpException.class, () -> conn.setMode(Mode.PASSIVE));
      assertEquals(HttpException.Reason.INVALID_STATE, e.reason());
      assertEquals(HttpException.Fault.CALLER, e.fault());
      assertEquals(Mode.ACTIVE, conn.mode(), "a refused switch changes nothing");

      key.cancel();
      selector.selectNow(); // the cancellation takes effect at the next selection
      conn.setMode(Mode.PASSIVE);
      assertEquals(Mode.PASSIVE, conn.mode());
      assertEquals(JettyH2Server.SMALL_BODY, body(getPassive(conn)));
      assertTrue(conn.isOpen());
    }
  }

  @Test
  void passiveToActiveReleasesTheConnectionsOwnSelector() throws Exception {
    try (HttpConnection conn =
            Http2Connect.open(false, "127.0.0.1", server.h2cPort(), Mode.PASSIVE);
        Selector selector = Selector.open()) {
      assertEquals(JettyH2Server.SMALL_BODY, body(getPassive(conn)));
      SelectableChannel channel = conn.selectableChannel().orElseThrow();
      // Passive mode waits on a selector of its own when it has to wait (it may not have).

      conn.setMode(Mode.ACTIVE);
      assertEquals(Mode.ACTIVE, conn.mode());
      assertFalse(channel.isRegistered(), "the connection's own selector is gone");
      SelectionKey key = channel.register(selector, conn.interestOps());
      assertEquals(JettyH2Server.SMALL_BODY, body(getActive(conn, selector, key)));

      conn.setMode(Mode.ACTIVE); // the current mode: nothing to do, even while registered
      assertEquals(Mode.ACTIVE, conn.mode());
    }
  }

  @Test
  void aClosedConnectionRefusesTheSwitch() throws Exception {
    HttpConnection conn = Http2Connect.open(false, "127.0.0.1", server.h2cPort(), Mode.ACTIVE);
    conn.close();
    assertThrows(MintException.class, () -> conn.setMode(Mode.PASSIVE));
  }

  private static RequestRef get(HttpConnection conn) throws MintException {
    return conn.request("GET", "/small", Headers.empty(), RequestBody.none());
  }

  private static List<ResponsePart> getPassive(HttpConnection conn) throws MintException {
    RequestRef ref = get(conn);
    List<ResponsePart> parts = new ArrayList<>();
    while (!done(parts, ref)) {
      parts.addAll(conn.recv(WAIT));
    }
    return parts;
  }

  private static List<ResponsePart> getActive(
      HttpConnection conn, Selector selector, SelectionKey key) throws IOException {
    RequestRef ref = get(conn);
    List<ResponsePart> parts = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (!done(parts, ref) && System.nanoTime() < deadline) {
      key.interestOps(conn.interestOps());
      selector.select(100);
      selector.selectedKeys().clear();
      do {
        parts.addAll(conn.stream());
      } while (conn.hasBufferedInput());
    }
    return parts;
  }

  private static boolean done(List<ResponsePart> parts, RequestRef ref) {
    return parts.stream().anyMatch(p -> p instanceof ResponsePart.Done d && d.ref() == ref);
  }

  private static String body(List<ResponsePart> parts) {
    StringBuilder sb = new StringBuilder();
    for (ResponsePart p : parts) {
      if (p instanceof ResponsePart.Data d) {
        sb.append(d.bytes().utf8());
      }
    }
    return sb.toString();
  }
}
