// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import static dev.mint.proxy.Connections.connect;
import static dev.mint.proxy.Connections.get;
import static dev.mint.proxy.Connections.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mode;
import dev.mint.ProxyOptions;
import dev.mint.ProxyResponse;
import dev.mint.Scheme;
import dev.mint.TransportException;
import dev.mint.TransportException.Reason;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code CONNECT} tunnels over loopback: a scripted proxy in front of a scripted HTTP/1.1 origin,
 * for what real proxies will not do on demand (a reply sharing a packet with the origin's bytes, a
 * dribbled reply, malformed, oversized and refusing replies, silence, a close), in passive and
 * active mode.
 */
@Timeout(60)
class HttpConnectLoopbackTest {
  private LoopbackServer origin;

  @BeforeEach
  void startOrigin() throws Exception {
    origin = LoopbackServer.tcp(Scripts.origin());
  }

  @AfterEach
  void stopOrigin() throws Exception {
    origin.close();
  }

  private static ConnectOptions through(LoopbackServer proxy, Mode mode) {
    return through(ProxyOptions.http("127.0.0.1", proxy.port()).withTunnelHttp(true), mode);
  }

  private static ConnectOptions through(ProxyOptions proxy, Mode mode) {
    return options(mode).proxy(proxy).build();
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aTunnelCarriesRequestsAndTheProxyFieldsStayWithTheProxy(Mode mode) throws Exception {
    try (LoopbackServer proxy = LoopbackServer.tcp(Scripts.connect(Scripts.ESTABLISHED))) {
      ProxyOptions settings =
          ProxyOptions.http("127.0.0.1", proxy.port())
              .withTunnelHttp(true)
              .withCredentials("alice", "pw")
              .withHeaders(Headers.of("x-team", "search"));
      try (HttpConnection conn =
          connect(Scheme.HTTP, "127.0.0.1", origin.port(), through(settings, mode))) {
        assertEquals("hello /a", get(mode, conn, "/a").body());
        assertEquals("hello /b", get(mode, conn, "/b").body(), "keep-alive through the tunnel");
        ProxyResponse.Http reply = (ProxyResponse.Http) conn.proxyResponse().orElseThrow();
        assertEquals(200, reply.status());
        assertEquals("Connection established", reply.reasonPhrase());
        assertEquals(
            Optional.of(new InetSocketAddress("127.0.0.1", proxy.port())),
            conn.peerAddress(),
            "the tunnel passes on its socket's addresses: the peer is the proxy");
        assertTrue(conn.localAddress().isPresent());
      }
      String connectHead = proxy.sessions().get(0).heads().get(0);
      String target = "127.0.0.1:" + origin.port();
      assertTrue(connectHead.startsWith("CONNECT " + target + " HTTP/1.1\r\n"), connectHead);
      assertEquals(target, Scripts.field(connectHead, "host"));
      assertEquals("Basic YWxpY2U6cHc=", Scripts.field(connectHead, "proxy-authorization"));
      assertEquals("search", Scripts.field(connectHead, "x-team"));
    }
    String originHead = origin.sessions().get(0).heads().get(0);
    assertTrue(originHead.startsWith("GET /a HTTP/1.1\r\n"), "origin-form through a tunnel");
    assertNull(Scripts.field(originHead, "proxy-authorization"), "never sent to the origin");
    assertNull(Scripts.field(originHead, "x-team"));
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void theReplyAndTheOriginsFirstBytesInOnePacket(Mode mode) throws Exception {
    String early = "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nearly";
    LoopbackServer.Script script =
        session -> {
          session.readHead();
          session.write(Scripts.ESTABLISHED + early); // one write, one packet on loopback
          session.readHead(); // the client's request, sent after the tunnel opened
          session.in().read();
        };
    try (LoopbackServer proxy = LoopbackServer.tcp(script);
        HttpConnection conn = connect(Scheme.HTTP, "origin.test", 80, through(proxy, mode))) {
      assertTrue(conn.hasBufferedInput(), "the origin's bytes are already here");
      assertEquals(
          new Connections.Response(200, "early", Headers.of("content-length", "5")),
          get(mode, conn, "/"));
      assertTrue(
          proxy.sessions().get(0).awaitHeads(2).get(1).startsWith("GET / HTTP/1.1"),
          "the request went through the tunnel");
    }
  }

  @ParameterizedTest
  @EnumSource(Mode.class)
  void aReplyDribbledOneByteAtATime(Mode mode) throws Exception {
    LoopbackServer.Script script =
        session -> {
          String head = session.readHead();
          session.dribble("HTTP/1.1 200 Connection established\r\nvia: 1.1 slow\r\n\r\n");
          String target = Scripts.connectTarget(head);
          session.relay("127.0.0.1", Integer.parseInt(target.substring(target.indexOf(':') + 1)));
        };
    try (LoopbackServer proxy = LoopbackServer.tcp(script);
        HttpConnection conn =
            connect(Scheme.HTTP, "127.0.0.1", origin.port(), through(proxy, mode))) {
      assertEquals("hello /slow", get(mode, conn, "/slow").body());
      ProxyResponse.Http reply = (ProxyResponse.Http) conn.proxyResponse().orElseThrow();
      assertEquals("1.1 slow", reply.headers().get("via"));
    }
  }

  @Test
  void interimResponsesAndALengthOnThe2xxAreSkipped() throws Exception {
    String reply =
        "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 1000\r\n"
            + "transfer-encoding: chunked\r\n\r\n";
    try (LoopbackServer proxy = LoopbackServer.tcp(Scripts.connect(reply));
        HttpConnection conn =
            connect(Scheme.HTTP, "127.0.0.1", origin.port(), through(proxy, Mode.PASSIVE))) {
      assertEquals("hello /x", get(Mode.PASSIVE, conn, "/x").body());
    }
  }

  @Test
  void a407CarriesItsChallenge() throws Exception {
    String reply =
        "HTTP/1.1 407 Proxy Authentication Required\r\n"
            + "Proxy-Authenticate: Basic realm=\"corp\"\r\ncontent-length: 0\r\n\r\n";
    try (LoopbackServer proxy = LoopbackServer.tcp(Scripts.answering(reply))) {
      TransportException e =
          assertThrows(
              TransportException.class,
              () -> connect(Scheme.HTTPS, "origin.test", 443, through(proxy, Mode.PASSIVE)));
      assertEquals(Reason.PROXY_AUTH_REQUIRED, e.reason());
      ProxyResponse.Http refusal = (ProxyResponse.Http) e.proxyResponse().orElseThrow();
      assertEquals(407, refusal.status());
      assertEquals("Basic realm=\"corp\"", refusal.headers().get("proxy-authenticate"));
    }
  }

  @Test
  void anotherRefusalIsProxyRefused() throws Exception {
    try (LoopbackServer proxy =
        LoopbackServer.tcp(Scripts.answering("HTTP/1.1 403 Forbidden\r\n\r\n"))) {
      TransportException e =
          assertThrows(
              TransportException.class,
              () -> connect(Scheme.HTTPS, "origin.test", 443, through(proxy, Mode.ACTIVE)));
      assertEquals(Reason.PROXY_REFUSED, e.reason());
      assertEquals(403, ((ProxyResponse.Http) e.proxyResponse().orElseThrow()).status());
    }
  }

  @Test
  void malformedAndOversizedRepliesAreBadReplies() throws Exception {
    for (String reply :
        List.of(
            "SSH-2.0-not-a-proxy\r\n\r\n",
            "HTTP/1.1 200 OK\r\nx-pad: " + "a".repeat(2000) + "\r\n\r\n")) {
      try (LoopbackServer proxy = LoopbackServer.tcp(Scripts.answering(reply))) {
        ProxyOptions settings = ProxyOptions.http("127.0.0.1", proxy.port()).withMaxReplySize(1024);
        TransportException e =
            assertThrows(
                TransportException.class,
                () -> connect(Scheme.HTTPS, "origin.test", 443, through(settings, Mode.PASSIVE)));
        assertEquals(Reason.PROXY_BAD_REPLY, e.reason(), e.getMessage());
      }
    }
  }

  @Test
  void aSilentProxyTimesOutWithinTheTunnelTimeout() throws Exception {
    try (LoopbackServer proxy = LoopbackServer.tcp(Scripts.silent())) {
      ProxyOptions settings =
          ProxyOptions.http("127.0.0.1", proxy.port()).withTunnelTimeout(Duration.ofMillis(300));
      long start = System.nanoTime();
      TransportException e =
          assertThrows(
              TransportException.class,
              () -> connect(Scheme.HTTPS, "origin.test", 443, through(settings, Mode.PASSIVE)));
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(Reason.PROXY_TIMEOUT, e.reason(), e.getMessage());
      assertTrue(millis >= 250 && millis < 5_000, millis + " ms");
    }
  }

  @Test
  void aProxyThatClosesIsProxyClosed() throws Exception {
    try (LoopbackServer proxy = LoopbackServer.tcp(Scripts.closing())) {
      TransportException e =
          assertThrows(
              TransportException.class,
              () -> connect(Scheme.HTTPS, "origin.test", 443, through(proxy, Mode.PASSIVE)));
      assertEquals(Reason.PROXY_CLOSED, e.reason(), e.getMessage());
    }
  }

  @Test
  void anUnreachableProxyIsReportedByTheLayerThatReachesIt() throws Exception {
    int port;
    try (LoopbackServer closed = LoopbackServer.tcp(s -> {})) {
      port = closed.port();
    }
    ProxyOptions settings = ProxyOptions.http("127.0.0.1", port);
    TransportException e =
        assertThrows(
            TransportException.class,
            () -> connect(Scheme.HTTPS, "origin.test", 443, through(settings, Mode.PASSIVE)));
    assertEquals(Reason.CONNECTION_REFUSED, e.reason());
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
    assertFalse(e.proxyResponse().isPresent());
  }
}
