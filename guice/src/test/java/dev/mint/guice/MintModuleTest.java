// SPDX-License-Identifier: Apache-2.0
package dev.mint.guice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.CreationException;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import com.google.inject.ProvisionException;
import com.google.inject.Singleton;
import com.google.inject.Stage;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import com.sun.net.httpserver.HttpServer;
import dev.mint.ConnectOptions;
import dev.mint.Connector;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.ProviderException;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.http1.Http1ProtocolProvider;
import dev.mint.spi.ProtocolProvider;
import dev.mint.spi.ProviderRegistry;
import dev.mint.spi.TransportProvider;
import dev.mint.transport.tcp.TcpTransportProvider;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Guice application wiring Mint: its own transport through the multibinder, an injected {@link
 * Connector}, and a real HTTP/1.1 exchange with the JDK's {@link HttpServer} on loopback.
 */
class MintModuleTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final byte[] BODY = "hello from the server".getBytes(StandardCharsets.UTF_8);

  private HttpServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/hello",
        exchange -> {
          exchange.sendResponseHeaders(200, BODY.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(BODY);
          }
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  /** The application's module: its own transport, bound as a singleton so the test can read it. */
  private static final class ApplicationModule extends AbstractModule {
    @Override
    protected void configure() {
      bind(RecordingTransportProvider.class).in(Singleton.class);
      Multibinder.newSetBinder(binder(), TransportProvider.class)
          .addBinding()
          .to(RecordingTransportProvider.class);
    }
  }

  /** Binds the tcp transport and the HTTP/1.1 protocol explicitly. */
  private static final class CoreProvidersModule extends AbstractModule {
    @Override
    protected void configure() {
      Multibinder.newSetBinder(binder(), TransportProvider.class)
          .addBinding()
          .to(TcpTransportProvider.class);
      Multibinder.newSetBinder(binder(), ProtocolProvider.class)
          .addBinding()
          .to(Http1ProtocolProvider.class);
    }
  }

  @Test
  void userTransportCarriesARealRequest() throws Exception {
    Injector injector =
        Guice.createInjector(MintModule.withServiceLoader(), new ApplicationModule());
    Connector connector = injector.getInstance(Connector.class);
    assertSame(connector, injector.getInstance(Connector.class), "a singleton");

    String body = get(connector, injector.getInstance(ConnectOptions.class));

    assertEquals("hello from the server", body);
    assertEquals(1, injector.getInstance(RecordingTransportProvider.class).opened());
  }

  @Test
  void withServiceLoaderAddsTheInstalledProviders() throws Exception {
    Injector injector =
        Guice.createInjector(MintModule.withServiceLoader(), new ApplicationModule());
    ProviderRegistry registry = injector.getInstance(ProviderRegistry.class);

    // What ServiceLoader finds (tcp, and whatever else the tcp module provides) plus the bound one.
    Set<String> expected = new TreeSet<>(ProviderRegistry.installed().transportNames());
    expected.add(RecordingTransportProvider.NAME);
    assertEquals(expected, registry.transportNames());
    assertTrue(registry.hasTransport(TcpTransportProvider.NAME), registry.toString());
    assertEquals(ProviderRegistry.installed().protocolIds(), registry.protocolIds());
    assertTrue(registry.hasProtocol("http/1.1"), registry.toString());
  }

  @Test
  void explicitOnlySeesOnlyTheBoundProviders() throws Exception {
    Injector injector =
        Guice.createInjector(
            MintModule.explicitOnly(),
            new ApplicationModule(),
            new AbstractModule() {
              @Override
              protected void configure() {
                Multibinder.newSetBinder(binder(), ProtocolProvider.class)
                    .addBinding()
                    .to(Http1ProtocolProvider.class);
              }
            });
    ProviderRegistry registry = injector.getInstance(ProviderRegistry.class);

    assertEquals(Set.of(RecordingTransportProvider.NAME), registry.transportNames());
    assertEquals(Set.of("http/1.1"), registry.protocolIds());
    assertEquals("hello from the server", get(injector.getInstance(Connector.class), options()));
    assertEquals(1, injector.getInstance(RecordingTransportProvider.class).opened());
  }

  @Test
  void explicitOnlyWithNothingBoundIsEmpty() throws Exception {
    ProviderRegistry registry =
        Guice.createInjector(MintModule.explicitOnly()).getInstance(ProviderRegistry.class);

    assertTrue(registry.transportNames().isEmpty(), registry.toString());
    assertTrue(registry.protocolIds().isEmpty(), registry.toString());
  }

  @Test
  void twoProvidersUnderOneNameFailAtInjection() {
    Injector injector =
        Guice.createInjector(
            MintModule.explicitOnly(), new CoreProvidersModule(), new SecondTcpModule());

    ProvisionException e =
        assertThrows(ProvisionException.class, () -> injector.getInstance(Connector.class));

    assertDuplicateTcp(e.getCause());
  }

  @Test
  void bindingAnInstalledProviderAgainIsADuplicate() {
    Injector injector =
        Guice.createInjector(MintModule.withServiceLoader(), new CoreProvidersModule());

    ProvisionException e =
        assertThrows(ProvisionException.class, () -> injector.getInstance(Connector.class));

    assertDuplicateTcp(e.getCause());
  }

  @Test
  void aDuplicateFailsInjectorCreationInProduction() {
    Module[] modules = {
      MintModule.explicitOnly(), new CoreProvidersModule(), new SecondTcpModule()
    };

    CreationException e =
        assertThrows(
            CreationException.class, () -> Guice.createInjector(Stage.PRODUCTION, modules));

    // One message per eager singleton that needed the registry: the registry and the connector.
    assertTrue(!e.getErrorMessages().isEmpty(), e.getMessage());
    e.getErrorMessages().forEach(m -> assertDuplicateTcp(m.getCause()));
  }

  @Test
  void connectOptionsDefaultUnlessTheApplicationBindsItsOwn() {
    Injector defaults = Guice.createInjector(MintModule.explicitOnly());
    assertEquals(
        ConnectOptions.defaults().transport(),
        defaults.getInstance(ConnectOptions.class).transport());

    ConnectOptions own = options();
    Injector bound =
        Guice.createInjector(
            MintModule.explicitOnly(),
            new AbstractModule() {
              @Override
              protected void configure() {
                OptionalBinder.newOptionalBinder(binder(), ConnectOptions.class)
                    .setBinding()
                    .toInstance(own);
              }
            });
    assertSame(own, bound.getInstance(ConnectOptions.class));
  }

  /** A second {@code tcp} provider: a class of its own, so that the multibinder keeps both. */
  private static final class SecondTcpModule extends AbstractModule {
    @Override
    protected void configure() {
      Multibinder.newSetBinder(binder(), TransportProvider.class)
          .addBinding()
          .toInstance(new TcpTransportProvider());
    }
  }

  private static void assertDuplicateTcp(Throwable cause) {
    ProviderException error = assertInstanceOf(ProviderException.class, cause);
    assertEquals(ProviderException.Reason.DUPLICATE_PROVIDER, error.reason());
    assertTrue(error.getMessage().contains(TcpTransportProvider.NAME), error.getMessage());
  }

  private static ConnectOptions options() {
    return ConnectOptions.builder()
        .transport(RecordingTransportProvider.NAME)
        .connectTimeout(WAIT)
        .build();
  }

  /** GET /hello through {@code options} with transport {@value RecordingTransportProvider#NAME}. */
  private String get(Connector connector, ConnectOptions options) throws Exception {
    ConnectOptions through =
        options.toBuilder().transport(RecordingTransportProvider.NAME).connectTimeout(WAIT).build();
    try (HttpConnection conn =
        connector.connect(Scheme.HTTP, "127.0.0.1", server.getAddress().getPort(), through)) {
      RequestRef ref = conn.request("GET", "/hello", Headers.empty(), RequestBody.none());
      StringBuilder body = new StringBuilder();
      int status = 0;
      boolean done = false;
      while (!done) {
        for (ResponsePart part : conn.recv(WAIT)) {
          assertEquals(ref, part.ref());
          if (part instanceof ResponsePart.Status s) {
            status = s.code();
          } else if (part instanceof ResponsePart.Data d) {
            body.append(d.bytes().utf8());
          } else if (part instanceof ResponsePart.RequestError e) {
            throw e.error();
          } else if (part instanceof ResponsePart.Done) {
            done = true;
          }
        }
      }
      assertEquals(200, status);
      return body.toString();
    }
  }
}
