// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How to open a connection. Immutable and safe to share; build one with {@link #builder()}.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@link #protocols()}</td><td>HTTP/2, then HTTP/1.1</td><td>protocols the connection
 *       may speak, in the caller's order of preference: over https, ALPN offers the allowed ones
 *       that are installed, in this order; over http, the first choice when its provider starts
 *       without ALPN ({@code ProtocolProvider.startsWithoutAlpn()}), else HTTP/1.1 when allowed,
 *       else HTTP/2 with prior knowledge</td></tr>
 *   <tr><td>{@link #mode()}</td><td>{@link Mode#ACTIVE}</td><td>see {@link Mode}</td></tr>
 *   <tr><td>{@link #connectTimeout()}</td><td>30 s</td><td>the whole connect: resolution, TCP,
 *       proxy, TLS handshake</td></tr>
 *   <tr><td>{@link #writeTimeout()}</td><td>30 s</td><td>passive mode: how long a write may wait
 *       for the socket to accept bytes</td></tr>
 *   <tr><td>{@link #autoFlush()}</td><td>{@code true}</td><td>whether each sending call writes its
 *       bytes before it returns, or leaves them queued for {@link HttpConnection#flush()} and the
 *       next receiving call, so that many requests go out in one write</td></tr>
 *   <tr><td>{@link #borrowBodies()}</td><td>{@code false}</td><td>whether the bytes of a {@link
 *       ResponsePart.Data} may be a view of the thread's read buffer, valid only until the
 *       thread's next receiving call, instead of bytes the caller keeps</td></tr>
 *   <tr><td>{@link #hostname()}</td><td>the host connected to</td><td>the name used for the {@code
 *       host} header, TLS SNI and certificate verification, when connecting to an address</td></tr>
 *   <tr><td>{@link #transport()}</td><td>{@code "tcp"}</td><td>the name of the transport provider
 *       that opens the base connection (a plugged-in transport is chosen here)</td></tr>
 *   <tr><td>{@link #userAgent()}</td><td>{@code mint-java/VERSION}</td><td>the {@code user-agent}
 *       sent when the caller sets none; {@code null} sends none</td></tr>
 *   <tr><td>{@link #http1()}</td><td>{@link Http1Options#defaults()}</td><td>HTTP/1.1 settings and
 *       limits</td></tr>
 *   <tr><td>{@link #http2()}</td><td>{@link Http2Options#defaults()}</td><td>HTTP/2 settings,
 *       windows and limits</td></tr>
 *   <tr><td>{@link #tls()}</td><td>{@link TlsOptions#defaults()}</td><td>trust, client
 *       certificates, TLS versions</td></tr>
 *   <tr><td>{@link #proxy()}</td><td>none</td><td>the proxy to go through: see {@link
 *       ProxyOptions}</td></tr>
 *   <tr><td>{@link #resolver()}</td><td>{@link Resolver#installed()}: the one installed through
 *       {@code ServiceLoader}, else the JDK's</td><td>turns the base transport's host into
 *       addresses (the JDK's blocks, not bounded by the connect timeout: see {@link
 *       Resolver})</td></tr>
 *   <tr><td>{@link #socket()}</td><td>{@link SocketOptions#defaults()}</td><td>Happy Eyeballs
 *       attempt delay and TCP socket options</td></tr>
 *   <tr><td>{@link #unixSocket()}</td><td>none</td><td>connect to this Unix domain socket instead
 *       of over TCP (the base transport becomes {@code "unix"}); the host still names the origin
 *       for {@code host}, SNI and verification</td></tr>
 *   <tr><td>{@link #extensions()}</td><td>empty</td><td>settings for plugged-in transports and
 *       protocols, by key; Mint itself ignores them</td></tr>
 * </table>
 */
public final class ConnectOptions {
  /** The {@code user-agent} sent by default. */
  public static final String DEFAULT_USER_AGENT = "mint-java/0.1";

  /** The default connect timeout: 30 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(30);

  /** The default passive-mode write timeout: 30 seconds. */
  public static final Duration DEFAULT_WRITE_TIMEOUT = Duration.ofSeconds(30);

  /** The default preference order: HTTP/2, then HTTP/1.1. */
  private static final List<Protocol> DEFAULT_PROTOCOLS = List.of(Protocol.HTTP2, Protocol.HTTP1);

  private static final ConnectOptions DEFAULTS = builder().build();

  private final List<Protocol> protocols;
  private final Mode mode;
  private final Duration connectTimeout;
  private final Duration writeTimeout;
  private final boolean autoFlush;
  private final boolean borrowBodies;
  private final String hostname;
  private final String transport;
  private final String userAgent;
  private final Http1Options http1;
  private final Http2Options http2;
  private final TlsOptions tls;
  private final ProxyOptions proxy;
  private final Map<String, Object> extensions;

  // ---- connecting: resolver, socket options, Unix socket ----
  private final Resolver resolver;
  private final SocketOptions socket;
  private final Path unixSocket;

  private ConnectOptions(Builder b) {
    this.protocols = List.copyOf(b.protocols);
    this.mode = b.mode;
    this.connectTimeout = b.connectTimeout;
    this.writeTimeout = b.writeTimeout;
    this.autoFlush = b.autoFlush;
    this.borrowBodies = b.borrowBodies;
    this.hostname = b.hostname;
    this.transport = b.transport;
    this.userAgent = b.userAgent;
    this.http1 = b.http1;
    this.http2 = b.http2;
    this.tls = b.tls;
    this.proxy = b.proxy;
    this.extensions = Collections.unmodifiableMap(new LinkedHashMap<>(b.extensions));
    this.resolver = b.resolver;
    this.socket = b.socket;
    this.unixSocket = b.unixSocket;
  }

  /** A protocol's place in the default order; those outside it come after. */
  private static int defaultRank(Protocol p) {
    int rank = DEFAULT_PROTOCOLS.indexOf(p);
    return rank >= 0 ? rank : DEFAULT_PROTOCOLS.size();
  }

  /** The defaults listed in the class documentation. */
  public static ConnectOptions defaults() {
    return DEFAULTS;
  }

  /** A builder holding the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding these options. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.protocols = protocols;
    b.mode = mode;
    b.connectTimeout = connectTimeout;
    b.writeTimeout = writeTimeout;
    b.autoFlush = autoFlush;
    b.borrowBodies = borrowBodies;
    b.hostname = hostname;
    b.transport = transport;
    b.userAgent = userAgent;
    b.http1 = http1;
    b.http2 = http2;
    b.tls = tls;
    b.proxy = proxy;
    b.extensions.putAll(extensions);
    b.resolver = resolver;
    b.socket = socket;
    b.unixSocket = unixSocket;
    return b;
  }

  /**
   * The protocols the connection may speak, most preferred first; never empty, no duplicates. Over
   * https ALPN offers them in this order, and the server picks (RFC 7301 §3.2 lets the server weigh
   * the client's order as it likes).
   */
  public List<Protocol> protocols() {
    return protocols;
  }

  /** Active or passive receiving. */
  public Mode mode() {
    return mode;
  }

  /** The limit on the whole connect. */
  public Duration connectTimeout() {
    return connectTimeout;
  }

  /** The limit on one passive-mode write. */
  public Duration writeTimeout() {
    return writeTimeout;
  }

  /**
   * Whether each sending call ({@link HttpConnection#request}, {@link
   * HttpConnection#streamRequestBody}, {@link HttpConnection#endRequestBody}, the {@link
   * Http2Operations} that queue frames) writes its bytes before it returns: {@code true} by
   * default. When {@code false} the bytes stay queued until {@link HttpConnection#flush()}, the
   * next {@link HttpConnection#stream()}, {@link HttpConnection#recv} or {@link
   * HttpConnection#recvOnce}, {@link HttpConnection#cancelRequest} or {@link
   * HttpConnection#close()}, so that the requests made between two of those calls leave in one
   * write (one gathering write system call; over TLS, records filled up to the 16 KiB limit rather
   * than one per request). See {@link HttpConnection#flush()}.
   */
  public boolean autoFlush() {
    return autoFlush;
  }

  /**
   * Whether body bytes are borrowed rather than kept: {@code false} by default. When {@code false},
   * the {@link Bytes} of every {@link ResponsePart.Data} is the caller's forever, as every part is.
   * When {@code true}, the bytes of a {@link ResponsePart.Data} that a receiving call ({@link
   * HttpConnection#stream()}, {@link HttpConnection#recv}, {@link HttpConnection#recvOnce}) read
   * into the calling thread's read buffer are a view of that buffer, neither copied nor kept from
   * reuse: they are valid only until the same thread's next receiving call on any Mint connection,
   * which may read new bytes over them. A caller that keeps body bytes past that copies them first
   * ({@link Bytes#toByteArray()}, {@link Bytes#writeTo}); the other parts, and body bytes the
   * protocol had to gather from several reads (an HTTP/2 DATA frame split across reads), stay the
   * caller's as always.
   *
   * <p>For callers that look at each body chunk once and drop it (load generators, forwarding
   * proxies that write it on at once): it saves the copy of every body byte, about the body's size
   * in allocation per response. Not for a layer that hands parts to other threads or keeps them
   * past the next receiving call: the pool turns it off on the connections it opens (its handlers
   * may keep the bytes they are given), while the WebSocket layer copies each frame's payload as it
   * parses it and so works either way. See "Borrowed body bytes" in {@link HttpConnection}.
   */
  public boolean borrowBodies() {
    return borrowBodies;
  }

  /** The host name for {@code host}, SNI and verification; {@code null} means the host itself. */
  public String hostname() {
    return hostname;
  }

  /** The base transport provider's name: {@code "unix"} when {@link #unixSocket()} is set. */
  public String transport() {
    return unixSocket != null && transport.equals("tcp") ? "unix" : transport;
  }

  /** The default {@code user-agent}, or {@code null} to send none. */
  public String userAgent() {
    return userAgent;
  }

  /** HTTP/1.1 settings. */
  public Http1Options http1() {
    return http1;
  }

  /** HTTP/2 settings. */
  public Http2Options http2() {
    return http2;
  }

  /** TLS settings (https only). */
  public TlsOptions tls() {
    return tls;
  }

  /** The proxy to connect through; empty to connect to the origin directly. */
  public Optional<ProxyOptions> proxy() {
    return Optional.ofNullable(proxy);
  }

  /** Settings for plugged-in providers, by key. */
  public Map<String, Object> extensions() {
    return extensions;
  }

  /** The extension setting under {@code key} if it is a {@code type}, else {@code null}. */
  public <T> T extension(String key, Class<T> type) {
    Object v = extensions.get(key);
    return type.isInstance(v) ? type.cast(v) : null;
  }

  // ---- connecting: resolver, socket options, Unix socket ----

  /** The resolver for the base transport's host. */
  public Resolver resolver() {
    return resolver;
  }

  /** The TCP socket settings, Happy Eyeballs attempt delay included. */
  public SocketOptions socket() {
    return socket;
  }

  /** The Unix domain socket to connect to instead of TCP; empty for TCP. */
  public Optional<Path> unixSocket() {
    return Optional.ofNullable(unixSocket);
  }

  @Override
  public String toString() {
    return "ConnectOptions[protocols="
        + protocols
        + ", mode="
        + mode
        + ", connectTimeout="
        + connectTimeout
        + ", writeTimeout="
        + writeTimeout
        + ", autoFlush="
        + autoFlush
        + ", borrowBodies="
        + borrowBodies
        + ", hostname="
        + hostname
        + ", transport="
        + transport
        + ", userAgent="
        + userAgent
        + ", http1="
        + http1
        + ", http2="
        + http2
        + ", tls="
        + tls
        + ", proxy="
        + proxy
        + ", extensions="
        + extensions.keySet()
        + ", resolver="
        + resolver
        + ", socket="
        + socket
        + ", unixSocket="
        + unixSocket
        + "]";
  }

  /** Builds {@link ConnectOptions}; not thread-safe. */
  public static final class Builder {
    private List<Protocol> protocols = DEFAULT_PROTOCOLS;
    private Mode mode = Mode.ACTIVE;
    private Duration connectTimeout = DEFAULT_CONNECT_TIMEOUT;
    private Duration writeTimeout = DEFAULT_WRITE_TIMEOUT;
    private boolean autoFlush = true;
    private boolean borrowBodies;
    private String hostname;
    private String transport = "tcp";
    private String userAgent = DEFAULT_USER_AGENT;
    private Http1Options http1 = Http1Options.defaults();
    private Http2Options http2 = Http2Options.defaults();
    private TlsOptions tls = TlsOptions.defaults();
    private ProxyOptions proxy;
    private final Map<String, Object> extensions = new LinkedHashMap<>();
    private Resolver resolver = Resolver.installed();
    private SocketOptions socket = SocketOptions.defaults();
    private Path unixSocket;

    private Builder() {}

    /**
     * The protocols allowed, most preferred first: {@code protocols(Protocol.HTTP1)} allows
     * HTTP/1.1 alone, {@code protocols(Protocol.of("x-custom/1"), Protocol.HTTP1)} prefers a
     * plugged-in protocol and falls back to HTTP/1.1. A protocol named twice counts once, at its
     * first place.
     */
    public Builder protocols(Protocol first, Protocol... rest) {
      List<Protocol> all = new ArrayList<>(1 + rest.length);
      all.add(first);
      all.addAll(Arrays.asList(rest));
      return protocols(all);
    }

    /**
     * The protocols allowed, most preferred first; at least one. A protocol named twice counts
     * once, at its first place.
     */
    public Builder protocols(List<Protocol> preferenceOrder) {
      if (preferenceOrder.isEmpty()) {
        throw new IllegalArgumentException("at least one protocol must be allowed");
      }
      this.protocols = List.copyOf(new LinkedHashSet<>(preferenceOrder));
      return this;
    }

    /**
     * The protocols allowed, as a set, which says no order: they are taken in the default order
     * (HTTP/2, then HTTP/1.1), then any others by ALPN id. Kept from when protocols were an enum;
     * pass a {@link List} to choose the order.
     */
    public Builder protocols(Set<Protocol> protocols) {
      List<Protocol> ordered = new ArrayList<>(protocols);
      ordered.sort(
          Comparator.comparingInt(ConnectOptions::defaultRank).thenComparing(Protocol::alpnId));
      return protocols(ordered);
    }

    /** Active or passive receiving. */
    public Builder mode(Mode mode) {
      this.mode = Objects.requireNonNull(mode, "mode");
      return this;
    }

    /** The limit on the whole connect; positive. */
    public Builder connectTimeout(Duration timeout) {
      this.connectTimeout = requirePositive("connectTimeout", timeout);
      return this;
    }

    /** The limit on one passive-mode write; positive. */
    public Builder writeTimeout(Duration timeout) {
      this.writeTimeout = requirePositive("writeTimeout", timeout);
      return this;
    }

    /**
     * Whether each sending call writes before it returns ({@code true}, the default), or leaves its
     * bytes queued for {@link HttpConnection#flush()} and the next receiving call ({@code false}).
     * See {@link ConnectOptions#autoFlush()}.
     */
    public Builder autoFlush(boolean autoFlush) {
      this.autoFlush = autoFlush;
      return this;
    }

    /**
     * Whether the bytes of body parts may be views of the thread's read buffer, valid only until
     * the thread's next receiving call ({@code true}), or the caller's to keep ({@code false}, the
     * default). See {@link ConnectOptions#borrowBodies()}.
     */
    public Builder borrowBodies(boolean borrowBodies) {
      this.borrowBodies = borrowBodies;
      return this;
    }

    /** The host name for {@code host}, SNI and verification when connecting to an address. */
    public Builder hostname(String hostname) {
      this.hostname = hostname;
      return this;
    }

    /** The base transport provider's name (default {@code "tcp"}). */
    public Builder transport(String name) {
      this.transport = Objects.requireNonNull(name, "transport");
      return this;
    }

    /** The default {@code user-agent}; {@code null} sends none. */
    public Builder userAgent(String userAgent) {
      this.userAgent = userAgent;
      return this;
    }

    /** HTTP/1.1 settings. */
    public Builder http1(Http1Options http1) {
      this.http1 = Objects.requireNonNull(http1, "http1");
      return this;
    }

    /** HTTP/2 settings. */
    public Builder http2(Http2Options http2) {
      this.http2 = Objects.requireNonNull(http2, "http2");
      return this;
    }

    /** TLS settings. */
    public Builder tls(TlsOptions tls) {
      this.tls = Objects.requireNonNull(tls, "tls");
      return this;
    }

    /** The proxy to connect through; {@code null} (the default) connects directly. */
    public Builder proxy(ProxyOptions proxy) {
      this.proxy = proxy;
      return this;
    }

    /** A setting for a plugged-in provider. */
    public Builder extension(String key, Object value) {
      extensions.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
      return this;
    }

    // ---- connecting: resolver, socket options, Unix socket ----

    /**
     * The resolver for the base transport's host (default {@link Resolver#installed()}); one set
     * here wins over any installed through {@code ServiceLoader}.
     */
    public Builder resolver(Resolver resolver) {
      this.resolver = Objects.requireNonNull(resolver, "resolver");
      return this;
    }

    /** TCP socket settings (default {@link SocketOptions#defaults()}). */
    public Builder socket(SocketOptions socket) {
      this.socket = Objects.requireNonNull(socket, "socket");
      return this;
    }

    /**
     * Connect to the Unix domain socket at {@code path} instead of over TCP; {@code null} (the
     * default) connects over TCP. The base transport becomes {@code "unix"} unless {@link
     * #transport} names another than {@code "tcp"}.
     */
    public Builder unixSocket(Path path) {
      this.unixSocket = path;
      return this;
    }

    /** The options. */
    public ConnectOptions build() {
      return new ConnectOptions(this);
    }

    private static Duration requirePositive(String name, Duration d) {
      Objects.requireNonNull(d, name);
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + d);
      }
      return d;
    }
  }
}
