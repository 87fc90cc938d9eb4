// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.ConnectOptions;
import dev.mint.Http2Options;
import dev.mint.Protocol;
import dev.mint.Scheme;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The caller-driven pool over HTTP/2, against Jetty's raw HTTP/2 server misbehaving on cue. */
class Http2PoolTest {

  private static PoolConfig.Builder config(int beforeSettings) {
    return PoolConfig.builder()
        .connectOptions(
            ConnectOptions.builder()
                .protocols(Protocol.HTTP2)
                .http2(
                    Http2Options.defaults().withMaxConcurrentStreamsBeforeSettings(beforeSettings))
                .build());
  }

  private static List<CompletableFuture<Response>> gets(Pool pool, ChaosServer server, int n) {
    List<CompletableFuture<Response>> futures = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      futures.add(pool.submit(Request.get("http://127.0.0.1:" + server.port() + "/g" + i)));
    }
    return futures;
  }

  private static void assertAllAnswered(List<CompletableFuture<Response>> futures) {
    for (CompletableFuture<Response> f : futures) {
      assertEquals(200, f.join().status());
    }
  }

  private static Origin origin(ChaosServer server) {
    return Origin.of(Scheme.HTTP, "127.0.0.1", server.port());
  }

  @Test
  void oneConnectionCarriesAsManyStreamsAsTheServerAllows() throws Exception {
    try (ChaosServer server = new ChaosServer(true, 4, 30_000);
        Pool pool = Pool.builder().defaults(config(2).maxHttp2Connections(1).build()).build()) {
      server.delayMillis = 30;
      List<CompletableFuture<Response>> futures = gets(pool, server, 20);
      Drive.all(pool, futures);
      assertAllAnswered(futures);
      assertEquals("/g7", futures.get(7).join().body().utf8());
      PoolStats stats = pool.stats(origin(server));
      assertEquals(1, stats.opened(), stats.toString());
      assertTrue(server.maxActive.get() <= 4, "server saw " + server.maxActive);
      assertTrue(server.maxActive.get() >= 2, "multiplexed: " + server.maxActive);
      assertEquals(
          0, server.refused.get(), "conservative before SETTINGS, then the server's limit");
    }
  }

  @Test
  void streamsSentBeforeSettingsBeyondTheLimitAreRefusedAndRetried() throws Exception {
    try (ChaosServer server = new ChaosServer(true, 100, 30_000);
        Pool pool = Pool.builder().defaults(config(100).maxHttp2Connections(1).build()).build()) {
      server.enforcedLimit = 3;
      server.delayMillis = 20;
      List<CompletableFuture<Response>> futures = gets(pool, server, 12);
      Drive.all(pool, futures);
      assertAllAnswered(futures);
      assertTrue(server.refused.get() > 0, "the burst went past the enforced limit");
      assertEquals(server.refused.get(), pool.stats(origin(server)).retried());
    }
  }

  @Test
  void anotherConnectionOpensWhenEveryOneIsFull() throws Exception {
    try (ChaosServer server = new ChaosServer(true, 2, 30_000);
        Pool pool = Pool.builder().defaults(config(1).maxHttp2Connections(3).build()).build()) {
      server.delayMillis = 200;
      List<CompletableFuture<Response>> futures = gets(pool, server, 6);
      Drive.all(pool, futures);
      assertAllAnswered(futures);
      PoolStats stats = pool.stats(origin(server));
      assertEquals(3, stats.opened(), stats.toString());
      assertEquals(3, stats.idle(), stats.toString());
    }
  }

  @Test
  void refusedStreamsAreRetriedAndNoPostIsProcessedTwice() throws Exception {
    java.util.concurrent.atomic.AtomicInteger retriedEvents =
        new java.util.concurrent.atomic.AtomicInteger();
    PoolListener listener =
        new PoolListener() {
          @Override
          public void requestRetried(Request request, dev.mint.MintException error, int attempts) {
            assertTrue(
                error instanceof dev.mint.HttpException h && h.isRetrySafe(), error.toString());
            retriedEvents.incrementAndGet();
          }
        };
    try (ChaosServer server = new ChaosServer(true, 100, 30_000);
        Pool pool = Pool.builder().defaults(config(100).build()).listener(listener).build()) {
      server.refuseFraction = 0.3;
      List<CompletableFuture<Response>> futures = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        Request post =
            Request.post(
                    URI.create("http://127.0.0.1:" + server.port() + "/p" + i),
                    Bytes.utf8("body " + i))
                .withHeader("x-id", "p" + i);
        futures.add(pool.submit(post));
      }
      Drive.all(pool, futures);
      assertAllAnswered(futures);
      for (int i = 0; i < 40; i++) {
        assertEquals(1, server.timesProcessed("p" + i), "p" + i);
      }
      assertTrue(server.refused.get() > 0);
      assertEquals(server.refused.get(), pool.stats(origin(server)).retried());
      assertEquals(server.refused.get(), retriedEvents.get());
    }
  }

  @Test
  void requestsAboveTheLastStreamOfAGoAwayGoToAnotherConnection() throws Exception {
    try (ChaosServer server = new ChaosServer(true, 100, 30_000);
        Pool pool = Pool.builder().defaults(config(100).build()).build()) {
      server.goAwayAfter = 5;
      List<CompletableFuture<Response>> futures = new ArrayList<>();
      for (int round = 0; round < 4; round++) {
        List<CompletableFuture<Response>> batch = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          String id = "r" + round + "-" + i;
          batch.add(
              pool.submit(
                  Request.post(
                          URI.create("http://127.0.0.1:" + server.port() + "/" + id),
                          Bytes.utf8(id))
                      .withHeader("x-id", id)));
        }
        Drive.all(pool, batch);
        futures.addAll(batch);
      }
      assertAllAnswered(futures);
      assertTrue(server.goAways.get() >= 2, "GOAWAYs: " + server.goAways);
      assertTrue(pool.stats(origin(server)).opened() >= 3, pool.stats(origin(server)).toString());
      server.processedById.forEach((id, n) -> assertEquals(1, n.get(), id));
      assertEquals(32, server.processedById.size());
    }
  }

  @Test
  void aLimitLoweredMidConnectionIsFollowed() throws Exception {
    try (ChaosServer server = new ChaosServer(true, 10, 30_000);
        Pool pool = Pool.builder().defaults(config(10).maxHttp2Connections(1).build()).build()) {
      server.delayMillis = 50;
      List<CompletableFuture<Response>> first = gets(pool, server, 10);
      Drive.all(pool, first);
      assertAllAnswered(first);
      assertTrue(server.maxActive.get() > 2, "first batch multiplexed: " + server.maxActive);

      // The second batch is submitted once the client applied the SETTINGS, as its answer to the
      // PING sent behind them tells: not after a fixed time of polling, which a loaded machine
      // may stretch.
      int pings = server.pingReplies.get();
      server.lowerMaxConcurrentStreams(2);
      Drive.until(pool, () -> server.pingReplies.get() > pings, Duration.ofSeconds(10));
      server.maxActive.set(0);
      int refusedBefore = server.refused.get();
      List<CompletableFuture<Response>> second = gets(pool, server, 10);
      Drive.all(pool, second);
      assertAllAnswered(second);
      assertTrue(server.maxActive.get() <= 2, "second batch: " + server.maxActive);
      assertEquals(refusedBefore, server.refused.get(), "no stream beyond the new limit was sent");
      assertEquals(1, pool.stats(origin(server)).opened());
    }
  }

  /** GET for an even {@code i}, POST for an odd one, each carrying {@code x-id: d<i>}. */
  private static Request getOrPost(ChaosServer server, int i) {
    URI uri = URI.create("http://127.0.0.1:" + server.port() + "/d" + i);
    Request r = i % 2 == 0 ? Request.get(uri) : Request.post(uri, Bytes.utf8("body " + i));
    return r.withHeader("x-id", "d" + i);
  }

  /** A listener that keeps why each connection closed. */
  private static PoolListener closesInto(List<String> whys) {
    return new PoolListener() {
      @Override
      public void connectionClosed(Origin origin, String connectionId, String why) {
        whys.add(why);
      }
    };
  }

  @Test
  void requestsTheServerTookBeforeItsGoAwayAreAnsweredWithoutARetry() throws Exception {
    List<String> closes = new CopyOnWriteArrayList<>();
    try (ChaosServer server = new ChaosServer(true, 100, 30_000);
        Pool pool =
            Pool.builder()
                .defaults(config(100).maxHttp2Connections(1).build())
                .listener(closesInto(closes))
                .build()) {
      // Every stream is still open when the GOAWAY goes out, with time to spare for a server
      // thread that a loaded machine holds up between the first stream and the fourth.
      server.delayMillis = 1_000;
      server.goAwayOnceAtStream = 4;
      List<CompletableFuture<Response>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        futures.add(pool.submit(getOrPost(server, i)));
      }
      Origin origin = origin(server);
      Drive.until(pool, () -> pool.stats(origin).draining() == 1, Duration.ofSeconds(5));
      PoolStats during = pool.stats(origin);
      assertEquals(0, during.idle() + during.inUse(), during.toString());
      assertEquals(4, during.inFlight(), during.toString());

      Drive.all(pool, futures);
      for (int i = 0; i < 4; i++) {
        assertEquals("/d" + i, futures.get(i).join().body().utf8());
        assertEquals(1, server.timesProcessed("d" + i), "d" + i);
      }
      Drive.until(pool, () -> pool.stats(origin).closed() == 1, Duration.ofSeconds(5));
      PoolStats after = pool.stats(origin);
      assertEquals(1, server.goAways.get());
      assertEquals(0, after.retried(), after.toString());
      assertEquals(0, after.draining(), after.toString());
      assertEquals(1, after.opened(), after.toString());
      assertEquals(4, after.completed(), after.toString());
      assertEquals(1, closes.size(), closes.toString());
    }
  }

  @Test
  void aServerSilentAfterItsGoAwayHasTheConnectionClosedAtTheDrainTimeout() throws Exception {
    List<String> closes = new CopyOnWriteArrayList<>();
    PoolConfig config =
        config(100)
            .maxHttp2Connections(1)
            .requestTimeout(Duration.ofSeconds(30)) // Drive.all gives up after 10 s
            .drainTimeout(Duration.ofMillis(300))
            .build();
    try (ChaosServer server = new ChaosServer(true, 100, 30_000);
        Pool pool = Pool.builder().defaults(config).listener(closesInto(closes)).build()) {
      // The GET is not answered before the POST's stream brings the GOAWAY, even on a loaded
      // machine.
      server.delayMillis = 1_000;
      server.goAwayOnceAtStream = 2;
      server.silentAfterGoAway = true;
      CompletableFuture<Response> get = pool.submit(getOrPost(server, 0));
      CompletableFuture<Response> post = pool.submit(getOrPost(server, 1));
      Origin origin = origin(server);
      Drive.until(pool, () -> pool.stats(origin).draining() == 1, Duration.ofSeconds(5));
      assertEquals(2, pool.stats(origin).inFlight(), pool.stats(origin).toString());

      // The GET is retried on a new connection, where the server answers; the POST, which the
      // server took, may have been processed: it fails.
      Drive.all(pool, List.of(get, post));
      assertEquals("/d0", get.join().body().utf8());
      PoolException failure = Drive.failure(pool, post);
      assertEquals(PoolException.Reason.REQUEST_FAILED, failure.reason(), failure.toString());
      assertFalse(failure.isRetrySafe(), failure.toString());
      assertTrue(failure.getMessage().contains("drainTimeout"), failure.getMessage());
      assertEquals(2, server.timesProcessed("d0"));
      assertEquals(1, server.timesProcessed("d1"));
      PoolStats after = pool.stats(origin);
      assertEquals(1, after.retried(), after.toString());
      assertEquals(0, after.draining(), after.toString());
      assertEquals(2, after.opened(), after.toString());
      assertTrue(closes.get(0).contains("drainTimeout"), closes.toString());
    }
  }

  @Test
  void aConnectionWhoseServerNeverSendsItsSettingsIsClosedAfterThePrefaceTimeout()
      throws Exception {
    List<String> closes = new CopyOnWriteArrayList<>();
    List<Socket> accepted = new CopyOnWriteArrayList<>();
    AtomicLong now = new AtomicLong(System.nanoTime());
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Pool pool =
            Pool.builder()
                .clock(now::get)
                .defaults(config(100).requestTimeout(Duration.ofSeconds(60)).build())
                .listener(closesInto(closes))
                .build()) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    accepted.add(silent.accept()); // accepted, then never a byte back
                  }
                } catch (IOException closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      Origin origin = Origin.of(Scheme.HTTP, "127.0.0.1", silent.getLocalPort());
      CompletableFuture<Response> get =
          pool.submit(Request.get("http://127.0.0.1:" + silent.getLocalPort() + "/g"));
      Drive.until(pool, () -> pool.stats(origin).inFlight() == 1, Duration.ofSeconds(10));

      now.addAndGet(Duration.ofSeconds(9).toNanos());
      pool.poll(Duration.ZERO);
      assertEquals(0, pool.stats(origin).closed(), "within the preface timeout");

      now.addAndGet(Duration.ofSeconds(2).toNanos());
      pool.poll(Duration.ZERO);
      PoolStats after = pool.stats(origin);
      assertEquals(1, after.closed(), after.toString());
      assertTrue(closes.get(0).contains("sent no SETTINGS within PT10S"), closes.toString());
      assertFalse(get.isDone(), "a GET is retried, not failed: " + after);
      for (Socket s : accepted) {
        s.close();
      }
    }
  }
}
