// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.HttpException;
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
import java.io.PrintStream;
import java.net.URI;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One {@code mint load} run: connect every connection (in active mode, one after the other), then
 * one loop on one thread: {@code select()}, {@code stream()} on each ready connection, record each
 * response done, and send the next request on a connection whose in-flight count fell below {@code
 * -m}. A connection the server closes is opened again; one that fails counts its requests in flight
 * as errored and is not. Body bytes are only counted, so they are borrowed ({@link
 * ConnectOptions#borrowBodies()}): views of the read buffer, never copied.
 *
 * <p>Bounded: the loop ends when {@code -n} requests are done or {@code -D} has passed (then the
 * requests in flight are waited for, at most {@code --timeout}), and fails when nothing arrives on
 * any connection for {@code --timeout}.
 */
final class LoadRun {
  /** How often the loop wakes when nothing is ready, to check its clocks. */
  private static final long SELECT_MILLIS = 100;

  /**
   * What to run.
   *
   * @param url the URL every request gets
   * @param headers the request headers
   * @param connections {@code -c}
   * @param streams {@code -m}
   * @param requests {@code -n}, or {@link Long#MAX_VALUE} with a duration
   * @param duration {@code -D}, or {@code null}
   * @param protocols the protocols allowed, most preferred first
   * @param caCert {@code --cacert}, or {@code null}
   * @param insecure {@code -k}
   * @param timeout {@code --timeout}: connecting, and the longest silence
   */
  record Plan(
      URI url,
      Headers headers,
      int connections,
      int streams,
      long requests,
      Duration duration,
      List<Protocol> protocols,
      Path caCert,
      boolean insecure,
      Duration timeout) {}

  private final Plan plan;
  private final PrintStream out;
  private final PrintStream err;
  private final LatencyHistogram latency = new LatencyHistogram();
  private final Map<Integer, Long> statuses = new TreeMap<>();
  private final Map<RequestRef, Long> started = new IdentityHashMap<>();
  private final Map<HttpConnection, Integer> inFlight = new IdentityHashMap<>();
  private final String target;
  private final Scheme scheme;
  private final int port;

  private long issued;
  private long done;
  private long errored;
  private long bodyBytes;
  private long startNanos;
  private long lastActivity;
  private int progressShown;
  private Protocol protocol;

  LoadRun(Plan plan, PrintStream out, PrintStream err, boolean terminal) {
    this.plan = plan;
    this.out = out;
    this.err = err;
    this.target = Fetch.target(plan.url());
    this.scheme = Scheme.parse(plan.url().getScheme());
    this.port = plan.url().getPort() != -1 ? plan.url().getPort() : scheme.defaultPort();
  }

  /** Runs, prints the report; returns the exit status (0 when every request got a response). */
  int run() {
    List<HttpConnection> connections = new ArrayList<>();
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < plan.connections(); i++) {
        HttpConnection conn = connect();
        connections.add(conn);
        register(selector, conn);
      }
      protocol = connections.get(0).protocol();
      out.println(
          "mint load: "
              + plan.url()
              + " over "
              + protocol.alpnId()
              + ", "
              + plan.connections()
              + (plan.connections() == 1 ? " connection, " : " connections, ")
              + plan.streams()
              + " in flight each, "
              + (plan.duration() == null
                  ? plan.requests() + " requests"
                  : plan.duration().toMillis() / 1000.0 + " s"));
      startNanos = System.nanoTime();
      lastActivity = startNanos;
      for (HttpConnection conn : connections) {
        fill(selector, conn);
      }
      loop(selector, connections);
    } catch (MintException e) {
      err.println("mint load: " + PartFormat.errorLine(e));
      return ExitStatus.of(e, false);
    } catch (IOException e) {
      err.println("mint load: " + ExitStatus.describe(e));
      return ExitStatus.FAILED;
    } catch (Failure f) {
      report();
      err.println("mint load: " + f.getMessage());
      return f.exitStatus();
    } finally {
      connections.forEach(HttpConnection::close);
    }
    report();
    return errored == 0 ? ExitStatus.OK : ExitStatus.FAILED;
  }

  private HttpConnection connect() throws MintException {
    TlsOptions tls = TlsOptions.defaults();
    if (plan.caCert() != null) {
      tls = tls.withCaCertificatesPem(plan.caCert());
    }
    if (plan.insecure()) {
      tls = tls.withInsecureTrustAllCertificates(true);
    }
    ConnectOptions options =
        ConnectOptions.builder()
            .mode(Mode.ACTIVE)
            .autoFlush(false) // fill() flushes: the requests it sends leave in one write
            .borrowBodies(true) // handle() only counts body bytes: no copy of them
            .connectTimeout(plan.timeout())
            .protocols(plan.protocols())
            .tls(tls)
            .build();
    return Mint.connect(scheme, plan.url().getHost(), port, options);
  }

  private void register(Selector selector, HttpConnection conn) throws IOException {
    conn.selectableChannel().orElseThrow().register(selector, conn.interestOps(), conn);
    inFlight.put(conn, 0);
  }

  private void loop(Selector selector, List<HttpConnection> connections)
      throws IOException, MintException, Failure {
    while (!finished()) {
      selector.select(SELECT_MILLIS);
      Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
      while (keys.hasNext()) {
        SelectionKey key = keys.next();
        keys.remove();
        HttpConnection conn = (HttpConnection) key.attachment();
        serve(selector, key, conn, connections);
      }
      checkSilence();
      progress();
    }
  }

  /** Reads what the connection has, records what completed, sends more; reconnects if closed. */
  private void serve(
      Selector selector, SelectionKey key, HttpConnection conn, List<HttpConnection> connections)
      throws IOException, MintException {
    try {
      do {
        for (ResponsePart part : conn.stream()) {
          lastActivity = System.nanoTime();
          handle(conn, part);
        }
      } while (conn.hasBufferedInput());
    } catch (MintException e) {
      // The connection failed: its requests in flight are lost; the others go on.
      errored += inFlight.getOrDefault(conn, 0);
      inFlight.remove(conn);
      key.cancel();
      conn.close();
      err.println("mint load: a connection failed: " + PartFormat.errorLine(e));
      return;
    }
    if (!conn.isOpen() && inFlight.get(conn) == 0) {
      // The server closed it after its last response (connection: close): open another.
      inFlight.remove(conn);
      key.cancel();
      if (!stopIssuing()) {
        HttpConnection next = connect();
        connections.add(next);
        register(selector, next);
        fill(selector, next);
      }
      return;
    }
    fill(selector, conn);
    if (key.isValid()) {
      key.interestOps(conn.interestOps());
    }
  }

  private void handle(HttpConnection conn, ResponsePart part) {
    if (part instanceof ResponsePart.Status s && !s.isInformational()) {
      statuses.merge(s.code(), 1L, Long::sum);
    } else if (part instanceof ResponsePart.Data d) {
      bodyBytes += d.bytes().length();
    } else if (part instanceof ResponsePart.Done) {
      Long at = started.remove(part.ref());
      if (at != null) {
        latency.record((System.nanoTime() - at) / 1_000);
        done++;
        inFlight.merge(conn, -1, Integer::sum);
      }
    } else if (part instanceof ResponsePart.RequestError e) {
      if (started.remove(part.ref()) != null) {
        errored++;
        inFlight.merge(conn, -1, Integer::sum);
      }
    }
  }

  /** Sends requests on {@code conn} until {@code -m} are in flight or the run stops issuing. */
  private void fill(Selector selector, HttpConnection conn) throws MintException {
    Integer count = inFlight.get(conn);
    if (count == null || !conn.isOpen()) {
      return;
    }
    while (count < plan.streams() && !stopIssuing()) {
      RequestRef ref;
      try {
        ref = conn.request("GET", target, plan.headers(), RequestBody.none());
      } catch (HttpException e) {
        if (e.reason() == HttpException.Reason.PEER_LIMIT_REACHED) {
          break; // the server allows fewer streams than -m: wait for one to end
        }
        throw e;
      }
      started.put(ref, System.nanoTime());
      issued++;
      count++;
    }
    inFlight.put(conn, count);
    conn.flush();
    SelectionKey key = conn.selectableChannel().orElseThrow().keyFor(selector);
    if (key != null && key.isValid()) {
      key.interestOps(conn.interestOps());
    }
  }

  private boolean stopIssuing() {
    if (plan.duration() != null) {
      return System.nanoTime() - startNanos >= plan.duration().toNanos();
    }
    return issued >= plan.requests();
  }

  private boolean finished() {
    return stopIssuing() && started.isEmpty() || inFlight.isEmpty();
  }

  private void checkSilence() throws Failure {
    if (System.nanoTime() - lastActivity > plan.timeout().toNanos()) {
      errored += started.size();
      throw new Failure(
          ExitStatus.TIMED_OUT,
          "nothing arrived for "
              + plan.timeout().toMillis() / 1000.0
              + " s with "
              + started.size()
              + " requests in flight");
    }
  }

  /** {@code progress: N% done}, each tenth of the run, as h2load prints it. */
  private void progress() {
    double fraction =
        plan.duration() != null
            ? (System.nanoTime() - startNanos) / (double) plan.duration().toNanos()
            : done / (double) plan.requests();
    int tenth = (int) Math.min(10, Math.floor(fraction * 10));
    while (progressShown < tenth) {
      progressShown++;
      err.println("progress: " + progressShown * 10 + "% done");
    }
  }

  private void report() {
    double seconds = Math.max(System.nanoTime() - startNanos, 1) / 1e9;
    out.println(
        String.format(
            Locale.ROOT,
            "finished in %.2f s, %.2f req/s, %.2f MiB/s",
            seconds,
            done / seconds,
            bodyBytes / seconds / (1024 * 1024)));
    out.println(
        String.format(
            Locale.ROOT,
            "requests: %d total, %d started, %d done, %d succeeded, %d failed, %d errored",
            plan.duration() == null ? plan.requests() : issued,
            issued,
            done,
            succeeded(),
            done - succeeded(),
            errored));
    out.println("status codes: " + statusCounts());
    out.println("traffic: " + Progress.size(bodyBytes) + " (" + bodyBytes + ") of bodies");
    out.println(
        String.format(
            Locale.ROOT,
            "latency: min %s, mean %s, p50 %s, p90 %s, p99 %s, p99.9 %s, max %s",
            ms(latency.min()),
            ms((long) latency.mean()),
            ms(latency.percentile(50)),
            ms(latency.percentile(90)),
            ms(latency.percentile(99)),
            ms(latency.percentile(99.9)),
            ms(latency.max())));
    out.flush();
  }

  private long succeeded() {
    long ok = 0;
    for (Map.Entry<Integer, Long> e : statuses.entrySet()) {
      if (e.getKey() < 400) {
        ok += e.getValue();
      }
    }
    return ok;
  }

  /** {@code 2xx 98, 5xx 2 (503 2)}: the classes, then each code. */
  private String statusCounts() {
    long[] classes = new long[6];
    statuses.forEach((code, n) -> classes[Math.min(code / 100, 5)] += n);
    StringBuilder sb = new StringBuilder();
    for (int c = 2; c <= 5; c++) {
      sb.append(sb.length() == 0 ? "" : ", ").append(classes[c]).append(' ').append(c).append("xx");
    }
    sb.append(" (");
    List<String> each = new ArrayList<>();
    statuses.forEach((code, n) -> each.add(code + ": " + n));
    return sb.append(String.join(", ", each)).append(')').toString();
  }

  private static String ms(long micros) {
    return String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
  }
}
