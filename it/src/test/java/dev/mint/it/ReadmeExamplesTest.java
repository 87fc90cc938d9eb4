// SPDX-License-Identifier: Apache-2.0
package dev.mint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.mint.ConnectOptions;
import dev.mint.Connector;
import dev.mint.Headers;
import dev.mint.Http2Operations;
import dev.mint.HttpConnection;
import dev.mint.HttpException;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import dev.mint.TransportException;
import dev.mint.http1.Http1ProtocolProvider;
import dev.mint.it.h2.WirePeer;
import dev.mint.spi.ProviderRegistry;
import dev.mint.spi.StandardConnector;
import dev.mint.transport.tcp.TcpTransportProvider;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.io.EndPoint;
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

/**
 * The code shown in README.md, kept here so that it compiles against the real API and runs. When an
 * example changes, change both. The examples of the "Proxies" section are in {@link
 * ReadmeProxyExamplesTest}.
 *
 * <p>Servers, all on 127.0.0.1: the JDK's HTTP/1.1 server for the quick start; an embedded Jetty
 * with a TLS connector (ALPN h2 and http/1.1, the test server certificate of transport-tls), a TLS
 * connector that requires a client certificate, and a cleartext HTTP/2 connector; and a {@link
 * WirePeer} that plays scripted HTTP/2 frames for what Jetty does not do on cue (GOAWAY before any
 * stream, a CONNECT tunnel).
 */
@Timeout(30)
class ReadmeExamplesTest {
  /** The test certificates (see the README there), relative to this module. */
  static final Path CERTS = Path.of("../transport-tls/src/test/resources/certs");

