// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The server when nginx is absent: embedded Jetty 12 in the report's own JVM (so not on a core of
 * its own), answering from memory. Its threads share the report process, not the clients': the
 * clients' figures stay their own.
 */
final class JettyServers implements Servers {
  private final Server server;
  private final ServerConnector h1;
  private final ServerConnector h2c;
  private final ServerConnector tls;

  JettyServers(ServerCertificate cert) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName("report-server");
    threads.setDaemon(true);
    server = new Server(threads);
    HttpConfiguration config = new HttpConfiguration();
    h1 = connector(new HttpConnectionFactory(config));
    h2c = connector(new HTTP2CServerConnectionFactory(config));
    HttpConfiguration tlsConfig = new HttpConfiguration(config);
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false);
    tlsConfig.addCustomizer(secure);
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStorePath(cert.keyStore().toString());
    ssl.setKeyStorePassword(ServerCertificate.PASSWORD);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
    alpn.setDefaultProtocol("http/1.1");
    tls =
        connector(
            new SslConnectionFactory(ssl, alpn.getProtocol()),
            alpn,
            new HTTP2ServerConnectionFactory(tlsConfig),
            new HttpConnectionFactory(tlsConfig));
    server.setHandler(new Documents());
    server.start();
  }

  private ServerConnector connector(org.eclipse.jetty.server.ConnectionFactory... factories) {
    ServerConnector c = new ServerConnector(server, 1, 1, factories);
    c.setHost("127.0.0.1");
    c.setPort(0);
    c.setIdleTimeout(TimeUnit.MINUTES.toMillis(10));
    server.addConnector(c);
    return c;
  }

  @Override
  public int h1Port() {
    return h1.getLocalPort();
  }

  @Override
  public int h2cPort() {
    return h2c.getLocalPort();
  }

  @Override
  public int tlsPort() {
    return tls.getLocalPort();
  }

  @Override
  public String description() {
    return "embedded Jetty " + Server.getVersion() + " (nginx not found), in the report's JVM";
  }

  @Override
  public void close() throws IOException {
    try {
      server.stop();
    } catch (Exception e) {
      throw new IOException("Jetty did not stop", e);
    }
  }

  /** Serves the two documents from memory. */
  private static final class Documents extends Handler.Abstract.NonBlocking {
    private final ByteBuffer small;
    private final ByteBuffer large;

    Documents() {
      small = ByteBuffer.wrap(Workload.smallBody()).asReadOnlyBuffer();
      large = ByteBuffer.allocateDirect((int) Workload.LARGE_BODY).asReadOnlyBuffer();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      String path = Request.getPathInContext(request);
      ByteBuffer body =
          Workload.SMALL_PATH.equals(path)
              ? small
              : Workload.LARGE_PATH.equals(path) ? large : null;
      if (body == null) {
        Response.writeError(request, response, callback, 404);
        return true;
      }
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
      response.write(true, body.slice(), callback);
      return true;
    }
  }
}
