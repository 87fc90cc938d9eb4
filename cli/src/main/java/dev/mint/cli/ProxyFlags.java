// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import dev.mint.Headers;
import dev.mint.Protocol;
import dev.mint.ProxyOptions;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import dev.mint.proxy.ProxyLookup;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The proxy options of one {@code mint} invocation, spelled as curl spells them, and how they and
 * the environment choose the proxy of a fetch ({@link #choose}).
 *
 * <p>As curl decides: {@code --proxy URL} wins over the environment, and {@code --proxy ''} turns
 * every proxy off. Otherwise the {@code *_proxy} variables name it, read as {@link
 * ProxyLookup#fromEnvironment} reads them (lower-case first: {@code http_proxy}/{@code HTTP_PROXY}
 * for http URLs, {@code https_proxy}/{@code HTTPS_PROXY} for https, then {@code all_proxy}/{@code
 * ALL_PROXY}). The hosts of {@code --noproxy LIST}, else of {@code no_proxy}/{@code NO_PROXY}, go
 * direct whichever way the proxy was named; {@code '*'} exempts every host and {@code --noproxy ''}
 * exempts none. Credentials ({@code --proxy-user}), extra fields ({@code --proxy-header}) and the
 * TLS settings of an HTTPS proxy ({@code --proxy-cacert}, {@code --proxy-insecure}) apply to the
 * proxy chosen, wherever it came from.
 *
 * @param proxy {@code --proxy}: a proxy URI, {@code ""} for no proxy, or {@code null} when not
 *     given
 * @param user {@code --proxy-user}: the proxy's credentials, or {@code null}
 * @param headers {@code --proxy-header}: fields for an HTTP or HTTPS proxy, in order
 * @param noProxy {@code --noproxy}: the hosts to reach directly, or {@code null} when not given
 * @param caCert {@code --proxy-cacert}: the CA certificates trusted for an HTTPS proxy, or {@code
 *     null} for the JDK's
 * @param insecure {@code --proxy-insecure}: trust any certificate of an HTTPS proxy
 * @param tunnel {@code -p}, {@code --proxytunnel}: tunnel http URLs through an HTTP proxy with
 *     {@code CONNECT} instead of forwarding requests to it
 */
record ProxyFlags(
    String proxy,
    ProxyOptions.Credentials user,
    Headers headers,
    String noProxy,
    Path caCert,
    boolean insecure,
    boolean tunnel) {

  /** No proxy flag given. */
  static final ProxyFlags NONE =
      new ProxyFlags(null, null, Headers.empty(), null, null, false, false);

  /** The environment variables that name proxies, as {@link ProxyLookup} reads them. */
  private static final List<String> PROXY_VARIABLES =
      List.of("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY");

  /**
   * The proxy a fetch goes through, and where it was named.
   *
   * @param proxy the proxy, or empty to connect directly
   * @param source what named it ({@code --proxy}, a variable), or why there is none ({@code
   *     --noproxy}, {@code NO_PROXY}, {@code --proxy ''}); {@code null} when nothing named a proxy
   */
  record Choice(Optional<ProxyOptions> proxy, String source) {
    static final Choice DIRECT = new Choice(Optional.empty(), null);

    /**
     * Whether requests go to the proxy in absolute-form rather than through a tunnel, as the
     * connector decides it: an http URL, an HTTP or HTTPS proxy, and HTTP/1.1 allowed.
     */
    boolean forwards(Scheme scheme, Collection<Protocol> protocols) {
      return proxy.isPresent()
          && scheme == Scheme.HTTP
          && proxy.get().isHttp()
          && !proxy.get().tunnelHttp()
          && protocols.contains(Protocol.HTTP1);
    }
  }

  /**
   * Chooses the proxy for a connection to {@code host:port}.
   *
   * @param env the environment (pass {@link System#getenv()})
   * @throws UsageException when a proxy variable holds no valid proxy URI, or the credentials do
   *     not suit the proxy's kind
   */
  Choice choose(Map<String, String> env, Scheme scheme, String host, int port)
      throws UsageException {
    if (proxy != null && proxy.isBlank()) {
      return new Choice(Optional.empty(), "--proxy ''");
    }
    Map<String, String> named = new HashMap<>();
    if (proxy != null) {
      named.put("all_proxy", proxy);
    } else {
      for (String name : PROXY_VARIABLES) {
        if (env.get(name) != null) {
          named.put(name, env.get(name));
        }
      }
      if (env.containsKey("REQUEST_METHOD")) {
        named.put("REQUEST_METHOD", env.get("REQUEST_METHOD")); // httpoxy: HTTP_PROXY is ignored
      }
    }
    String exempt = noProxy != null ? noProxy : first(env, "no_proxy", "NO_PROXY");
    if (exempt != null) {
      named.put("no_proxy", exempt);
    }
    ProxyLookup lookup;
    try {
      lookup = ProxyLookup.fromEnvironment(named);
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    Optional<ProxyOptions> found = lookup.proxyFor(scheme, host, port);
    String source = proxy != null ? "--proxy" : variable(named, scheme);
    if (found.isEmpty()) {
      boolean exempted = source != null;
      String why =
          noProxy != null ? "--noproxy" : env.containsKey("no_proxy") ? "no_proxy" : "NO_PROXY";
      return exempted ? new Choice(Optional.empty(), why) : Choice.DIRECT;
    }
    return new Choice(Optional.of(configure(found.get())), source);
  }

  /** The proxy found, with the credentials, fields, TLS settings and tunnelling of the flags. */
  private ProxyOptions configure(ProxyOptions found) throws UsageException {
    // The connect timeout (--timeout) bounds the tunnel handshake too.
    ProxyOptions p = found.withTunnelHttp(tunnel);
    try {
      if (user != null) {
        p = p.withCredentials(user);
      }
      if (!headers.isEmpty() && p.isHttp()) {
        Headers.Builder all = p.headers().toBuilder();
        headers.forEach(all::add);
        p = p.withHeaders(all.build());
      }
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (p.kind() == ProxyOptions.Kind.HTTPS) {
      TlsOptions tls = p.tls();
      if (caCert != null) {
        tls = tls.withCaCertificatesPem(caCert);
      }
      if (insecure) {
        tls = tls.withInsecureTrustAllCertificates(true);
      }
      p = p.withTls(tls);
    }
    return p;
  }

  /** The variable that named the proxy for {@code scheme}, in the order it is read. */
  private static String variable(Map<String, String> named, Scheme scheme) {
    boolean cgi = named.containsKey("REQUEST_METHOD");
    List<String> order =
        scheme == Scheme.HTTP
            ? cgi
                ? List.of("http_proxy", "all_proxy", "ALL_PROXY")
                : List.of("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY")
            : List.of("https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY");
    for (String name : order) {
      String value = named.get(name);
      if (value != null && !value.isBlank()) {
        return name;
      }
    }
    return null;
  }

  private static String first(Map<String, String> env, String lower, String upper) {
    String value = env.get(lower);
    return value != null ? value : env.get(upper);
  }

  /** Collects the flags while the command line is parsed; each setter checks its value. */
  static final class Builder {
    private String proxy;
    private ProxyOptions.Credentials user;
    private final Headers.Builder headers = Headers.builder();
    private String noProxy;
    private Path caCert;
    private boolean insecure;
    private boolean tunnel;

    /** {@code --proxy URL}: checked now, so that a typo is a usage error. */
    void proxy(String uri) throws UsageException {
      if (!uri.isBlank()) {
        try {
          ProxyOptions.fromUri(uri);
        } catch (IllegalArgumentException e) {
          throw new UsageException("--proxy: " + e.getMessage());
        }
      }
      proxy = uri;
    }

    /** {@code --proxy-user USER:PASSWORD}, split at the first colon. */
    void user(String pair) throws UsageException {
      int colon = pair.indexOf(':');
      if (colon <= 0) {
        throw new UsageException("--proxy-user takes USER:PASSWORD, got '" + pair + "'");
      }
      try {
        user = new ProxyOptions.Credentials(pair.substring(0, colon), pair.substring(colon + 1));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--proxy-user: " + e.getMessage());
      }
    }

    /** {@code --proxy-header 'Name: value'}. */
    void header(String line) throws UsageException {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new UsageException("a proxy header is written 'name: value', got '" + line + "'");
      }
      String name = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      try {
        // The same checks the connection will make, now, so that a bad field is a usage error.
        ProxyOptions.http("localhost", 1).withHeaders(Headers.of(name, value));
      } catch (IllegalArgumentException e) {
        throw new UsageException("--proxy-header: " + e.getMessage());
      }
      headers.add(name, value);
    }

    void noProxy(String list) {
      noProxy = list;
    }

    void caCert(Path pem) {
      caCert = pem;
    }

    void insecure() {
      insecure = true;
    }

    void tunnel() {
      tunnel = true;
    }

    ProxyFlags build() {
      return new ProxyFlags(proxy, user, headers.build(), noProxy, caCert, insecure, tunnel);
    }
  }
}
