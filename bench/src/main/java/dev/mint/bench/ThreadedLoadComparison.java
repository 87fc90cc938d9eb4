// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import dev.mint.ConnectOptions;
import dev.mint.pool.MintClient;
import dev.mint.pool.Pool;
import dev.mint.pool.PoolConfig;
import dev.mint.pool.Request;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;

/**
 * The thread-safe clients from many threads: {@code mint-pool}'s {@link MintClient} against the
 * JDK's {@link java.net.http.HttpClient}, Jetty's HttpClient, OkHttp and Apache HttpClient 5, each
 * called with its blocking send from N threads at once (default 64), over HTTP/1.1 (against {@link
 * BenchServer}) and HTTP/2 in cleartext (against {@link JettyH2cServer}), in one JVM and one run.
 * Prints the tables of {@link Comparison}, and after every round the CPU time per request of the
 * process but the server's threads (the client's threads, and the JVM's JIT and GC threads).
 *
 * <p>Every client keeps one pool for the run and may open as many HTTP/1.1 connections as there are
 * threads; over HTTP/2 each uses one connection where it can (Mint: {@code maxHttp2Connections} 1).
 * Apache HttpClient 5's classic client speaks HTTP/1.1 only, so it is absent from the HTTP/2 table;
 * the JDK reaches HTTP/2 by {@code Upgrade: h2c}, the others with prior knowledge.
 *
 * <p>Usage: {@code ThreadedLoadComparison [--requests N] [--threads N] [--body BYTES] [--rounds N]
 * [--seconds S]}; defaults 20,000 requests per round, 64 threads, 1 KiB bodies, 3 rounds of at most
 * 20 s.
 */
public final class ThreadedLoadComparison {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  /** The client CPU time and requests of the round that ran last, for the round's note. */
  private static long lastCpuNanos;

  private static int lastRequests;

  private ThreadedLoadComparison() {}

  /** One blocking request; returns the body length. */
  @FunctionalInterface
  private interface Call {
    int send() throws Exception;
  }

  /**
   * Runs the comparison and prints the tables.
   *
   * @param args see the class documentation
   * @throws Exception when a client fails or a response is wrong
   */
  public static void main(String[] args) throws Exception {
    LoadSettings settings =
        LoadSettings.parse(
            new LoadSettings(20_000, 64, 1024, 3, java.time.Duration.ofSeconds(20)),
            "--threads",
            args);
    Comparison.printMachine();
    System.out.printf(
        Locale.ROOT,
        "%d threads, blocking sends; %d requests per round (at most %d s), %d-byte bodies,"
            + " 1 warm-up + %d measured rounds%n",
        settings.concurrency(),
        settings.requests(),
        settings.roundLimit().toSeconds(),
        settings.bodySize(),
        settings.rounds());
    try (BenchServer server = new BenchServer(settings.bodySize())) {
      System.out.println("\n## HTTP/1.1\n");
      compare(URI.create("http://127.0.0.1:" + server.port() + "/"), false, settings);
    }
    try (JettyH2cServer server =
        new JettyH2cServer(settings.bodySize(), H2LoadComparison.MAX_CONCURRENT_STREAMS)) {
      System.out.println("\n## HTTP/2 (h2c)\n");
      compare(URI.create("http://127.0.0.1:" + server.port() + "/"), true, settings);
    }
  }

