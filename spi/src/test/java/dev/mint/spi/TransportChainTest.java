// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Protocol;
import dev.mint.ProviderException;
import dev.mint.ProxyOptions;
import dev.mint.ProxyResponse;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import dev.mint.TransportException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The layers a connection is built of, for each kind of proxy, and how they are opened. */
class TransportChainTest {
  private static final List<String> ALPN = List.of("h2", "http/1.1");
  private static final TlsOptions PROXY_TLS = TlsOptions.defaults().withVerifyHostname(false);

  private final FakeProviders.Transports tcp = new FakeProviders.Transports("tcp");
  private final FakeProviders.Transports tls =
      new FakeProviders.Transports("tls").negotiating("h2");
  private final Tunnels connect = new Tunnels("http-connect");
  private final Tunnels socks = new Tunnels("socks5");
  private final FakeProviders.Engines h1 = new FakeProviders.Engines(Protocol.HTTP1);
  private final FakeProviders.Engines h2 = new FakeProviders.Engines(Protocol.HTTP2);

  private static ConnectOptions via(ProxyOptions proxy) {
    return ConnectOptions.builder().proxy(proxy).build();
  }

  private static List<String> describe(TransportChain chain) {
    return chain.layers().stream().map(TransportChain.Layer::toString).toList();
  }

  @Test
  void directConnectionsAreTheBaseAndTls() {
    ConnectOptions o = ConnectOptions.defaults();
    TransportChain http = TransportChain.plan(Scheme.HTTP, "a.test", 80, "a.test", o, ALPN);
    assertEquals(List.of("tcp(a.test:80)"), describe(http));
    assertTrue(http.forwardProxy().isEmpty());
    TransportChain https = TransportChain.plan(Scheme.HTTPS, "::1", 443, "a.test", o, ALPN);
    assertEquals(List.of("tcp([::1]:443)", "tls([::1]:443)"), describe(https));
    TransportChain.Layer top = https.layers().get(1);
    assertEquals("a.test", top.serverName());
    assertEquals(ALPN, top.alpnProtocols());
    assertEquals(o.tls(), top.tls());
  }

  @Test
  void anHttpsOriginTunnelsThroughAnHttpProxy() {
    TransportChain chain =
        TransportChain.plan(
            Scheme.HTTPS, "a.test", 443, "a.test", via(ProxyOptions.http("p.test", 3128)), ALPN);
    assertEquals(
        List.of("tcp(p.test:3128)", "http-connect(a.test:443)", "tls(a.test:443)"),
        describe(chain));
    assertEquals("p.test", chain.layers().get(0).serverName());
    assertTrue(chain.forwardProxy().isEmpty());
    assertEquals("tcp(p.test:3128) > http-connect(a.test:443) > tls(a.test:443)", chain.toString());
  }

  @Test
  void anHttpsProxyIsTlsTwiceWithEachItsOwnSettings() {
    ProxyOptions proxy = ProxyOptions.https("p.test", 8443).withTls(PROXY_TLS);
    TlsOptions originTls = TlsOptions.defaults().withProtocols(List.of("TLSv1.3"));
    ConnectOptions options = ConnectOptions.builder().proxy(proxy).tls(originTls).build();
    TransportChain chain =
        TransportChain.plan(Scheme.HTTPS, "a.test", 443, "a.test", options, ALPN);
    assertEquals(
        List.of(
            "tcp(p.test:8443)", "tls(p.test:8443)", "http-connect(a.test:443)", "tls(a.test:443)"),
        describe(chain));
    TransportChain.Layer toProxy = chain.layers().get(1);
    TransportChain.Layer toOrigin = chain.layers().get(3);
    assertEquals("p.test", toProxy.serverName());
    assertSame(PROXY_TLS, toProxy.tls());
    assertEquals(List.of("http/1.1"), toProxy.alpnProtocols(), "the proxy speaks HTTP/1.1");
    assertSame(originTls, toOrigin.tls());
    assertEquals(ALPN, toOrigin.alpnProtocols());
  }

  @Test
  void anHttpsProxyWithoutAlpnIsOfferedNone() {
    ProxyOptions proxy = ProxyOptions.https("p.test", 8443).withTls(PROXY_TLS.withAlpn(false));
    TransportChain chain =
        TransportChain.plan(Scheme.HTTP, "a.test", 80, "a.test", via(proxy), ALPN);
    assertEquals(List.of(), chain.layers().get(1).alpnProtocols());
  }