  private static HttpServer server;
  private static int port;
  private static Server jetty;
  private static ServerConnector tls;
  private static ServerConnector tlsClientAuth;
  private static ServerConnector h2c;

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
    startJetty();
  }

  private static void startJetty() throws IOException {
    QueuedThreadPool threads = new QueuedThreadPool(32, 4);
    threads.setName("readme-jetty");
    threads.setDaemon(true);
    jetty = new Server(threads);
    jetty.setHandler(new JettyResources());
    tls = tlsConnector(false);
    tlsClientAuth = tlsConnector(true);
    h2c = new ServerConnector(jetty, 1, 1, new HTTP2CServerConnectionFactory(httpConfig()));
    for (ServerConnector c : List.of(tls, tlsClientAuth, h2c)) {
      c.setHost("127.0.0.1");
      c.setPort(0);
      jetty.addConnector(c);
    }
    try {
      jetty.start();
    } catch (Exception e) {
      throw new IOException("Jetty did not start", e);
    }
  }

  private static HttpConfiguration httpConfig() {
    HttpConfiguration config = new HttpConfiguration();
    SecureRequestCustomizer secure = new SecureRequestCustomizer();
    secure.setSniHostCheck(false); // the examples connect to 127.0.0.1
    config.addCustomizer(secure);
    return config;
  }

  /** TLS with ALPN h2 and http/1.1; {@code needClientAuth} trusts client certificates of the CA. */
  private static ServerConnector tlsConnector(boolean needClientAuth) {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStorePath(CERTS.resolve("server.p12").toString());
    ssl.setKeyStorePassword("changeit");
    ssl.setKeyStoreType("PKCS12");
    if (needClientAuth) {
      ssl.setTrustStorePath(CERTS.resolve("truststore.p12").toString());
      ssl.setTrustStorePassword("changeit");
      ssl.setTrustStoreType("PKCS12");
      ssl.setNeedClientAuth(true);
    }
    ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
    alpn.setDefaultProtocol("http/1.1");
    return new ServerConnector(
        jetty,
        1,
        1,
        new SslConnectionFactory(ssl, alpn.getProtocol()),
        alpn,
        new HTTP2ServerConnectionFactory(httpConfig()),
        new HttpConnectionFactory(httpConfig()));
  }

  @AfterAll
  static void stopServer() throws Exception {
    server.stop(0);
    jetty.stop();
  }

  /**
   * Jetty's resources: {@code POST /upload} reads the body and answers {@code received N bytes};
   * {@code /whoami} answers the subject of the client certificate (or {@code anonymous}); any other
   * path answers {@code hello PATH}.
   */
  private static final class JettyResources extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback)
        throws IOException {
      String path = Request.getPathInContext(request);
      String text;
      if (path.equals("/upload")) {
        long n = 0;
        try (InputStream in = Content.Source.asInputStream(request)) {
          byte[] buffer = new byte[64 * 1024];
          for (int r; (r = in.read(buffer)) > 0; ) {
            n += r;
          }
        }
        text = "received " + n + " bytes";
      } else if (path.equals("/whoami")) {
        text = "anonymous";
        if (request.getAttribute(EndPoint.SslSessionData.ATTRIBUTE)
                instanceof EndPoint.SslSessionData session
            && session.peerCertificates() != null
            && session.peerCertificates().length > 0) {
          X509Certificate client = session.peerCertificates()[0];
          text = client.getSubjectX500Principal().getName();
        }
      } else {
        text = "hello " + path;
      }
      response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
      Content.Sink.write(response, true, text, callback);
      return true;
    }
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

  // ---------------------------------------------------------------- TLS

  /** README: "TLS", trusting the CA of a PEM file; connecting to an address with a host name. */
  static Protocol trustedCa(Path certs, int port) throws MintException {
    TlsOptions tls = TlsOptions.defaults().withCaCertificatesPem(certs.resolve("ca.pem"));
    ConnectOptions options =
        ConnectOptions.builder().mode(Mode.PASSIVE).hostname("localhost").tls(tls).build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, "127.0.0.1", port, options)) {
      System.out.println(conn.protocol()); // HTTP2: the server selected h2 by ALPN
      return conn.protocol();
    }
  }

  /** README: "TLS", a client certificate. */
  static HttpConnection clientCertificate(Path certs, int port)
      throws IOException, GeneralSecurityException {
    KeyStore client = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(certs.resolve("client.p12"))) {
      client.load(in, "changeit".toCharArray());
    }
    TlsOptions tls =
        TlsOptions.defaults()
            .withCaCertificatesPem(certs.resolve("ca.pem"))
            .withClientCertificate(client, "changeit".toCharArray());
    ConnectOptions options = ConnectOptions.builder().mode(Mode.PASSIVE).tls(tls).build();
    return Mint.connect(Scheme.HTTPS, "127.0.0.1", port, options);
  }

  /** README: "TLS", trusting everything (tests only). */
  static HttpConnection insecure(int port) throws MintException {
    TlsOptions tls = TlsOptions.defaults().withInsecureTrustAllCertificates(true); // tests only
    ConnectOptions options = ConnectOptions.builder().mode(Mode.PASSIVE).tls(tls).build();
    return Mint.connect(Scheme.HTTPS, "127.0.0.1", port, options);
  }

  /** README: "TLS", errors. */
  static TransportException.Reason tlsErrors(int port, ConnectOptions options)
      throws MintException {
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, "127.0.0.1", port, options)) {
      System.out.println("connected, speaking " + conn.protocol());
      return null;
    } catch (TransportException e) {
      switch (e.reason()) {
        case UNTRUSTED_CERTIFICATE, EXPIRED_CERTIFICATE, HOSTNAME_MISMATCH ->
            System.err.println("the server's certificate is not acceptable: " + e.getMessage());
        case ALPN_NOT_NEGOTIATED, UNEXPECTED_ALPN_PROTOCOL ->
            System.err.println("no HTTP version in common: " + e.getMessage());
        case TLS_HANDSHAKE_FAILED -> System.err.println("TLS failed: " + e.getMessage());
        default -> throw e; // not TLS: refused, timed out, ...
      }
      return e.reason();
    }
  }

  // ---------------------------------------------------------------- HTTP/2

  /** README: "HTTP/2", prior knowledge and several requests on one connection. */
  static Map<RequestRef, String> multiplexed(int port) throws MintException {
    ConnectOptions options =
        ConnectOptions.builder().mode(Mode.PASSIVE).protocols(Protocol.HTTP2).build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTP, "127.0.0.1", port, options)) {
      Map<RequestRef, StringBuilder> bodies = new LinkedHashMap<>();
      for (String path : List.of("/a", "/b", "/c")) {
        RequestRef ref = conn.request("GET", path, Headers.empty(), RequestBody.none());
        bodies.put(ref, new StringBuilder());
      }
      int done = 0;
      while (done < bodies.size()) {
        for (ResponsePart part : conn.recv(Duration.ofSeconds(10))) {
          if (part instanceof ResponsePart.Data d) {
            bodies.get(part.ref()).append(d.bytes().utf8()); // parts of streams interleave
          } else if (part instanceof ResponsePart.Done) {
            done++;
          } else if (part instanceof ResponsePart.RequestError e) {
            throw e.error();
          }
        }
      }
      Map<RequestRef, String> result = new LinkedHashMap<>();
      bodies.forEach((ref, body) -> result.put(ref, body.toString()));
      return result;
    }
  }

  /** README: "HTTP/2", {@code Http2Operations}. */
  static Duration http2Operations(HttpConnection conn) throws MintException {
    Http2Operations h2 = conn.http2().orElseThrow(); // empty on an HTTP/1.1 connection
    long start = System.nanoTime();
    RequestRef ping = h2.ping();
    boolean ponged = false;
    while (!ponged) {
      for (ResponsePart part : conn.recv(Duration.ofSeconds(10))) {
        ponged |= part instanceof ResponsePart.Pong && part.ref() == ping;
      }
    }
    Duration roundTrip = Duration.ofNanos(System.nanoTime() - start);
    System.out.println("PING round trip: " + roundTrip.toNanos() / 1000 + " us");
    System.out.println(
        "the server allows "
            + h2.maxConcurrentStreams()
            + " streams; "
            + h2.openStreamCount()
            + " open; we may send "
            + h2.connectionSendWindow()
            + " body bytes");
    // A smaller receive window per stream; it applies once the server acknowledges it.
    h2.updateSettings(h2.clientSettings().withInitialWindowSize(1 << 20));
    return roundTrip;
  }

  /** README: "HTTP/2", a streamed upload under flow control. */
  static String upload(HttpConnection conn, int chunks) throws MintException {
    Http2Operations h2 = conn.http2().orElseThrow();
    RequestRef ref = conn.request("POST", "/upload", Headers.empty(), RequestBody.streaming());
    List<ResponsePart> parts = new ArrayList<>();
    ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
    for (int i = 0; i < chunks; i++) {
      // Body bytes beyond the server's windows wait inside the connection: keep that bounded
      // by receiving, which lets the server's WINDOW_UPDATE frames in and sends what they allow;
      // recvOnce returns once they are in, even though they make no part.
      while (h2.queuedRequestBodyBytes() > 1 << 20) {
        parts.addAll(conn.recvOnce(Duration.ofSeconds(10)));
      }
      conn.streamRequestBody(ref, chunk.clear());
    }
    conn.endRequestBody(ref);
    StringBuilder answer = new StringBuilder();
    boolean done = false;
    while (!done) {
      for (ResponsePart part : parts) {
        if (part instanceof ResponsePart.Data d) {
          answer.append(d.bytes().utf8());
        } else if (part instanceof ResponsePart.Done) {
          done = true;
        } else if (part instanceof ResponsePart.RequestError e) {
          throw e.error();
        }
      }
      parts = done ? List.of() : conn.recv(Duration.ofSeconds(10));
    }
    return answer.toString();
  }

  /** README: "HTTP/2", GOAWAY. */
  static List<RequestRef> retrySafe(HttpConnection conn, List<RequestRef> sent)
      throws MintException {
    List<RequestRef> retry = new ArrayList<>();
    Set<RequestRef> waiting = new HashSet<>(sent);
    while (!waiting.isEmpty()) {
      for (ResponsePart part : conn.recv(Duration.ofSeconds(10))) {
        if (part instanceof ResponsePart.Done) {
          waiting.remove(part.ref());
        } else if (part instanceof ResponsePart.RequestError e) {
          waiting.remove(part.ref());
          if (e.error() instanceof HttpException h && h.isRetrySafe()) {
            retry.add(part.ref()); // the server never processed it: send it on a new connection
          } else {
            throw e.error();
          }
        }
      }
    }
    return retry;
  }

  /** README: "HTTP/2", a CONNECT tunnel. */
  static String tunnel(HttpConnection conn) throws IOException {
    RequestRef tunnel =
        conn.request("CONNECT", "db.example:5432", Headers.empty(), RequestBody.streaming());
    StringBuilder received = new StringBuilder();
    boolean done = false;
    while (!done) {
      for (ResponsePart part : conn.recv(Duration.ofSeconds(10))) {
        if (part instanceof ResponsePart.Status s && s.code() / 100 != 2) {
          throw new IOException("the tunnel was refused: " + s.code());
        } else if (part instanceof ResponsePart.Headers) {
          // The 2xx headers: the tunnel is open, and bytes flow both ways as DATA.
          conn.streamRequestBody(
              tunnel, ByteBuffer.wrap("hello\n".getBytes(StandardCharsets.UTF_8)));
          conn.endRequestBody(tunnel); // END_STREAM: we send nothing more
        } else if (part instanceof ResponsePart.Data d) {
          received.append(d.bytes().utf8());
        } else if (part instanceof ResponsePart.Done) {
          done = true; // the far end closed its side too
        } else if (part instanceof ResponsePart.RequestError e) {
          throw e.error();
        }
      }
    }
    return received.toString();
  }

  private static void handle(List<ResponsePart> parts) {
    parts.forEach(System.out::println);
  }

  /** A passive cleartext HTTP/2 connection (prior knowledge) to 127.0.0.1:{@code port}. */
  private static HttpConnection connectWithPriorKnowledge(int port) throws MintException {
    ConnectOptions options =
        ConnectOptions.builder().mode(Mode.PASSIVE).protocols(Protocol.HTTP2).build();
    return Mint.connect(Scheme.HTTP, "127.0.0.1", port, options);
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

  @Test
  void trustedCaExampleNegotiatesHttp2ByAlpn() throws Exception {
    assertEquals(Protocol.HTTP2, trustedCa(CERTS, tls.getLocalPort()));
  }

  @Test
  void clientCertificateExampleIsSeenByTheServer() throws Exception {
    try (HttpConnection conn = clientCertificate(CERTS, tlsClientAuth.getLocalPort())) {
      RequestRef ref = conn.request("GET", "/whoami", Headers.empty(), RequestBody.none());
      assertEquals("CN=Mint Test Client,O=Mint Test", CollectedResponse.recv(conn, ref).text());
    }
  }

  @Test
  void withoutAClientCertificateTheServerRefuses() {
    // The same options without the key store: the server ends the handshake, either before
    // connect() returns (TLS 1.2) or at the first read (TLS 1.3, where client auth comes later).
    TlsOptions trustOnly = TlsOptions.defaults().withCaCertificatesPem(CERTS.resolve("ca.pem"));
    ConnectOptions options = ConnectOptions.builder().mode(Mode.PASSIVE).tls(trustOnly).build();
    assertThrows(
        MintException.class,
        () -> {
          try (HttpConnection conn =
              Mint.connect(Scheme.HTTPS, "127.0.0.1", tlsClientAuth.getLocalPort(), options)) {
            RequestRef ref = conn.request("GET", "/whoami", Headers.empty(), RequestBody.none());
            CollectedResponse.recv(conn, ref);
          }
        });
  }

  @Test
  void insecureExampleTrustsTheTestCertificate() throws Exception {
    try (HttpConnection conn = insecure(tls.getLocalPort())) {
      RequestRef ref = conn.request("GET", "/x", Headers.empty(), RequestBody.none());
      assertEquals("hello /x", CollectedResponse.recv(conn, ref).text());
    }
  }

  @Test
  void tlsErrorsExampleNamesTheReason() throws Exception {
    ConnectOptions jdkTrust = ConnectOptions.builder().mode(Mode.PASSIVE).build();
    assertEquals(
        TransportException.Reason.UNTRUSTED_CERTIFICATE, tlsErrors(tls.getLocalPort(), jdkTrust));
    ConnectOptions trusted =
        ConnectOptions.builder()
            .tls(TlsOptions.defaults().withCaCertificatesPem(CERTS.resolve("ca.pem")))
            .build();
    assertNull(tlsErrors(tls.getLocalPort(), trusted));
    // Not a TLS failure: rethrown.
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    TransportException refused =
        assertThrows(TransportException.class, () -> tlsErrors(closed, trusted));
    assertEquals(TransportException.Reason.CONNECTION_REFUSED, refused.reason());
  }

  @Test
  void multiplexedExampleGetsEveryBodyOnOneConnection() throws Exception {
    Map<RequestRef, String> bodies = multiplexed(h2c.getLocalPort());
    assertEquals(List.of("hello /a", "hello /b", "hello /c"), List.copyOf(bodies.values()));
  }

  @Test
  void http2OperationsExamplePingsAndChangesSettings() throws Exception {
    try (HttpConnection conn = connectWithPriorKnowledge(h2c.getLocalPort())) {
      Duration roundTrip = http2Operations(conn);
      assertTrue(roundTrip.compareTo(Duration.ofSeconds(10)) < 0, roundTrip::toString);
      Http2Operations h2 = conn.http2().orElseThrow();
      assertTrue(h2.serverSettingsReceived());
      // A request after the SETTINGS: its response comes after the server's acknowledgement.
      RequestRef ref = conn.request("GET", "/after", Headers.empty(), RequestBody.none());
      assertEquals("hello /after", CollectedResponse.recv(conn, ref).text());
      assertEquals(1 << 20, h2.clientSettings().initialWindowSize());
      assertFalse(h2.clientSettings().enablePush(), "push stays off");
    }
  }

  @Test
  void uploadExampleSendsEveryByteUnderFlowControl() throws Exception {
    try (HttpConnection conn = connectWithPriorKnowledge(h2c.getLocalPort())) {
      // 4 MiB: far beyond Jetty's initial windows, so the upload waits for WINDOW_UPDATE frames.
      assertEquals("received " + (64 * 64 * 1024) + " bytes", upload(conn, 64));
      assertEquals(0, conn.http2().orElseThrow().queuedRequestBodyBytes());
    }
  }

  @Test
  void goAwayExampleCollectsTheRequestsToRetry() throws Exception {
    try (WirePeer peer =
        new WirePeer(
            p -> {
              p.write(WirePeer.GOAWAY, 0, 0, WirePeer.goAway(0, 0)); // NO_ERROR, no stream taken
              while (p.read() != null) {
                // read and drop everything until the client closes
              }
              return null;
            })) {
      try (HttpConnection conn = connectWithPriorKnowledge(peer.port())) {
        List<RequestRef> sent = new ArrayList<>();
        for (String path : List.of("/a", "/b")) {
          sent.add(conn.request("GET", path, Headers.empty(), RequestBody.none()));
        }
        assertEquals(sent, retrySafe(conn, sent));
      }
    }
  }

  @Test
  void tunnelExampleCarriesBytesBothWays() throws Exception {
    try (WirePeer peer =
        new WirePeer(
            p -> {
              // Every HEADERS is answered with :status 200, which is 0x88 in HPACK's static table
              // (RFC 7541 Appendix A, index 8); DATA is echoed, END_STREAM included.
              for (WirePeer.Frame f; (f = p.readSignificant()) != null; ) {
                if (f.type() == WirePeer.HEADERS) {
                  p.write(
                      WirePeer.HEADERS,
                      WirePeer.FLAG_END_HEADERS,
                      f.stream(),
                      new byte[] {(byte) 0x88});
                } else if (f.type() == WirePeer.DATA) {
                  if (f.payload().length > 0) {
                    p.write(
                        WirePeer.DATA, 0, f.stream(), f.payload()); // the client sends no padding
                  }
                  if ((f.flags() & WirePeer.FLAG_END_STREAM) != 0) {
                    p.write(WirePeer.DATA, WirePeer.FLAG_END_STREAM, f.stream(), new byte[0]);
                  }
                }
              }
              return null;
            })) {
      try (HttpConnection conn = connectWithPriorKnowledge(peer.port())) {
        assertEquals("hello\n", tunnel(conn));
      }
    }
  }
}
