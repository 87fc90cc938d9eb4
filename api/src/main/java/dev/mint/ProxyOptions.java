// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A proxy to reach the origin through, set with {@link ConnectOptions.Builder#proxy}. Immutable;
 * start from {@link #http}, {@link #https}, {@link #socks5} or {@link #fromUri}.
 *
 * <h2>What each kind does</h2>
 *
 * <table>
 *   <caption>How a connection goes through each kind of proxy</caption>
 *   <tr><th>kind</th><th>{@code https} origin</th><th>{@code http} origin</th></tr>
 *   <tr><td>{@link Kind#HTTP}</td><td>a {@code CONNECT} tunnel (RFC 9110 §9.3.6) to the origin,
 *       then TLS to the origin through it</td><td>forwarding: requests go to the proxy in
 *       absolute-form ({@code GET http://origin/path}, RFC 9112 §3.2.2) with the proxy headers;
 *       or, with {@link #tunnelHttp()}, a {@code CONNECT} tunnel</td></tr>
 *   <tr><td>{@link Kind#HTTPS}</td><td>as HTTP, over TLS to the proxy (so TLS inside
 *       TLS)</td><td>as HTTP, over TLS to the proxy</td></tr>
 *   <tr><td>{@link Kind#SOCKS5}</td><td>a SOCKS5 {@code CONNECT} (RFC 1928), then TLS to the
 *       origin</td><td>a SOCKS5 {@code CONNECT}</td></tr>
 * </table>
 *
 * HTTP/2 over cleartext (prior knowledge) cannot be forwarded: with an HTTP or HTTPS proxy, a
 * connection allowed only HTTP/2 to an {@code http} origin always tunnels. The connection's {@link
 * ConnectOptions#connectTimeout()} bounds the whole chain, proxy included.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@link #credentials()}</td><td>none</td><td>HTTP, HTTPS: sent as {@code
 *       proxy-authorization: Basic} (RFC 7617) to the proxy only, never to the origin; SOCKS5:
 *       username/password authentication (RFC 1929)</td></tr>
 *   <tr><td>{@link #headers()}</td><td>none</td><td>HTTP, HTTPS: extra fields for the proxy, on the
 *       {@code CONNECT} request or on every forwarded request</td></tr>
 *   <tr><td>{@link #tunnelTimeout()}</td><td>{@value #DEFAULT_TUNNEL_TIMEOUT_SECONDS} s</td><td>how
 *       long the proxy may take to complete the tunnel handshake, counted from its start (and
 *       never past the connect timeout)</td></tr>
 *   <tr><td>{@link #tls()}</td><td>{@link TlsOptions#defaults()}</td><td>HTTPS: trust and client
 *       certificate for the TLS connection to the proxy, independent of the origin's {@link
 *       ConnectOptions#tls()}</td></tr>
 *   <tr><td>{@link #remoteDns()}</td><td>{@code true}</td><td>SOCKS5: send the origin's host name
 *       to the proxy to resolve ({@code socks5h://} in curl's terms); {@code false} resolves it
 *       here and sends the address ({@code socks5://})</td></tr>
 *   <tr><td>{@link #tunnelHttp()}</td><td>{@code false}</td><td>HTTP, HTTPS: tunnel {@code http}
 *       origins too ({@code CONNECT}) instead of forwarding</td></tr>
 *   <tr><td>{@link #maxReplySize()}</td><td>{@value #DEFAULT_MAX_REPLY_SIZE}</td><td>HTTP, HTTPS:
 *       the most bytes of {@code CONNECT} reply head (interim responses included) accepted; more is
 *       {@link TransportException.Reason#PROXY_BAD_REPLY}</td></tr>
 * </table>
 *
 * <p>Errors while tunnelling are {@link TransportException}s with the {@code PROXY_*} and {@code
 * SOCKS_*} reasons; those that come with a reply carry it in {@link
 * TransportException#proxyResponse()} (a 407's {@code proxy-authenticate} is read from there).
 *
 * @param kind how to talk to the proxy
 * @param host the proxy's host name or address (an IPv6 literal without brackets)
 * @param port the proxy's port, 1 to 65535
 * @param credentials the credentials for the proxy, or {@code null} for none
 * @param headers extra header fields for an HTTP or HTTPS proxy; never {@code null}
 * @param tunnelTimeout the limit on the tunnel handshake; positive
 * @param tls TLS settings of the connection to an HTTPS proxy
 * @param remoteDns SOCKS5: let the proxy resolve the origin's name
 * @param tunnelHttp HTTP, HTTPS: tunnel {@code http} origins instead of forwarding
 * @param maxReplySize HTTP, HTTPS: the most bytes of reply head accepted; at least 1024
 */
public record ProxyOptions(
    Kind kind,
    String host,
    int port,
    Credentials credentials,
    Headers headers,
    Duration tunnelTimeout,
    TlsOptions tls,
    boolean remoteDns,
    boolean tunnelHttp,
    int maxReplySize) {

  /** The default {@link #tunnelTimeout()} in seconds. */
  public static final int DEFAULT_TUNNEL_TIMEOUT_SECONDS = 30;

  /** The default {@link #maxReplySize()}: 64 KiB, far beyond any proxy's reply head. */
  public static final int DEFAULT_MAX_REPLY_SIZE = 64 * 1024;

  /**
   * Fields the proxy layer writes itself or that would break the framing of a {@code CONNECT} or
   * forwarded request; a caller's proxy header may not be one of them.
   */
  private static final Set<String> MANAGED =
      Set.of("host", "content-length", "transfer-encoding", "connection");

  /** How Mint talks to a proxy. */
  public enum Kind {
    /** An HTTP proxy over cleartext TCP; default port 80. */
    HTTP("http", 80),
    /** An HTTP proxy reached over TLS; default port 443. */
    HTTPS("https", 443),
    /** A SOCKS version 5 proxy (RFC 1928); default port 1080. */
    SOCKS5("socks5", 1080);

    private final String scheme;
    private final int defaultPort;

    Kind(String scheme, int defaultPort) {
      this.scheme = scheme;
      this.defaultPort = defaultPort;
    }

    /** The URI scheme naming this kind ({@code socks5h} also names {@link #SOCKS5}). */
    public String scheme() {
      return scheme;
    }

    /** The port a proxy URI without one means. */
    public int defaultPort() {
      return defaultPort;
    }
  }

  /**
   * A user name and password for the proxy.
   *
   * @param username the user name; for an HTTP proxy without {@code ':'} (RFC 7617 §2)
   * @param password the password
   */
  public record Credentials(String username, String password) {
    /** Rejects nulls and control characters (RFC 7617 §2). */
    public Credentials {
      Objects.requireNonNull(username, "username");
      Objects.requireNonNull(password, "password");
      if (hasControl(username) || hasControl(password)) {
        throw new IllegalArgumentException("proxy credentials must not hold control characters");
      }
    }

    /** Hides the password. */
    @Override
    public String toString() {
      return "Credentials[username=" + username + ", password=***]";
    }
  }

  /** Checks every setting; see the class documentation for the rules. */
  public ProxyOptions {
    Objects.requireNonNull(kind, "kind");
    host = stripBrackets(Objects.requireNonNull(host, "host"));
    if (host.isEmpty()) {
      throw new IllegalArgumentException("the proxy host is empty");
    }
    if (port < 1 || port > 0xFFFF) {
      throw new IllegalArgumentException("proxy port " + port + " is not in 1..65535");
    }
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(tunnelTimeout, "tunnelTimeout");
    if (tunnelTimeout.isNegative() || tunnelTimeout.isZero()) {
      throw new IllegalArgumentException("tunnelTimeout must be positive, was " + tunnelTimeout);
    }
    Objects.requireNonNull(tls, "tls");
    if (maxReplySize < 1024) {
      throw new IllegalArgumentException("maxReplySize must be at least 1024, was " + maxReplySize);
    }
    checkHeaders(headers);
    if (credentials != null) {
      checkCredentials(kind, credentials);
    }
  }

  /** An HTTP proxy at {@code host:port}, with the defaults. */
  public static ProxyOptions http(String host, int port) {
    return of(Kind.HTTP, host, port);
  }

  /** An HTTP proxy reached over TLS at {@code host:port}, with the defaults. */
  public static ProxyOptions https(String host, int port) {
    return of(Kind.HTTPS, host, port);
  }

  /** A SOCKS5 proxy at {@code host:port} resolving names itself, with the defaults. */
  public static ProxyOptions socks5(String host, int port) {
    return of(Kind.SOCKS5, host, port);
  }

  /** A proxy of {@code kind} at {@code host:port}, with the defaults. */
  public static ProxyOptions of(Kind kind, String host, int port) {
    return new ProxyOptions(
        kind,
        host,
        port,
        null,
        Headers.empty(),
        Duration.ofSeconds(DEFAULT_TUNNEL_TIMEOUT_SECONDS),
        TlsOptions.defaults(),
        true,
        false,
        DEFAULT_MAX_REPLY_SIZE);
  }

  /**
   * A proxy from a URI as curl and the {@code *_PROXY} environment variables write it: {@code
   * [scheme://][user[:password]@]host[:port][/]}. Schemes: {@code http} (also when there is none),
   * {@code https}, {@code socks5} (names resolved here), {@code socks5h} (names resolved by the
   * proxy). The port defaults to the kind's {@link Kind#defaultPort()}; user and password are
   * percent-decoded (UTF-8). IPv6 literals are bracketed: {@code http://[::1]:3128}.
   *
   * @throws IllegalArgumentException for another scheme, a path, a query, a missing host or a bad
   *     port
   */
  public static ProxyOptions fromUri(String uri) {
    return ProxyUri.parse(uri);
  }

  /** A copy with these credentials ({@code null} for none). */
  public ProxyOptions withCredentials(Credentials c) {
    return new ProxyOptions(
        kind, host, port, c, headers, tunnelTimeout, tls, remoteDns, tunnelHttp, maxReplySize);
  }

  /** A copy with a user name and password. */
  public ProxyOptions withCredentials(String username, String password) {
    return withCredentials(new Credentials(username, password));
  }

  /** A copy sending these extra fields to an HTTP or HTTPS proxy. */
  public ProxyOptions withHeaders(Headers h) {
    return new ProxyOptions(
        kind, host, port, credentials, h, tunnelTimeout, tls, remoteDns, tunnelHttp, maxReplySize);
  }

  /** A copy with this limit on the tunnel handshake. */
  public ProxyOptions withTunnelTimeout(Duration timeout) {
    return new ProxyOptions(
        kind, host, port, credentials, headers, timeout, tls, remoteDns, tunnelHttp, maxReplySize);
  }

  /** A copy with these TLS settings for the connection to an HTTPS proxy. */
  public ProxyOptions withTls(TlsOptions t) {
    return new ProxyOptions(
        kind,
        host,
        port,
        credentials,
        headers,
        tunnelTimeout,
        t,
        remoteDns,
        tunnelHttp,
        maxReplySize);
  }

  /** A copy letting a SOCKS5 proxy resolve names ({@code true}) or resolving them here. */
  public ProxyOptions withRemoteDns(boolean remote) {
    return new ProxyOptions(
        kind,
        host,
        port,
        credentials,
        headers,
        tunnelTimeout,
        tls,
        remote,
        tunnelHttp,
        maxReplySize);
  }

  /** A copy tunnelling {@code http} origins too ({@code true}) or forwarding to them. */
  public ProxyOptions withTunnelHttp(boolean tunnel) {
    return new ProxyOptions(
        kind,
        host,
        port,
        credentials,
        headers,
        tunnelTimeout,
        tls,
        remoteDns,
        tunnel,
        maxReplySize);
  }

  /** A copy accepting at most {@code bytes} of reply head from an HTTP or HTTPS proxy. */
  public ProxyOptions withMaxReplySize(int bytes) {
    return new ProxyOptions(
        kind, host, port, credentials, headers, tunnelTimeout, tls, remoteDns, tunnelHttp, bytes);
  }

  /** Whether this is an HTTP proxy (over TCP or TLS) rather than SOCKS. */
  public boolean isHttp() {
    return kind != Kind.SOCKS5;
  }

  /**
   * The fields sent to an HTTP or HTTPS proxy with a {@code CONNECT} request or every forwarded
   * request: {@link #headers()}, then {@code proxy-authorization: Basic ...} (RFC 7617, UTF-8) from
   * the credentials unless the headers already hold one.
   */
  public Headers requestHeaders() {
    if (credentials == null || headers.contains("proxy-authorization")) {
      return headers;
    }
    String pair = credentials.username() + ":" + credentials.password();
    String token = Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    return headers.with("proxy-authorization", "Basic " + token);
  }

  /** The proxy as a URI without credentials, such as {@code http://proxy.example:3128}. */
  public String uri() {
    String scheme = kind == Kind.SOCKS5 && remoteDns ? "socks5h" : kind.scheme();
    String h = host.indexOf(':') >= 0 ? "[" + host + "]" : host;
    return scheme + "://" + h + ":" + port;
  }

  /** Shows the proxy's URI and settings, never the password or header values. */
  @Override
  public String toString() {
    return "ProxyOptions["
        + uri()
        + (credentials == null ? "" : ", user=" + credentials.username())
        + ", headers="
        + headerNames()
        + ", tunnelTimeout="
        + tunnelTimeout
        + ", tunnelHttp="
        + tunnelHttp
        + ", maxReplySize="
        + maxReplySize
        + (kind == Kind.HTTPS ? ", tls=" + tls : "")
        + "]";
  }

  private String headerNames() {
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < headers.size(); i++) {
      b.append(i == 0 ? "" : ", ").append(headers.name(i));
    }
    return b.append(']').toString();
  }

  private static void checkHeaders(Headers headers) {
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      String value = headers.value(i);
      if (!isToken(name)) {
        throw new IllegalArgumentException("proxy header name '" + name + "' is not a token");
      }
      if (MANAGED.contains(name.toLowerCase(Locale.ROOT))) {
        throw new IllegalArgumentException(
            "proxy header '" + name + "' is written by the proxy layer and cannot be set");
      }
      if (!isFieldValue(value)) {
        throw new IllegalArgumentException(
            "the value of proxy header '"
                + name
                + "' holds a control character or surrounding whitespace (RFC 9110 §5.5)");
      }
    }
  }

  private static void checkCredentials(Kind kind, Credentials c) {
    if (kind == Kind.SOCKS5) {
      // RFC 1929 §2: ULEN and PLEN are single octets, and each field holds 1 to 255 bytes.
      checkSocksField("user name", c.username());
      checkSocksField("password", c.password());
    } else if (c.username().indexOf(':') >= 0) {
      throw new IllegalArgumentException(
          "an HTTP proxy user name cannot contain ':' (RFC 7617 §2)");
    }
  }

  private static void checkSocksField(String what, String value) {
    int n = value.getBytes(StandardCharsets.UTF_8).length;
    if (n < 1 || n > 255) {
      throw new IllegalArgumentException(
          "a SOCKS5 " + what + " must be 1 to 255 bytes in UTF-8 (RFC 1929), was " + n);
    }
  }

  private static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean alnum = c < 128 && Character.isLetterOrDigit(c);
      if (!alnum && "!#$%&'*+-.^_`|~".indexOf(c) < 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean isFieldValue(String s) {
    if (!s.isEmpty() && (isBlank(s.charAt(0)) || isBlank(s.charAt(s.length() - 1)))) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c > 0xff || c == 0x7f || c < 0x20 && c != '\t') {
        return false;
      }
    }
    return true;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  private static boolean hasControl(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f) {
        return true;
      }
    }
    return false;
  }

  static String stripBrackets(String host) {
    return host.length() > 1 && host.startsWith("[") && host.endsWith("]")
        ? host.substring(1, host.length() - 1)
        : host;
  }
}
