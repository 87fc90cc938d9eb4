// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.ProxyOptions;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FetchArgsTest {

  @Test
  void noArgumentsRunsTheTour() throws Exception {
    FetchArgs cmd = FetchArgs.parse();
    assertTrue(cmd.runsTour());
    assertFalse(cmd.verbose());
    assertEquals(FetchArgs.DEFAULT_TIMEOUT, cmd.timeout());
  }

  @Test
  void aUrlAloneIsAGet() throws Exception {
    FetchArgs cmd = FetchArgs.parse("http://127.0.0.1:8080/a/b?q=1");
    assertFalse(cmd.runsTour());
    assertEquals(URI.create("http://127.0.0.1:8080/a/b?q=1"), cmd.url());
    assertEquals("GET", cmd.effectiveMethod());
    assertEquals(Headers.empty(), cmd.headers());
    assertTrue(cmd.data().isEmpty());
  }

  @Test
  void everyOptionWithItsValue() throws Exception {
    FetchArgs cmd =
        FetchArgs.parse(
            "-X",
            "PUT",
            "-H",
            "accept: text/plain",
            "--header",
            "x-trace:  abc ",
            "-o",
            "out.bin",
            "-i",
            "-v",
            "--http1.1",
            "--timeout",
            "2.5",
            "--debug",
            "http://localhost/");
    assertEquals("PUT", cmd.effectiveMethod());
    assertEquals(Headers.of("accept", "text/plain", "x-trace", "abc"), cmd.headers());
    assertEquals(Path.of("out.bin"), cmd.output());
    assertTrue(cmd.includeHeaders());
    assertTrue(cmd.verbose());
    assertEquals(FetchArgs.HttpVersion.HTTP1_1, cmd.httpVersion());
    assertEquals(Duration.ofMillis(2500), cmd.timeout());
    assertTrue(cmd.debug());
  }

  @Test
  void attachedValues() throws Exception {
    FetchArgs cmd =
        FetchArgs.parse("-XDELETE", "-Hx-a: 1", "--timeout=3", "--output=f", "http://h/");
    assertEquals("DELETE", cmd.method());
    assertEquals(Headers.of("x-a", "1"), cmd.headers());
    assertEquals(Duration.ofSeconds(3), cmd.timeout());
    assertEquals(Path.of("f"), cmd.output());
  }

  @Test
  void dataMakesAPostAndAtNamesAFile() throws Exception {
    FetchArgs inline = FetchArgs.parse("-d", "a=1", "http://h/");
    assertEquals("POST", inline.effectiveMethod());
    assertArrayEquals("a=1".getBytes(StandardCharsets.UTF_8), inline.data().bytes());
    assertNull(inline.data().streamedFile());
    assertEquals(RequestData.FORM_TYPE, inline.requestHeaders().get("content-type"));

    FetchArgs file = FetchArgs.parse("--data", "@body.json", "http://h/");
    assertEquals("POST", file.effectiveMethod());
    assertEquals(Path.of("body.json"), file.data().streamedFile());

    assertEquals("PUT", FetchArgs.parse("-X", "PUT", "-d", "x", "http://h/").effectiveMethod());
  }

  @Test
  void defaultOptionsArePassiveAllowBothProtocolsAndUseTheJdkTrust() throws Exception {
    FetchArgs cmd = FetchArgs.parse("https://h/");
    assertEquals(FetchArgs.HttpVersion.ANY, cmd.httpVersion());
    assertNull(cmd.caCert());
    assertFalse(cmd.insecure());
    ConnectOptions options = cmd.connectOptions();
    assertEquals(Mode.PASSIVE, options.mode());
    assertEquals(FetchArgs.DEFAULT_TIMEOUT, options.connectTimeout());
    assertEquals(FetchArgs.DEFAULT_TIMEOUT, options.writeTimeout());
    assertEquals(List.of(Protocol.HTTP2, Protocol.HTTP1), options.protocols());
    assertEquals(TlsOptions.defaults(), options.tls());
  }

  @Test
  void theTimeoutBoundsConnectingAndWriting() throws Exception {
    ConnectOptions options = FetchArgs.parse("--timeout", "1.5", "http://h/").connectOptions();
    assertEquals(Duration.ofMillis(1500), options.connectTimeout());
    assertEquals(Duration.ofMillis(1500), options.writeTimeout());
  }

  @Test
  void httpVersionFlagsChooseTheAllowedProtocols() throws Exception {
    assertEquals(
        List.of(Protocol.HTTP1),
        FetchArgs.parse("--http1.1", "https://h/").connectOptions().protocols());
    // --http2 is curl's: prefer HTTP/2 (ALPN offers h2 first) and still allow HTTP/1.1.
    FetchArgs http2 = FetchArgs.parse("--http2", "https://h/");
    assertEquals(FetchArgs.HttpVersion.HTTP2, http2.httpVersion());
    assertEquals(List.of(Protocol.HTTP2, Protocol.HTTP1), http2.connectOptions().protocols());
    // Prior knowledge: HTTP/2 only, which over http:// makes the connector skip HTTP/1.1.
    FetchArgs prior = FetchArgs.parse("--http2-prior-knowledge", "http://h/");
    assertEquals(FetchArgs.HttpVersion.HTTP2_PRIOR_KNOWLEDGE, prior.httpVersion());
    assertEquals(List.of(Protocol.HTTP2), prior.connectOptions().protocols());
  }

  @Test
  void theLastHttpVersionFlagWins() throws Exception {
    assertEquals(
        FetchArgs.HttpVersion.HTTP1_1,
        FetchArgs.parse("--http2-prior-knowledge", "--http1.1", "http://h/").httpVersion());
    assertEquals(
        FetchArgs.HttpVersion.HTTP2_PRIOR_KNOWLEDGE,
        FetchArgs.parse("--http1.1", "--http2-prior-knowledge", "http://h/").httpVersion());
  }

  @Test
  void cacertNamesAPemFileOfTrustedCas() throws Exception {
    FetchArgs cmd = FetchArgs.parse("--cacert", "certs/ca.pem", "https://h/");
    assertEquals(Path.of("certs/ca.pem"), cmd.caCert());
    TlsOptions tls = cmd.connectOptions().tls();
    assertEquals(Path.of("certs/ca.pem"), tls.caCertificatesPem());
    assertFalse(tls.insecureTrustAllCertificates());
    assertTrue(tls.verifyHostname());

    assertEquals(
        Path.of("x.pem"),
        FetchArgs.parse("--cacert=x.pem", "https://h/").connectOptions().tls().caCertificatesPem());
  }

  @ParameterizedTest
  @ValueSource(strings = {"-k", "--insecure"})
  void insecureTrustsEveryCertificate(String flag) throws Exception {
    FetchArgs cmd = FetchArgs.parse(flag, "https://h/");
    assertTrue(cmd.insecure());
    TlsOptions tls = cmd.connectOptions().tls();
    assertTrue(tls.insecureTrustAllCertificates());
    assertNull(tls.caCertificatesPem());
  }

  @Test
  void proxyFlags() throws Exception {
    FetchArgs cmd =
        FetchArgs.parse(
            "-x",
            "socks5h://p:1080",
            "-U",
            "bob:pa:ss",
            "--proxy-header",
            "x-a: 1",
            "--proxy-header=x-b: 2",
            "--noproxy",
            ".internal,10.0.0.0/8",
            "--proxy-cacert",
            "proxy-ca.pem",
            "--proxy-insecure",
            "-p",
            "https://h/");
    ProxyFlags proxy = cmd.proxy();
    assertEquals("socks5h://p:1080", proxy.proxy());
    assertEquals(new ProxyOptions.Credentials("bob", "pa:ss"), proxy.user());
    assertEquals(Headers.of("x-a", "1", "x-b", "2"), proxy.headers());
    assertEquals(".internal,10.0.0.0/8", proxy.noProxy());
    assertEquals(Path.of("proxy-ca.pem"), proxy.caCert());
    assertTrue(proxy.insecure());
    assertTrue(proxy.tunnel());
    assertEquals(ProxyFlags.NONE, FetchArgs.parse("http://h/").proxy());
    assertEquals("", FetchArgs.parse("--proxy", "", "http://h/").proxy().proxy());
    assertEquals("http://p:3128", FetchArgs.parse("-xhttp://p:3128", "http://h/").proxy().proxy());
  }

  @Test
  void theProxyFlagsShapeTheProxyChosen() throws Exception {
    FetchArgs cmd =
        FetchArgs.parse(
            "-x",
            "https://p:8443",
            "-U",
            "bob:pw",
            "--proxy-header",
            "x-a: 1",
            "--proxy-cacert",
            "proxy-ca.pem",
            "-p",
            "http://h/");
    ProxyFlags.Choice choice = cmd.proxy().choose(Map.of(), Scheme.HTTP, "h", 80);
    ProxyOptions proxy = choice.proxy().orElseThrow();
    assertEquals("--proxy", choice.source());
    assertEquals(ProxyOptions.Kind.HTTPS, proxy.kind());
    assertEquals(new ProxyOptions.Credentials("bob", "pw"), proxy.credentials());
    assertEquals(Headers.of("x-a", "1"), proxy.headers());
    assertEquals(Path.of("proxy-ca.pem"), proxy.tls().caCertificatesPem());
    assertTrue(proxy.tunnelHttp());
    assertFalse(choice.forwards(Scheme.HTTP, List.of(Protocol.HTTP1)));
  }

  @Test
  void hiddenFlag() throws Exception {
    assertTrue(FetchArgs.parse("--providers").listProviders());
  }

  @Test
  void userInfoIsPercentDecodedAndLeavesTheUrl() throws Exception {
    FetchArgs cmd = FetchArgs.parse("http://al%40ice:p+w%3A1@h:8080/x");
    assertEquals("al@ice:p+w:1", cmd.user());
    assertEquals(URI.create("http://h:8080/x"), cmd.url());
    assertEquals("bob:pw", FetchArgs.parse("-u", "bob:pw", "http://a:b@h/").user(), "-u wins");
  }

  @Test
  void doubleDashEndsOptions() throws Exception {
    assertEquals(URI.create("http://h/-x"), FetchArgs.parse("--", "http://h/-x").url());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--nope",
        "-X",
        "-H|no-colon",
        "-H|: empty name",
        "--timeout|soon",
        "--timeout|0",
        "--timeout|-1",
        "-X|GE T",
        "ftp://h/",
        "localhost:8080",
        "http:///nohost",
        "http://a/|http://b/",
        "http://a b/",
        "--cacert",
        "--cacert=|https://h/",
        "--http3|https://h/",
        "-K|https://h/",
        "-x",
        "-x|ftp://p|http://h/",
        "--proxy|http://p/path|http://h/",
        "-U|nocolon|http://h/",
        "-U|:pw|http://h/",
        "--proxy-header|x-a|http://h/",
        "--proxy-header|host: p|http://h/",
        "--proxy-cacert=|http://h/"
      })
  void rejectsWithAUsageError(String joined) {
    String[] args = joined.split("\\|");
    UsageException e = assertThrows(UsageException.class, () -> FetchArgs.parse(args));
    assertFalse(e.getMessage().isBlank());
  }

  @Test
  void theUsageNamesEveryOption() {
    String help = CommandRun.run("--help").out();
    for (String option :
        new String[] {
          "--http1.1",
          "--http2 ",
          "--http2-prior-knowledge",
          "--cacert",
          "--insecure",
          "--proxy=URL",
          "--proxy-user",
          "--proxy-header",
          "--noproxy",
          "--proxy-cacert",
          "--proxy-insecure",
          "--proxytunnel",
          "https_proxy"
        }) {
      assertTrue(help.contains(option), option);
    }
  }

  @Test
  void targetIsPathAndQuery() {
    assertEquals("/", Fetch.target(URI.create("http://h")));
    assertEquals("/", Fetch.target(URI.create("http://h/")));
    assertEquals("/a%20b?x=1&y", Fetch.target(URI.create("http://h/a%20b?x=1&y#frag")));
  }
}
