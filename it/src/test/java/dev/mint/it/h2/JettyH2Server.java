// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.h2;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Blocker;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An embedded Jetty 12 server on 127.0.0.1 for the HTTP/2 and TLS tests: a TLS connector (ALPN as
 * configured, the test server certificate by default) and a cleartext HTTP/2 connector (prior
 * knowledge), each on an ephemeral port.
 *
 * <p>Resources:
 *
 * <ul>
 *   <li>every response: {@code x-protocol} naming the protocol the server saw ({@code HTTP/2.0},
 *       {@code HTTP/1.1}), {@code x-authority} the host and port the request named; over TLS also
 *       {@code x-tls-version} and {@code x-sni}, the server name the client sent (or empty);
 *   <li>{@code GET /small}: {@link #SMALL_BODY};
 *   <li>{@code POST|PUT /echo}: the request body streamed back, then the trailers {@code
 *       x-body-length} and {@code x-body-crc32} of what arrived;
 *   <li>{@code POST /crc}: consumes the body, answers {@code "<length> <crc32>"};
 *   <li>{@code GET /stream?n=N}: N bytes of {@link BodyPattern}, with {@code content-length};
 *   <li>{@code GET /trailers}: {@link #TRAILERS_BODY}, then trailers {@code x-mint-trailer: jetty}
 *       and {@code x-body-crc32};
 *   <li>{@code GET /slow?chunks=K&delay=D}: K pieces of 1 KiB of the pattern, D ms apart; counts
 *       how many run at once ({@link #maxConcurrentSlow()});
 *   <li>{@code GET /hold}: answers {@code "released\n"} once {@link #release()} is called.
 * </ul>
 */
public final class JettyH2Server implements AutoCloseable {
  /** The certificate directory of transport-tls's tests, relative to the it module. */
  public static final Path CERTS = Path.of("../transport-tls/src/test/resources/certs");

  /** The body of {@code /small}. */
  public static final String SMALL_BODY = "hello from jetty\n";

  /** The body of {@code /trailers}. */
  public static final String TRAILERS_BODY = "a body followed by trailers\n";

  private final Server server;
  private final ServerConnector tls;
  private final ServerConnector h2c;
  private final AtomicInteger activeSlow = new AtomicInteger();
  private final AtomicInteger maxSlow = new AtomicInteger();
  private final CountDownLatch held = new CountDownLatch(1);
  private final CountDownLatch gate = new CountDownLatch(1);

  private JettyH2Server(Builder b) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(256, 4);
    threads.setName("jetty-h2-test");
    threads.setDaemon(true);
    server = new Server(threads);
    server.setStopTimeout(b.stopTimeoutMillis);
    server.setHandler(new Resources());

    if (b.keyStore != null) {
      SslContextFactory.Server ssl = new SslContextFactory.Server();
      ssl.setKeyStorePath(b.keyStore.toString());
      ssl.setKeyStorePassword("changeit");
      ssl.setKeyStoreType("PKCS12");
      if (b.tlsProtocols != null) {
        ssl.setIncludeProtocols(b.tlsProtocols.toArray(String[]::new));
      }
      HttpConfiguration https = new HttpConfiguration();
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      secure.setSniHostCheck(false); // tests connect to 127.0.0.1 without SNI, too
      https.addCustomizer(secure);
      List<ConnectionFactory> factories = new ArrayList<>();
      if (b.alpn.isEmpty()) {
        // No ALPN at all: the server ignores the client's offer and speaks HTTP/1.1.
        factories.add(new SslConnectionFactory(ssl, "http/1.1"));
        factories.add(new HttpConnectionFactory(https));
      } else {
        ALPNServerConnectionFactory alpn =
            new ALPNServerConnectionFactory(b.alpn.toArray(String[]::new));
        alpn.setDefaultProtocol(b.alpn.get(b.alpn.size() - 1));
        factories.add(new SslConnectionFactory(ssl, alpn.getProtocol()));
        factories.add(alpn);
        if (b.alpn.contains("h2")) {
          factories.add(configure(new HTTP2ServerConnectionFactory(https), b));
        }
        if (b.alpn.contains("http/1.1")) {
          factories.add(new HttpConnectionFactory(https));
        }
      }
      tls = new ServerConnector(server, 1, 1, factories.toArray(ConnectionFactory[]::new));
      tls.setHost("127.0.0.1");
      tls.setPort(0);
      server.addConnector(tls);
    } else {
      tls = null;
    }
    if (b.h2c) {
      h2c =
          new ServerConnector(
              server,
              1,
              1,
              configure(new HTTP2CServerConnectionFactory(new HttpConfiguration()), b));
      h2c.setHost("127.0.0.1");
      h2c.setPort(0);
      server.addConnector(h2c);
    } else {
      h2c = null;
    }
    server.start();
  }

  private static AbstractHTTP2ServerConnectionFactory configure(
      AbstractHTTP2ServerConnectionFactory f, Builder b) {
    f.setMaxConcurrentStreams(b.maxConcurrentStreams);
    f.setInitialStreamRecvWindow(b.initialStreamRecvWindow);
    f.setInitialSessionRecvWindow(b.initialSessionRecvWindow);
    return f;
  }

  /** A builder with the defaults: test server certificate, ALPN h2 and http/1.1, h2c on. */
  public static Builder builder() {
    return new Builder();
  }

  /** The TLS connector's port. */
  public int tlsPort() {
    if (tls == null) {
      throw new IllegalStateException("no TLS connector");
    }
    return tls.getLocalPort();
  }

  /** The cleartext HTTP/2 connector's port. */
  public int h2cPort() {
    if (h2c == null) {
      throw new IllegalStateException("no h2c connector");
    }
    return h2c.getLocalPort();
  }

  /** The most {@code /slow} requests that ran at once. */
  public int maxConcurrentSlow() {
    return maxSlow.get();
  }

  /** Waits (at most {@code seconds}) until a {@code /hold} request is being held. */
  public boolean awaitHeld(long seconds) throws InterruptedException {
    return held.await(seconds, TimeUnit.SECONDS);
  }

  /** Lets every {@code /hold} request answer. */
  public void release() {
    gate.countDown();
  }

  /** Stops the server; graceful (GOAWAY first) when a stop timeout was configured. */
  public void stop() throws Exception {
    server.stop();
  }

  @Override
  public void close() {
    gate.countDown();
    if (!server.isStopped()) {
      try {
        server.stop();
      } catch (Exception e) {
        throw new IllegalStateException("Jetty did not stop", e);
      }
    }
  }

  /** The handler serving every resource; blocking, which Jetty allows on its own threads. */
  private final class Resources extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String path = Request.getPathInContext(request);
      Fields query = Request.extractQueryParameters(request);
      response.getHeaders().put("x-protocol", request.getConnectionMetaData().getProtocol());
      response
          .getHeaders()
          .put(
              "x-authority", request.getHttpURI().getHost() + ":" + request.getHttpURI().getPort());
      if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE)
              instanceof EndPoint.SslSessionData tls
          && tls.sslSession() instanceof ExtendedSSLSession session) {
        response.getHeaders().put("x-tls-version", session.getProtocol());
        response.getHeaders().put("x-sni", serverName(session));
      }
      switch (path) {
        case "/small" -> {
          byte[] body = SMALL_BODY.getBytes(StandardCharsets.UTF_8);
          response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
          response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
          response.write(true, ByteBuffer.wrap(body), callback);
        }
        case "/echo" -> echo(request, response, callback);
        case "/crc" -> {
          long[] lengthAndCrc = consume(request);
          byte[] body =
              (lengthAndCrc[0] + " " + lengthAndCrc[1]).getBytes(StandardCharsets.US_ASCII);
          response.write(true, ByteBuffer.wrap(body), callback);
        }
        case "/stream" -> {
          long n = Long.parseLong(query.getValue("n"));
          response.getHeaders().put(HttpHeader.CONTENT_LENGTH, n);
          for (long at = 0; at < n; ) {
            ByteBuffer piece =
                BodyPattern.slice(at, (int) Math.min(BodyPattern.BLOCK_LENGTH, n - at));
            at += piece.remaining();
            write(response, at == n, piece);
          }
          if (n == 0) {
            write(response, true, ByteBuffer.allocate(0));
          }
          callback.succeeded();
        }
        case "/trailers" -> {
          byte[] body = TRAILERS_BODY.getBytes(StandardCharsets.UTF_8);
          CRC32 crc = new CRC32();
          crc.update(body);
          response.setTrailersSupplier(
              () ->
                  HttpFields.build()
                      .put("x-mint-trailer", "jetty")
                      .put("x-body-crc32", Long.toString(crc.getValue())));
          write(response, false, ByteBuffer.wrap(body));
          response.write(true, ByteBuffer.allocate(0), callback);
        }
        case "/slow" -> slow(query, response, callback);
        case "/hold" -> {
          held.countDown();
          boolean released = gate.await(20, TimeUnit.SECONDS);
          byte[] body = (released ? "released\n" : "timed out\n").getBytes(StandardCharsets.UTF_8);
          response.write(true, ByteBuffer.wrap(body), callback);
        }
        default -> {
          response.setStatus(404);
          response.write(
              true,
              ByteBuffer.wrap("no such resource\n".getBytes(StandardCharsets.UTF_8)),
              callback);
        }
      }
      return true;
    }

    private void echo(Request request, Response response, Callback callback) throws IOException {
      long[] lengthAndCrc = new long[2];
      CRC32 crc = new CRC32();
      response.setTrailersSupplier(
          () ->
              HttpFields.build()
                  .put("x-body-length", Long.toString(lengthAndCrc[0]))
                  .put("x-body-crc32", Long.toString(lengthAndCrc[1])));
      try (InputStream in = Content.Source.asInputStream(request)) {
        byte[] buffer = new byte[64 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
          if (n > 0) {
            crc.update(buffer, 0, n);
            lengthAndCrc[0] += n;
            write(response, false, ByteBuffer.wrap(buffer, 0, n));
          }
        }
      }
      lengthAndCrc[1] = crc.getValue();
      response.write(true, ByteBuffer.allocate(0), callback);
    }

    private void slow(Fields query, Response response, Callback callback) throws Exception {
      int chunks = Integer.parseInt(query.getValue("chunks"));
      int delay = Integer.parseInt(query.getValue("delay"));
      int now = activeSlow.incrementAndGet();
      maxSlow.accumulateAndGet(now, Math::max);
      try {
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, chunks * 1024L);
        for (int i = 0; i < chunks; i++) {
          Thread.sleep(delay);
          write(response, false, BodyPattern.slice(i * 1024L, 1024));
        }
      } finally {
        // Before the last frame: a client that respects MAX_CONCURRENT_STREAMS opens its next
        // stream only after END_STREAM, so it must never see this count exceed the limit.
        activeSlow.decrementAndGet();
      }
      response.write(true, ByteBuffer.allocate(0), callback);
    }
  }

  /** The server name the client sent (SNI, RFC 6066 §3), or {@code ""}. */
  private static String serverName(ExtendedSSLSession session) {
    for (SNIServerName name : session.getRequestedServerNames()) {
      if (name instanceof SNIHostName host) {
        return host.getAsciiName();
      }
    }
    return "";
  }

  private static long[] consume(Request request) throws IOException {
    CRC32 crc = new CRC32();
    long length = 0;
    try (InputStream in = Content.Source.asInputStream(request)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) >= 0; ) {
        crc.update(buffer, 0, n);
        length += n;
      }
    }
    return new long[] {length, crc.getValue()};
  }

  private static void write(Response response, boolean last, ByteBuffer bytes) throws IOException {
    try (Blocker.Callback done = Blocker.callback()) {
      response.write(last, bytes, done);
      done.block();
    }
  }

  /** Configures a {@link JettyH2Server}. */
  public static final class Builder {
    private Path keyStore = CERTS.resolve("server.p12");
    private List<String> alpn = List.of("h2", "http/1.1");
    private List<String> tlsProtocols;
    private boolean h2c = true;
    private int maxConcurrentStreams = 128;
    private int initialStreamRecvWindow = 512 * 1024;
    private int initialSessionRecvWindow = 1024 * 1024;
    private long stopTimeoutMillis;

    private Builder() {}

    /** The server's key store (a {@code .p12} of the certs directory); null: no TLS connector. */
    public Builder keyStore(Path p12) {
      this.keyStore = p12;
      return this;
    }

    /** The ALPN protocols the TLS connector offers, preferred first; empty: no ALPN at all. */
    public Builder alpn(String... protocols) {
      this.alpn = List.of(protocols);
      return this;
    }

    /** The TLS versions the server enables; default: Jetty's. */
    public Builder tlsProtocols(String... versions) {
      this.tlsProtocols = List.of(versions);
      return this;
    }

    /** Whether to open the cleartext HTTP/2 connector. */
    public Builder h2c(boolean on) {
      this.h2c = on;
      return this;
    }

    /** SETTINGS_MAX_CONCURRENT_STREAMS the server announces. */
    public Builder maxConcurrentStreams(int max) {
      this.maxConcurrentStreams = max;
      return this;
    }

    /** The server's receive windows: per stream (SETTINGS_INITIAL_WINDOW_SIZE) and session. */
    public Builder receiveWindows(int stream, int session) {
      this.initialStreamRecvWindow = stream;
      this.initialSessionRecvWindow = session;
      return this;
    }

    /** A graceful stop: GOAWAY, then up to this long for streams in flight. */
    public Builder stopTimeoutMillis(long millis) {
      this.stopTimeoutMillis = millis;
      return this;
    }

    /** Starts the server. */
    public JettyH2Server start() throws Exception {
      return new JettyH2Server(this);
    }
  }
}
