// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import static dev.mint.cli.CommandRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code mint load} over TLS against Jetty, where ALPN picks h2 (or http/1.1 when forced). */
@Timeout(60)
class LoadTlsTest {
  private static final Path CERTS = Path.of("../transport-tls/src/test/resources/certs");

  private static Server server;
  private static ServerConnector connector;

  @BeforeAll
  static void start() throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setDaemon(true);
    server = new Server(threads);
    SslContextFactory.Server tls = new SslContextFactory.Server();
    tls.setKeyStorePath(CERTS.resolve("server.p12").toString());
    tls.setKeyStorePassword("changeit");
    tls.setKeyStoreType("PKCS12");
    HttpConfiguration config = new HttpConfiguration();
    config.addCustomizer(new SecureRequestCustomizer(false));
    HttpConnectionFactory h1 = new HttpConnectionFactory(config);
    HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(config);
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
    alpn.setDefaultProtocol("http/1.1");
    SslConnectionFactory ssl = new SslConnectionFactory(tls, alpn.getProtocol());
    connector = new ServerConnector(server, 1, 1, ssl, alpn, h2, h1);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    server.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            Content.Sink.write(response, true, "over tls\n", callback);
            return true;
          }
        });
    server.start();
  }

  @AfterAll
  static void stop() throws Exception {
    server.stop();
  }

  @Test
  void alpnPicksH2() {
    CommandRun r = run("load", "--cacert", ca(), "-c", "2", "-m", "4", "-n", "40", url());
    assertEquals(0, r.exit(), r.err() + r.out());
    assertTrue(r.out().contains(" over h2, 2 connections, 4 in flight each"), r.out());
    assertTrue(r.out().contains("40 done, 40 succeeded"), r.out());
  }

  @Test
  void http11OverTls() {
    CommandRun r = run("load", "--http1.1", "-k", "-m", "2", "-n", "20", url());
    assertEquals(0, r.exit(), r.err() + r.out());
    assertTrue(r.out().contains(" over http/1.1, 1 connection, 2 in flight each"), r.out());
    assertTrue(r.out().contains("20 done, 20 succeeded"), r.out());
  }

  @Test
  void anUntrustedCertificateExits60() {
    assertEquals(ExitStatus.PEER_FAILED_VERIFICATION, run("load", "-n", "1", url()).exit());
  }

  private static String url() {
    return "https://127.0.0.1:" + connector.getLocalPort() + "/";
  }

  private static String ca() {
    return CERTS.resolve("ca.pem").toString();
  }
}