  private static void compare(URI uri, boolean http2, LoadSettings settings) throws Exception {
    int threads = settings.concurrency();
    dev.mint.Protocol mintProtocol = http2 ? dev.mint.Protocol.HTTP2 : dev.mint.Protocol.HTTP1;
    MintClient mint =
        MintClient.builder()
            .pool(
                Pool.builder()
                    .defaults(
                        PoolConfig.builder()
                            .connectOptions(
                                ConnectOptions.builder().protocols(mintProtocol).build())
                            .maxHttp1Connections(threads)
                            .maxHttp2Connections(1)
                            .build()))
            .build();
    java.net.http.HttpClient jdk =
        java.net.http.HttpClient.newBuilder()
            .version(
                http2
                    ? java.net.http.HttpClient.Version.HTTP_2
                    : java.net.http.HttpClient.Version.HTTP_1_1)
            .build();
    HttpRequest jdkRequest = HttpRequest.newBuilder(uri).build();
    HttpClient jetty =
        new HttpClient(
            http2
                ? new HttpClientTransportOverHTTP2(new HTTP2Client())
                : new HttpClientTransportOverHTTP());
    jetty.setMaxConnectionsPerDestination(http2 ? 1 : threads);
    jetty.start();
    okhttp3.OkHttpClient okhttp =
        new okhttp3.OkHttpClient.Builder()
            .protocols(
                http2
                    ? List.of(okhttp3.Protocol.H2_PRIOR_KNOWLEDGE)
                    : List.of(okhttp3.Protocol.HTTP_1_1))
            .connectionPool(new okhttp3.ConnectionPool(threads, 5, TimeUnit.MINUTES))
            .build();
    okhttp3.Request okRequest = new okhttp3.Request.Builder().url(uri.toString()).build();
    PoolingHttpClientConnectionManager apacheConnections = new PoolingHttpClientConnectionManager();
    apacheConnections.setMaxTotal(threads);
    apacheConnections.setDefaultMaxPerRoute(threads);
    CloseableHttpClient apache =
        HttpClients.custom().setConnectionManager(apacheConnections).build();
    try {
      // The JDK upgrades its first connection to HTTP/2 (h2c) on its first request.
      jdk.send(jdkRequest, HttpResponse.BodyHandlers.ofByteArray());
      String pattern = threads + " threads";
      Comparison comparison =
          new Comparison(
              () ->
                  String.format(
                      Locale.ROOT,
                      "client CPU %.1f us/req",
                      lastCpuNanos / 1e3 / Math.max(1, lastRequests)));
      comparison.add(
          pattern,
          Comparison.MINT,
          "Mint MintClient.send",
          () -> round(settings, () -> mint.send(Request.get(uri)).body().length()));
      comparison.add(
          pattern,
          "JDK",
          "JDK send",
          () ->
              round(
                  settings,
                  () ->
                      jdk.send(jdkRequest, HttpResponse.BodyHandlers.ofByteArray()).body().length));
      comparison.add(
          pattern,
          "Jetty",
          "Jetty send",
          () ->
              round(
                  settings,
                  () -> {
                    ContentResponse r = jetty.newRequest(uri).send();
                    return r.getContent().length;
                  }));
      comparison.add(
          pattern,
          "OkHttp",
          "OkHttp execute",
          () ->
              round(
                  settings,
                  () -> {
                    try (okhttp3.Response r = okhttp.newCall(okRequest).execute()) {
                      return r.body().bytes().length;
                    }
                  }));
      if (!http2) {
        comparison.add(
            pattern,
            "Apache",
            "Apache HttpClient 5 classic execute",
            () ->
                round(
                    settings,
                    () ->
                        apache.execute(
                            new HttpGet(uri),
                            response -> EntityUtils.toByteArray(response.getEntity()).length)));
      }
      comparison.run(settings.rounds());
      comparison.printTables();
    } finally {
      mint.close();
      jetty.stop();
      okhttp.dispatcher().executorService().shutdown();
      okhttp.connectionPool().evictAll();
      apache.close();
    }
  }

  /**
   * One round: {@code settings.concurrency()} threads send {@code settings.requests()} requests in
   * all, each thread one after another, within the round's time bound.
   */
  private static Round round(LoadSettings settings, Call call) throws Exception {
    int total = settings.requests();
    long[] latencies = new long[total];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger done = new AtomicInteger();
    ExecutorService callers = Executors.newFixedThreadPool(settings.concurrency());
    long cpuBefore = clientCpuNanos();
    AllocationMeter meter = AllocationMeter.start();
    long start = System.nanoTime();
    long deadline = start + settings.roundLimit().toNanos();
    try {
      List<Future<?>> workers = new ArrayList<>();
      for (int t = 0; t < settings.concurrency(); t++) {
        workers.add(
            callers.submit(
                () -> {
                  for (int i = next.getAndIncrement();
                      i < total && System.nanoTime() - deadline < 0;
                      i = next.getAndIncrement()) {
                    long sent = System.nanoTime();
                    int length = call.send();
                    if (length != settings.bodySize()) {
                      throw new IllegalStateException(
                          length + " body bytes, expected " + settings.bodySize());
                    }
                    latencies[done.getAndIncrement()] = System.nanoTime() - sent;
                  }
                  return null;
                }));
      }
      for (Future<?> w : workers) {
        w.get(settings.roundLimit().toSeconds() + 30, TimeUnit.SECONDS);
      }
    } finally {
      callers.shutdownNow();
    }
    long nanos = System.nanoTime() - start;
    callers.awaitTermination(10, TimeUnit.SECONDS);
    lastCpuNanos = clientCpuNanos() - cpuBefore;
    lastRequests = done.get();
    return Round.measured(done.get(), nanos, latencies, meter);
  }

  /**
   * The CPU time of the process but the server's threads: the client's threads, those that ended
   * included, and the JVM's own (JIT, GC). The server's threads live for the whole comparison, so
   * their own counters are exact.
   */
  private static long clientCpuNanos() {
    long process =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    long server = 0;
    long[] ids = THREADS.getAllThreadIds();
    ThreadInfo[] infos = THREADS.getThreadInfo(ids);
    for (int i = 0; i < ids.length; i++) {
      if (infos[i] != null
          && infos[i].getThreadName().startsWith(AllocationMeter.SERVER_THREAD_PREFIX)) {
        server += Math.max(0, THREADS.getThreadCpuTime(ids[i]));
      }
    }
    return process - server;
  }
}
