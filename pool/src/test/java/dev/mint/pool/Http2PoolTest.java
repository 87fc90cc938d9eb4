// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.ConnectOptions;
import dev.mint.Http2Options;
import dev.mint.Protocol;
import dev.mint.Scheme;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
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

      server.lowerMaxConcurrentStreams(2);
      long end = System.nanoTime() + Duration.ofMillis(200).toNanos();
      while (System.nanoTime() < end) {
        pool.poll(Duration.ofMillis(20)); // receives the SETTINGS frame
      }
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
}
