// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

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
import dev.mint.TlsOptions;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mint under load: the workload's connections in active mode on one {@link Selector}, all driven by
 * the calling thread. Mint starts no thread: every byte moves inside a call this class makes. Over
 * HTTP/1.1 each connection carries one request at a time; over HTTP/2 the one connection carries up
 * to the workload's in-flight count, never more than the server's SETTINGS_MAX_CONCURRENT_STREAMS
 * (RFC 9113 §5.1.2). Body bytes are borrowed ({@link ConnectOptions#borrowBodies()}): they are only
 * counted, before the next receiving call, so they are never copied out of the read buffer.
 */
final class MintLoadClient implements LoadClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final Target target;
  private final List<Conn> conns = new ArrayList<>();
  private Selector selector;

  MintLoadClient(Target target) {
    this.target = target;
  }

  /** One connection, its selection key and its requests in flight. */
  private static final class Conn {
    final HttpConnection connection;
    final SelectionKey key;
    final Map<RequestRef, Pending> pending = new IdentityHashMap<>();
    int limit;

    Conn(HttpConnection connection, SelectionKey key) {
      this.connection = connection;
      this.key = key;
    }
  }

  /** A request in flight: when it was sent, its status and the body bytes received so far. */
  private static final class Pending {
    final long sent;
    int status;
    long body;

    Pending(long sent) {
      this.sent = sent;
    }
  }

  private void open() throws IOException {
    selector = Selector.open();
    Workload workload = target.workload();
    int perConnection = workload.inFlight() / workload.connections();
    for (int i = 0; i < workload.connections(); i++) {
      HttpConnection c =
          Mint.connect(
              workload.wire().tls() ? Scheme.HTTPS : Scheme.HTTP,
              target.host(),
              target.port(),
              options());
      SelectionKey key = c.selectableChannel().orElseThrow().register(selector, c.interestOps());
      Conn conn = new Conn(c, key);
      key.attach(conn);
      conn.limit = perConnection;
      conns.add(conn);
      if (workload.wire().http2()) {
        conn.limit = (int) Math.min(perConnection, awaitSettings(conn));
      }
    }
  }

  private ConnectOptions options() {
    Workload workload = target.workload();
    ConnectOptions.Builder options =
        ConnectOptions.builder()
            .mode(Mode.ACTIVE)
            .autoFlush(false) // the requests of one round leave in one write: flush() below
            .borrowBodies(true) // bodies are only counted: no copy of their bytes
            .protocols(workload.wire().http2() ? Protocol.HTTP2 : Protocol.HTTP1)
            .connectTimeout(CONNECT_TIMEOUT);
    if (workload.wire().tls()) {
      options.tls(TlsOptions.defaults().withCaCertificatesPem(target.caPem()));
    }
    return options.build();
  }

  /** Waits for the server's SETTINGS and returns its concurrent-stream limit. */
  private long awaitSettings(Conn conn) throws IOException {
    Http2Operations h2 = conn.connection.http2().orElseThrow();
    long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
    while (!h2.serverSettingsReceived()) {
      if (System.nanoTime() - deadline >= 0) {
        throw new IOException("no SETTINGS from the server within " + CONNECT_TIMEOUT);
      }
      selector.select(100);
      selector.selectedKeys().clear();
      conn.connection.stream();
      conn.key.interestOps(conn.connection.interestOps());
    }
    return h2.maxConcurrentStreams();
  }

  @Override
  public void run(long deadlineNanos, Recorder recorder) throws IOException {
    if (selector == null) {
      open();
    }
    long hardStop = deadlineNanos + InFlightLoop.GRACE_NANOS;
    while (!recorder.failed()) {
      long now = System.nanoTime();
      boolean issuing = now - deadlineNanos < 0;
      int inFlight = 0;
      boolean buffered = false;
      for (Conn conn : conns) {
        while (issuing && conn.pending.size() < conn.limit) {
          RequestRef ref =
              conn.connection.request(
                  "GET", target.workload().path(), Headers.empty(), RequestBody.none());
          conn.pending.put(ref, new Pending(now));
        }
        conn.connection.flush();
        conn.key.interestOps(conn.connection.interestOps());
        inFlight += conn.pending.size();
        buffered |= conn.connection.hasBufferedInput();
      }
      if (inFlight == 0) {
        return;
      }
      if (now - hardStop >= 0) {
        recorder.fail(inFlight + " requests did not end within 30 s of the deadline");
        return;
      }
      if (buffered) {
        selector.selectNow();
      } else {
        selector.select(100);
      }
      for (SelectionKey key : selector.selectedKeys()) {
        receive((Conn) key.attachment(), recorder);
      }
      selector.selectedKeys().clear();
      for (Conn conn : conns) {
        if (conn.connection.hasBufferedInput()) {
          receive(conn, recorder);
        }
      }
    }
  }

  private static void receive(Conn conn, Recorder recorder) throws MintException {
    for (ResponsePart part : conn.connection.stream()) {
      Pending p = conn.pending.get(part.ref());
      if (p == null) {
        continue; // a part of no request of ours (a pong): nothing to count
      }
      if (part instanceof ResponsePart.Status s) {
        p.status = s.code();
      } else if (part instanceof ResponsePart.Data d) {
        p.body += d.bytes().length();
      } else if (part instanceof ResponsePart.Done) {
        conn.pending.remove(part.ref());
        recorder.response(p.status, p.body, System.nanoTime() - p.sent);
      } else if (part instanceof ResponsePart.RequestError e) {
        conn.pending.remove(part.ref());
        recorder.fail(e.error());
      }
    }
  }

  @Override
  public void stop() throws IOException {
    for (Conn conn : conns) {
      conn.connection.close();
    }
    if (selector != null) {
      selector.close();
    }
  }
}