  @Test
  void anHttpOriginIsForwardedWithTheProxyFields() {
    ProxyOptions proxy =
        ProxyOptions.http("p.test", 3128)
            .withCredentials("user", "pass")
            .withHeaders(Headers.of("x-team", "a"));
    TransportChain chain =
        TransportChain.plan(Scheme.HTTP, "a.test", 80, "a.test", via(proxy), ALPN);
    assertEquals(List.of("tcp(p.test:3128)"), describe(chain));
    Headers fields = chain.forwardProxy().orElseThrow().headers();
    assertEquals("a", fields.get("x-team"));
    assertEquals("Basic dXNlcjpwYXNz", fields.get("proxy-authorization"));
    assertTrue(chain.toString().endsWith("(forwarding)"), chain.toString());
    TransportChain overTls =
        TransportChain.plan(
            Scheme.HTTP, "a.test", 80, "a.test", via(ProxyOptions.https("p.test", 443)), ALPN);
    assertEquals(List.of("tcp(p.test:443)", "tls(p.test:443)"), describe(overTls));
    assertTrue(overTls.forwardProxy().isPresent());
  }

  @Test
  void anHttpOriginTunnelsWhenAskedOrWhenOnlyHttp2IsAllowed() {
    ProxyOptions proxy = ProxyOptions.http("p.test", 3128);
    TransportChain asked =
        TransportChain.plan(
            Scheme.HTTP, "a.test", 80, "a.test", via(proxy.withTunnelHttp(true)), ALPN);
    assertEquals(List.of("tcp(p.test:3128)", "http-connect(a.test:80)"), describe(asked));
    assertTrue(asked.forwardProxy().isEmpty());
    ConnectOptions h2Only = ConnectOptions.builder().proxy(proxy).protocols(Protocol.HTTP2).build();
    TransportChain priorKnowledge =
        TransportChain.plan(Scheme.HTTP, "a.test", 80, "a.test", h2Only, ALPN);
    assertEquals(List.of("tcp(p.test:3128)", "http-connect(a.test:80)"), describe(priorKnowledge));
  }

  @Test
  void socksAlwaysTunnels() {
    ProxyOptions proxy = ProxyOptions.socks5("s.test", 1080);
    assertEquals(
        List.of("tcp(s.test:1080)", "socks5(a.test:80)"),
        describe(TransportChain.plan(Scheme.HTTP, "a.test", 80, "a.test", via(proxy), ALPN)));
    assertEquals(
        List.of("tcp(s.test:1080)", "socks5(a.test:443)", "tls(a.test:443)"),
        describe(TransportChain.plan(Scheme.HTTPS, "a.test", 443, "a.test", via(proxy), ALPN)));
  }

  @Test
  void aUserBaseTransportStaysAtTheBottomAndReachesTheProxy() {
    ConnectOptions options =
        ConnectOptions.builder().transport("unix").proxy(ProxyOptions.http("p.test", 3128)).build();
    assertEquals(
        List.of("unix(p.test:3128)", "http-connect(a.test:443)", "tls(a.test:443)"),
        describe(TransportChain.plan(Scheme.HTTPS, "a.test", 443, "a.test", options, ALPN)));
  }

