// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import dev.mint.ProxyOptions;
import dev.mint.Scheme;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;

/**
 * Proxy settings read from where other tools keep them: the JVM's networking properties or the
 * {@code *_PROXY} environment variables. Opt-in: Mint never reads either on its own; a caller asks
 * for the proxy of each target and passes it on:
 *
 * <pre>{@code
 * ProxyLookup proxies = ProxyLookup.fromEnvironment(System.getenv());
 * ConnectOptions options =
 *     ConnectOptions.builder().proxy(proxies.proxyFor(Scheme.HTTPS, host, 443).orElse(null)).build();
 * }</pre>
 *
 * <h2>The environment ({@link #fromEnvironment})</h2>
 *
 * As curl reads it, lower-case names first, then upper-case:
 *
 * <ul>
 *   <li>{@code http} targets: {@code http_proxy}, {@code HTTP_PROXY}, then {@code all_proxy},
 *       {@code ALL_PROXY}. {@code HTTP_PROXY} is ignored when {@code REQUEST_METHOD} is set: in a
 *       CGI program it comes from the request's {@code Proxy} header ("httpoxy", CVE-2016-5385).
 *   <li>{@code https} targets: {@code https_proxy}, {@code HTTPS_PROXY}, then {@code all_proxy},
 *       {@code ALL_PROXY}.
 *   <li>Values are proxy URIs as {@link ProxyOptions#fromUri} reads them ({@code http://}, {@code
 *       https://}, {@code socks5://}, {@code socks5h://}, or {@code host:port}); an empty value
 *       counts as unset.
 *   <li>{@code no_proxy}, {@code NO_PROXY}: hosts reached directly; see {@link NoProxy} for the
 *       matching (domain suffixes with or without a leading dot, {@code *}, IP literals and CIDR
 *       blocks, IPv6 in brackets, {@code :port}).
 * </ul>
 *
 * <h2>The JVM's properties ({@link #fromSystemProperties})</h2>
 *
 * As the JDK's own proxy selector reads them:
 *
 * <ul>
 *   <li>{@code http} targets: {@code http.proxyHost} and {@code http.proxyPort} (default 80), an
 *       HTTP proxy; else the SOCKS proxy.
 *   <li>{@code https} targets: {@code https.proxyHost} and {@code https.proxyPort} (default 443),
 *       an HTTP proxy tunnelling with {@code CONNECT} (not a proxy reached over TLS); else the
 *       SOCKS proxy.
 *   <li>SOCKS: {@code socksProxyHost} and {@code socksProxyPort} (default 1080), SOCKS5 with remote
 *       name resolution; credentials from {@code java.net.socks.username} and {@code
 *       java.net.socks.password}. {@code socksProxyVersion=4} is refused: Mint speaks SOCKS5 only.
 *   <li>{@code http.nonProxyHosts} ({@code |}-separated patterns with {@code *} at either end)
 *       exempts hosts from the HTTP proxies, {@code socksNonProxyHosts} from the SOCKS proxy. When
 *       {@code http.nonProxyHosts} is not set, the JDK's default applies: {@code
 *       localhost|127.*|[::1]|0.0.0.0|[::0]}.
 * </ul>
 *
 * {@link #system()} uses the properties when they name any proxy, else the environment.
 *
 * <p>Immutable and thread-safe. The factories read their input once; a malformed proxy value is an
 * {@link IllegalArgumentException} naming the variable or property, rather than a silent direct
 * connection.
 */
public final class ProxyLookup {
  /** The JDK's {@code http.nonProxyHosts} when the property is not set. */
  static final String JDK_DEFAULT_NON_PROXY_HOSTS = "localhost|127.*|[::1]|0.0.0.0|[::0]";

  private static final ProxyLookup NONE =
      new ProxyLookup(null, null, NoProxy.none(), null, NoProxy.none());

  private final ProxyOptions http;
  private final ProxyOptions https;
  private final NoProxy noProxy;

  /** The SOCKS fallback of the JVM's properties, with its own exemptions; null otherwise. */
  private final ProxyOptions socks;

  private final NoProxy socksNoProxy;

  private ProxyLookup(
      ProxyOptions http,
      ProxyOptions https,
      NoProxy noProxy,
      ProxyOptions socks,
      NoProxy socksNoProxy) {
    this.http = http;
    this.https = https;
    this.noProxy = noProxy;
    this.socks = socks;
    this.socksNoProxy = socksNoProxy;
  }

  /** No proxy for any target. */
  public static ProxyLookup none() {
    return NONE;
  }

  /**
   * The proxies named by the environment variables in {@code env} (pass {@link System#getenv()}).
   *
   * @throws IllegalArgumentException when a proxy variable holds no valid proxy URI
   */
  public static ProxyLookup fromEnvironment(Map<String, String> env) {
    Objects.requireNonNull(env, "env");
    boolean cgi = env.containsKey("REQUEST_METHOD");
    ProxyOptions all = uri(env, "all_proxy", "ALL_PROXY");
    ProxyOptions http = uri(env, "http_proxy", cgi ? null : "HTTP_PROXY");
    ProxyOptions https = uri(env, "https_proxy", "HTTPS_PROXY");
    String noProxy = first(env, "no_proxy", "NO_PROXY");
    return new ProxyLookup(
        http != null ? http : all,
        https != null ? https : all,
        NoProxy.parseEnvironment(noProxy),
        null,
        NoProxy.none());
  }

