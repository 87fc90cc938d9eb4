// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.ProxyOptions;
import dev.mint.ProxyResponse;
import dev.mint.Resolver;
import dev.mint.Scheme;
import dev.mint.StaticResolver;
import dev.mint.TransportException;
import dev.mint.TransportException.Reason;
import dev.mint.spi.Deadline;
import dev.mint.spi.Transport;
import dev.mint.spi.TransportContext;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The tunnel providers over an in-memory transport playing the proxy: what reaches the wire, block
 * reads, the bytes past the reply handed up first, timeouts and closes with their own reasons.
 */
class TunnelOverMemoryTest {
  private static final String ESTABLISHED = "HTTP/1.1 200 Connection established\r\n\r\n";

  private static TransportContext context(
      MemoryTransport below, ProxyOptions proxy, Duration connect) {
    return context(below, proxy, connect, Resolver.system());
  }

  private static TransportContext context(
      MemoryTransport below, ProxyOptions proxy, Duration connect, Resolver resolver) {
    ConnectOptions options =
        ConnectOptions.builder().proxy(proxy).connectTimeout(connect).resolver(resolver).build();
    return new TransportContext(
        Scheme.HTTPS,
        "origin.test",
        443,
        "origin.test",
        options,
        Deadline.after(connect),
        Optional.of(below),
        List.of());
  }

  private static Transport connect(MemoryTransport below, ProxyOptions proxy) throws Exception {
    return new HttpConnectTransportProvider().open(context(below, proxy, Duration.ofSeconds(10)));
  }

  private static String readAll(Transport t) throws TransportException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer b = ByteBuffer.allocate(7);
    int n;
    while ((n = t.read(b.clear())) > 0) {
      out.write(b.array(), 0, n);
    }
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void theRequestCarriesCredentialsHeadersAndUserAgentToTheProxyOnly() throws Exception {
    MemoryTransport below = new MemoryTransport().peerSends(ESTABLISHED);
    ProxyOptions proxy =
        ProxyOptions.http("p.test", 3128)
            .withCredentials("Aladdin", "open sesame")
            .withHeaders(Headers.of("x-team", "search"));
    connect(below, proxy);
    assertEquals(
        "CONNECT origin.test:443 HTTP/1.1\r\n"
            + "host: origin.test:443\r\n"
            + "x-team: search\r\n"
            + "proxy-authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==\r\n"
            + "user-agent: "
            + ConnectOptions.DEFAULT_USER_AGENT
            + "\r\n\r\n",
        below.writtenText());
    assertTrue(below.flushes > 0, "held bytes below (TLS records) are flushed before waiting");
  }

  @Test
  void theReplyAndTheOriginsFirstBytesInOnePacketLoseNothing() throws Exception {
    MemoryTransport below =
        new MemoryTransport().peerSends(ESTABLISHED + "first bytes").peerSends(" and more");
    Transport tunnel = connect(below, ProxyOptions.http("p.test", 3128));
    assertTrue(tunnel.hasBufferedInput(), "the surplus is reported");
    assertEquals(SelectionKey.OP_READ, tunnel.awaitReady(SelectionKey.OP_READ, Duration.ZERO));
    assertEquals("first bytes and more", readAll(tunnel));
    assertFalse(tunnel.hasBufferedInput());
    assertEquals(
        new ProxyResponse.Http(200, "Connection established", Headers.empty()),
        tunnel.proxyResponse().orElseThrow());
  }

