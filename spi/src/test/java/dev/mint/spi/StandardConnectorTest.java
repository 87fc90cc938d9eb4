// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.HttpConnection;
import dev.mint.Protocol;
import dev.mint.ProviderException;
import dev.mint.ProxyOptions;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import dev.mint.TransportException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The connector with providers passed explicitly: transport chains and protocol choice. */
class StandardConnectorTest {
  private final FakeProviders.Transports tcp = new FakeProviders.Transports("tcp");
  private final FakeProviders.Engines h1 = new FakeProviders.Engines(Protocol.HTTP1);
  private final FakeProviders.Engines h2 = new FakeProviders.Engines(Protocol.HTTP2);

  private static ConnectOptions only(Protocol p) {
    return ConnectOptions.builder().protocols(p).build();
  }

  @Test
  void httpSpeaksHttp1ByDefault() throws Exception {
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp), List.of(h1, h2)));
    try (HttpConnection c =
        connector.connect(Scheme.HTTP, "example.test", 8080, ConnectOptions.defaults())) {
      assertEquals(Protocol.HTTP1, c.protocol());
      assertEquals(1, h1.created.size());
      assertEquals(0, h2.created.size());
      TransportContext ctx = tcp.contexts.get(0);
      assertEquals("example.test", ctx.host());
      assertEquals(8080, ctx.port());
      assertTrue(ctx.inner().isEmpty());
      assertTrue(ctx.alpnProtocols().isEmpty());
      assertFalse(ctx.deadline().isExpired());
      assertTrue(ctx.deadline().remaining().compareTo(ConnectOptions.DEFAULT_CONNECT_TIMEOUT) <= 0);
      assertEquals(
          new EngineContext(Scheme.HTTP, "example.test", 8080, ConnectOptions.defaults()),
          h1.contexts.get(0));
    }
  }

  @Test
  void httpWithOnlyHttp2AllowedUsesPriorKnowledge() throws Exception {
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp), List.of(h1, h2)));
    try (HttpConnection c =
        connector.connect(Scheme.HTTP, "example.test", 80, only(Protocol.HTTP2))) {
      assertEquals(Protocol.HTTP2, c.protocol());
      assertEquals(1, h2.created.size());
      assertEquals(0, h1.created.size());
      assertTrue(tcp.contexts.get(0).alpnProtocols().isEmpty(), "no ALPN over cleartext");
    }
  }

  @Test
  void missingProtocolFailsBeforeConnecting() throws Exception {
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp), List.of(h1)));
    ProviderException e =
        assertThrows(
            ProviderException.class,
            () -> connector.connect(Scheme.HTTP, "example.test", 80, only(Protocol.HTTP2)));
    assertEquals(ProviderException.Reason.NO_PROTOCOL_PROVIDER, e.reason());
    assertTrue(tcp.contexts.isEmpty(), "nothing was opened");
  }

  @Test
  void missingBaseTransport() throws Exception {
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp), List.of(h1)));
    ConnectOptions options = ConnectOptions.builder().transport("quic").build();
    ProviderException e =
        assertThrows(
            ProviderException.class,
            () -> connector.connect(Scheme.HTTP, "example.test", 80, options));
    assertEquals(ProviderException.Reason.NO_TRANSPORT_PROVIDER, e.reason());
    assertTrue(e.getMessage().contains("'quic'"), e.getMessage());
    assertTrue(e.getMessage().contains("add the module that provides it"), e.getMessage());
  }

  @Test
  void pluggedInBaseTransportIsChosenByName() throws Exception {
    var custom = new FakeProviders.Transports("custom");
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp, custom), List.of(h1)));
    ConnectOptions options = ConnectOptions.builder().transport("custom").build();
    try (HttpConnection c = connector.connect(Scheme.HTTP, "example.test", 80, options)) {
      assertSame(custom.opened.get(0), ((EngineConnection) c).transport());
      assertTrue(tcp.opened.isEmpty());
    }
  }

  @Test
  void httpsWithoutTlsProviderIsAClearErrorBeforeConnecting() throws Exception {
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp), List.of(h1, h2)));
    ProviderException e =
        assertThrows(
            ProviderException.class,
            () -> connector.connect(Scheme.HTTPS, "example.test", 443, ConnectOptions.defaults()));
    assertEquals(ProviderException.Reason.NO_TRANSPORT_PROVIDER, e.reason());
    assertTrue(e.getMessage().contains("'tls'"), e.getMessage());
    assertTrue(e.getMessage().contains("mint-transport-tls"), e.getMessage());
    assertTrue(tcp.contexts.isEmpty(), "no socket was opened for nothing");
  }

  @Test
  void httpsWithNoUsableProtocol() throws Exception {
    var tls = new FakeProviders.Transports("tls");
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp, tls), List.of(h1)));
    ProviderException e =
        assertThrows(
            ProviderException.class,
            () -> connector.connect(Scheme.HTTPS, "example.test", 443, only(Protocol.HTTP2)));
    assertEquals(ProviderException.Reason.NO_USABLE_PROTOCOL, e.reason());
    assertTrue(e.getMessage().contains("add mint-protocol-h2 (or mint-all"), e.getMessage());
    assertTrue(tcp.contexts.isEmpty());
  }

  @Test
  void alpnH2SelectsHttp2AndTlsLayersOnTcp() throws Exception {
    var tls = new FakeProviders.Transports("tls").negotiating("h2");
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp, tls), List.of(h1, h2)));
    ConnectOptions options =
        ConnectOptions.builder()
            .hostname("api.example.test")
            .connectTimeout(Duration.ofSeconds(3))
            .build();
    try (HttpConnection c = connector.connect(Scheme.HTTPS, "[::1]", 8443, options)) {
      assertEquals(Protocol.HTTP2, c.protocol());
      assertEquals("api.example.test", c.host());
      TransportContext base = tcp.contexts.get(0);
      TransportContext layered = tls.contexts.get(0);
      assertEquals("::1", base.host(), "brackets are stripped for providers");
      assertEquals("api.example.test", layered.serverName());
      assertEquals(List.of("h2", "http/1.1"), layered.alpnProtocols(), "HTTP/2 first");
      assertSame(tcp.opened.get(0), layered.inner().orElseThrow());
      assertSame(base.deadline(), layered.deadline(), "one deadline for the whole connect");
      assertEquals("api.example.test", h2.contexts.get(0).host());
      assertSame(tls.opened.get(0), ((EngineConnection) c).transport());
    }
  }

  @Test
  void alpnHttp1SelectsHttp1() throws Exception {
    var tls = new FakeProviders.Transports("tls").negotiating("http/1.1");
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp, tls), List.of(h1, h2)));
    try (HttpConnection c =
        connector.connect(Scheme.HTTPS, "example.test", 443, ConnectOptions.defaults())) {
      assertEquals(Protocol.HTTP1, c.protocol());
    }
  }

  @Test
  void onlyInstalledProtocolsAreOffered() throws Exception {
    var tls = new FakeProviders.Transports("tls").negotiating("http/1.1");
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp, tls), List.of(h1)));
    try (HttpConnection c =
        connector.connect(Scheme.HTTPS, "example.test", 443, ConnectOptions.defaults())) {
      assertEquals(List.of("http/1.1"), tls.contexts.get(0).alpnProtocols());
      assertEquals(Protocol.HTTP1, c.protocol());
    }
  }

  @Test
  void noAlpnSelectionFallsBackToHttp1WhenOffered() throws Exception {
    var tls = new FakeProviders.Transports("tls");
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp, tls), List.of(h1, h2)));
    try (HttpConnection c =
        connector.connect(Scheme.HTTPS, "example.test", 443, ConnectOptions.defaults())) {
      assertEquals(Protocol.HTTP1, c.protocol());
    }
  }

  // ---- TlsOptions.alpn() off: no ALPN extension, HTTP/1.1 ----

  private static ConnectOptions.Builder withoutAlpn() {
    return ConnectOptions.builder().tls(TlsOptions.defaults().withAlpn(false));
  }

  @Test
  void alpnOffOffersNothingAndSpeaksHttp1() throws Exception {
    var tls = new FakeProviders.Transports("tls");
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp, tls), List.of(h1, h2)));
    try (HttpConnection c =
        connector.connect(Scheme.HTTPS, "example.test", 443, withoutAlpn().build())) {
      assertEquals(Protocol.HTTP1, c.protocol(), "HTTP/2 is allowed but cannot be negotiated");
      assertEquals(List.of(), tls.contexts.get(0).alpnProtocols(), "no ALPN offer");
      assertEquals(1, h1.created.size());
      assertTrue(h2.created.isEmpty());
    }
  }

  @Test
  void alpnOffWithoutHttp1AllowedFailsBeforeConnecting() throws Exception {
    var tls = new FakeProviders.Transports("tls");
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp, tls), List.of(h1, h2)));
    ConnectOptions options = withoutAlpn().protocols(Protocol.HTTP2).build();
    ProviderException e =
        assertThrows(
            ProviderException.class,
            () -> connector.connect(Scheme.HTTPS, "example.test", 443, options));
    assertEquals(ProviderException.Reason.NO_USABLE_PROTOCOL, e.reason());
    assertTrue(e.getMessage().contains("without ALPN"), e.getMessage());
    assertTrue(e.getMessage().contains("HTTP/1.1"), e.getMessage());
    assertTrue(tcp.contexts.isEmpty(), "nothing was opened");
  }

  @Test
  void alpnOffWithoutAnHttp1ProviderFailsBeforeConnecting() throws Exception {
    var tls = new FakeProviders.Transports("tls");
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp, tls), List.of(h2)));
    ProviderException e =
        assertThrows(
            ProviderException.class,
            () -> connector.connect(Scheme.HTTPS, "example.test", 443, withoutAlpn().build()));
    assertEquals(ProviderException.Reason.NO_USABLE_PROTOCOL, e.reason());
    assertTrue(e.getMessage().contains("not installed"), e.getMessage());
    assertTrue(e.getMessage().contains("add mint-protocol-h1 (or mint-all"), e.getMessage());
    assertTrue(tcp.contexts.isEmpty(), "nothing was opened");
  }

  @Test
  void alpnOffAndAProtocolSelectedAnywayFailsAndCloses() throws Exception {
    var tls = new FakeProviders.Transports("tls").negotiating("h2");
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp, tls), List.of(h1, h2)));
    TransportException e =
        assertThrows(
            TransportException.class,
            () -> connector.connect(Scheme.HTTPS, "example.test", 443, withoutAlpn().build()));
    assertEquals(TransportException.Reason.UNEXPECTED_ALPN_PROTOCOL, e.reason());
    assertFalse(tls.opened.get(0).isOpen());
  }

  @Test
  void noAlpnSelectionWithOnlyHttp2AllowedFailsAndCloses() throws Exception {
    var tls = new FakeProviders.Transports("tls");
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp, tls), List.of(h1, h2)));
    TransportException e =
        assertThrows(
            TransportException.class,
            () -> connector.connect(Scheme.HTTPS, "example.test", 443, only(Protocol.HTTP2)));
    assertEquals(TransportException.Reason.ALPN_NOT_NEGOTIATED, e.reason());
    assertFalse(tls.opened.get(0).isOpen(), "the TLS transport is closed");
    assertTrue(h2.created.isEmpty());
  }

  @Test
  void unexpectedAlpnProtocolFailsAndCloses() throws Exception {
    for (String selected : List.of("spdy/3.1", "h2")) {
      var tls = new FakeProviders.Transports("tls").negotiating(selected);
      var connector =
          new StandardConnector(ProviderRegistry.of(List.of(tcp, tls), List.of(h1, h2)));
      // "h2" was not offered because only HTTP/1.1 is allowed
      TransportException e =
          assertThrows(
              TransportException.class,
              () -> connector.connect(Scheme.HTTPS, "example.test", 443, only(Protocol.HTTP1)));
      assertEquals(TransportException.Reason.UNEXPECTED_ALPN_PROTOCOL, e.reason(), selected);
      assertTrue(e.getMessage().contains("'" + selected + "'"), e.getMessage());
      assertFalse(tls.opened.get(0).isOpen());
    }
  }

  @Test
  void engineCreationFailureClosesTheTransport() throws Exception {
    var broken = new FakeProviders.OtherEngines("http/1.1");
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp), List.of(broken)));
    assertThrows(
        IllegalStateException.class,
        () -> connector.connect(Scheme.HTTP, "example.test", 80, ConnectOptions.defaults()));
    assertFalse(tcp.opened.get(0).isOpen(), "no socket leaks when the engine cannot be made");
  }

  @Test
  void connectionReportsWhereItConnected() throws Exception {
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp), List.of(h1)));
    try (HttpConnection c =
        connector.connect(Scheme.HTTP, "example.test", 8080, ConnectOptions.defaults())) {
      assertEquals(Scheme.HTTP, c.scheme());
      assertEquals("example.test", c.host());
      assertEquals(8080, c.port());
      assertEquals(Optional.empty(), c.selectableChannel());
      assertTrue(c.isOpen());
    }
    assertFalse(tcp.opened.get(0).isOpen());
  }

  // ---- protocols Mint did not write ----

  private static final Protocol ECHO = Protocol.of("x-echo/1");

  @Test
  void aPluggedInProtocolIsOfferedInTheCallersOrderAndBuildsTheEngine() throws Exception {
    var echo = new FakeProviders.Engines(ECHO);
    var tls = new FakeProviders.Transports("tls").negotiating("x-echo/1");
    var connector =
        new StandardConnector(ProviderRegistry.of(List.of(tcp, tls), List.of(h1, h2, echo)));
    ConnectOptions options = ConnectOptions.builder().protocols(ECHO, Protocol.HTTP1).build();
    try (HttpConnection c = connector.connect(Scheme.HTTPS, "example.test", 443, options)) {
      assertEquals(List.of("x-echo/1", "http/1.1"), tls.contexts.get(0).alpnProtocols());
      assertEquals(ECHO, c.protocol());
      assertEquals(1, echo.created.size());
      assertTrue(h1.created.isEmpty());
    }
  }

  @Test
  void theCallersOrderIsTheOfferOrder() throws Exception {
    var tls = new FakeProviders.Transports("tls").negotiating("http/1.1");
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp, tls), List.of(h1, h2)));
    ConnectOptions options =
        ConnectOptions.builder().protocols(Protocol.HTTP1, ECHO, Protocol.HTTP2).build();
    try (HttpConnection c = connector.connect(Scheme.HTTPS, "example.test", 443, options)) {
      assertEquals(List.of("http/1.1", "h2"), tls.contexts.get(0).alpnProtocols(), "installed");
      assertEquals(Protocol.HTTP1, c.protocol());
    }
  }

  @Test
  void anInstalledProtocolNotAllowedIsNotOfferedNorAccepted() throws Exception {
    var echo = new FakeProviders.Engines(ECHO);
    var tls = new FakeProviders.Transports("tls").negotiating("x-echo/1");
    var connector =
        new StandardConnector(ProviderRegistry.of(List.of(tcp, tls), List.of(h1, h2, echo)));
    TransportException e =
        assertThrows(
            TransportException.class,
            () -> connector.connect(Scheme.HTTPS, "example.test", 443, ConnectOptions.defaults()));
    assertEquals(List.of("h2", "http/1.1"), tls.contexts.get(0).alpnProtocols());
    assertEquals(TransportException.Reason.UNEXPECTED_ALPN_PROTOCOL, e.reason());
    assertTrue(e.getMessage().contains("'x-echo/1'"), e.getMessage());
    assertTrue(echo.created.isEmpty());
    assertFalse(tls.opened.get(0).isOpen());
  }

  @Test
  void onlyAPluggedInProtocolThatIsNotInstalledHasNothingToOffer() throws Exception {
    var tls = new FakeProviders.Transports("tls");
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp, tls), List.of(h1, h2)));
    ProviderException e =
        assertThrows(
            ProviderException.class,
            () -> connector.connect(Scheme.HTTPS, "example.test", 443, only(ECHO)));
    assertEquals(ProviderException.Reason.NO_USABLE_PROTOCOL, e.reason());
    assertTrue(e.getMessage().contains("x-echo/1"), e.getMessage());
    assertTrue(tcp.contexts.isEmpty());
  }

  @Test
  void overHttpAFirstChoiceThatStartsWithoutAlpnIsSpoken() throws Exception {
    var echo = new FakeProviders.Engines(ECHO, true);
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp), List.of(h1, echo)));
    ConnectOptions options = ConnectOptions.builder().protocols(ECHO, Protocol.HTTP1).build();
    try (HttpConnection c = connector.connect(Scheme.HTTP, "example.test", 80, options)) {
      assertEquals(ECHO, c.protocol());
      assertEquals(1, echo.created.size());
    }
  }

  @Test
  void overHttpAPluggedInProtocolThatIsNotTheFirstChoiceIsNotSpoken() throws Exception {
    var echo = new FakeProviders.Engines(ECHO, true);
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp), List.of(h1, echo)));
    ConnectOptions options = ConnectOptions.builder().protocols(Protocol.HTTP1, ECHO).build();
    try (HttpConnection c = connector.connect(Scheme.HTTP, "example.test", 80, options)) {
      assertEquals(Protocol.HTTP1, c.protocol());
      assertTrue(echo.created.isEmpty());
    }
  }

  @Test
  void overHttpAProtocolThatNeedsAlpnFallsBackToHttp1() throws Exception {
    var echo = new FakeProviders.Engines(ECHO, false);
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp), List.of(h1, echo)));
    ConnectOptions options = ConnectOptions.builder().protocols(ECHO, Protocol.HTTP1).build();
    try (HttpConnection c = connector.connect(Scheme.HTTP, "example.test", 80, options)) {
      assertEquals(Protocol.HTTP1, c.protocol());
    }
    ProviderException e =
        assertThrows(
            ProviderException.class,
            () -> connector.connect(Scheme.HTTP, "example.test", 80, only(ECHO)));
    assertEquals(ProviderException.Reason.NO_USABLE_PROTOCOL, e.reason());
    assertTrue(e.getMessage().contains("startsWithoutAlpn"), e.getMessage());
  }

  @Test
  void overHttpHttp2FirstStillMeansHttp1WhenAllowed() throws Exception {
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp), List.of(h1, h2)));
    ConnectOptions options =
        ConnectOptions.builder().protocols(Protocol.HTTP2, ECHO, Protocol.HTTP1).build();
    try (HttpConnection c = connector.connect(Scheme.HTTP, "example.test", 80, options)) {
      assertEquals(Protocol.HTTP1, c.protocol(), "no prior knowledge while HTTP/1.1 is allowed");
    }
  }

  @Test
  void aPluggedInProtocolOverHttpTunnelsThroughAnHttpProxyInsteadOfForwarding() throws Exception {
    var echo = new FakeProviders.Engines(ECHO, true);
    var tunnel = new FakeProviders.Transports("http-connect");
    var connector =
        new StandardConnector(ProviderRegistry.of(List.of(tcp, tunnel), List.of(h1, echo)));
    ConnectOptions.Builder options =
        ConnectOptions.builder().proxy(ProxyOptions.http("proxy.test", 3128));
    try (HttpConnection c =
        connector.connect(
            Scheme.HTTP, "example.test", 80, options.protocols(ECHO, Protocol.HTTP1).build())) {
      assertEquals(ECHO, c.protocol());
      assertEquals("example.test", tunnel.contexts.get(0).host(), "CONNECT to the origin");
      assertTrue(echo.contexts.get(0).forwardProxy().isEmpty());
    }
    try (HttpConnection c =
        connector.connect(
            Scheme.HTTP, "example.test", 80, options.protocols(Protocol.HTTP1, ECHO).build())) {
      assertEquals(Protocol.HTTP1, c.protocol());
      assertEquals(1, tunnel.contexts.size(), "HTTP/1.1 is forwarded, not tunnelled");
      assertTrue(h1.contexts.get(0).forwardProxy().isPresent());
    }
  }
}
