// SPDX-License-Identifier: Apache-2.0
package dev.mint.guice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import com.sun.net.httpserver.HttpServer;
import dev.mint.ConnectOptions;
import dev.mint.Protocol;
import dev.mint.pool.MintClient;
import dev.mint.pool.PoolConfig;
import dev.mint.pool.Request;
import dev.mint.pool.Response;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client binding: a singleton over the bound connector and options, configurable. */
class MintClientModuleTest {
  private HttpServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/agent",
        exchange -> {
          byte[] body =
              String.valueOf(exchange.getRequestHeaders().getFirst("user-agent"))
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/agent";
  }

  /** An injector of both modules, with the application's own {@code value} for {@code type}. */
  private static <T> Injector injector(Class<T> type, T value) {
    return Guice.createInjector(
        MintModule.withServiceLoader(),
        new MintClientModule(),
        new AbstractModule() {
          @Override
          protected void configure() {
            OptionalBinder.newOptionalBinder(binder(), type).setBinding().toInstance(value);
          }
        });
  }

  @Test
  void theClientOpensConnectionsWithTheBoundOptions() throws Exception {
    Injector injector =
        injector(
            ConnectOptions.class,
            ConnectOptions.builder().protocols(Protocol.HTTP1).userAgent("bound-options").build());
    MintClient client = injector.getInstance(MintClient.class);
    try (client) {
      assertSame(client, injector.getInstance(MintClient.class));
      Response response = client.send(Request.get(url()));
      assertEquals(200, response.status());
      assertEquals("bound-options", response.body().utf8());
    }
    assertTrue(client.isTerminated());
  }

  @Test
  void anApplicationBindsItsOwnPoolConfig() throws Exception {
    PoolConfig config =
        PoolConfig.builder()
            .connectOptions(ConnectOptions.builder().userAgent("own-config").build())
            .requestTimeout(Duration.ofSeconds(5))
            .build();
    Injector injector = injector(PoolConfig.class, config);
    try (MintClient client = injector.getInstance(MintClient.class)) {
      assertEquals("own-config", client.send(Request.get(url())).body().utf8());
    }
  }
}
