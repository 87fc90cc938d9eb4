// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.ConnectOptions;
import dev.mint.Protocol;
import dev.mint.Scheme;
import java.io.File;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The client under chaos over loopback: 64 threads send requests through one {@link MintClient}
 * while an embedded Jetty server closes idle connections, sends GOAWAY, refuses streams, lowers
 * MAX_CONCURRENT_STREAMS and restarts. Every request succeeds or fails with a reason that says the
 * server may have processed it; none that is known to be unprocessed fails; no POST is processed
 * twice; nothing leaks after the client closes. Bounded: a fixed count of requests, each within its
 * timeout, and the whole run within a minute. The 100,000-request run is tagged {@code long_chaos}
 * (run by .ci/run).
 */
class ChaosTest {
  private static final int THREADS = 64;
  private static final int GETS = 2_000;
  private static final int POSTS = 1_000;

  @Test
  void getsOverHttp1WithIdleClosesAndARestart() throws Exception {
    http1(GETS, false);
  }

  @Test
  void postsOverHttp1WithIdleClosesAndARestart() throws Exception {
    http1(POSTS, true);
  }

  @Test
  void getsOverHttp2WithRefusalsGoAwayLowerLimitsAndARestart() throws Exception {
    http2(GETS, false);
  }

  @Test
  void postsOverHttp2WithRefusalsGoAwayLowerLimitsAndARestart() throws Exception {
    http2(POSTS, true);
  }

  @Test
  void postsOverHttp2WithGoAwaysWhileAnswersAreHeldBack() throws Exception {
    // Each GOAWAY finds streams that the server took and has not answered yet: they are answered
    // on the draining connection, so no POST fails and none is processed twice.
    try (ChaosServer server = new ChaosServer(true, 100, 30_000)) {
      server.delayMillis = 20;
      server.goAwayAfter = 100;
      Map<Integer, PoolException> failures =
          run(server, config(Protocol.HTTP2).maxHttp2Connections(2).build(), POSTS, true, i -> {});
      assertTrue(
          failures.isEmpty(),
          failures.size() + " POSTs failed, one: " + failures.values().stream().findAny());
      assertEquals(POSTS, server.processed.get());
      assertTrue(server.goAways.get() >= 5, "GOAWAYs: " + server.goAways);
    }
  }

  @Test
  @Tag("long_chaos")
  @Timeout(value = 30, unit = TimeUnit.MINUTES) // longer than the build's default of 10 minutes
  void aHundredThousandGetsOverEachProtocol() throws Exception {
    http1(100_000, false);
    http2(100_000, false);
  }

  private static void http1(int count, boolean post) throws Exception {
    try (ChaosServer server = new ChaosServer(false, 0, 100)) {
      run(
          server,
          config(Protocol.HTTP1).maxHttp1Connections(32).build(),
          count,
          post,
          i -> {
            if (i == count / 2) {
              restart(server, 100);
            }
          });
    }
  }

  private static void http2(int count, boolean post) throws Exception {
    try (ChaosServer server = new ChaosServer(true, 100, 30_000)) {
      server.refuseFraction = 0.05;
      server.goAwayAfter = Math.max(50, count / 20);
      run(
          server,
          config(Protocol.HTTP2).maxHttp2Connections(2).build(),
          count,
          post,
          i -> {
            if (i == count / 3) {
              server.lowerMaxConcurrentStreams(8);
            } else if (i == 2 * count / 3) {
              restart(server, 8);
            }
          });
      assertTrue(server.refused.get() > 0, "streams were refused");
      assertTrue(server.goAways.get() > 0, "GOAWAY was sent");
    }
  }

  private static PoolConfig.Builder config(Protocol protocol) {
    return PoolConfig.builder()
        .connectOptions(ConnectOptions.builder().protocols(protocol).build())
        .connectBackoff(Duration.ofMillis(20), Duration.ofMillis(200))
        // A connection draining after GOAWAY when the server stops may be left unanswered: its
        // GETs are retried at the drain's end, well within their 30 s request timeout.
        .drainTimeout(Duration.ofSeconds(3));
  }

  private static void restart(ChaosServer server, int maxConcurrentStreams) {
    try {
      server.restart(300, maxConcurrentStreams);
    } catch (Exception e) {
      throw new IllegalStateException("restarting the server failed", e);
    }
  }

