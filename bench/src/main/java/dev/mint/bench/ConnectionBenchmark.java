// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.Http2Operations;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Whole connections over loopback, through the public API only: the engines, the connection shell
 * and the TCP transport together, against in-process servers ({@link BenchServer} for HTTP/1.1,
 * {@link JettyH2cServer} for HTTP/2 in cleartext). Every score is per request, so {@code -prof
 * gc}'s {@code gc.alloc.rate.norm} is the bytes allocated per request: the client's and the
 * server's (BenchServer allocates next to nothing per request; the Jetty server does, the same
 * before and after a change to Mint).
 *
 * <ul>
 *   <li>{@link #http1Sequential}: one passive connection, one GET at a time;
 *   <li>{@link #http1Concurrent}: {@link #CONNECTIONS} active connections on one selector, one GET
 *       in flight on each, all completed per invocation;
 *   <li>{@link #http2Streams100}: one active HTTP/2 connection, {@link #STREAMS} streams opened
 *       together and all completed per invocation;
 *   <li>{@link #http2Streams100Batched}: the same on a connection with {@link
 *       ConnectOptions#autoFlush()} off, where the {@link #STREAMS} requests leave in one write
 *       rather than one write each.
 * </ul>
 *
 * <p>Every wait is bounded by {@link #TIMEOUT}; a response that does not arrive fails the run.
 */
@State(Scope.Thread)
@BenchmarkMode(org.openjdk.jmh.annotations.Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class ConnectionBenchmark {
  /** Connections of {@link #http1Concurrent}. */
  static final int CONNECTIONS = 16;

  /** Streams in flight in {@link #http2Streams100}. */
  static final int STREAMS = 100;

  private static final int BODY = 1024;
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private BenchServer h1Server;
  private JettyH2cServer h2Server;
  private HttpConnection passive;
  private final List<HttpConnection> active = new ArrayList<>();
  private Selector h1Selector;
  private H2 h2;
  private H2 h2Batched;

  /** An active HTTP/2 connection and the selector it is registered with. */
  private record H2(HttpConnection conn, Selector selector, SelectionKey key) {
    /** Connects to {@code port} and waits for the server's SETTINGS. */
    static H2 open(int port, ConnectOptions options) throws IOException {
      HttpConnection conn = Mint.connect(Scheme.HTTP, "127.0.0.1", port, options);
      Selector selector = Selector.open();
      SelectionKey key = conn.selectableChannel().orElseThrow().register(selector, 0);
      Http2Operations ops = conn.http2().orElseThrow();
      long deadline = System.nanoTime() + TIMEOUT.toNanos();
      while (!ops.serverSettingsReceived()) {
        checkDeadline(deadline, "the server's SETTINGS");
        key.interestOps(conn.interestOps());
        selector.select(100);
        selector.selectedKeys().clear();
        conn.stream();
      }
      return new H2(conn, selector, key);
    }

    void close() throws IOException {
      conn.close();
      selector.close();
    }
  }

  private static ConnectOptions options(Mode mode, Protocol protocol) {
    return ConnectOptions.builder().mode(mode).protocols(protocol).connectTimeout(TIMEOUT).build();
  }

  /** Starts both servers and opens every connection. */
  @Setup(Level.Trial)
  public void setUp() throws Exception {
    h1Server = new BenchServer(BODY);
    h2Server = new JettyH2cServer(BODY, 128);
    passive =
        Mint.connect(
            Scheme.HTTP, "127.0.0.1", h1Server.port(), options(Mode.PASSIVE, Protocol.HTTP1));
    h1Selector = Selector.open();
    for (int i = 0; i < CONNECTIONS; i++) {
      HttpConnection c =
          Mint.connect(
              Scheme.HTTP, "127.0.0.1", h1Server.port(), options(Mode.ACTIVE, Protocol.HTTP1));
      active.add(c);
      c.selectableChannel().orElseThrow().register(h1Selector, c.interestOps(), c);
    }
    ConnectOptions h2Options = options(Mode.ACTIVE, Protocol.HTTP2);
    h2 = H2.open(h2Server.port(), h2Options);
    h2Batched = H2.open(h2Server.port(), h2Options.toBuilder().autoFlush(false).build());
  }

  /** Closes every connection and both servers. */
  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    passive.close();
    for (HttpConnection c : active) {
      c.close();
    }
    h2.close();
    h2Batched.close();
    h1Selector.close();
    h1Server.close();
    h2Server.close();
  }

  private static void checkDeadline(long deadline, String what) {
    if (System.nanoTime() - deadline >= 0) {
      throw new IllegalStateException("no " + what + " within " + TIMEOUT);
    }
  }

  /** One GET and its whole response on a passive HTTP/1.1 connection. */
  @Benchmark
  public long http1Sequential() throws MintException {
    RequestRef ref = passive.request("GET", "/", Headers.empty(), RequestBody.none());
    long body = 0;
    while (true) {
      for (ResponsePart part : passive.recv(TIMEOUT)) {
        if (part instanceof ResponsePart.Data d) {
          body += d.bytes().length();
        } else if (part instanceof ResponsePart.Done) {
          return check(part.ref() == ref, body, 1);
        } else if (part instanceof ResponsePart.RequestError e) {
          throw e.error();
        }
      }
    }
  }

  /** One GET on each of {@link #CONNECTIONS} active connections, all completed. */
  @Benchmark
  @OperationsPerInvocation(CONNECTIONS)
  public long http1Concurrent() throws IOException {
    for (HttpConnection c : active) {
      c.request("GET", "/", Headers.empty(), RequestBody.none());
    }
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    int done = 0;
    long body = 0;
    while (done < CONNECTIONS) {
      checkDeadline(deadline, "responses on every connection");
      for (SelectionKey key : h1Selector.keys()) {
        key.interestOps(((HttpConnection) key.attachment()).interestOps());
      }
      h1Selector.select(100);
      for (SelectionKey key : h1Selector.selectedKeys()) {
        HttpConnection c = (HttpConnection) key.attachment();
        for (int i = 0; i < 8; i++) { // bounded: buffered input asks to be called again at once
          for (ResponsePart part : c.stream()) {
            if (part instanceof ResponsePart.Data d) {
              body += d.bytes().length();
            } else if (part instanceof ResponsePart.Done) {
              done++;
            } else if (part instanceof ResponsePart.RequestError e) {
              throw e.error();
            }
          }
          if (!c.hasBufferedInput()) {
            break;
          }
        }
      }
      h1Selector.selectedKeys().clear();
    }
    return check(true, body, CONNECTIONS);
  }

  /** {@link #STREAMS} GETs opened together on one HTTP/2 connection, all completed. */
  @Benchmark
  @OperationsPerInvocation(STREAMS)
  public long http2Streams100() throws IOException {
    return streams(h2);
  }

  /** {@link #http2Streams100} with writes batched: the requests leave in one write. */
  @Benchmark
  @OperationsPerInvocation(STREAMS)
  public long http2Streams100Batched() throws IOException {
    return streams(h2Batched);
  }

  private static long streams(H2 h2) throws IOException {
    HttpConnection conn = h2.conn();
    for (int i = 0; i < STREAMS; i++) {
      conn.request("GET", "/", Headers.empty(), RequestBody.none());
    }
    conn.flush();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    int done = 0;
    long body = 0;
    while (done < STREAMS) {
      checkDeadline(deadline, "responses on every stream");
      h2.key().interestOps(conn.interestOps());
      if (!conn.hasBufferedInput()) {
        h2.selector().select(100);
        h2.selector().selectedKeys().clear();
      }
      for (ResponsePart part : conn.stream()) {
        if (part instanceof ResponsePart.Data d) {
          body += d.bytes().length();
        } else if (part instanceof ResponsePart.Done) {
          done++;
        } else if (part instanceof ResponsePart.RequestError e) {
          throw e.error();
        }
      }
    }
    return check(true, body, STREAMS);
  }

  private static long check(boolean sameRef, long body, int responses) {
    if (!sameRef || body != (long) BODY * responses) {
      throw new IllegalStateException(
          "wrong responses: " + body + " body bytes for " + responses + " responses");
    }
    return body;
  }
}
