// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import dev.mint.ConnectOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the pool treats one origin: the connections it may open, how long they live, and how long
 * requests may wait. Immutable and safe to share; build one with {@link #builder()}. A {@link Pool}
 * has a default configuration and may override it per {@link Origin}.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@link #connectOptions()}</td><td>{@link ConnectOptions#defaults()}</td><td>how each
 *       connection is opened (protocols, TLS, connect timeout, ...); the pool always opens it in
 *       {@link dev.mint.Mode#ACTIVE} mode, never with borrowed body bytes ({@link
 *       ConnectOptions#borrowBodies()}: a handler may keep the bytes it is given), and the
 *       origin's proxy replaces the options' own</td></tr>
 *   <tr><td>{@link #maxHttp1Connections()}</td><td>16</td><td>HTTP/1.1 connections open or
 *       opening at once; each carries one request at a time (no pipelining, so that a failure never
 *       leaves it unknown which requests the server saw)</td></tr>
 *   <tr><td>{@link #maxHttp2Connections()}</td><td>2</td><td>HTTP/2 connections; another one opens
 *       only when every open one has as many streams as the server allows</td></tr>
 *   <tr><td>{@link #maxStreamsPerConnection()}</td><td>no cap</td><td>a cap on the streams of one
 *       HTTP/2 connection below the server's SETTINGS_MAX_CONCURRENT_STREAMS</td></tr>
 *   <tr><td>{@link #requestTimeout()}</td><td>30 s</td><td>from submission to the end of the
 *       response, retries and waiting included</td></tr>
 *   <tr><td>{@link #checkoutTimeout()}</td><td>30 s</td><td>the longest a request waits for a
 *       connection (or a free HTTP/2 stream) each time it is queued</td></tr>
 *   <tr><td>{@link #idleTimeout()}</td><td>30 s</td><td>a connection with no request for this long
 *       is closed</td></tr>
 *   <tr><td>{@link #maxAge()}</td><td>none</td><td>a connection older than this takes no new
 *       request and closes once its requests are done</td></tr>
 *   <tr><td>{@link #maxRequestsPerConnection()}</td><td>no limit</td><td>after this many requests a
 *       connection takes no more and closes once they are done</td></tr>
 *   <tr><td>{@link #drainTimeout()}</td><td>the request timeout</td><td>after the server's
 *       GOAWAY (RFC 9113 §6.8) a connection takes no new request but is still read for the requests
 *       the server took; it is closed once they are all answered, once the server closes it, or
 *       when this time has passed since the GOAWAY, whichever comes first. Requests still open then
 *       fail as after a close (an idempotent one is retried on another connection), so that a
 *       server falling silent after its GOAWAY holds neither the requests nor the connection past
 *       this bound</td></tr>
 *   <tr><td>{@link #maxAttempts()}</td><td>10</td><td>the most times one request is sent, retries
 *       included: bounds the retries of a server that refuses every stream</td></tr>
 *   <tr><td>{@link #connectBackoff()}</td><td>50 ms</td><td>the wait after a failed connect before
 *       the next; doubled at each further failure up to {@link #maxConnectBackoff()} (2 s), reset by
 *       a success</td></tr>
 *   <tr><td>{@link #maxResponseBodyBytes()}</td><td>64 MiB</td><td>the largest body a buffered
 *       response holds; a larger one fails with {@link PoolException.Reason#BODY_TOO_LARGE}</td></tr>
 * </table>
 */
public final class PoolConfig {
  private static final PoolConfig DEFAULTS = new Builder().build();

  private final ConnectOptions connectOptions;
  private final int maxHttp1Connections;
  private final int maxHttp2Connections;
  private final int maxStreamsPerConnection;
  private final Duration requestTimeout;
  private final Duration checkoutTimeout;
  private final Duration idleTimeout;
  private final Duration maxAge;
  private final long maxRequestsPerConnection;
  private final Duration drainTimeout;
  private final int maxAttempts;
  private final Duration connectBackoff;
  private final Duration maxConnectBackoff;
  private final long maxResponseBodyBytes;

  private PoolConfig(Builder b) {
    this.connectOptions = b.connectOptions;
    this.maxHttp1Connections = b.maxHttp1Connections;
    this.maxHttp2Connections = b.maxHttp2Connections;
    this.maxStreamsPerConnection = b.maxStreamsPerConnection;
    this.requestTimeout = b.requestTimeout;
    this.checkoutTimeout = b.checkoutTimeout;
    this.idleTimeout = b.idleTimeout;
    this.maxAge = b.maxAge;
    this.maxRequestsPerConnection = b.maxRequestsPerConnection;
    this.drainTimeout = b.drainTimeout;
    this.maxAttempts = b.maxAttempts;
    this.connectBackoff = b.connectBackoff;
    this.maxConnectBackoff = b.maxConnectBackoff;
    this.maxResponseBodyBytes = b.maxResponseBodyBytes;
  }

  /** The defaults of the table above. */
  public static PoolConfig defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.connectOptions = connectOptions;
    b.maxHttp1Connections = maxHttp1Connections;
    b.maxHttp2Connections = maxHttp2Connections;
    b.maxStreamsPerConnection = maxStreamsPerConnection;
    b.requestTimeout = requestTimeout;
    b.checkoutTimeout = checkoutTimeout;
    b.idleTimeout = idleTimeout;
    b.maxAge = maxAge;
    b.maxRequestsPerConnection = maxRequestsPerConnection;
    b.drainTimeout = drainTimeout;
    b.maxAttempts = maxAttempts;
    b.connectBackoff = connectBackoff;
    b.maxConnectBackoff = maxConnectBackoff;
    b.maxResponseBodyBytes = maxResponseBodyBytes;
    return b;
  }

  /** How connections are opened. */
  public ConnectOptions connectOptions() {
    return connectOptions;
  }

  /** The most HTTP/1.1 connections open or opening at once for the origin. */
  public int maxHttp1Connections() {
    return maxHttp1Connections;
  }

  /** The most HTTP/2 connections open or opening at once for the origin. */
  public int maxHttp2Connections() {
    return maxHttp2Connections;
  }

  /** A cap on the streams of one HTTP/2 connection ({@link Integer#MAX_VALUE}: none). */
  public int maxStreamsPerConnection() {
    return maxStreamsPerConnection;
  }

  /** From submission to the end of the response. */
  public Duration requestTimeout() {
    return requestTimeout;
  }

  /** The longest a request waits in the queue for a connection, each time it is queued. */
  public Duration checkoutTimeout() {
    return checkoutTimeout;
  }

  /** How long a connection may stay without requests before it is closed. */
  public Duration idleTimeout() {
    return idleTimeout;
  }

  /** How old a connection may grow before it takes no new request; empty: no limit. */
  public Optional<Duration> maxAge() {
    return Optional.ofNullable(maxAge);
  }

  /** How many requests one connection carries ({@link Long#MAX_VALUE}: no limit). */
  public long maxRequestsPerConnection() {
    return maxRequestsPerConnection;
  }

  /**
   * The longest a connection is kept, after the server's GOAWAY, for the requests the server took:
   * the value set, else {@link #requestTimeout()}.
   */
  public Duration drainTimeout() {
    return drainTimeout == null ? requestTimeout : drainTimeout;
  }

  /** The most times one request is sent, retries included. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** The wait after the first failed connect. */
  public Duration connectBackoff() {
    return connectBackoff;
  }

  /** The longest wait between connect attempts. */
  public Duration maxConnectBackoff() {
    return maxConnectBackoff;
  }

  /** The largest body a buffered response may have. */
  public long maxResponseBodyBytes() {
    return maxResponseBodyBytes;
  }

  @Override
  public String toString() {
    return "PoolConfig[http1="
        + maxHttp1Connections
        + ", http2="
        + maxHttp2Connections
        + ", request="
        + requestTimeout
        + ", checkout="
        + checkoutTimeout
        + ", idle="
        + idleTimeout
        + ", maxAge="
        + maxAge
        + ", maxRequests="
        + maxRequestsPerConnection
        + ", drain="
        + drainTimeout()
        + "]";
  }

  /** Builds a {@link PoolConfig}; not thread-safe. */
  public static final class Builder {
    private ConnectOptions connectOptions = ConnectOptions.defaults();
    private int maxHttp1Connections = 16;
    private int maxHttp2Connections = 2;
    private int maxStreamsPerConnection = Integer.MAX_VALUE;
    private Duration requestTimeout = Duration.ofSeconds(30);
    private Duration checkoutTimeout = Duration.ofSeconds(30);
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Duration maxAge;
    private long maxRequestsPerConnection = Long.MAX_VALUE;
    private Duration drainTimeout;
    private int maxAttempts = 10;
    private Duration connectBackoff = Duration.ofMillis(50);
    private Duration maxConnectBackoff = Duration.ofSeconds(2);
    private long maxResponseBodyBytes = 64L << 20;

    private Builder() {}

    /** How connections are opened. */
    public Builder connectOptions(ConnectOptions options) {
      this.connectOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /** The most HTTP/1.1 connections; at least 1. */
    public Builder maxHttp1Connections(int max) {
      this.maxHttp1Connections = positive("maxHttp1Connections", max);
      return this;
    }

    /** The most HTTP/2 connections; at least 1. */
    public Builder maxHttp2Connections(int max) {
      this.maxHttp2Connections = positive("maxHttp2Connections", max);
      return this;
    }

    /** A cap on the streams of one HTTP/2 connection; at least 1. */
    public Builder maxStreamsPerConnection(int max) {
      this.maxStreamsPerConnection = positive("maxStreamsPerConnection", max);
      return this;
    }

    /** From submission to the end of the response; positive. */
    public Builder requestTimeout(Duration timeout) {
      this.requestTimeout = positive("requestTimeout", timeout);
      return this;
    }

    /** The longest wait in the queue for a connection; positive. */
    public Builder checkoutTimeout(Duration timeout) {
      this.checkoutTimeout = positive("checkoutTimeout", timeout);
      return this;
    }

    /** How long a connection may stay unused; positive. */
    public Builder idleTimeout(Duration timeout) {
      this.idleTimeout = positive("idleTimeout", timeout);
      return this;
    }

    /** How old a connection may grow; {@code null} for no limit. */
    public Builder maxAge(Duration age) {
      this.maxAge = age == null ? null : positive("maxAge", age);
      return this;
    }

    /** How many requests one connection carries; at least 1. */
    public Builder maxRequestsPerConnection(long max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxRequestsPerConnection must be positive: " + max);
      }
      this.maxRequestsPerConnection = max;
      return this;
    }

    /**
     * The longest a connection is kept after the server's GOAWAY for the requests it took;
     * positive, or {@code null} (the default) to follow the request timeout.
     */
    public Builder drainTimeout(Duration timeout) {
      this.drainTimeout = timeout == null ? null : positive("drainTimeout", timeout);
      return this;
    }

    /** The most times one request is sent; at least 1. */
    public Builder maxAttempts(int max) {
      this.maxAttempts = positive("maxAttempts", max);
      return this;
    }

    /** The first and the longest wait between failed connects; positive, first at most max. */
    public Builder connectBackoff(Duration first, Duration max) {
      positive("connectBackoff", first);
      positive("maxConnectBackoff", max);
      if (first.compareTo(max) > 0) {
        throw new IllegalArgumentException("connectBackoff " + first + " exceeds its max " + max);
      }
      this.connectBackoff = first;
      this.maxConnectBackoff = max;
      return this;
    }

    /** The largest body a buffered response may have; at least 1. */
    public Builder maxResponseBodyBytes(long max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxResponseBodyBytes must be positive: " + max);
      }
      this.maxResponseBodyBytes = max;
      return this;
    }

    /** The configuration. */
    public PoolConfig build() {
      return new PoolConfig(this);
    }

    private static int positive(String name, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }

    private static Duration positive(String name, Duration value) {
      Objects.requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive: " + value);
      }
      return value;
    }
  }
}
