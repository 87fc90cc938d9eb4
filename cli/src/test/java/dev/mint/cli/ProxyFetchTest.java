// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import static dev.mint.cli.CommandRun.run;
import static dev.mint.cli.CommandRun.runWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsServer;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The command through proxies ({@link TestProxy}) in front of the tour's embedded http server and a
 * JDK https server: forwarding, {@code CONNECT} tunnels, TLS inside TLS through an HTTPS proxy,
 * SOCKS5, the proxy chosen from the environment as curl chooses it, what {@code -v} shows, and the
 * exit status of each proxy failure.
 */
@Timeout(30)
class ProxyFetchTest {
  private static final String CA = TlsFetchTest.CERTS.resolve("ca.pem").toString();

  private static TourServer http;
  private static HttpsServer https;
  private static String httpUrl;
  private static String httpsUrl;

  @BeforeAll
  static void startOrigins() throws Exception {
    http = TourServer.start();
    httpUrl = "http://" + http.host() + ":" + http.port() + "/hello";
    https = TlsFetchTest.start("server.p12");
    httpsUrl = TlsFetchTest.url(https);
  }

  @AfterAll
  static void stopOrigins() {
    http.close();
    https.stop(0);
  }

  private static String at(String scheme, TestProxy proxy) {
    return scheme + "://127.0.0.1:" + proxy.port();
  }

