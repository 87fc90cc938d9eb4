package dev.mint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.mint.ConnectOptions;
import dev.mint.Connector;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.HttpException;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.TransportException;
import dev.mint.http1.Http1ProtocolProvider;
import dev.mint.spi.ProviderRegistry;
import dev.mint.spi.StandardConnector;
import dev.mint.transport.tcp.TcpTransportProvider;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The code shown in README.md, kept here so that it compiles against the real API and runs. When an
 * example changes, change both.
 */
@Timeout(30)
class ReadmeExamplesTest {
  private static HttpServer server;
  private static int port;

  @BeforeAll
  static void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          byte[] body = ("hello " + exchange.getRequestURI().getPath()).getBytes();
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    port = server.getAddress().getPort();
  }

  @AfterAll
  static void stopServer() {
    server.stop(0);
  }

  /** README: "Passive mode". */
  static String passive(int port) throws MintException {
    StringBuilder body = new StringBuilder();
    ConnectOptions options = ConnectOptions.builder().mode(Mode.PASSIVE).build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTP, "127.0.0.1", port, options)) {
      conn.request("GET", "/hello", Headers.of("accept", "text/plain"), RequestBody.none());
      boolean done = false;
      while (!done) {
        for (ResponsePart part : conn.recv(Duration.ofSeconds(10))) {
          if (part instanceof ResponsePart.Status s) {
            System.out.println("status " + s.code());
          } else if (part instanceof ResponsePart.Data d) {
            body.append(d.bytes().utf8());
          } else if (part instanceof ResponsePart.Done) {
            done = true;
          } else if (part instanceof ResponsePart.RequestError e) {
            throw e.error();
          }
        }
      }
    }
    return body.toString();
  }

  /** README: "One Selector, many connections". */
  static int oneSelector(int port) throws IOException {
    ConnectOptions options = ConnectOptions.builder().mode(Mode.ACTIVE).build();
    List<HttpConnection> connections = new ArrayList<>();
    int finished = 0;
    try (Selector selector = Selector.open()) {
      for (String path : List.of("/a", "/b", "/c")) {
        HttpConnection conn = Mint.connect(Scheme.HTTP, "127.0.0.1", port, options);
        connections.add(conn);
        conn.request("GET", path, Headers.empty(), RequestBody.none());
        conn.selectableChannel().orElseThrow().register(selector, conn.interestOps(), conn);
      }
      while (finished < connections.size()) {
        selector.select(1000);
        for (SelectionKey key : selector.selectedKeys()) {
          HttpConnection conn = (HttpConnection) key.attachment();
          do {
            for (ResponsePart part : conn.stream()) {
              if (part instanceof ResponsePart.Done) {
                finished++;
              } // Status, Headers, Data, RequestError: as in passive mode
            }
          } while (conn.hasBufferedInput());
          if (key.isValid()) {
            key.interestOps(conn.interestOps());
          }
        }
        selector.selectedKeys().clear();
      }
    } finally {
      connections.forEach(HttpConnection::close);
    }
    return finished;
  }

  /** README: "Explicit wiring". */
  static HttpConnection explicit(int port) throws MintException {
    ProviderRegistry providers =
        ProviderRegistry.of(
            List.of(new TcpTransportProvider()), List.of(new Http1ProtocolProvider()));
    Connector connector = new StandardConnector(providers);
    return connector.connect(Scheme.HTTP, "127.0.0.1", port, ConnectOptions.defaults());
  }

  /** README: "Errors". */
  static List<ResponsePart> errors(HttpConnection conn, Duration timeout) throws MintException {
    List<ResponsePart> parts;
    try {
      parts = conn.recv(timeout);
    } catch (TransportException e) {
      if (e.reason() == TransportException.Reason.TIMEOUT) {
        return List.of(); // nothing arrived in time; the connection is still open
      }
      handle(e.partsBeforeFailure()); // the parts parsed before the failure come first
      throw e;
    } catch (HttpException e) {
      handle(e.partsBeforeFailure());
      System.err.println(e.reason() + " " + e.fault() + " " + e.scope()); // PEER CONNECTION
      throw e;
    }
    return parts;
  }

  private static void handle(List<ResponsePart> parts) {
    parts.forEach(System.out::println);
  }

  @Test
  void passiveModeExample() throws Exception {
    assertEquals("hello /hello", passive(port));
  }

  @Test
  void oneSelectorExample() throws Exception {
    assertEquals(3, oneSelector(port));
  }

  @Test
  void explicitWiringExample() throws Exception {
    try (HttpConnection conn = explicit(port)) {
      RequestRef ref = conn.request("GET", "/x", Headers.empty(), RequestBody.none());
      CollectedResponse r = CollectedResponse.recv(conn, ref);
      assertEquals("hello /x", new String(r.body(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void errorsExampleReturnsNothingOnTimeoutAndKeepsTheConnection() throws Exception {
    ConnectOptions options = ConnectOptions.builder().mode(Mode.PASSIVE).build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTP, "127.0.0.1", port, options)) {
      // No request in flight: nothing can arrive, so recv() times out.
      assertEquals(List.of(), errors(conn, Duration.ofMillis(200)));
      assertTrue(conn.isOpen());
    }
  }
}
