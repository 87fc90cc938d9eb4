// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Embedded Jetty 12 serving WebSockets on loopback: over HTTP/1.1 and HTTP/2 with prior knowledge
 * on one cleartext port, over TLS with ALPN (h2, http/1.1) on another, HTTP/2 without extended
 * CONNECT on a third, and HTTP/2 with 64 KiB receive windows on a fourth. Paths: {@code /echo}
 * echoes each message whole; {@code /fragments} echoes each message back in fragments of at most
 * 1000 bytes; {@code /close} closes with 1001 at once.
 */
final class JettyWebSocketServer {
  static final Path CERTS = Path.of("../transport-tls/src/test/resources/certs");

  private final Server server = new Server();
  private final ServerConnector clear;
  private final ServerConnector tls;
  private final ServerConnector noExtendedConnect;
  private final ServerConnector smallWindows;

  JettyWebSocketServer() throws Exception {
    HttpConfiguration config = new HttpConfiguration();
    clear =
        new ServerConnector(
            server, new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config));
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStorePath(CERTS.resolve("server.p12").toString());
    ssl.setKeyStorePassword("changeit");
    ssl.setKeyStoreType("PKCS12");
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
    tls =
        new ServerConnector(
            server,
            new SslConnectionFactory(ssl, alpn.getProtocol()),
            alpn,
            new HTTP2ServerConnectionFactory(config),
            new HttpConnectionFactory(config));
    HTTP2CServerConnectionFactory withoutConnect = new HTTP2CServerConnectionFactory(config);
    withoutConnect.setConnectProtocolEnabled(false);
    noExtendedConnect = new ServerConnector(server, withoutConnect);
    HTTP2CServerConnectionFactory small = new HTTP2CServerConnectionFactory(config);
    small.setInitialStreamRecvWindow(65_535);
    small.setInitialSessionRecvWindow(65_535);
    smallWindows = new ServerConnector(server, small);
    for (ServerConnector c : List.of(clear, tls, noExtendedConnect, smallWindows)) {
      c.setHost("127.0.0.1");
      server.addConnector(c);
    }
    server.setHandler(
        WebSocketUpgradeHandler.from(
            server,
            container -> {
              container.setMaxBinaryMessageSize(64L << 20);
              container.setMaxTextMessageSize(64L << 20);
              container.setIdleTimeout(Duration.ofSeconds(60));
              container.addMapping("/echo", (rq, rs, cb) -> new Echo(false));
              container.addMapping("/fragments", (rq, rs, cb) -> new Echo(true));
              container.addMapping("/close", (rq, rs, cb) -> new CloseAtOnce());
            }));
    server.start();
  }

  private static JettyWebSocketServer shared;

  /**
   * The server the test classes share, started on first use and left running until the JVM ends.
   */
  static synchronized JettyWebSocketServer shared() throws Exception {
    if (shared == null) {
      shared = new JettyWebSocketServer();
    }
    return shared;
  }

  int clearPort() {
    return clear.getLocalPort();
  }

  int tlsPort() {
    return tls.getLocalPort();
  }

  /** HTTP/2 with prior knowledge and receive windows of 64 KiB, the protocol's initial size. */
  int smallWindowsPort() {
    return smallWindows.getLocalPort();
  }

  int noExtendedConnectPort() {
    return noExtendedConnect.getLocalPort();
  }

  void stop() throws Exception {
    server.stop();
  }

  /** Echoes every message, whole or in fragments of at most 1000 bytes. */
  public static final class Echo extends Session.Listener.AbstractAutoDemanding {
    private final boolean fragmented;

    Echo(boolean fragmented) {
      this.fragmented = fragmented;
    }

    @Override
    public void onWebSocketText(String message) {
      if (!fragmented) {
        getSession().sendText(message, Callback.NOOP);
        return;
      }
      sendTextPieces(message, 0);
    }

    private void sendTextPieces(String message, int from) {
      int to = Math.min(message.length(), from + 1000);
      if (to < message.length() && Character.isHighSurrogate(message.charAt(to - 1))) {
        to--;
      }
      boolean last = to == message.length();
      int next = to;
      getSession()
          .sendPartialText(
              message.substring(from, to),
              last,
              last ? Callback.NOOP : Callback.from(() -> sendTextPieces(message, next), x -> {}));
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
      ByteBuffer copy = ByteBuffer.allocate(payload.remaining()).put(payload).flip();
      callback.succeed();
      if (!fragmented) {
        getSession().sendBinary(copy, Callback.NOOP);
        return;
      }
      sendBinaryPieces(copy);
    }

    private void sendBinaryPieces(ByteBuffer rest) {
      ByteBuffer piece = rest.slice(rest.position(), Math.min(1000, rest.remaining()));
      rest.position(rest.position() + piece.remaining());
      boolean last = !rest.hasRemaining();
      getSession()
          .sendPartialBinary(
              piece,
              last,
              last ? Callback.NOOP : Callback.from(() -> sendBinaryPieces(rest), x -> {}));
    }
  }

  /** Closes with 1001 as soon as the WebSocket is open. */
  public static final class CloseAtOnce extends Session.Listener.AbstractAutoDemanding {
    @Override
    public void onWebSocketOpen(Session session) {
      super.onWebSocketOpen(session);
      session.close(1001, "going away", Callback.NOOP);
    }
  }
}
