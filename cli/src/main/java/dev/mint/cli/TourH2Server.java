// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The embedded HTTP/2 server of the tour: Jetty speaking h2c (HTTP/2 over cleartext, prior
 * knowledge: RFC 9113 §3.3) on 127.0.0.1 and a free port, with the routes of {@link TourServer}:
 * {@code /hello}, {@code /items/N}, {@code POST /upload}. This is server code, on Jetty's threads.
 *
 * <p>It keeps HTTP/2's default initial stream window of 65,535 bytes (RFC 9113 §6.9.2), so that an
 * upload larger than that has to wait for the server's WINDOW_UPDATE frames.
 */
final class TourH2Server implements AutoCloseable {
  /** The initial stream and connection receive window the server announces. */
  static final int INITIAL_WINDOW = 65_535;

  private final Server server;
  private final ServerConnector connector;

  private TourH2Server(Server server, ServerConnector connector) {
    this.server = server;
    this.connector = connector;
  }

  /**
   * Starts the server on 127.0.0.1 and a free port.
   *
   * @throws IOException when it cannot start
   */
  static TourH2Server start() throws IOException {
    QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setName("tour-h2-server");
    threads.setDaemon(true);
    Server server = new Server(threads);
    HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory();
    h2c.setInitialStreamRecvWindow(INITIAL_WINDOW);
    h2c.setInitialSessionRecvWindow(INITIAL_WINDOW);
    h2c.setMaxConcurrentStreams(128);
    ServerConnector connector = new ServerConnector(server, 1, 1, h2c);
    connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(new Routes());
    try {
      server.start();
    } catch (Exception e) {
      throw new IOException("the embedded HTTP/2 server did not start: " + e.getMessage(), e);
    }
    return new TourH2Server(server, connector);
  }

  /** The host to connect to. */
  String host() {
    return connector.getHost();
  }

  /** The port the server listens on. */
  int port() {
    return connector.getLocalPort();
  }

  /** Stops the server, closing every connection. */
  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      // stopping a server of our own that is going away: nothing to tell the user
    }
  }

  /** The routes, as {@link TourServer} serves them over HTTP/1.1. */
  private static final class Routes extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback)
        throws IOException {
      String path = Request.getPathInContext(request);
      String body;
      if (path.equals("/upload")) {
        body = upload(request);
      } else if (path.startsWith("/items/")) {
        body = "item " + path.substring(7);
      } else {
        body = TourServer.HELLO;
      }
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      Content.Sink.write(response, true, body, callback);
      return true;
    }

    private static String upload(Request request) throws IOException {
      try (InputStream in = Content.Source.asInputStream(request)) {
        return TourServer.uploadAnswer(in);
      }
    }
  }
}
