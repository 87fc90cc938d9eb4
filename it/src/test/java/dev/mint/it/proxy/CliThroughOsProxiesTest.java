// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.proxy;

import static dev.mint.it.proxy.OsProxyCases.servers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.it.BuiltJars;
import dev.mint.it.h2.ServedDocuments;
import dev.mint.it.servers.NeedsOsServers;
import dev.mint.it.servers.OsServers;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code mint} command, built and run in a child JVM as a user runs it, through squid with
 * Basic authentication and microsocks: the proxy from {@code --proxy} and from {@code https_proxy},
 * the credentials from {@code --proxy-user}, a 407 without them, and a SOCKS5 refusal.
 */
@Tag("os_servers")
@Tag("proxy")
@NeedsOsServers({
  OsServers.NGINX_H1,
  OsServers.NGINX_TLS,
  OsServers.SQUID_BASIC,
  OsServers.SQUID_BASIC_USER,
  OsServers.SQUID_BASIC_PASSWORD,
  OsServers.SOCKS5_AUTH,
  OsServers.SOCKS5_AUTH_USER,
  OsServers.CA
})
@Timeout(120)
class CliThroughOsProxiesTest {
  @TempDir Path work;

  private static String url(String scheme, String key) {
    return scheme + "://" + servers().value(key) + "/small.txt";
  }

  private static String squidBasic() {
    return "http://" + servers().value(OsServers.SQUID_BASIC);
  }

  private static String credentials() {
    return servers().value(OsServers.SQUID_BASIC_USER)
        + ":"
        + servers().value(OsServers.SQUID_BASIC_PASSWORD);
  }

  private BuiltJars.Run mint(Map<String, String> env, String... args) throws Exception {
    return BuiltJars.mint(env, work, args);
  }

  @Test
  void anHttpsUrlThroughSquidWithCredentials() throws Exception {
    String ca = servers().caFile().toString();
    BuiltJars.Run run =
        mint(
            Map.of(),
            "-v",
            "--cacert",
            ca,
            "-x",
            squidBasic(),
            "-U",
            credentials(),
            url("https", OsServers.NGINX_TLS));
    assertEquals(0, run.exit(), run.err());
    assertEquals(ServedDocuments.SMALL_TXT, run.out());
    assertTrue(run.err().contains(" ms >   proxy-authorization: Basic ***\n"), run.err());
    assertTrue(run.err().contains(" ms < proxy: 200 Connection established\n"), run.err());
    assertTrue(run.err().contains(" ms * connected, speaking h2\n"), run.err());
    assertTrue(!run.err().contains(servers().value(OsServers.SQUID_BASIC_PASSWORD)), run.err());
  }

  @Test
  void theEnvironmentNamesSquidAndItsCredentials() throws Exception {
    // curl's form: the credentials in the proxy URL, the proxy in https_proxy / http_proxy.
    String proxy = "http://" + credentials() + "@" + servers().value(OsServers.SQUID_BASIC);
    Map<String, String> env = Map.of("https_proxy", proxy, "http_proxy", proxy);
    BuiltJars.Run tunnelled =
        mint(env, "--cacert", servers().caFile().toString(), url("https", OsServers.NGINX_TLS));
    assertEquals(0, tunnelled.exit(), tunnelled.err());
    assertEquals(ServedDocuments.SMALL_TXT, tunnelled.out());

    BuiltJars.Run forwarded = mint(env, "-i", url("http", OsServers.NGINX_H1));
    assertEquals(0, forwarded.exit(), forwarded.err());
    assertTrue(forwarded.out().contains("\nvia: 1.1 mint-test-squid"), forwarded.out());
    assertTrue(forwarded.out().endsWith(ServedDocuments.SMALL_TXT), forwarded.out());
  }

  @Test
  void withoutCredentialsSquidAnswers407AndTheCommandExits56() throws Exception {
    BuiltJars.Run run =
        mint(
            Map.of(),
            "--cacert",
            servers().caFile().toString(),
            "-x",
            squidBasic(),
            url("https", OsServers.NGINX_TLS));
    assertEquals(56, run.exit(), run.err());
    // The jars hold no SLF4J binding: its warning comes first on stderr.
    assertTrue(run.err().contains("\nmint: PROXY_AUTH_REQUIRED: "), run.err());
    assertTrue(run.err().contains("Basic realm=\"mint-test\""), run.err());
    assertTrue(run.err().contains("\nmint: the proxy asks for credentials;"), run.err());
    assertEquals("", run.out());
  }

  @Test
  void microsocksRefusingTheCredentialsExits97() throws Exception {
    String user = servers().value(OsServers.SOCKS5_AUTH_USER);
    String socks = "socks5h://" + user + ":wrong@" + servers().value(OsServers.SOCKS5_AUTH);
    BuiltJars.Run run = mint(Map.of("ALL_PROXY", socks), url("http", OsServers.NGINX_H1));
    assertEquals(97, run.exit(), run.err());
    assertTrue(run.err().contains("\nmint: PROXY_AUTH_FAILED: "), run.err());
  }
}
