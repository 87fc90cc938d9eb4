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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Mint under load: the workload's connections in active mode on one {@link Selector}, all driven by
 * the calling thread. Mint starts no thread: every byte moves inside a call this class makes. Over
 * HTTP/1.1 each connection carries one request at a time; over HTTP/2 the one connection carries up
 * to the workload's in-flight count, never more than the server's SETTINGS_MAX_CONCURRENT_STREAMS
 * (RFC 9113 §5.1.2). Body bytes are borrowed ({@link ConnectOptions#borrowBodies()}): they are only
 * counted, before the next receiving call, so they are never copied out of the read buffer.
 *
 * <p>As each completion of an asynchronous peer sends its next request, each connection the
 * selector reports is served on its own: its parts received, then as many new requests as its
 * responses made room for, sent in one write ({@code flush()}). A round touches only the
 * connections that have something: no call per idle connection per round.
 *
 * <p>The harness's own work per response is kept small, since on the sequential workload it is
 * counted in Mint's CPU: over HTTP/1.1 a connection's responses come in the order of its requests
 * (RFC 9112 §9.3), so its requests in flight wait in a FIFO and a part is matched against the head
 * alone; over HTTP/2 they are looked up by reference. A request's latency runs from the moment it
 * is issued.
 */
final class MintLoadClient implements LoadClient {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private final Target target;
  private final List<Conn> conns = new ArrayList<>();

  /** Connections that hold input already read (TLS records): served without waiting. */
  private final ArrayDeque<Conn> held = new ArrayDeque<>();

  /** The keys one select found ready. */
  private final List<SelectionKey> ready = new ArrayList<>();

  private final Consumer<SelectionKey> onReady = ready::add;

  private Selector selector;
  private int inFlight;

  MintLoadClient(Target target) {
    this.target = target;
  }

  /** One connection, its selection key and its requests in flight. */
  private static final class Conn {
    final HttpConnection connection;
    final SelectionKey key;

    /** Over HTTP/1.1: the requests in flight, in the order their responses come. */
    final ArrayDeque<Pending> fifo;

    /** Over HTTP/2: the requests in flight by reference; {@code null} over HTTP/1.1. */
    final Map<RequestRef, Pending> byRef;

    int limit;
    boolean held; // in the held queue: input already read, which no selector reports

    Conn(HttpConnection connection, SelectionKey key, boolean http2) {
      this.connection = connection;
      this.key = key;
      this.fifo = http2 ? null : new ArrayDeque<>();
      this.byRef = http2 ? new IdentityHashMap<>() : null;
    }

    int inFlight() {
      return byRef == null ? fifo.size() : byRef.size();
    }

    void add(Pending p) {
      if (byRef == null) {
        fifo.add(p);
      } else {
        byRef.put(p.ref, p);
      }
    }

    /** The request in flight {@code ref} names, or {@code null} (a part of none of ours). */
    Pending find(RequestRef ref) {
      if (byRef != null) {
        return byRef.get(ref);
      }
      Pending head = fifo.peek();
      return head != null && head.ref == ref ? head : null;
    }

    /** Removes {@code p}, which {@link #find} returned. */
    void remove(Pending p) {
      if (byRef == null) {
        fifo.poll(); // find gives the head alone
      } else {
        byRef.remove(p.ref);
      }
    }
  }

  /** A request in flight: when it was issued, its status and the body bytes received so far. */
  private static final class Pending {
    final RequestRef ref;
    final long sent;
    int status;
    long body;

    Pending(RequestRef ref, long sent) {
      this.ref = ref;
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
      Conn conn = new Conn(c, key, workload.wire().http2());
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
    for (Conn conn : conns) {
      issue(conn, deadlineNanos);
    }
    long now = System.nanoTime();
    while (!recorder.failed() && inFlight > 0) {
      if (now - hardStop >= 0) {
        recorder.fail(inFlight + " requests did not end within 30 s of the deadline");
        return;
      }
      // The selector hands each ready key to a consumer: no selected-key set to fill and empty.
      if (held.isEmpty()) {
        selector.select(onReady, 100);
      } else {
        selector.selectNow(onReady);
      }
      now = System.nanoTime();
      for (int i = 0; i < ready.size(); i++) {
        serve((Conn) ready.get(i).attachment(), recorder, deadlineNanos);
      }
      ready.clear();
      // Input a connection holds already read (TLS records) wakes no selector: serve it here.
      for (int i = 0, n = held.size(); i < n; i++) {
        Conn conn = held.poll();
        conn.held = false;
        if (conn.connection.hasBufferedInput()) {
          serve(conn, recorder, deadlineNanos);
        }
      }
    }
  }

  /**
   * Receives what {@code conn} has, then, as each completion of an asynchronous peer sends its next
   * request, sends as many as its responses made room for (in one write: {@code flush()}), and
   * keeps its selection key's interest in step with the connection's.
   */
  private void serve(Conn conn, Recorder recorder, long deadlineNanos) throws MintException {
    receive(conn, recorder);
    issue(conn, deadlineNanos);
    if (!conn.held && conn.connection.hasBufferedInput()) {
      conn.held = true;
      held.add(conn);
    }
  }

  /**
   * Fills {@code conn} up to its limit until the deadline, writes the new requests in one write,
   * and sets the key's interest to the connection's (a write left over, the end of its input). The
   * requests' latency starts here, once the responses that made room for them are received.
   */
  private void issue(Conn conn, long deadlineNanos) throws MintException {
    boolean issued = false;
    long now = System.nanoTime();
    while (now - deadlineNanos < 0 && conn.inFlight() < conn.limit) {
      RequestRef ref =
          conn.connection.request(
              "GET", target.workload().path(), Headers.empty(), RequestBody.none());
      conn.add(new Pending(ref, now));
      inFlight++;
      issued = true;
    }
    if (issued) {
      conn.connection.flush();
    }
    conn.key.interestOps(conn.connection.interestOps());
  }

  private void receive(Conn conn, Recorder recorder) throws MintException {
    for (ResponsePart part : conn.connection.stream()) {
      Pending p = conn.find(part.ref());
      if (p == null) {
        continue; // a part of no request of ours (a pong): nothing to count
      }
      if (part instanceof ResponsePart.Status s) {
        p.status = s.code();
      } else if (part instanceof ResponsePart.Data d) {
        p.body += d.bytes().length();
      } else if (part instanceof ResponsePart.Done) {
        conn.remove(p);
        inFlight--;
        recorder.response(p.status, p.body, System.nanoTime() - p.sent);
      } else if (part instanceof ResponsePart.RequestError e) {
        conn.remove(p);
        inFlight--;
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
