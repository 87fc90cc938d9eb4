// SPDX-License-Identifier: Apache-2.0
package dev.mint.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A scripted HTTP server on 127.0.0.1 for tests of code that uses an HTTP client: it records every
 * request and answers each with the next {@link MockResponse} a test {@linkplain #enqueue queued}
 * (or the one a {@link Dispatcher} picks), broken responses included ({@link Fault}).
 *
 * <pre>{@code
 * try (MockServer server = MockServer.start()) {
 *   server.enqueue(MockResponse.of(200, "hello"));
 *   // ... the code under test calls server.port() ...
 *   RecordedRequest request = server.takeRequest(Duration.ofSeconds(5));
 * }
 * }</pre>
 *
 * <h2>Protocols</h2>
 *
 * One port serves them all, told apart by the connection's first bytes: a TLS handshake record
 * (then HTTP/2 or HTTP/1.1 by ALPN, RFC 7301, HTTP/2 preferred; HTTP/1.1 when the client offers no
 * ALPN), the HTTP/2 connection preface (h2c with prior knowledge, RFC 9113 §3.3), or else an
 * HTTP/1.1 request. Over TLS the server presents a {@link ServerCertificate} it generated (see
 * {@link #certificate()}, which also gives the client what to trust).
 *
 * <h2>Why a server of its own</h2>
 *
 * The server is small and written for this purpose on plain sockets, rather than on an embedded
 * server library such as Jetty: a well-behaved server would not, on cue, reset a stream with a
 * chosen code, reset the TCP connection, promise more body than it sends, stall between bytes or
 * send GOAWAY in the middle of an exchange, and a test fixture must do exactly that. It also keeps
 * the artifact's dependencies to HPACK and the certificate generator.
 *
 * <h2>Threads and limits</h2>
 *
 * The server runs one thread to accept, one per connection, and on HTTP/2 one per stream being
 * answered; all are daemon threads named {@code mint-testing-PORT-...}. Every method may be called
 * from any thread. {@link #close()} stops them all. Every wait is bounded: {@link #takeRequest} by
 * its timeout, a connection's reads by the {@linkplain Builder#idleTimeout idle timeout}, a wait
 * for the client's HTTP/2 flow-control window by the same. Queues and sizes are bounded too (see
 * {@link Builder}); a request beyond a limit is answered with 413, 431 or 503 and logged.
 */
public final class MockServer implements AutoCloseable {
  /** Default of {@link Builder#maxConnections}. */
  public static final int DEFAULT_MAX_CONNECTIONS = 64;

  /** Default of {@link Builder#maxQueuedResponses}. */
  public static final int DEFAULT_MAX_QUEUED_RESPONSES = 1024;

  /** Default of {@link Builder#maxRecordedRequests}. */
  public static final int DEFAULT_MAX_RECORDED_REQUESTS = 1024;

  /** Default of {@link Builder#maxRequestBodyBytes}: 16 MiB. */
  public static final int DEFAULT_MAX_REQUEST_BODY_BYTES = 16 * 1024 * 1024;

  /** Default of {@link Builder#maxHeaderBytes}: 64 KiB. */
  public static final int DEFAULT_MAX_HEADER_BYTES = 64 * 1024;

  /** Default of {@link Builder#idleTimeout}: 30 seconds. */
  public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(30);

  /** The HTTP/2 streams a client may have open at once (SETTINGS_MAX_CONCURRENT_STREAMS). */
  public static final int MAX_CONCURRENT_STREAMS = 100;

  private static final Logger log = LoggerFactory.getLogger(MockServer.class);
  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  private final Limits limits;
  private final List<String> alpn;
  private final MockResponse defaultResponse;
  private final Dispatcher dispatcher;
  private ServerCertificate certificate; // made on first use, guarded by this
  private SSLContext serverContext; // made on first use, guarded by this
  private final ServerSocket listener;
  private final BlockingQueue<MockResponse> responses;
  private final BlockingQueue<RecordedRequest> requests;
  private final AtomicInteger connectionCount = new AtomicInteger();
  private final AtomicInteger requestCount = new AtomicInteger();
  private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final Thread acceptor;
  private volatile boolean closed;

  private MockServer(Builder b) throws IOException {
    this.limits =
        new Limits(b.maxHeaderBytes, b.maxRequestBodyBytes, b.idleTimeout, MAX_CONCURRENT_STREAMS);
    this.alpn = b.alpn;
    this.defaultResponse = b.defaultResponse;
    this.dispatcher = b.dispatcher;
    this.responses = new ArrayBlockingQueue<>(b.maxQueuedResponses);
    this.requests = new ArrayBlockingQueue<>(b.maxRecordedRequests);
    this.listener = new ServerSocket();
    listener.setReuseAddress(b.port != 0);
    listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), b.port), 50);
    this.acceptor = thread("accept", () -> accept(b.maxConnections));
    acceptor.start();
  }

  /** Starts a server with the defaults on a free port. */
  public static MockServer start() throws IOException {
    return builder().start();
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The port the server listens on, on 127.0.0.1. */
  public int port() {
    return listener.getLocalPort();
  }

  /** The address the server listens on: {@code 127.0.0.1}. */
  public String host() {
    return "127.0.0.1";
  }

  /** {@code http://127.0.0.1:PORT} followed by {@code path} (which starts with {@code /}). */
  public URI httpUri(String path) {
    return uri("http", "127.0.0.1", path);
  }

  /**
   * {@code https://localhost:PORT} followed by {@code path}: a name the certificate holds and that
   * clients verify as a host name.
   */
  public URI httpsUri(String path) {
    return uri("https", "localhost", path);
  }

  private URI uri(String scheme, String host, String path) {
    if (!path.startsWith("/")) {
      throw new IllegalArgumentException("path does not start with /: " + path);
    }
    return URI.create(scheme + "://" + host + ":" + port() + path);
  }

  /**
   * The TLS certificate the server presents, and the trust material for clients. It is generated
   * once per server, on the first call of this method or the first TLS connection, whichever comes
   * first (a cold JVM takes a moment to load the classes that build it; a test of plain HTTP never
   * pays for that).
   */
  public synchronized ServerCertificate certificate() {
    if (certificate == null) {
      certificate = ServerCertificate.generate();
    }
    return certificate;
  }

  private synchronized SSLContext serverContext() {
    if (serverContext == null) {
      serverContext = certificate().serverSslContext();
    }
    return serverContext;
  }

  /**
   * Queues {@code response} for the next request that has none yet, in order across all
   * connections.
   *
   * @throws IllegalStateException when the server has a dispatcher, or when {@link
   *     Builder#maxQueuedResponses} responses wait already
   */
  public void enqueue(MockResponse response) {
    Objects.requireNonNull(response, "response");
    if (dispatcher != null) {
      throw new IllegalStateException("this server answers through its dispatcher, not a queue");
    }
    if (!responses.offer(response)) {
      throw new IllegalStateException(
          "response queue full: " + responses.size() + " responses wait (maxQueuedResponses)");
    }
  }

  /**
   * The next request the server received, waiting up to {@code timeout} for it.
   *
   * @throws AssertionError when none arrives in time, saying how many came and were taken
   * @throws InterruptedException when the waiting thread is interrupted
   */
  public RecordedRequest takeRequest(Duration timeout) throws InterruptedException {
    RecordedRequest request = requests.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
    if (request == null) {
      throw new AssertionError(
          "no request arrived at 127.0.0.1:"
              + port()
              + " within "
              + timeout.toMillis()
              + " ms ("
              + requestCount.get()
              + " requests received in all, every one already taken; "
              + connectionCount.get()
              + " connections accepted)");
    }
    return request;
  }

  /** How many requests the server has received (and recorded) since it started. */
  public int requestCount() {
    return requestCount.get();
  }

  /** How many connections the server has accepted since it started. */
  public int connectionCount() {
    return connectionCount.get();
  }

  /**
   * Stops the server: closes the listener and every connection, stops its threads (waiting at most
   * 5 seconds for them), and drops what is queued.
   */
  @Override
  public void close() {
    closed = true;
    try {
      listener.close();
    } catch (IOException e) {
      log.debug("closing the listener", e);
    }
    for (Socket socket : sockets) {
      try {
        socket.close();
      } catch (IOException e) {
        log.debug("closing a connection", e);
      }
    }
    long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
    for (Thread thread : threads) {
      thread.interrupt();
    }
    for (Thread thread : threads) {
      long left = deadline - System.nanoTime();
      try {
        if (left > 0) {
          thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    responses.clear();
  }

  @Override
  public String toString() {
    return "MockServer[127.0.0.1:" + port() + "]";
  }

  // ---------------------------------------------------------------- for the protocol handlers

  Limits limits() {
    return limits;
  }

  boolean isClosed() {
    return closed;
  }

  /** Starts a daemon thread the server tracks and stops on close. */
  Thread thread(String name, Runnable body) {
    Thread[] self = new Thread[1];
    self[0] =
        new Thread(
            () -> {
              try {
                body.run();
              } finally {
                threads.remove(self[0]);
              }
            },
            "mint-testing-" + listener.getLocalPort() + "-" + name);
    self[0].setDaemon(true);
    threads.add(self[0]);
    return self[0];
  }

  /**
   * Records {@code request} and picks its response: the dispatcher's, or the next queued one, or
   * the default. A request that does not fit in the record queue is answered with 503 unrecorded.
   */
  MockResponse respond(RecordedRequest request) {
    if (!requests.offer(request)) {
      log.warn("{}: recorded-request queue full, answering {} with 503", this, request);
      return MockResponse.of(
          503, "mint-testing: recorded-request queue full (maxRecordedRequests); take requests\n");
    }
    requestCount.incrementAndGet();
    if (dispatcher == null) {
      MockResponse next = responses.poll();
      return next != null ? next : defaultResponse;
    }
    try {
      return Objects.requireNonNull(dispatcher.dispatch(request), "the dispatcher returned null");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return MockResponse.of(500, "mint-testing: interrupted in the dispatcher\n");
    } catch (Exception e) {
      log.warn("{}: the dispatcher failed on {}", this, request, e);
      return MockResponse.of(500, "mint-testing: the dispatcher failed: " + e + "\n");
    }
  }

  /** A limit was hit or the client broke the protocol: logged, for the test's output. */
  void reportClientError(Wire wire, String message) {
    log.warn("{}: connection {}: {}", this, wire.index(), message);
  }

  // ---------------------------------------------------------------- accepting and sniffing

  private void accept(int maxConnections) {
    while (!closed) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        if (!closed) {
          log.warn("{}: accept failed", this, e);
        }
        return;
      }
      if (sockets.size() >= maxConnections) {
        log.warn("{}: {} connections open (maxConnections): refusing one", this, maxConnections);
        resetRefused(socket);
        continue;
      }
      int index = connectionCount.getAndIncrement();
      sockets.add(socket);
      thread("connection-" + index, () -> serve(socket, index)).start();
    }
  }

  private void serve(Socket socket, int index) {
    try {
      socket.setSoTimeout(Math.toIntExact(Math.max(1, limits.idleTimeout().toMillis())));
      socket.setTcpNoDelay(true);
      InputStream raw = socket.getInputStream();
      byte[] first = peek(raw, PREFACE_PREFIX.length);
      // The bytes peeked at come first, then the socket's: a SequenceInputStream returns what one
      // part has without waiting for the next.
      InputStream in = new SequenceInputStream(new ByteArrayInputStream(first), raw);
      if (first.length > 0 && first[0] == TLS_HANDSHAKE_RECORD) {
        serveTls(socket, new ByteArrayInputStream(first), index);
      } else if (Arrays.equals(first, PREFACE_PREFIX)) {
        new Http2Connection(this, new Wire(socket, socket, in, false, index), "h2c").serve();
      } else if (first.length > 0) {
        new Http1Connection(this, new Wire(socket, socket, in, false, index)).serve();
      }
    } catch (IOException e) {
      if (!closed) {
        log.debug("{}: connection {} ended: {}", this, index, e.toString());
      }
    } finally {
      sockets.remove(socket);
      try {
        socket.close();
      } catch (IOException e) {
        log.debug("closing connection {}", index, e);
      }
    }
  }

  /** TLS over {@code socket}, whose first bytes, {@code consumed}, were read already. */
  private void serveTls(Socket socket, InputStream consumed, int index) throws IOException {
    SSLSocket tls =
        (SSLSocket) serverContext().getSocketFactory().createSocket(socket, consumed, true);
    tls.setUseClientMode(false);
    SSLParameters parameters = tls.getSSLParameters();
    parameters.setApplicationProtocols(alpn.toArray(String[]::new));
    tls.setSSLParameters(parameters);
    sockets.add(tls);
    try {
      tls.startHandshake();
      Wire wire = new Wire(socket, tls, tls.getInputStream(), true, index);
      if ("h2".equals(tls.getApplicationProtocol())) {
        new Http2Connection(this, wire, "h2").serve();
      } else {
        new Http1Connection(this, wire).serve();
      }
    } finally {
      sockets.remove(tls);
      tls.close();
    }
  }

  /**
   * The connection's first bytes: up to {@code n} while they match the HTTP/2 preface, else as many
   * as the first read gives; fewer when the client stops sending.
   */
  private static byte[] peek(InputStream in, int n) throws IOException {
    byte[] bytes = new byte[n];
    int have = 0;
    while (have < n) {
      int r = in.read(bytes, have, n - have);
      if (r < 0) {
        break;
      }
      have += r;
      if (!Arrays.equals(bytes, 0, have, PREFACE_PREFIX, 0, have)) {
        break; // not the HTTP/2 preface: no need to wait for more
      }
    }
    return Arrays.copyOf(bytes, have);
  }

  /** The first byte of a TLS record of type handshake (RFC 8446 §5.1). */
  private static final byte TLS_HANDSHAKE_RECORD = 0x16;

  /** Enough of the HTTP/2 preface (RFC 9113 §3.4) to tell it from an HTTP/1.1 request line. */
  private static final byte[] PREFACE_PREFIX =
      "PRI * HTTP/2.0\r\n".getBytes(StandardCharsets.US_ASCII);

  /** Resets a connection refused at accept: SO_LINGER 0, so the close sends RST. */
  private static void resetRefused(Socket socket) {
    try {
      socket.setSoLinger(true, 0);
      socket.close();
    } catch (IOException e) {
      log.debug("resetting a refused connection", e);
    }
  }

  /** The limits the protocol handlers apply. */
  record Limits(
      int maxHeaderBytes,
      int maxRequestBodyBytes,
      Duration idleTimeout,
      int maxConcurrentStreams) {}

  /** Configures a {@link MockServer}; not thread-safe. */
  public static final class Builder {
    private int port;
    private List<String> alpn = List.of("h2", "http/1.1");
    private int maxConnections = DEFAULT_MAX_CONNECTIONS;
    private int maxQueuedResponses = DEFAULT_MAX_QUEUED_RESPONSES;
    private int maxRecordedRequests = DEFAULT_MAX_RECORDED_REQUESTS;
    private int maxRequestBodyBytes = DEFAULT_MAX_REQUEST_BODY_BYTES;
    private int maxHeaderBytes = DEFAULT_MAX_HEADER_BYTES;
    private Duration idleTimeout = DEFAULT_IDLE_TIMEOUT;
    private Dispatcher dispatcher;
    private MockResponse defaultResponse =
        MockResponse.of(503, "mint-testing: no response queued\n");

    private Builder() {}

    /** The port on 127.0.0.1 (0, the default: a free port the system picks). */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port);
      }
      this.port = port;
      return this;
    }

    /**
     * The ALPN protocols offered over TLS, preferred first (default {@code h2}, {@code http/1.1});
     * each {@code h2} or {@code http/1.1}.
     */
    public Builder alpn(String... protocols) {
      for (String p : protocols) {
        if (!p.equals("h2") && !p.equals("http/1.1")) {
          throw new IllegalArgumentException("unsupported ALPN protocol " + p);
        }
      }
      this.alpn = List.of(protocols);
      return this;
    }

    /** Connections open at once; one more is reset at accept (default 64). */
    public Builder maxConnections(int max) {
      this.maxConnections = positive(max, "maxConnections");
      return this;
    }

    /** Responses waiting in the queue; {@link #enqueue} beyond fails (default 1024). */
    public Builder maxQueuedResponses(int max) {
      this.maxQueuedResponses = positive(max, "maxQueuedResponses");
      return this;
    }

    /** Requests recorded and not yet taken; one more is answered 503 unrecorded (default 1024). */
    public Builder maxRecordedRequests(int max) {
      this.maxRecordedRequests = positive(max, "maxRecordedRequests");
      return this;
    }

    /** A request body's size; a larger one is answered 413 unrecorded (default 16 MiB). */
    public Builder maxRequestBodyBytes(int max) {
      this.maxRequestBodyBytes = positive(max, "maxRequestBodyBytes");
      return this;
    }

    /**
     * A request head's size (HTTP/1.1: request line and fields; HTTP/2: the decoded field list, and
     * the encoded header block); a larger HTTP/1.1 head or HTTP/2 field list is answered with 431
     * unrecorded, a larger HTTP/2 header block ends the connection with GOAWAY ENHANCE_YOUR_CALM
     * (default 64 KiB).
     */
    public Builder maxHeaderBytes(int max) {
      this.maxHeaderBytes = positive(max, "maxHeaderBytes");
      return this;
    }

    /**
     * How long a connection may stay silent, and how long an HTTP/2 response waits for the client's
     * flow-control window, before the server closes the connection (default 30 s).
     */
    public Builder idleTimeout(Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("idle timeout " + timeout);
      }
      this.idleTimeout = timeout;
      return this;
    }

    /** Answers every request through {@code dispatcher} instead of the queue. */
    public Builder dispatcher(Dispatcher dispatcher) {
      this.dispatcher = Objects.requireNonNull(dispatcher, "dispatcher");
      return this;
    }

    /** The answer when the queue is empty (default: 503 "mint-testing: no response queued"). */
    public Builder defaultResponse(MockResponse response) {
      this.defaultResponse = Objects.requireNonNull(response, "response");
      return this;
    }

    /** Starts the server. */
    public MockServer start() throws IOException {
      return new MockServer(this);
    }

    private static int positive(int value, String name) {
      if (value < 1) {
        throw new IllegalArgumentException(name + " " + value);
      }
      return value;
    }
  }
}
