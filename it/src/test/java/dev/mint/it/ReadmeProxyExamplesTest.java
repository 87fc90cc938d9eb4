// SPDX-License-Identifier: Apache-2.0
package dev.mint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.ProxyOptions;
import dev.mint.ProxyResponse;
import dev.mint.RequestBody;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import dev.mint.TransportException;
import dev.mint.it.h2.JettyH2Server;
import dev.mint.it.h2.Responses;
import dev.mint.it.h2.TrustMaterial;
import dev.mint.proxy.LoopbackServer;
import dev.mint.proxy.ProxyLookup;
import dev.mint.proxy.Scripts;
import dev.mint.proxy.SocksServer;
import dev.mint.proxy.TestCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The code of README.md's "Proxies" section, kept here so that it compiles against the real API and
 * runs against scripted proxies (the proxy module's {@link LoopbackServer}, {@link Scripts} and
 * {@link SocksServer}) in front of embedded Jetty. {@link #everyExampleOfTheSectionIsHere} checks
 * that each Java block of the section appears in this file as written, so the two cannot drift.
 */
@Timeout(30)
class ReadmeProxyExamplesTest {
  private static final Path SOURCE =
      Path.of("src/test/java/dev/mint/it/ReadmeProxyExamplesTest.java");
  private static final Duration WAIT = Duration.ofSeconds(10);

  private static JettyH2Server jetty;
  private static int port;
  private static TlsOptions tls;
  private static Path certs;

  @BeforeAll
  static void start() throws Exception {
    jetty = JettyH2Server.builder().start();
    port = jetty.tlsPort();
    tls = TrustMaterial.trustingTestCa();
    certs = JettyH2Server.CERTS;
  }

  @AfterAll
  static void stop() {
    jetty.close();
  }

  /** README: "Proxies", a tunnel with credentials. */
  static void tunnelWithCredentials(int proxyPort) throws Exception {
    ProxyOptions proxy =
        ProxyOptions.http("127.0.0.1", proxyPort).withCredentials("alice", "s3cret");
    ConnectOptions options =
        ConnectOptions.builder().mode(Mode.PASSIVE).tls(tls).proxy(proxy).build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, "127.0.0.1", port, options)) {
      ProxyResponse.Http reply = (ProxyResponse.Http) conn.proxyResponse().orElseThrow();
      System.out.println(reply.status() + " " + reply.reasonPhrase()); // 200 Connection established
      System.out.println(conn.protocol()); // HTTP2: ALPN ran with the origin, through the tunnel
      conn.request("GET", "/small", Headers.empty(), RequestBody.none());
      // receive as usual
    }
  }

  /** README: "Proxies", an HTTPS proxy. */
  static HttpConnection httpsProxy(int proxyPort) throws Exception {
    ProxyOptions proxy =
        ProxyOptions.https("127.0.0.1", proxyPort)
            .withTls(TlsOptions.defaults().withCaCertificatesPem(certs.resolve("ca.pem")));
    ConnectOptions options =
        ConnectOptions.builder().mode(Mode.PASSIVE).tls(tls).proxy(proxy).build();
    return Mint.connect(Scheme.HTTPS, "127.0.0.1", port, options);
  }

  /** README: "Proxies", forwarding for an http origin. */
  static void forwarding(int proxyPort) throws Exception {
    ProxyOptions proxy =
        ProxyOptions.http("127.0.0.1", proxyPort).withHeaders(Headers.of("x-team", "search"));
    ConnectOptions options = ConnectOptions.builder().mode(Mode.PASSIVE).proxy(proxy).build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTP, "example.com", 80, options)) {
      // Sent to the proxy as "GET http://example.com/hello HTTP/1.1", with x-team: search.
      conn.request("GET", "/hello", Headers.empty(), RequestBody.none());
      boolean done = false;
      while (!done) {
        for (ResponsePart part : conn.recv(Duration.ofSeconds(10))) {
          System.out.println(part); // the response comes from the proxy
          done |= part instanceof ResponsePart.Done;
        }
      }
    }
  }

  /** README: "Proxies", SOCKS5. */
  static void socks5(int socksPort) throws Exception {
    ProxyOptions proxy = ProxyOptions.fromUri("socks5h://bob:pw@127.0.0.1:" + socksPort);
    ConnectOptions options =
        ConnectOptions.builder().mode(Mode.PASSIVE).tls(tls).proxy(proxy).build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, "localhost", port, options)) {
      ProxyResponse.Socks5 reply = (ProxyResponse.Socks5) conn.proxyResponse().orElseThrow();
      System.out.println("the proxy connected from " + reply.boundHost() + ":" + reply.boundPort());
    }
  }

  /** README: "Proxies", from the environment. */
  static HttpConnection fromTheEnvironment(Map<String, String> env) throws Exception {
    // env: System.getenv(), or a map of your own
    ProxyLookup proxies = ProxyLookup.fromEnvironment(env);
    ProxyOptions proxy =
        proxies.proxyFor(Scheme.HTTPS, "127.0.0.1", port).orElse(null); // null: direct
    ConnectOptions options =
        ConnectOptions.builder().mode(Mode.PASSIVE).tls(tls).proxy(proxy).build();
    return Mint.connect(Scheme.HTTPS, "127.0.0.1", port, options);
  }

  /** README: "Proxies", handling a 407. */
  static void handling407(ConnectOptions options) throws Exception {
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, "127.0.0.1", port, options)) {
      System.out.println("through the proxy, speaking " + conn.protocol());
    } catch (TransportException e) {
      if (e.reason() == TransportException.Reason.PROXY_AUTH_REQUIRED
          && e.proxyResponse().orElseThrow() instanceof ProxyResponse.Http reply) {
        List<String> challenges = reply.headers().getAll("proxy-authenticate");
        System.err.println("the proxy wants credentials: " + challenges); // [Basic realm="..."]
        // connect again with proxy.withCredentials(user, password)
      } else {
        throw e;
      }
    }
  }

  // ---- the tests ----

  @Test
  void tunnelWithCredentialsSendsThemToTheProxyOnly() throws Exception {
    try (LoopbackServer proxy = LoopbackServer.tcp(Scripts.connect(Scripts.ESTABLISHED))) {
      tunnelWithCredentials(proxy.port());
      String head = proxy.sessions().get(0).awaitHeads(1).get(0);
      assertEquals("Basic YWxpY2U6czNjcmV0", Scripts.field(head, "proxy-authorization"), head);
    }
  }

  @Test
  void anHttpsProxyCarriesTlsInsideTls() throws Exception {
    try (LoopbackServer proxy =
            LoopbackServer.tls(
                TestCertificates.server("server"), Scripts.connect(Scripts.ESTABLISHED));
        HttpConnection conn = httpsProxy(proxy.port())) {
      assertEquals(Protocol.HTTP2, conn.protocol());
      Responses.Received r =
          new Responses(true)
              .exchange(conn, "GET", "/small", Headers.empty(), RequestBody.none(), WAIT);
      assertEquals(JettyH2Server.SMALL_BODY, r.text());
    }
  }

  @Test
  void forwardingSendsAbsoluteFormWithTheProxyFields() throws Exception {
    try (LoopbackServer proxy = LoopbackServer.tcp(Scripts.origin())) {
      forwarding(proxy.port());
      String head = proxy.sessions().get(0).awaitHeads(1).get(0);
      assertTrue(head.startsWith("GET http://example.com/hello HTTP/1.1\r\n"), head);
      assertEquals("search", Scripts.field(head, "x-team"), head);
    }
  }

  @Test
  void socks5LetsTheProxyResolveTheName() throws Exception {
    SocksServer script = new SocksServer("127.0.0.1", port).requireLogin("bob", "pw");
    try (LoopbackServer proxy = LoopbackServer.tcp(script)) {
      socks5(proxy.port());
      assertEquals(List.of(new SocksServer.Request(3, "localhost", port)), script.requests());
    }
  }

  @Test
  void theEnvironmentNamesTheProxyAndNoProxyExemptsHosts() throws Exception {
    try (LoopbackServer proxy = LoopbackServer.tcp(Scripts.connect(Scripts.ESTABLISHED))) {
      String uri = "http://127.0.0.1:" + proxy.port();
      try (HttpConnection conn = fromTheEnvironment(Map.of("HTTPS_PROXY", uri))) {
        assertTrue(conn.proxyResponse().isPresent(), "through the proxy");
      }
      try (HttpConnection conn =
          fromTheEnvironment(Map.of("https_proxy", uri, "no_proxy", "127.0.0.0/8"))) {
        assertTrue(conn.proxyResponse().isEmpty(), "direct");
      }
      assertEquals(1, proxy.accepted());
    }
  }

  @Test
  void a407IsHandledAndAnyOtherRefusalThrown() throws Exception {
    String challenge =
        "HTTP/1.1 407 Proxy Authentication Required\r\n"
            + "proxy-authenticate: Basic realm=\"proxy\"\r\n\r\n";
    try (LoopbackServer asking = LoopbackServer.tcp(Scripts.answering(challenge));
        LoopbackServer forbidding =
            LoopbackServer.tcp(Scripts.answering("HTTP/1.1 403 Forbidden\r\n\r\n"))) {
      handling407(options(asking.port()));
      TransportException e =
          assertThrows(TransportException.class, () -> handling407(options(forbidding.port())));
      assertEquals(TransportException.Reason.PROXY_REFUSED, e.reason());
    }
  }

  private static ConnectOptions options(int proxyPort) {
    return ConnectOptions.builder()
        .mode(Mode.PASSIVE)
        .tls(tls)
        .proxy(ProxyOptions.http("127.0.0.1", proxyPort))
        .build();
  }

  @Test
  void everyExampleOfTheSectionIsHere() throws IOException {
    List<String> source = Files.readAllLines(SOURCE, StandardCharsets.UTF_8);
    List<String> blocks = ReadmeBlocks.javaBlocks("Proxies");
    for (String block : blocks) {
      assertTrue(
          ReadmeBlocks.appearsIndented(block, source), "not in this test as written:\n" + block);
    }
    assertEquals(6, blocks.size(), "the Java blocks of the Proxies section");
  }
}
