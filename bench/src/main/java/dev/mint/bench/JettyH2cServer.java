// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.util.thread.ScheduledExecutorScheduler;

/**
 * The HTTP/2 comparison's server: embedded Jetty 12 on 127.0.0.1, cleartext, one connector with one
 * acceptor and one selector. It answers every request with the same {@code 200}: {@code
 * content-type}, {@code content-length} and a fixed body of a configured size (Jetty adds {@code
 * date}).
 *
 * <p>The connector speaks HTTP/1.1 and h2c, so that both ways into cleartext HTTP/2 work: prior
 * knowledge (the client starts with the connection preface, RFC 9113 §3.3; Mint and Jetty's
 * client), and {@code Upgrade: h2c} on a first HTTP/1.1 request (RFC 7540 §3.2; the JDK client,
 * which has no prior-knowledge mode). It counts the HTTP/2 connections that carried requests and
 * the requests answered over HTTP/1.1, so that a run can show that every client stayed on its one
 * HTTP/2 connection.
 *
 * <p>The handler does not block, so Jetty may run it on the thread that parsed the request. Every
 * thread of the server (pool and scheduler) is named with {@link
 * AllocationMeter#SERVER_THREAD_PREFIX}, so that allocation measurements leave them out. Idle
 * connections are kept for 10 minutes: a client's connection stays open from one round to the next.
 */
public final class JettyH2cServer implements AutoCloseable {
  private final Server server;
  private final ServerConnector connector;
  private final Set<Connection> http2Connections = ConcurrentHashMap.newKeySet();
  private final AtomicLong http1Requests = new AtomicLong();

  /**
   * Starts a server whose responses carry a body of {@code bodySize} bytes and which announces
   * SETTINGS_MAX_CONCURRENT_STREAMS {@code maxConcurrentStreams}.
   */
  public JettyH2cServer(int bodySize, int maxConcurrentStreams) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool();
    threads.setName(AllocationMeter.SERVER_THREAD_PREFIX + "-h2c");
    threads.setDaemon(true);
    server =
        new Server(
            threads,
            new ScheduledExecutorScheduler(
                AllocationMeter.SERVER_THREAD_PREFIX + "-h2c-scheduler", true),
            null);
    HttpConfiguration config = new HttpConfiguration();
    HTTP2CServerConnectionFactory h2c = new HTTP2CServerConnectionFactory(config);
    h2c.setMaxConcurrentStreams(maxConcurrentStreams);
    connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory(config), h2c);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    connector.setIdleTimeout(TimeUnit.MINUTES.toMillis(10));
    server.addConnector(connector);
    server.setHandler(new FixedResponse(body(bodySize)));
    server.start();
  }

  /** The body of every response: {@code bodySize} bytes of the letters a to z, repeated. */
  static byte[] body(int bodySize) {
    byte[] body = new byte[bodySize];
    for (int i = 0; i < bodySize; i++) {
      body[i] = (byte) ('a' + i % 26);
    }
    return body;
  }

  /** The port bound on 127.0.0.1. */
  public int port() {
    return connector.getLocalPort();
  }

  /**
   * The HTTP/2 connections (with prior knowledge or by upgrade) that have carried at least one
   * request so far.
   */
  public long http2Connections() {
    return http2Connections.size();
  }

  /** Requests answered over HTTP/1.1 so far. */
  public long http1Requests() {
    return http1Requests.get();
  }

  /**
   * Stops the server and its threads.
   *
   * @throws IOException when Jetty fails to stop
   */
  @Override
  public void close() throws IOException {
    try {
      server.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping Jetty", e);
    } catch (Exception e) {
      throw new IOException("Jetty did not stop", e);
    }
  }

  /** Answers every request with the fixed response. */
  private final class FixedResponse extends Handler.Abstract.NonBlocking {
    private final ByteBuffer body;

    FixedResponse(byte[] body) {
      this.body = ByteBuffer.wrap(body).asReadOnlyBuffer();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
      ConnectionMetaData connection = request.getConnectionMetaData();
      if (connection.getHttpVersion() == HttpVersion.HTTP_2) {
        // One look-up in a small set per request, the same for every client; connections are
        // compared by identity (Jetty's do not override equals).
        http2Connections.add(connection.getConnection());
      } else {
        http1Requests.incrementAndGet();
      }
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/octet-stream");
      response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.remaining());
      // A view per response: the bytes are shared, the position is not.
      response.write(true, body.slice(), callback);
      return true;
    }
  }
}
