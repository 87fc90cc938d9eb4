// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ProxyOptions;
import dev.mint.Scheme;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Which proxy the environment or the JVM's properties name for a target. */
class ProxyLookupTest {
  private static Optional<ProxyOptions> env(Map<String, String> env, Scheme scheme, String host) {
    return ProxyLookup.fromEnvironment(env).proxyFor(scheme, host, scheme.defaultPort());
  }

  private static Optional<ProxyOptions> props(Properties p, Scheme scheme, String host) {
    return ProxyLookup.fromSystemProperties(p).proxyFor(scheme, host, scheme.defaultPort());
  }

  private static Properties properties(String... keysAndValues) {
    Properties p = new Properties();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      p.setProperty(keysAndValues[i], keysAndValues[i + 1]);
    }
    return p;
  }

  @Test
  void eachSchemeHasItsVariableAndAllProxyIsTheFallback() {
    Map<String, String> e =
        Map.of(
            "http_proxy", "http://h:1", "https_proxy", "http://s:2", "all_proxy", "socks5h://a:3");
    assertEquals(Optional.of(ProxyOptions.http("h", 1)), env(e, Scheme.HTTP, "x.test"));
    assertEquals(Optional.of(ProxyOptions.http("s", 2)), env(e, Scheme.HTTPS, "x.test"));
    Map<String, String> all = Map.of("ALL_PROXY", "socks5h://a:3");
    assertEquals(Optional.of(ProxyOptions.socks5("a", 3)), env(all, Scheme.HTTP, "x.test"));
    assertEquals(Optional.of(ProxyOptions.socks5("a", 3)), env(all, Scheme.HTTPS, "x.test"));
    assertEquals(Optional.empty(), env(Map.of(), Scheme.HTTPS, "x.test"));
    assertEquals(ProxyLookup.none().proxyFor(Scheme.HTTP, "x", 80), Optional.empty());
  }

  @Test
  void lowerCaseWinsAndEmptyMeansUnset() {
    Map<String, String> e =
        Map.of("https_proxy", "http://lower:1", "HTTPS_PROXY", "http://upper:2");
    assertEquals("lower", env(e, Scheme.HTTPS, "x").orElseThrow().host());
    Map<String, String> empty = Map.of("https_proxy", "", "HTTPS_PROXY", "http://upper:2");
    assertEquals("upper", env(empty, Scheme.HTTPS, "x").orElseThrow().host());
    Map<String, String> upper = Map.of("HTTP_PROXY", "upper:8080");
    assertEquals(Optional.of(ProxyOptions.http("upper", 8080)), env(upper, Scheme.HTTP, "x"));
  }

  @Test
  void upperCaseHttpProxyIsIgnoredInACgiProgram() {
    // httpoxy (CVE-2016-5385): in CGI, HTTP_PROXY comes from the request's Proxy header.
    Map<String, String> cgi = Map.of("HTTP_PROXY", "http://evil:1", "REQUEST_METHOD", "GET");
    assertEquals(Optional.empty(), env(cgi, Scheme.HTTP, "x"));
    Map<String, String> lower = Map.of("http_proxy", "http://ok:1", "REQUEST_METHOD", "GET");
    assertEquals("ok", env(lower, Scheme.HTTP, "x").orElseThrow().host());
  }

  @Test
  void proxyUrisKeepTheirKindCredentialsAndResolution() {
    Map<String, String> e =
        Map.of(
            "https_proxy", "https://u:p%40ss@secure.test:8443",
            "http_proxy", "socks5://s.test:1080");
    ProxyOptions https = env(e, Scheme.HTTPS, "x").orElseThrow();
    assertEquals(ProxyOptions.Kind.HTTPS, https.kind());
    assertEquals(new ProxyOptions.Credentials("u", "p@ss"), https.credentials());
    ProxyOptions socks = env(e, Scheme.HTTP, "x").orElseThrow();
    assertFalse(socks.remoteDns(), "socks5:// resolves here");
  }

  @Test
  void noProxyExemptsHostsFromEveryVariable() {
    Map<String, String> e =
        Map.of(
            "https_proxy", "http://p:1",
            "http_proxy", "http://p:1",
            "no_proxy", ".internal,10.0.0.0/8,[::1]:8443");
    assertEquals(Optional.empty(), env(e, Scheme.HTTPS, "svc.internal"));
    assertEquals(Optional.empty(), env(e, Scheme.HTTP, "10.1.2.3"));
    assertTrue(env(e, Scheme.HTTPS, "example.com").isPresent());
    ProxyLookup lookup = ProxyLookup.fromEnvironment(e);
    assertEquals(Optional.empty(), lookup.proxyFor(Scheme.HTTPS, "[::1]", 8443));
    assertTrue(lookup.proxyFor(Scheme.HTTPS, "::1", 443).isPresent(), "another port");
    Map<String, String> upper = Map.of("https_proxy", "http://p:1", "NO_PROXY", "*");
    assertEquals(Optional.empty(), env(upper, Scheme.HTTPS, "anything"));
  }

  @Test
  void aMalformedVariableIsAnErrorNamingIt() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> ProxyLookup.fromEnvironment(Map.of("HTTPS_PROXY", "ftp://p:1")));
    assertTrue(e.getMessage().startsWith("HTTPS_PROXY: "), e.getMessage());
  }

  @Test
  void jvmPropertiesNameHttpProxiesPerScheme() {
    Properties p =
        properties(
            "http.proxyHost", "h.test", "http.proxyPort", "3128", "https.proxyHost", "s.test");
    assertEquals(Optional.of(ProxyOptions.http("h.test", 3128)), props(p, Scheme.HTTP, "x"));
    assertEquals(
        Optional.of(ProxyOptions.http("s.test", 443)),
        props(p, Scheme.HTTPS, "x"),
        "https.proxyHost is an HTTP proxy that tunnels");
    assertEquals(
        Optional.of(ProxyOptions.http("h.test", 80)),
        props(properties("http.proxyHost", "h.test"), Scheme.HTTP, "x"));
  }

  @Test
  void jvmDefaultsExemptLocalHosts() {
    Properties p = properties("http.proxyHost", "h", "https.proxyHost", "s");
    assertEquals(Optional.empty(), props(p, Scheme.HTTP, "localhost"));
    assertEquals(Optional.empty(), props(p, Scheme.HTTPS, "127.0.0.1"));
    assertEquals(Optional.empty(), props(p, Scheme.HTTPS, "[::1]"));
    Properties custom =
        properties("http.proxyHost", "h", "https.proxyHost", "s", "http.nonProxyHosts", "*.corp");
    assertTrue(props(custom, Scheme.HTTP, "localhost").isPresent(), "the default is replaced");
    assertEquals(Optional.empty(), props(custom, Scheme.HTTPS, "db.corp"), "for https too");
  }

  @Test
  void socksPropertiesAreTheFallbackWithTheirOwnExemptions() {
    Properties p =
        properties(
            "socksProxyHost", "socks.test",
            "java.net.socks.username", "u",
            "java.net.socks.password", "p",
            "socksNonProxyHosts", "*.lan",
            "http.proxyHost", "h");
    assertEquals(Optional.of(ProxyOptions.http("h", 80)), props(p, Scheme.HTTP, "x"));
    ProxyOptions socks = props(p, Scheme.HTTPS, "x").orElseThrow();
    assertEquals(ProxyOptions.socks5("socks.test", 1080).withCredentials("u", "p"), socks);
    assertEquals(Optional.empty(), props(p, Scheme.HTTPS, "nas.lan"));
  }

  @Test
  void badPropertiesAreErrors() {
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ProxyLookup.fromSystemProperties(
                properties("http.proxyHost", "h", "http.proxyPort", "x")));
    assertThrows(
        IllegalArgumentException.class,
        () ->
            ProxyLookup.fromSystemProperties(
                properties("socksProxyHost", "s", "socksProxyVersion", "4")));
  }

  @Test
  void systemReadsThePropertiesOrTheEnvironment() {
    // Whatever this JVM's settings are, system() gives an answer without failing.
    assertTrue(ProxyLookup.system().toString().startsWith("ProxyLookup["));
  }
}