  private static int closedPort() throws Exception {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    }
  }

  // ---- HTTP proxies ----

  @Test
  void anHttpUrlIsForwardedInAbsoluteFormWithTheProxyFields() throws Exception {
    try (TestProxy proxy = TestProxy.http("alice", "s3cret")) {
      CommandRun r =
          run(
              "-v",
              "-x",
              at("http", proxy),
              "-U",
              "alice:s3cret",
              "--proxy-header",
              "x-team: search",
              httpUrl);
      assertEquals(Main.EXIT_OK, r.exit(), r.err());
      assertEquals("forwarded GET " + httpUrl + "\n", r.out());
      String head = proxy.requests().get(0);
      assertTrue(head.startsWith("GET " + httpUrl + " HTTP/1.1\r\n"), head);
      assertEquals("search", TestProxy.field(head, "x-team"));
      String err = r.err();
      assertTrue(err.contains("ms * proxy http://127.0.0.1:" + proxy.port() + " (from --proxy)"));
      assertTrue(err.contains("ms * forwarding: each request goes to the proxy"), err);
      assertTrue(err.contains("ms > GET " + httpUrl + "\n"), err);
      assertTrue(err.contains("ms >   proxy-authorization: Basic ***\n"), err);
      assertFalse(err.contains("czNjcmV0") || err.contains("s3cret"), "no password: " + err);
    }
  }

  @Test
  void anHttpsUrlGoesThroughAConnectTunnelAndVerboseShowsTheExchange() throws Exception {
    try (TestProxy proxy = TestProxy.http("alice", "s3cret")) {
      CommandRun r =
          run(
              "-v",
              "--cacert",
              CA,
              "--proxy",
              "http://alice:s3cret@127.0.0.1:" + proxy.port(),
              "--proxy-header",
              "x-team: search",
              httpsUrl);
      assertEquals(Main.EXIT_OK, r.exit(), r.err());
      assertEquals(TlsFetchTest.BODY, r.out());
      String authority = "127.0.0.1:" + https.getAddress().getPort();
      String head = proxy.requests().get(0);
      assertTrue(head.startsWith("CONNECT " + authority + " HTTP/1.1\r\n"), head);
      String err = r.err();
      assertTrue(err.contains("ms * tunnel: CONNECT to " + authority + "\n"), err);
      assertTrue(err.contains("ms > CONNECT " + authority + " HTTP/1.1\n"), err);
      assertTrue(err.contains("ms >   host: " + authority + "\n"), err);
      assertTrue(err.contains("ms >   x-team: search\n"), err);
      assertTrue(err.contains("ms >   proxy-authorization: Basic ***\n"), err);
      assertTrue(err.contains("ms >   user-agent: mint-java/"), err);
      assertTrue(err.contains("ms < proxy: 200 Connection established\n"), err);
      assertTrue(err.contains("ms <   proxy-agent: test-proxy\n"), err);
      assertTrue(err.contains("ms * TLS TLSv1.3"), "TLS to the origin, inside: " + err);
      assertFalse(err.contains("s3cret"), err);
    }
  }

  @Test
  void proxytunnelTunnelsAnHttpUrlToo() throws Exception {
    try (TestProxy proxy = TestProxy.http(null, null)) {
      CommandRun r = run("-p", "-x", at("http", proxy), httpUrl);
      assertEquals(Main.EXIT_OK, r.exit(), r.err());
      assertEquals(TourServer.HELLO, r.out(), "the origin's answer, through the tunnel");
      assertTrue(proxy.requests().get(0).startsWith("CONNECT 127.0.0.1:"));
    }
  }

  @Test
  void a407IsExit56WithTheChallengeAndWhatToPass() throws Exception {
    try (TestProxy proxy = TestProxy.http("alice", "s3cret")) {
      CommandRun r = run("-x", at("http", proxy), "--cacert", CA, httpsUrl);
      assertEquals(ProxyFailure.TUNNEL_REFUSED, r.exit(), r.err());
      assertTrue(r.err().startsWith("mint: PROXY_AUTH_REQUIRED: "), r.err());
      assertTrue(r.err().contains("(proxy-authenticate: Basic realm=\"test\")\n"), r.err());
      assertTrue(
          r.err()
              .contains(
                  "\nmint: the proxy asks for credentials; pass --proxy-user USER:PASSWORD\n"),
          r.err());
      assertEquals(2, r.err().lines().count(), r.err());
      assertEquals("", r.out());
    }
  }

  @Test
  void wrongCredentialsAre407TooAndVerboseShowsTheRefusal() throws Exception {
    try (TestProxy proxy = TestProxy.http("alice", "s3cret")) {
      CommandRun r = run("-v", "-x", at("http", proxy), "-U", "alice:nope", httpsUrl);
      assertEquals(ProxyFailure.TUNNEL_REFUSED, r.exit(), r.err());
      assertTrue(r.err().contains("ms < proxy: 407 Proxy Authentication Required\n"), r.err());
      assertTrue(r.err().contains("ms <   proxy-authenticate: Basic realm=\"test\"\n"), r.err());
      assertTrue(r.err().contains("\nmint: the proxy refused the credentials given\n"), r.err());
    }
  }

  @Test
  void tlsInsideTlsThroughAnHttpsProxy() throws Exception {
    try (TestProxy proxy = TestProxy.https(TlsFetchTest.serverContext("server.p12"))) {
      CommandRun r = run("-x", at("https", proxy), "--proxy-cacert", CA, "--cacert", CA, httpsUrl);
      assertEquals(Main.EXIT_OK, r.exit(), r.err());
      assertEquals(TlsFetchTest.BODY, r.out());
    }
  }

  @Test
  void anHttpsProxyWhoseCertificateIsNotTrustedSaysWhichFlagTrustsIt() throws Exception {
    try (TestProxy proxy = TestProxy.https(TlsFetchTest.serverContext("server.p12"))) {
      CommandRun r = run("-x", at("https", proxy), "--cacert", CA, httpsUrl);
      assertEquals(ExitStatus.PEER_FAILED_VERIFICATION, r.exit(), r.err());
      assertTrue(r.err().startsWith("mint: UNTRUSTED_CERTIFICATE: "), r.err());
      assertTrue(r.err().contains("--proxy-cacert FILE or --proxy-insecure"), r.err());

      CommandRun insecure =
          run("-x", at("https", proxy), "--proxy-insecure", "--cacert", CA, httpsUrl);
      assertEquals(Main.EXIT_OK, insecure.exit(), insecure.err());
      assertTrue(insecure.err().startsWith("mint: warning: --proxy-insecure: "), insecure.err());
    }
  }

  @Test
  void aProxyWhereNothingListensIsExit7() throws Exception {
    CommandRun r = run("-x", "http://127.0.0.1:" + closedPort(), httpUrl);
    assertEquals(ProxyFailure.COULD_NOT_CONNECT, r.exit(), r.err());
    assertTrue(r.err().startsWith("mint: CONNECTION_REFUSED: "), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  @Test
  void aProxyNameThatDoesNotResolveIsExit5() {
    CommandRun r = run("-x", "http://no-such-proxy.invalid:3128", httpUrl);
    assertEquals(ProxyFailure.COULD_NOT_RESOLVE_PROXY, r.exit(), r.err());
    assertTrue(r.err().startsWith("mint: UNRESOLVED_HOST: "), r.err());
  }

  @Test
  void aProxyThatNeverAnswersIsExit28() throws Exception {
    try (TestProxy proxy = TestProxy.silent()) {
      CommandRun r = run("--timeout", "0.5", "-x", at("http", proxy), httpsUrl);
      assertEquals(ProxyFailure.TIMED_OUT, r.exit(), r.err());
      assertTrue(r.err().startsWith("mint: CONNECT_TIMEOUT: "), r.err());
      assertTrue(proxy.requests().get(0).startsWith("CONNECT "), "the CONNECT was sent");
    }
  }

  // ---- SOCKS5 ----

  @Test
  void socks5WithCredentialsAndVerbose() throws Exception {
    try (TestProxy proxy = TestProxy.socks5("bob", "pw", 0)) {
      CommandRun r =
          run("-v", "--cacert", CA, "-x", "socks5h://bob:pw@127.0.0.1:" + proxy.port(), httpsUrl);
      assertEquals(Main.EXIT_OK, r.exit(), r.err());
      assertEquals(TlsFetchTest.BODY, r.out());
      String authority = "127.0.0.1:" + https.getAddress().getPort();
      assertEquals("SOCKS5 " + authority, proxy.requests().get(0));
      assertTrue(
          r.err()
              .contains(
                  "ms > SOCKS5 CONNECT "
                      + authority
                      + " (the proxy resolves the name; user bob (RFC 1929))\n"),
          r.err());
      assertTrue(
          r.err().contains("ms < SOCKS5 reply 0 (succeeded), bound address 127.0.0.1:1080\n"),
          r.err());
    }
  }

  @Test
  void socks5Failures() throws Exception {
    try (TestProxy auth = TestProxy.socks5("bob", "pw", 0);
        TestProxy refusing = TestProxy.socks5(null, null, 5)) {
      CommandRun wrong = run("-x", "socks5://127.0.0.1:" + auth.port(), "-U", "bob:no", httpUrl);
      assertEquals(ProxyFailure.SOCKS_FAILED, wrong.exit(), wrong.err());
      assertTrue(wrong.err().startsWith("mint: PROXY_AUTH_FAILED: "), wrong.err());

      CommandRun none = run("-x", "socks5://127.0.0.1:" + auth.port(), httpUrl);
      assertEquals(ProxyFailure.SOCKS_FAILED, none.exit(), none.err());
      assertTrue(none.err().startsWith("mint: PROXY_NO_ACCEPTABLE_AUTH: "), none.err());
      assertTrue(none.err().contains("\nmint: the SOCKS5 proxy wants a user name"), none.err());

      CommandRun refused = run("-v", "-x", "socks5h://127.0.0.1:" + refusing.port(), httpUrl);
      assertEquals(ProxyFailure.SOCKS_FAILED, refused.exit(), refused.err());
      assertTrue(refused.err().contains("mint: SOCKS_CONNECTION_REFUSED: "), refused.err());
      assertTrue(refused.err().contains("ms < SOCKS5 reply 5 (connection refused)"), refused.err());
    }
  }

  // ---- the environment ----

  @Test
  void theEnvironmentNamesTheProxyPerScheme() throws Exception {
    try (TestProxy proxy = TestProxy.http(null, null)) {
      CommandRun httpsRun =
          runWith(Map.of("HTTPS_PROXY", at("http", proxy)), "-v", "--cacert", CA, httpsUrl);
      assertEquals(Main.EXIT_OK, httpsRun.exit(), httpsRun.err());
      assertTrue(httpsRun.err().contains(" (from HTTPS_PROXY)\n"), httpsRun.err());

      CommandRun httpRun = runWith(Map.of("http_proxy", at("http", proxy)), httpUrl);
      assertEquals("forwarded GET " + httpUrl + "\n", httpRun.out());

      // https_proxy does not apply to an http URL.
      CommandRun direct = runWith(Map.of("https_proxy", at("http", proxy)), httpUrl);
      assertEquals(TourServer.HELLO, direct.out());
      assertEquals(2, proxy.accepted());
    }
  }

  @Test
  void allProxyCoversBothSchemesAndMayBeSocks() throws Exception {
    try (TestProxy socks = TestProxy.socks5(null, null, 0)) {
      Map<String, String> env = Map.of("ALL_PROXY", "socks5h://127.0.0.1:" + socks.port());
      assertEquals(TourServer.HELLO, runWith(env, httpUrl).out());
      assertEquals(TlsFetchTest.BODY, runWith(env, "--cacert", CA, httpsUrl).out());
      assertEquals(2, socks.requests().size());
    }
  }

  @Test
  void noProxyAndTheFlagsThatOverrideIt() throws Exception {
    try (TestProxy proxy = TestProxy.http(null, null)) {
      Map<String, String> env =
          Map.of("http_proxy", at("http", proxy), "NO_PROXY", "localhost,127.0.0.0/8");
      CommandRun exempt = runWith(env, "-v", httpUrl);
      assertEquals(TourServer.HELLO, exempt.out());
      assertTrue(exempt.err().contains("ms * no proxy for 127.0.0.1 (NO_PROXY)\n"), exempt.err());
      assertEquals(0, proxy.accepted());

      // --noproxy replaces NO_PROXY: '' exempts nothing.
      assertEquals("forwarded GET " + httpUrl + "\n", runWith(env, "--noproxy", "", httpUrl).out());
      assertEquals(1, proxy.accepted());

      // NO_PROXY applies to --proxy too, and --noproxy '*' to every host.
      Map<String, String> noProxy = Map.of("no_proxy", "127.0.0.1");
      assertEquals(TourServer.HELLO, runWith(noProxy, "-x", at("http", proxy), httpUrl).out());
      assertEquals(TourServer.HELLO, run("--noproxy", "*", "-x", at("http", proxy), httpUrl).out());
      assertEquals(1, proxy.accepted());

      // --proxy '' turns the environment's proxy off.
      CommandRun off = runWith(Map.of("http_proxy", at("http", proxy)), "-v", "-x", "", httpUrl);
      assertEquals(TourServer.HELLO, off.out());
      assertTrue(off.err().contains("ms * no proxy for 127.0.0.1 (--proxy '')\n"), off.err());
      assertEquals(1, proxy.accepted());
    }
  }

  @Test
  void aMalformedProxyIsAUsageError() {
    CommandRun flag = run("-x", "ftp://p:21", httpUrl);
    assertEquals(Main.EXIT_USAGE, flag.exit());
    assertTrue(flag.err().startsWith("mint: --proxy: unsupported proxy scheme 'ftp'"), flag.err());

    CommandRun env = runWith(Map.of("https_proxy", "gopher://p"), httpsUrl);
    assertEquals(Main.EXIT_USAGE, env.exit());
    assertTrue(env.err().startsWith("mint: https_proxy: "), env.err());
  }
}