  /** Runs {@code count} requests, checks the rules above, and returns the failures by request. */
  private static Map<Integer, PoolException> run(
      ChaosServer server, PoolConfig config, int count, boolean post, IntConsumer chaos)
      throws Exception {
    Origin origin = Origin.of(Scheme.HTTP, "127.0.0.1", server.port());
    List<Thread> clientThreads = new CopyOnWriteArrayList<>();
    ThreadFactory counting =
        r -> {
          Thread t = new Thread(r, "chaos-client-" + clientThreads.size());
          t.setDaemon(true);
          clientThreads.add(t);
          return t;
        };
    long fdsBefore = openFileDescriptors();
    IntFunction<Request> request =
        i -> {
          URI uri = URI.create("http://127.0.0.1:" + server.port() + "/r" + i);
          Request r = post ? Request.post(uri, Bytes.utf8("body of " + i)) : Request.get(uri);
          return r.withHeader("x-id", "r" + i);
        };
    Map<Integer, PoolException> failures = new ConcurrentHashMap<>();
    AtomicInteger succeeded = new AtomicInteger();
    AtomicInteger otherStatus = new AtomicInteger();
    AtomicInteger next = new AtomicInteger();
    long started = System.nanoTime();
    MintClient client =
        MintClient.builder().pool(Pool.builder().defaults(config)).threadFactory(counting).build();
    ExecutorService callers = Executors.newFixedThreadPool(THREADS);
    try {
      // Taken as they end, so that a worker's failure (a restart of the server that failed, say)
      // is reported at once rather than as a timeout of the workers still waiting on a dead server.
      CompletionService<Object> workers = new ExecutorCompletionService<>(callers);
      for (int t = 0; t < THREADS; t++) {
        workers.submit(
            () -> {
              for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                chaos.accept(i);
                try {
                  Response r = client.send(request.apply(i));
                  if (r.status() == 200) {
                    assertEquals("/r" + i, r.body().utf8());
                  } else {
                    otherStatus.incrementAndGet(); // Jetty's 503 while it stops
                  }
                  succeeded.incrementAndGet();
                } catch (PoolException e) {
                  failures.put(i, e);
                }
              }
              return null;
            });
      }
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      for (int t = 0; t < THREADS; t++) {
        Future<Object> w = workers.poll(end - System.nanoTime(), TimeUnit.NANOSECONDS);
        if (w == null) {
          throw new TimeoutException(
              (THREADS - t) + " workers still running after 120 s; " + client.stats(origin));
        }
        w.get();
      }
    } finally {
      callers.shutdownNow();
      client.close();
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    PoolStats stats = client.stats(origin);
    System.out.printf(
        "chaos %s %s: %d requests in %d ms, %d answered other than 200, %d failed (not retry-safe),"
            + " server processed %d,"
            + " refused %d, GOAWAYs %d; %s%n",
        config.connectOptions().protocols(),
        post ? "POST" : "GET",
        count,
        millis,
        otherStatus.get(),
        failures.size(),
        server.processed.get(),
        server.refused.get(),
        server.goAways.get(),
        stats);

    failures.values().stream()
        .map(e -> e.getMessage().replaceAll("[0-9]+", "N"))
        .distinct()
        .limit(5)
        .forEach(m -> System.out.println("  failure: " + m));
    // A GET is idempotent: whatever the server did, none may fail.
    if (!post) {
      assertEquals(Map.of(), failures, "GETs failed");
    }
    // Every request is accounted for, and every failure is one the server may have processed.
    assertEquals(count, succeeded.get() + failures.size());
    failures.forEach(
        (i, e) -> {
          assertFalse(e.isRetrySafe(), "a retry-safe request failed: r" + i + " " + e);
          assertEquals(PoolException.Reason.REQUEST_FAILED, e.reason(), "r" + i + " " + e);
        });
    // Each request reached the server at most once if it was a POST (and once if it succeeded).
    if (post) {
      server.processedById.forEach((id, n) -> assertEquals(1, n.get(), id + " processed twice"));
      for (int i = 0; i < count; i++) {
        if (!failures.containsKey(i)) {
          assertEquals(1, server.timesProcessed("r" + i), "r" + i);
        }
      }
    }
    // No leaks: every connection closed, every client thread ended, descriptors back.
    assertTrue(client.isTerminated());
    assertEquals(stats.opened(), stats.closed(), stats.toString());
    assertEquals(
        0,
        stats.inFlight()
            + stats.pending()
            + stats.idle()
            + stats.inUse()
            + stats.draining()
            + stats.connecting(),
        stats.toString());
    for (Thread t : clientThreads) {
      t.join(5_000);
      assertFalse(t.isAlive(), t.getName() + " still runs");
    }
    long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (server.openConnections() > 0 && System.nanoTime() < end) {
      Thread.sleep(20);
    }
    assertEquals(0, server.openConnections(), "connections left open at the server");
    // A socket closed while registered with a selector keeps its descriptor until that selector's
    // next turn (Jetty's, for the server's ends), so the count is read until it is back or 5 s
    // pass; a leak stays above it.
    long fdsAfter = openFileDescriptors();
    long fdsDeadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (fdsBefore >= 0 && fdsAfter > fdsBefore + 4 && System.nanoTime() < fdsDeadline) {
      Thread.sleep(20);
      fdsAfter = openFileDescriptors();
    }
    if (fdsBefore >= 0) {
      assertTrue(
          fdsAfter <= fdsBefore + 4, "descriptors before " + fdsBefore + ", after " + fdsAfter);
    }
    return failures;
  }

  /** The number of open file descriptors of this process, or -1 where /proc is absent. */
  private static long openFileDescriptors() {
    String[] fds = new File("/proc/self/fd").list();
    return fds == null ? -1 : fds.length;
  }
}