  /**
   * A body read until the close through a tunnel over an HTTPS proxy is judged by the TLS under the
   * tunnel (RFC 9112 §9.8): the tunnel has no closure alert of its own, so it answers what the
   * transport below it answers, after the surplus and the end of stream alike.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void theEndIsAsCleanAsTheTransportBelowSaysAfterTheSurplus(boolean clean) throws Exception {
    MemoryTransport below =
        new MemoryTransport()
            .closesCleanly(clean)
            .peerSends(ESTABLISHED + "body read until the close")
            .peerCloses();
    Transport tunnel = connect(below, ProxyOptions.https("p.test", 3129));
    assertEquals("body read until the close", readAll(tunnel));
    assertEquals(-1, tunnel.read(ByteBuffer.allocate(16)), "the end of stream");
    assertEquals(clean, tunnel.peerClosedCleanly());
    below.closesCleanly(!clean);
    assertEquals(!clean, tunnel.peerClosedCleanly(), "asked again, not remembered");
  }

  @Test
  void theReplyIsReadInBlocksNeverByteByByte() throws Exception {
    MemoryTransport below = new MemoryTransport().peerSends(ESTABLISHED);
    connect(below, ProxyOptions.http("p.test", 3128));
    assertEquals(List.of(HandshakeDriver.BLOCK), below.readRooms);
  }

  @Test
  void aReplyDribbledOneByteAtATimeIsAssembled() throws Exception {
    MemoryTransport below = new MemoryTransport();
    for (byte b : (ESTABLISHED + "x").getBytes(StandardCharsets.US_ASCII)) {
      below.peerSends(new byte[] {b});
    }
    Transport tunnel = connect(below, ProxyOptions.http("p.test", 3128));
    assertTrue(below.readRooms.stream().allMatch(room -> room >= 1024), "block reads");
    assertEquals("x", readAll(tunnel));
  }

  @Test
  void aRequestTheSocketTakesPieceByPieceIsWrittenWhole() throws Exception {
    MemoryTransport below = new MemoryTransport().writesAtMost(3).peerSends(ESTABLISHED);
    connect(below, ProxyOptions.http("p.test", 3128));
    assertTrue(below.writtenText().endsWith("\r\n\r\n"), below.writtenText());
  }

  @Test
  void inputHeldBelowIsReadWithoutWaiting() throws Exception {
    MemoryTransport below = new MemoryTransport().holdsInput(true).peerSends(ESTABLISHED);
    connect(below, ProxyOptions.http("p.test", 3128));
    assertEquals(0, below.awaits, "no wait while the layer below holds input");
  }

  @Test
  void aSilentProxyTimesOutWithTheTunnelTimeout() {
    MemoryTransport below = new MemoryTransport();
    ProxyOptions proxy =
        ProxyOptions.http("p.test", 3128).withTunnelTimeout(Duration.ofMillis(200));
    long start = System.nanoTime();
    TransportException e = assertThrows(TransportException.class, () -> connect(below, proxy));
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(Reason.PROXY_TIMEOUT, e.reason(), e.getMessage());
    assertTrue(millis < 5_000, "within the deadline: " + millis + " ms");
    assertTrue(e.getMessage().contains("PT0.2S"), e.getMessage());
    assertFalse(below.isOpen(), "the transport below is closed");
  }

  @Test
  void theConnectDeadlineComingFirstIsAConnectTimeout() {
    MemoryTransport below = new MemoryTransport();
    TransportException e =
        assertThrows(
            TransportException.class,
            () ->
                new HttpConnectTransportProvider()
                    .open(
                        context(below, ProxyOptions.http("p.test", 3128), Duration.ofMillis(150))));
    assertEquals(Reason.CONNECT_TIMEOUT, e.reason(), e.getMessage());
  }

  @Test
  void aProxyClosingBeforeTheReplyIsProxyClosed() {
    MemoryTransport below = new MemoryTransport().peerSends("HTTP/1.1 200 OK\r\n").peerCloses();
    TransportException e =
        assertThrows(
            TransportException.class, () -> connect(below, ProxyOptions.http("p.test", 3128)));
    assertEquals(Reason.PROXY_CLOSED, e.reason());
    assertFalse(below.isOpen());
  }

  @Test
  void aRefusalClosesTheTransportBelow() {
    MemoryTransport below =
        new MemoryTransport()
            .peerSends("HTTP/1.1 407 Auth\r\nproxy-authenticate: Basic realm=\"r\"\r\n\r\n");
    TransportException e =
        assertThrows(
            TransportException.class, () -> connect(below, ProxyOptions.http("p.test", 3128)));
    assertEquals(Reason.PROXY_AUTH_REQUIRED, e.reason());
    assertFalse(below.isOpen());
  }

  @Test
  void socksOverMemoryHandsUpTheSurplusToo() throws Exception {
    MemoryTransport below =
        new MemoryTransport()
            .peerSends(new byte[] {5, 0})
            .peerSends(new byte[] {5, 0, 0, 1, 127, 0, 0, 1, 0x04, 0x38, 'h', 'i'});
    Transport tunnel =
        new Socks5TransportProvider()
            .open(context(below, ProxyOptions.socks5("s.test", 1080), Duration.ofSeconds(5)));
    assertEquals(
        new ProxyResponse.Socks5(0, "127.0.0.1", 1080), tunnel.proxyResponse().orElseThrow());
    assertEquals("hi", readAll(tunnel));
  }

  @Test
  void aProviderWithoutAMatchingProxyIsAProgrammingError() {
    MemoryTransport below = new MemoryTransport();
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new Socks5TransportProvider()
                .open(context(below, ProxyOptions.http("p", 1), Duration.ofSeconds(1))));
    assertFalse(below.isOpen());
    assertThrows(
        IllegalArgumentException.class,
        () ->
            new HttpConnectTransportProvider()
                .open(
                    context(
                        new MemoryTransport(),
                        ProxyOptions.socks5("p", 1),
                        Duration.ofSeconds(1))));
  }

  @Test
  void localResolutionSendsTheAddressAndAFailureIsUnresolvedHost() throws Exception {
    ProxyOptions local = ProxyOptions.socks5("s.test", 1080).withRemoteDns(false);
    MemoryTransport below =
        new MemoryTransport().peerSends(new byte[] {5, 0, 5, 0, 0, 1, 0, 0, 0, 0, 0, 0});
    Resolver table =
        StaticResolver.empty()
            .with("origin.test", 443, java.net.InetAddress.getByName("192.0.2.1"));
    new Socks5TransportProvider().open(context(below, local, Duration.ofSeconds(5), table));
    byte[] sent = below.written();
    assertEquals(List.of(5, 1, 0, 1, 192, 0, 2, 1, 1, 187), unsigned(sent, 3, 13));
    MemoryTransport other = new MemoryTransport();
    TransportException e =
        assertThrows(
            TransportException.class,
            () ->
                new Socks5TransportProvider()
                    .open(context(other, local, Duration.ofSeconds(5), StaticResolver.empty())));
    assertEquals(Reason.UNRESOLVED_HOST, e.reason());
    assertFalse(other.isOpen());
  }

  private static List<Integer> unsigned(byte[] b, int from, int to) {
    return java.util.stream.IntStream.range(from, to).mapToObj(i -> b[i] & 0xff).toList();
  }
}
