/**
 * Proxies: the {@code http-connect} and {@code socks5} transport layers, and {@link
 * dev.mint.proxy.ProxyLookup} for settings kept in the JVM's properties or the environment.
 *
 * <h2>Using a proxy</h2>
 *
 * Put {@code mint-proxy} on the class or module path (its providers are found with {@link
 * java.util.ServiceLoader}) and set a {@link dev.mint.ProxyOptions} on the connection; nothing else
 * changes. The connector builds the {@link dev.mint.spi.TransportChain} for it.
 *
 * <pre>{@code
 * // An https origin through an HTTP proxy: CONNECT, then TLS (and ALPN: HTTP/2 works) to the origin.
 * ConnectOptions options =
 *     ConnectOptions.builder()
 *         .proxy(ProxyOptions.http("proxy.internal", 3128).withCredentials("alice", "s3cret"))
 *         .build();
 * try (HttpConnection conn = Mint.connect(Scheme.HTTPS, "example.com", 443, options)) {
 *   ProxyResponse.Http established = (ProxyResponse.Http) conn.proxyResponse().orElseThrow();
 *   conn.request("GET", "/", Headers.empty(), RequestBody.none());
 *   // receive as usual
 * }
 * }</pre>
 *
 * <pre>{@code
 * // An HTTPS proxy (TLS to the proxy, with its own trust), TLS to the origin inside it.
 * ProxyOptions proxy =
 *     ProxyOptions.https("proxy.internal", 8443)
 *         .withTls(TlsOptions.defaults().withCaCertificatesPem(Path.of("proxy-ca.pem")));
 * ConnectOptions options = ConnectOptions.builder().proxy(proxy).build();
 * HttpConnection conn = Mint.connect(Scheme.HTTPS, "example.com", 443, options);
 * }</pre>
 *
 * <pre>{@code
 * // An http origin through an HTTP proxy: forwarded (GET http://example.com/ ...), keep-alive to
 * // the proxy, proxy-authorization and the proxy headers on every request.
 * ProxyOptions proxy =
 *     ProxyOptions.http("proxy.internal", 3128).withHeaders(Headers.of("x-team", "search"));
 * HttpConnection conn =
 *     Mint.connect(Scheme.HTTP, "example.com", 80, ConnectOptions.builder().proxy(proxy).build());
 * conn.request("GET", "/", Headers.empty(), RequestBody.none()); // sent in absolute-form
 * // proxy.withTunnelHttp(true) would CONNECT to example.com:80 instead.
 * }</pre>
 *
 * <pre>{@code
 * // SOCKS5 with user name and password; the proxy resolves the name (socks5h:// in curl's terms).
 * ProxyOptions proxy = ProxyOptions.socks5("127.0.0.1", 1080).withCredentials("bob", "pw");
 * // or: ProxyOptions.fromUri("socks5h://bob:pw@127.0.0.1:1080"); socks5:// resolves locally
 * HttpConnection conn =
 *     Mint.connect(Scheme.HTTPS, "example.com", 443, ConnectOptions.builder().proxy(proxy).build());
 * ProxyResponse.Socks5 reply = (ProxyResponse.Socks5) conn.proxyResponse().orElseThrow();
 * }</pre>
 *
 * <pre>{@code
 * // Whatever the environment says (HTTPS_PROXY, NO_PROXY, ...), per target.
 * ProxyLookup proxies = ProxyLookup.fromEnvironment(System.getenv());
 * ProxyOptions proxy = proxies.proxyFor(Scheme.HTTPS, "example.com", 443).orElse(null);
 * HttpConnection conn =
 *     Mint.connect(Scheme.HTTPS, "example.com", 443, ConnectOptions.builder().proxy(proxy).build());
 * }</pre>
 *
 * <h2>Errors</h2>
 *
 * A proxy that refuses is a {@link dev.mint.TransportException} from {@code connect}, with a
 * specific reason (see {@link dev.mint.TransportException.Reason}) and, when the proxy answered,
 * its reply:
 *
 * <pre>{@code
 * try {
 *   conn = Mint.connect(Scheme.HTTPS, "example.com", 443, options);
 * } catch (TransportException e) {
 *   if (e.reason() == TransportException.Reason.PROXY_AUTH_REQUIRED
 *       && e.proxyResponse().orElseThrow() instanceof ProxyResponse.Http reply) {
 *     List<String> challenges = reply.headers().getAll("proxy-authenticate");
 *   }
 *   throw e;
 * }
 * }</pre>
 *
 * <table>
 *   <caption>Proxy failures</caption>
 *   <tr><th>reason</th><th>cause</th></tr>
 *   <tr><td>{@code PROXY_AUTH_REQUIRED}</td><td>an HTTP proxy answered 407</td></tr>
 *   <tr><td>{@code PROXY_REFUSED}</td><td>an HTTP proxy answered another non-2xx</td></tr>
 *   <tr><td>{@code PROXY_AUTH_FAILED}, {@code PROXY_NO_ACCEPTABLE_AUTH}</td><td>a SOCKS5 proxy
 *       rejected the credentials, or every method offered</td></tr>
 *   <tr><td>{@code SOCKS_*}</td><td>a SOCKS5 reply code X'01' to X'08'</td></tr>
 *   <tr><td>{@code PROXY_BAD_REPLY}</td><td>a malformed or oversized reply</td></tr>
 *   <tr><td>{@code PROXY_CLOSED}</td><td>the proxy closed before the tunnel was up</td></tr>
 *   <tr><td>{@code PROXY_TIMEOUT}</td><td>no tunnel within {@link
 *       dev.mint.ProxyOptions#tunnelTimeout()} ({@code CONNECT_TIMEOUT} when the connect timeout
 *       ends first)</td></tr>
 *   <tr><td>{@code CONNECTION_REFUSED}, {@code UNRESOLVED_HOST}, TLS reasons</td><td>reaching the
 *       proxy itself failed (the message names the proxy)</td></tr>
 * </table>
 *
 * <h2>The origin's first bytes</h2>
 *
 * A tunnel reads the proxy's reply in blocks and keeps what it read past the reply; the connection
 * then reports {@link dev.mint.HttpConnection#hasBufferedInput()} already after {@code connect}. A
 * selector loop should call {@code stream()} whenever that is true rather than wait for the socket
 * to be readable, as it does for decrypted TLS records.
 *
 * <h2>Layering</h2>
 *
 * Both providers are layering transports: they need an inner transport (TCP, TLS to an HTTPS proxy,
 * or a user's base transport chosen with {@link dev.mint.ConnectOptions#transport()}, which is then
 * opened toward the proxy) and read their settings from {@link dev.mint.ConnectOptions#proxy()}.
 * Their handshakes are sans-I/O codecs, driven over the inner transport until the deadline. This
 * module starts no thread and takes no lock.
 */
package dev.mint.proxy;