  @Test
  void aMissingTunnelProviderNamesTheProxyModuleBeforeConnecting() throws Exception {
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp, tls), List.of(h1, h2)));
    for (ProxyOptions proxy :
        List.of(ProxyOptions.http("p.test", 1), ProxyOptions.socks5("p.test", 1))) {
      ProviderException e =
          assertThrows(
              ProviderException.class,
              () -> connector.connect(Scheme.HTTPS, "a.test", 443, via(proxy)));
      assertEquals(ProviderException.Reason.NO_TRANSPORT_PROVIDER, e.reason());
      assertTrue(e.getMessage().contains("mint-proxy"), e.getMessage());
    }
    assertTrue(tcp.contexts.isEmpty(), "nothing was opened");
  }

  @Test
  void eachLayerOpensOverTheOneBelowWithItsOwnEndpoint() throws Exception {
    var connector =
        new StandardConnector(ProviderRegistry.of(List.of(tcp, tls, connect), List.of(h1, h2)));
    ProxyOptions proxy = ProxyOptions.https("p.test", 8443).withTls(PROXY_TLS);
    ConnectOptions options =
        ConnectOptions.builder().proxy(proxy).connectTimeout(Duration.ofSeconds(5)).build();
    try (HttpConnection c = connector.connect(Scheme.HTTPS, "a.test", 443, options)) {
      assertEquals(Protocol.HTTP2, c.protocol());
      TransportContext base = tcp.contexts.get(0);
      TransportContext toProxy = tls.contexts.get(0);
      TransportContext tunnel = connect.contexts.get(0);
      TransportContext toOrigin = tls.contexts.get(1);
      assertEquals("p.test", base.host());
      assertEquals(8443, base.port());
      assertSame(tcp.opened.get(0), toProxy.inner().orElseThrow());
      assertSame(PROXY_TLS, toProxy.tls());
      assertSame(tls.opened.get(0), tunnel.inner().orElseThrow());
      assertEquals("a.test", tunnel.host());
      assertEquals(443, tunnel.port());
      assertSame(connect.opened.get(0), toOrigin.inner().orElseThrow());
      assertEquals(options.tls(), toOrigin.tls());
      assertNotEquals(toProxy.tls(), toOrigin.tls());
      assertSame(base.deadline(), toOrigin.deadline(), "one deadline for the whole chain");
      assertEquals(Optional.of(Tunnels.REPLY), c.proxyResponse());
      assertTrue(h2.contexts.get(0).forwardProxy().isEmpty());
    }
  }

  @Test
  void aForwardingProxyReachesTheEngineContext() throws Exception {
    var connector = new StandardConnector(ProviderRegistry.of(List.of(tcp), List.of(h1, h2)));
    ProxyOptions proxy = ProxyOptions.http("p.test", 3128).withCredentials("u", "p");
    try (HttpConnection c = connector.connect(Scheme.HTTP, "a.test", 8080, via(proxy))) {
      assertEquals(Protocol.HTTP1, c.protocol());
      EngineContext context = h1.contexts.get(0);
      assertEquals("a.test", context.host());
      assertEquals(8080, context.port());
      assertEquals(
          proxy.requestHeaders(), context.forwardProxy().orElseThrow().headers(), "to the engine");
      assertEquals("p.test", tcp.contexts.get(0).host());
      assertTrue(c.proxyResponse().isEmpty(), "no tunnel, no reply");
    }
  }

  @Test
  void aFailingLayerClosesEveryLayerBelow() throws Exception {
    connect.failWith(new TransportException(TransportException.Reason.PROXY_CLOSED, "gone"));
    var connector =
        new StandardConnector(ProviderRegistry.of(List.of(tcp, tls, connect), List.of(h1, h2)));
    TransportException e =
        assertThrows(
            TransportException.class,
            () ->
                connector.connect(
                    Scheme.HTTPS, "a.test", 443, via(ProxyOptions.https("p.test", 443))));
    assertEquals(TransportException.Reason.PROXY_CLOSED, e.reason());
    assertFalse(tls.opened.get(0).isOpen(), "TLS to the proxy closed");
    assertFalse(tcp.opened.get(0).isOpen(), "the socket closed");
    assertEquals(1, tls.opened.size(), "nothing opened above the failure");
  }

  /** A fake tunnel provider: passes bytes to the inner transport and reports a fixed reply. */
  private static final class Tunnels implements TransportProvider {
    static final ProxyResponse REPLY =
        new ProxyResponse.Http(200, "Connection established", Headers.of("via", "fake"));

    private final String name;
    private TransportException failure;
    final List<TransportContext> contexts = new ArrayList<>();
    final List<Transport> opened = new ArrayList<>();

    Tunnels(String name) {
      this.name = name;
    }

    void failWith(TransportException e) {
      failure = e;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Transport open(TransportContext context) throws TransportException {
      contexts.add(context);
      Transport inner = context.inner().orElseThrow();
      if (failure != null) {
        throw failure; // the chain closes the layers below, whatever the provider did
      }
      Transport t = new Tunnel(inner);
      opened.add(t);
      return t;
    }
  }

  private record Tunnel(Transport inner) implements Transport {
    @Override
    public int read(ByteBuffer dst) throws TransportException {
      return inner.read(dst);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws TransportException {
      return inner.write(srcs);
    }

    @Override
    public int awaitReady(int ops, Duration timeout) throws TransportException {
      return inner.awaitReady(ops, timeout);
    }

    @Override
    public Optional<SelectableChannel> selectableChannel() {
      return inner.selectableChannel();
    }

    @Override
    public Optional<ProxyResponse> proxyResponse() {
      return Optional.of(Tunnels.REPLY);
    }

    @Override
    public boolean isOpen() {
      return inner.isOpen();
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
