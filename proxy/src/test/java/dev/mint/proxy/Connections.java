// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.http1.Http1ProtocolProvider;
import dev.mint.spi.ProviderRegistry;
import dev.mint.spi.StandardConnector;
import dev.mint.transport.tcp.TcpTransportProvider;
import dev.mint.transport.tls.TlsTransportProvider;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds connections through the real transports (TCP, TLS, the proxy tunnels, a user's Unix
 * socket) and the HTTP/1.1 engine, and drives exchanges in passive mode ({@code recv}) or active
 * mode (one {@link Selector} for every connection).
 */
final class Connections {
  static final Duration WAIT = Duration.ofSeconds(10);

  static final StandardConnector CONNECTOR = connector();

  private Connections() {}

  private static StandardConnector connector() {
    try {
      return new StandardConnector(
          ProviderRegistry.of(
              List.of(
                  new TcpTransportProvider(),
                  new TlsTransportProvider(),
                  new HttpConnectTransportProvider(),
                  new Socks5TransportProvider(),
                  new UnixSocketTransportProvider()),
              List.of(new Http1ProtocolProvider())));
    } catch (MintException e) {
      throw new IllegalStateException(e);
    }
  }

  static HttpConnection connect(Scheme scheme, String host, int port, ConnectOptions options)
      throws MintException {
    return CONNECTOR.connect(scheme, host, port, options);
  }

  /**
   * One response: status and body.
   *
   * @param status the final status
   * @param body the body, as UTF-8
   * @param headers the final headers
   */
  record Response(int status, String body, Headers headers) {}

  /** Sends GET {@code target} and waits for the whole response, driven in {@code mode}. */
  static Response get(Mode mode, HttpConnection conn, String target) throws IOException {
    RequestRef ref = conn.request("GET", target, Headers.empty(), RequestBody.none());
    return mode == Mode.ACTIVE ? active(Map.of(conn, ref)).get(conn) : passive(conn, ref);
  }

  /** Options for {@code mode} with a short connect timeout. */
  static ConnectOptions.Builder options(Mode mode) {
    return ConnectOptions.builder().mode(mode).connectTimeout(WAIT);
  }

  static Response passive(HttpConnection conn, RequestRef ref) throws MintException {
    Collector c = new Collector(ref);
    while (!c.done) {
      c.take(conn.recv(WAIT));
    }
    return c.response();
  }

  /**
   * Drives every connection with one selector until each has its response; a connection that
   * already holds input (the origin's first bytes behind a proxy's reply) is streamed without
   * waiting for readiness.
   */
  static Map<HttpConnection, Response> active(Map<HttpConnection, RequestRef> requests)
      throws IOException {
    Map<HttpConnection, Collector> collectors = new HashMap<>();
    try (Selector selector = Selector.open()) {
      for (Map.Entry<HttpConnection, RequestRef> e : requests.entrySet()) {
        HttpConnection conn = e.getKey();
        collectors.put(conn, new Collector(e.getValue()));
        conn.selectableChannel().orElseThrow().register(selector, conn.interestOps(), conn);
      }
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (collectors.values().stream().anyMatch(c -> !c.done)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("no response within " + WAIT);
        }
        List<HttpConnection> ready = new ArrayList<>();
        for (HttpConnection conn : collectors.keySet()) {
          if (conn.hasBufferedInput()) {
            ready.add(conn);
          }
        }
        if (ready.isEmpty()) {
          selector.select(100);
          for (SelectionKey key : selector.selectedKeys()) {
            ready.add((HttpConnection) key.attachment());
          }
          selector.selectedKeys().clear();
        }
        for (HttpConnection conn : ready) {
          collectors.get(conn).take(conn.stream());
          SelectionKey key = conn.selectableChannel().orElseThrow().keyFor(selector);
          if (key.isValid()) {
            key.interestOps(conn.interestOps());
          }
        }
      }
    }
    Map<HttpConnection, Response> out = new HashMap<>();
    collectors.forEach((conn, c) -> out.put(conn, c.response()));
    return out;
  }

  /** Gathers the parts of one request. */
  private static final class Collector {
    private final RequestRef ref;
    private final StringBuilder body = new StringBuilder();
    private int status;
    private Headers headers = Headers.empty();
    boolean done;

    Collector(RequestRef ref) {
      this.ref = ref;
    }

    void take(List<ResponsePart> parts) throws MintException {
      for (ResponsePart part : parts) {
        assertEquals(ref, part.ref());
        if (part instanceof ResponsePart.Status s && s.code() >= 200) {
          status = s.code();
        } else if (part instanceof ResponsePart.Headers h && status != 0) {
          headers = h.headers();
        } else if (part instanceof ResponsePart.Data d) {
          body.append(d.bytes().utf8());
        } else if (part instanceof ResponsePart.Done) {
          done = true;
        } else if (part instanceof ResponsePart.RequestError e) {
          throw e.error();
        }
      }
    }

    Response response() {
      return new Response(status, body.toString(), headers);
    }
  }
}
