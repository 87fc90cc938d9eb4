// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.MintException;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.Scheme;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** What a connection tells its owner: id, addresses, ALPN, and the id on every log line. */
class ConnectionInfoTest {
  private final FakeTransport transport = new FakeTransport();

  private EngineConnection connection(FakeTransport t) {
    return new EngineConnection(
        t, new ScriptedEngine(), Scheme.HTTP, "example.test", 80, ConnectOptions.defaults());
  }

  @Test
  void idsAreShortUniqueAndNumberedInOrder() {
    EngineConnection first = connection(transport);
    EngineConnection second = connection(new FakeTransport());
    assertTrue(first.id().matches("c[0-9]+"), first.id());
    assertNotEquals(first.id(), second.id());
    assertEquals(
        Long.parseLong(first.id().substring(1)) + 1, Long.parseLong(second.id().substring(1)));
    assertTrue(first.toString().contains(first.id()), first.toString());
  }

  @Test
  void addressesAndAlpnComeFromTheTransport() {
    InetSocketAddress local = new InetSocketAddress("127.0.0.1", 50_000);
    InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 8443);
    EngineConnection c = connection(transport.addresses(local, peer).negotiated("h2"));
    assertEquals(Optional.of(local), c.localAddress());
    assertEquals(Optional.of(peer), c.peerAddress());
    assertEquals(Optional.of("h2"), c.alpnProtocol());
    assertEquals(Optional.empty(), c.sslSession());
    c.close();
    assertEquals(Optional.empty(), c.localAddress(), "a closed socket has no local address");
  }

  @Test
  void noAlpnIsEmpty() {
    assertEquals(Optional.empty(), connection(transport.negotiated("")).alpnProtocol());
    assertEquals(Optional.empty(), connection(new FakeTransport()).alpnProtocol());
  }

  @Test
  void everyLineLoggedDuringACallCarriesTheConnectionIdAndNothingIsLeftBehind()
      throws MintException {
    EngineConnection a = connection(transport);
    FakeTransport otherTransport = new FakeTransport();
    EngineConnection b = connection(otherTransport);
    CapturingLogProvider.LINES.clear();

    a.request("GET", "/", Headers.empty(), RequestBody.none());
    transport.peerSends("S 200\nE\n").peerCloses();
    otherTransport.peerSends("P\n");
    a.stream();
    b.stream();
    assertNull(MDC.get(HttpConnection.LOG_CONTEXT_KEY), "the MDC is cleared after a call");
    a.close();
    b.close();

    List<CapturingLogProvider.Line> lines = List.copyOf(CapturingLogProvider.LINES);
    assertTrue(
        lines.stream()
            .anyMatch(l -> l.logger().endsWith("FakeTransport") && a.id().equals(l.connectionId())),
        "a transport's line carries the id: " + lines);
    assertTrue(
        lines.stream().anyMatch(l -> b.id().equals(l.connectionId())),
        "the other connection's lines carry its own id: " + lines);
    assertTrue(
        lines.stream().anyMatch(l -> l.message().contains("peer closed")),
        "the shell's line is captured: " + lines);
    for (CapturingLogProvider.Line line : lines) {
      assertTrue(
          a.id().equals(line.connectionId()) || b.id().equals(line.connectionId()),
          "a line without the connection id: " + line);
    }
    assertNull(MDC.get(HttpConnection.LOG_CONTEXT_KEY));
  }

  @Test
  void theConnectLogsUnderTheIdTheConnectionThenHas() throws MintException {
    var connector =
        new StandardConnector(
            ProviderRegistry.of(
                List.of(new FakeProviders.Transports("tcp")),
                List.of(new FakeProviders.Engines(Protocol.HTTP1))));
    CapturingLogProvider.LINES.clear();
    try (HttpConnection c =
        connector.connect(Scheme.HTTP, "example.test", 80, ConnectOptions.defaults())) {
      List<CapturingLogProvider.Line> lines = List.copyOf(CapturingLogProvider.LINES);
      assertTrue(
          lines.stream()
              .anyMatch(
                  l -> l.message().startsWith("connected") && c.id().equals(l.connectionId())),
          lines.toString());
      assertNull(MDC.get(HttpConnection.LOG_CONTEXT_KEY));
    }
  }

  @Test
  void aCallRestoresTheIdOfTheCallAroundIt() throws MintException {
    EngineConnection c = connection(transport);
    MDC.put(HttpConnection.LOG_CONTEXT_KEY, "outer");
    try {
      c.stream();
      assertEquals("outer", MDC.get(HttpConnection.LOG_CONTEXT_KEY));
      c.close();
      assertThrows(MintException.class, c::stream);
      assertEquals("outer", MDC.get(HttpConnection.LOG_CONTEXT_KEY), "also when a call throws");
    } finally {
      MDC.remove(HttpConnection.LOG_CONTEXT_KEY);
    }
    assertFalse(c.isOpen());
  }
}
