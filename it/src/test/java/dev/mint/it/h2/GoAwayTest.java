// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.HttpException;
import dev.mint.Mint;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.Scheme;
import dev.mint.TransportException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * GOAWAY both ways (RFC 9113 §6.8): a server that stops gracefully lets the streams it serves
 * finish and the client makes no new ones; a GOAWAY naming a last stream id fails the requests
 * above it as safe to retry; and {@link HttpConnection#close()} sends GOAWAY(NO_ERROR) before
 * closing the socket. The last two are checked at the wire against a scripted peer.
 */
@Timeout(60)
class GoAwayTest {
  private static final Duration LIMIT = Duration.ofSeconds(20);

  @ParameterizedTest
  @EnumSource(JettyH2Test.Via.class)
  void serverStopSendsGoAwayStreamsInFlightFinishNoNewOnesStart(JettyH2Test.Via via)
      throws Exception {
    try (JettyH2Server server = JettyH2Server.builder().stopTimeoutMillis(15_000).start();
        HttpConnection conn = JettyH2Test.connect(via, server, Mode.PASSIVE);
        Selector watch = Selector.open()) {
      Responses responses = new Responses(true);
      RequestRef warmUp =
          responses.expect(conn.request("GET", "/small", Headers.empty(), RequestBody.none()));
      responses.awaitAll(conn, LIMIT);
      assertEquals(200, responses.get(warmUp).ok().status());

      RequestRef held =
          responses.expect(conn.request("GET", "/hold", Headers.empty(), RequestBody.none()));
      assertTrue(server.awaitHeld(10), "the server holds the request");
      responses.pump(conn, Duration.ofMillis(200)); // anything still in flight (no part expected)
      assertFalse(responses.isFinished(held));
      assertTrue(conn.isOpen(HttpConnection.Direction.WRITE));

      // Watch the socket without reading it: the next bytes from the server are its GOAWAY.
      conn.selectableChannel().orElseThrow().register(watch, SelectionKey.OP_READ);
      CompletableFuture<Void> stopped =
          CompletableFuture.runAsync(
              () -> {
                try {
                  server.stop();
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              });
      assertTrue(watch.select(10_000) > 0, "the server sent something when stopping");
      responses.pump(conn, Duration.ofMillis(200)); // reads the GOAWAY: no part for it

      assertFalse(conn.isOpen(HttpConnection.Direction.WRITE), "no new requests after GOAWAY");
      HttpException refused =
          assertThrows(
              HttpException.class,
              () -> conn.request("GET", "/small", Headers.empty(), RequestBody.none()));
      assertEquals(HttpException.Fault.CALLER, refused.fault());
      assertFalse(responses.isFinished(held));

      server.release();
      responses.awaitAll(conn, LIMIT);
      Responses.Received finished = responses.get(held).ok();
      assertEquals(200, finished.status());
      assertEquals("released\n", finished.text());
      stopped.get(20, TimeUnit.SECONDS);
      // Nothing left in flight: the connection ends.
      TransportException closed =
          assertThrows(TransportException.class, () -> conn.recv(Duration.ofSeconds(5)));
      assertEquals(TransportException.Reason.CLOSED, closed.reason());
      assertFalse(conn.isOpen());
    }
  }

  @Test
  void goAwayFailsTheStreamsAboveItsLastStreamIdAsRetrySafe() throws Exception {
    try (WirePeer peer =
        new WirePeer(
            p -> {
              List<WirePeer.Frame> requests = new ArrayList<>();
              while (requests.size() < 2) {
                WirePeer.Frame f = p.readSignificant();
                assertNotNull(f, "the client closed before sending two requests");
                assertEquals(WirePeer.HEADERS, f.type(), f.toString());
                requests.add(f);
              }
              assertEquals(1, requests.get(0).stream());
              assertEquals(3, requests.get(1).stream());
              // Stream 1 will be answered, stream 3 never processed.
              p.write(WirePeer.GOAWAY, 0, 0, WirePeer.goAway(1, 0));
              p.write(WirePeer.HEADERS, WirePeer.FLAG_END_HEADERS, 1, new byte[] {(byte) 0x88});
              p.write(
                  WirePeer.DATA,
                  WirePeer.FLAG_END_STREAM,
                  1,
                  "ok".getBytes(StandardCharsets.US_ASCII));
              List<WirePeer.Frame> after = new ArrayList<>();
              for (WirePeer.Frame f; (f = p.readSignificant()) != null; ) {
                after.add(f);
              }
              return after;
            })) {
      HttpConnection conn = Mint.connect(Scheme.HTTP, "127.0.0.1", peer.port(), priorKnowledge());
      try {
        Responses responses = new Responses(true);
        RequestRef first =
            responses.expect(conn.request("GET", "/one", Headers.empty(), RequestBody.none()));
        RequestRef second =
            responses.expect(conn.request("GET", "/two", Headers.empty(), RequestBody.none()));
        responses.awaitAll(conn, LIMIT);

        Responses.Received one = responses.get(first).ok();
        assertEquals(200, one.status());
        assertEquals("ok", one.text());
        HttpException goAway = assertInstanceOf(HttpException.class, responses.get(second).error());
        assertEquals(HttpException.Reason.HTTP2_GOAWAY, goAway.reason());
        assertEquals(HttpException.Scope.REQUEST, goAway.scope());
        assertTrue(goAway.isRetrySafe(), "never processed, so safe to retry elsewhere");
        assertEquals(0L, goAway.http2ErrorCode(), "NO_ERROR");
        assertFalse(conn.isOpen(HttpConnection.Direction.WRITE));
        assertEquals(0, conn.openRequestCount());
      } finally {
        conn.close();
      }
      @SuppressWarnings("unchecked")
      List<WirePeer.Frame> after = (List<WirePeer.Frame>) peer.result().get(10, TimeUnit.SECONDS);
      // Nothing for the refused stream after the GOAWAY: no retry on this connection.
      assertTrue(
          after.stream().noneMatch(f -> f.type() == WirePeer.HEADERS || f.type() == WirePeer.DATA),
          "frames after GOAWAY: " + after);
    }
  }

  @Test
  void closeSendsGoAwayNoErrorThenClosesTheSocket() throws Exception {
    try (WirePeer peer =
        new WirePeer(
            p -> {
              List<WirePeer.Frame> frames = new ArrayList<>();
              for (WirePeer.Frame f; (f = p.readSignificant()) != null; ) {
                frames.add(f);
                assertTrue(frames.size() < 100, "frames " + frames);
              }
              return frames; // the client closed the socket
            })) {
      HttpConnection conn = Mint.connect(Scheme.HTTP, "127.0.0.1", peer.port(), priorKnowledge());
      Responses responses = new Responses(true);
      responses.awaitServerSettings(conn, LIMIT);
      conn.request("GET", "/never-answered", Headers.empty(), RequestBody.none());
      conn.close();
      assertFalse(conn.isOpen());
      TransportException e =
          assertThrows(
              TransportException.class,
              () -> conn.request("GET", "/", Headers.empty(), RequestBody.none()));
      assertEquals(TransportException.Reason.CLOSED, e.reason());
      conn.close(); // idempotent

      @SuppressWarnings("unchecked")
      List<WirePeer.Frame> frames = (List<WirePeer.Frame>) peer.result().get(10, TimeUnit.SECONDS);
      assertEquals(2, frames.size(), "HEADERS then GOAWAY: " + frames);
      assertEquals(WirePeer.HEADERS, frames.get(0).type());
      assertEquals(1, frames.get(0).stream());
      WirePeer.Frame goAway = frames.get(1);
      assertEquals(WirePeer.GOAWAY, goAway.type(), frames.toString());
      assertEquals(0, goAway.stream(), "GOAWAY is on stream 0");
      assertTrue(goAway.payload().length >= 8, frames.toString());
      assertEquals(0, WirePeer.int32(goAway.payload(), 0), "last stream id: we accepted no push");
      assertEquals(0, WirePeer.int32(goAway.payload(), 4), "error code NO_ERROR");
    }
  }

  private static ConnectOptions priorKnowledge() {
    return ConnectOptions.builder()
        .mode(Mode.PASSIVE)
        .protocols(Protocol.HTTP2)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }
}