  /**
   * The proxies named by the JVM's networking properties in {@code properties} (pass {@link
   * System#getProperties()}).
   *
   * @throws IllegalArgumentException when a port is not a number in 1..65535, or SOCKS version 4 is
   *     asked for
   */
  public static ProxyLookup fromSystemProperties(Properties properties) {
    Objects.requireNonNull(properties, "properties");
    ProxyOptions http = hostPort(properties, "http.proxyHost", "http.proxyPort", 80);
    ProxyOptions https = hostPort(properties, "https.proxyHost", "https.proxyPort", 443);
    ProxyOptions socks = socks(properties);
    String nonProxy = properties.getProperty("http.nonProxyHosts", JDK_DEFAULT_NON_PROXY_HOSTS);
    return new ProxyLookup(
        http,
        https,
        NoProxy.parseJvm(nonProxy),
        socks,
        NoProxy.parseJvm(properties.getProperty("socksNonProxyHosts")));
  }

  /**
   * The JVM's properties ({@link System#getProperties()}) when any of {@code http.proxyHost},
   * {@code https.proxyHost} and {@code socksProxyHost} is set, else the environment ({@link
   * System#getenv()}).
   *
   * @throws IllegalArgumentException as {@link #fromSystemProperties} and {@link #fromEnvironment}
   */
  public static ProxyLookup system() {
    Properties properties = System.getProperties();
    for (String key : new String[] {"http.proxyHost", "https.proxyHost", "socksProxyHost"}) {
      if (!properties.getProperty(key, "").isBlank()) {
        return fromSystemProperties(properties);
      }
    }
    return fromEnvironment(System.getenv());
  }

  /**
   * The proxy for a connection to {@code host:port} over {@code scheme}, or empty to connect
   * directly (no proxy named for the scheme, or the host exempted).
   *
   * @param host a name or IP literal (IPv6 with or without brackets)
   */
  public Optional<ProxyOptions> proxyFor(Scheme scheme, String host, int port) {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    ProxyOptions proxy = scheme == Scheme.HTTP ? http : https;
    if (proxy != null) {
      return noProxy.matches(host, port) ? Optional.empty() : Optional.of(proxy);
    }
    if (socks != null && !socksNoProxy.matches(host, port)) {
      return Optional.of(socks);
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return "ProxyLookup[http="
        + (http == null ? "none" : http.uri())
        + ", https="
        + (https == null ? "none" : https.uri())
        + (socks == null ? "" : ", socks=" + socks.uri())
        + "]";
  }

  // ---- reading ----

  private static String first(Map<String, String> env, String lower, String upper) {
    String v = env.get(lower);
    if ((v == null || v.isBlank()) && upper != null) {
      v = env.get(upper);
    }
    return v == null || v.isBlank() ? null : v.strip();
  }

  private static ProxyOptions uri(Map<String, String> env, String lower, String upper) {
    String value = first(env, lower, upper);
    if (value == null) {
      return null;
    }
    try {
      return ProxyOptions.fromUri(value);
    } catch (IllegalArgumentException e) {
      String name = env.get(lower) != null && !env.get(lower).isBlank() ? lower : upper;
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
    }
  }

  private static ProxyOptions hostPort(
      Properties properties, String hostKey, String portKey, int defaultPort) {
    String host = properties.getProperty(hostKey, "").strip();
    if (host.isEmpty()) {
      return null;
    }
    return ProxyOptions.http(host, port(properties, portKey, defaultPort));
  }

  private static ProxyOptions socks(Properties properties) {
    String host = properties.getProperty("socksProxyHost", "").strip();
    if (host.isEmpty()) {
      return null;
    }
    String version = properties.getProperty("socksProxyVersion", "5").strip();
    if (!version.equals("5")) {
      throw new IllegalArgumentException(
          "socksProxyVersion=" + version + ": only SOCKS version 5 is supported");
    }
    ProxyOptions socks = ProxyOptions.socks5(host, port(properties, "socksProxyPort", 1080));
    String user = properties.getProperty("java.net.socks.username");
    if (user != null && !user.isEmpty()) {
      socks = socks.withCredentials(user, properties.getProperty("java.net.socks.password", ""));
    }
    return socks;
  }

  private static int port(Properties properties, String key, int defaultPort) {
    String text = properties.getProperty(key, "").strip();
    if (text.isEmpty()) {
      return defaultPort;
    }
    try {
      int port = Integer.parseInt(text);
      if (port >= 1 && port <= 0xFFFF) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(key + "=" + text + " is not a port in 1..65535");
  }
}
