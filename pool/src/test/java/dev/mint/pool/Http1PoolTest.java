// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.ConnectOptions;
import dev.mint.Protocol;
import dev.mint.ProviderException;
import dev.mint.Scheme;
import dev.mint.TransportException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The caller-driven pool over HTTP/1.1, against a scripted loopback server. */
class Http1PoolTest {
  private static final ConnectOptions HTTP1 =
      ConnectOptions.builder().protocols(Protocol.HTTP1).build();

  private static PoolConfig.Builder config() {
    return PoolConfig.builder().connectOptions(HTTP1);
  }

  private static Request get(ScriptedHttp1Server server, String path) {
    return Request.get("http://127.0.0.1:" + server.port() + path);
  }

  @Test
  void requestsShareUpToTheConnectionLimit() throws IOException {
    try (ScriptedHttp1Server server =
            new ScriptedHttp1Server((c, r, line) -> ScriptedHttp1Server.Action.ANSWER);
        Pool pool = Pool.builder().defaults(config().maxHttp1Connections(2).build()).build()) {
      server.answerDelay(20);
      List<CompletableFuture<Response>> futures = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        futures.add(pool.submit(get(server, "/r" + i)));
      }
      Drive.all(pool, futures);
      for (int i = 0; i < 8; i++) {
        Response r = futures.get(i).join();
        assertEquals(200, r.status());
        assertEquals("/r" + i, r.body().utf8());
        assertEquals(1, r.attempts());
      }
      PoolStats stats = pool.stats(Origin.of(Scheme.HTTP, "127.0.0.1", server.port()));
      assertEquals(2, stats.opened(), stats.toString());
      assertEquals(2, server.connections.get());
      assertEquals(8, stats.completed());
      assertEquals(2, stats.idle());
      assertEquals(0, stats.inUse());
      assertEquals(0, stats.pending());
    }
  }

  /**
   * A server whose every connection answers its first request and drops the second unanswered: it
   * closed the connection as the request arrived.
   */
  private static ScriptedHttp1Server dropsEverySecondRequest() throws IOException {
    return new ScriptedHttp1Server(
        (c, r, line) ->
            r == 1 ? ScriptedHttp1Server.Action.ANSWER : ScriptedHttp1Server.Action.DROP);
  }

  @Test
  void anIdempotentRequestIsRetriedOnceWhenTheReusedConnectionWasClosed() throws IOException {
    try (ScriptedHttp1Server server = dropsEverySecondRequest();
        Pool pool = Pool.builder().defaults(config().maxHttp1Connections(1).build()).build()) {
      Drive.all(pool, List.of(pool.submit(get(server, "/first"))));
      CompletableFuture<Response> second =
          pool.submit(get(server, "/second").withHeader("x-id", "g"));
      Drive.all(pool, List.of(second));
      assertEquals("/second", second.join().body().utf8());
      assertEquals(2, second.join().attempts());
      assertEquals(1, pool.stats(Origin.of(Scheme.HTTP, "127.0.0.1", server.port())).retried());
    }
  }

  @Test
  void aPostOnAReusedConnectionTheServerClosedIsNotRetried() throws IOException {
    try (ScriptedHttp1Server server = dropsEverySecondRequest();
        Pool pool = Pool.builder().defaults(config().maxHttp1Connections(1).build()).build()) {
      Drive.all(pool, List.of(pool.submit(get(server, "/first"))));
      Request post =
          Request.post(
                  java.net.URI.create("http://127.0.0.1:" + server.port() + "/post"),
                  Bytes.utf8("payload"))
              .withHeader("x-id", "p");
      PoolException e = Drive.failure(pool, pool.submit(post));
      assertNotNull(e);
      assertEquals(PoolException.Reason.REQUEST_FAILED, e.reason());
      assertTrue(e.wasSent());
      assertFalse(e.isRetrySafe());
      assertTrue(e.getCause() instanceof TransportException, String.valueOf(e.getCause()));
      assertEquals(1, server.connections.get(), "not sent again on a new connection");
      assertEquals(1, pool.stats(Origin.of(Scheme.HTTP, "127.0.0.1", server.port())).failed());
    }
  }

  @Test
  void connectionsThatNeverAnswerAreFailedConnectsRetriedWithinTheAttempts() throws IOException {
    // Every request but the very first is dropped: the retry after the reused connection closed
    // goes to new connections, which close unanswered (a server going down), so it is retried
    // with a backoff until its attempts are used up.
    try (ScriptedHttp1Server server =
            new ScriptedHttp1Server(
                (c, r, line) ->
                    c == 1 && r == 1
                        ? ScriptedHttp1Server.Action.ANSWER
                        : ScriptedHttp1Server.Action.DROP);
        Pool pool =
            Pool.builder()
                .defaults(
                    config()
                        .maxHttp1Connections(1)
                        .maxAttempts(4)
                        .connectBackoff(Duration.ofMillis(10), Duration.ofMillis(20))
                        .build())
                .build()) {
      Drive.all(pool, List.of(pool.submit(get(server, "/first"))));
      PoolException e = Drive.failure(pool, pool.submit(get(server, "/second")));
      assertNotNull(e);
      assertEquals(PoolException.Reason.REQUEST_FAILED, e.reason());
      assertTrue(e.getMessage().contains("gave up after 4 attempts"), e.getMessage());
      assertEquals(4, server.connections.get());
      PoolStats stats = pool.stats(Origin.of(Scheme.HTTP, "127.0.0.1", server.port()));
      assertEquals(3, stats.connectFailures(), "each unanswered connection counts: " + stats);
    }
  }

  @Test
  void aConnectionStaysForItsMaximumNumberOfRequests() throws IOException {
    try (ScriptedHttp1Server server =
            new ScriptedHttp1Server((c, r, line) -> ScriptedHttp1Server.Action.ANSWER);
        Pool pool =
            Pool.builder()
                .defaults(config().maxHttp1Connections(1).maxRequestsPerConnection(2).build())
                .build()) {
      for (int i = 0; i < 5; i++) {
        Drive.all(pool, List.of(pool.submit(get(server, "/" + i))));
      }
      PoolStats stats = pool.stats(Origin.of(Scheme.HTTP, "127.0.0.1", server.port()));
      assertEquals(3, stats.opened(), stats.toString());
      assertEquals(2, stats.closed(), stats.toString());
      assertEquals(3, server.connections.get());
    }
  }

  @Test
  void idleAndOldConnectionsAreClosed() throws IOException {
    AtomicLong now = new AtomicLong(System.nanoTime());
    try (ScriptedHttp1Server server =
            new ScriptedHttp1Server((c, r, line) -> ScriptedHttp1Server.Action.ANSWER);
        Pool pool =
            Pool.builder()
                .clock(now::get)
                .defaults(
                    config()
                        .idleTimeout(Duration.ofSeconds(10))
                        .maxAge(Duration.ofSeconds(60))
                        .build())
                .build()) {
      Origin origin = Origin.of(Scheme.HTTP, "127.0.0.1", server.port());
      Drive.all(pool, List.of(pool.submit(get(server, "/a"))));
      now.addAndGet(Duration.ofSeconds(9).toNanos());
      pool.poll(Duration.ZERO);
      assertEquals(1, pool.stats(origin).idle(), "not idle long enough yet");
      Drive.all(pool, List.of(pool.submit(get(server, "/b"))));
      assertEquals(1, pool.stats(origin).opened(), "reused");
      now.addAndGet(Duration.ofSeconds(10).toNanos());
      pool.poll(Duration.ZERO);
      assertEquals(0, pool.stats(origin).idle(), pool.stats(origin).toString());
      assertEquals(1, pool.stats(origin).closed());

      // Max age: a busy connection older than 60 s takes no new request.
      Drive.all(pool, List.of(pool.submit(get(server, "/c"))));
      now.addAndGet(Duration.ofSeconds(61).toNanos());
      Drive.all(pool, List.of(pool.submit(get(server, "/d"))));
      assertEquals(3, pool.stats(origin).opened(), pool.stats(origin).toString());
    }
  }

  @Test
  void theWaitQueueIsBounded() throws IOException {
    try (ScriptedHttp1Server server =
            new ScriptedHttp1Server((c, r, line) -> ScriptedHttp1Server.Action.ANSWER);
        Pool pool = Pool.builder().defaults(config().build()).maxPendingRequests(2).build()) {
      CompletableFuture<Response> a = pool.submit(get(server, "/a"));
      CompletableFuture<Response> b = pool.submit(get(server, "/b"));
      CompletableFuture<Response> c = pool.submit(get(server, "/c"));
      PoolException e = Drive.failure(pool, c);
      assertEquals(PoolException.Reason.QUEUE_FULL, e.reason());
      assertFalse(e.wasSent());
      Drive.all(pool, List.of(a, b));
      assertEquals("/a", a.join().body().utf8());
      // Sent requests no longer hold a place in the queue.
      CompletableFuture<Response> d = pool.submit(get(server, "/d"));
      CompletableFuture<Response> e2 = pool.submit(get(server, "/e"));
      PoolException full =
          assertThrows(
              PoolException.class, () -> pool.submit(get(server, "/f"), new BufferedResponse(1)));
      assertEquals(PoolException.Reason.QUEUE_FULL, full.reason());
      Drive.all(pool, List.of(d, e2));
      assertEquals("/e", e2.join().body().utf8());
    }
  }

  @Test
  void requestsWaitForAServerThatIsDownUntilTheirCheckoutTimeout() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    // Attempts at 0, 50, 150, 250... ms: about ten within the second, at least three even when a
    // loaded machine lets the loop run a fraction of it (with 300 ms, it once made one).
    try (Pool pool =
        Pool.builder()
            .defaults(
                config()
                    .checkoutTimeout(Duration.ofSeconds(1))
                    .connectBackoff(Duration.ofMillis(50), Duration.ofMillis(100))
                    .build())
            .build()) {
      PoolException e =
          Drive.failure(pool, pool.submit(Request.get("http://127.0.0.1:" + port + "/")));
      assertEquals(PoolException.Reason.CHECKOUT_TIMEOUT, e.reason());
      assertFalse(e.wasSent());
      assertTrue(
          e.getCause() instanceof TransportException t
              && t.reason() == TransportException.Reason.CONNECTION_REFUSED,
          String.valueOf(e.getCause()));
      PoolStats stats = pool.stats(Origin.of(Scheme.HTTP, "127.0.0.1", port));
      assertTrue(stats.connectFailures() >= 3, "retried with backoff: " + stats);
      assertTrue(stats.connectFailures() <= 20, "bounded by the backoff: " + stats);
    }
  }

  @Test
  void aServerBackWithinTheTimeoutFailsNoRequest() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    try (Pool pool =
        Pool.builder()
            .defaults(config().connectBackoff(Duration.ofMillis(10), Duration.ofMillis(50)).build())
            .build()) {
      List<CompletableFuture<Response>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        futures.add(pool.submit(Request.get("http://127.0.0.1:" + port + "/" + i)));
      }
      long end = System.nanoTime() + Duration.ofMillis(300).toNanos();
      while (System.nanoTime() < end) {
        pool.poll(Duration.ofMillis(10));
      }
      assertTrue(futures.stream().noneMatch(CompletableFuture::isDone));
      try (ScriptedHttp1Server server =
          new ScriptedHttp1Server((c, r, line) -> ScriptedHttp1Server.Action.ANSWER, port)) {
        Drive.all(pool, futures);
        for (CompletableFuture<Response> f : futures) {
          assertEquals(200, f.join().status());
        }
        assertEquals(4, server.answered.get());
      }
    }
  }

  @Test
  void connectionsNeverBorrowBodyBytesSinceHandlersMayKeepThem() {
    List<ConnectOptions> seen = new ArrayList<>();
    try (Pool pool =
        Pool.builder()
            .defaults(
                PoolConfig.builder()
                    .connectOptions(ConnectOptions.builder().borrowBodies(true).build())
                    .build())
            .connector(
                (scheme, host, port, options) -> {
                  seen.add(options);
                  throw new ProviderException(
                      ProviderException.Reason.NO_TRANSPORT_PROVIDER, "no transport for the test");
                })
            .build()) {
      Drive.failure(pool, pool.submit(Request.get("http://127.0.0.1:1/")));
    }
    assertFalse(seen.isEmpty());
    for (ConnectOptions options : seen) {
      assertFalse(options.borrowBodies(), "the pool opened a connection that borrows body bytes");
    }
  }

  @Test
  void aConnectFailureWaitingCannotCureFailsTheWaitingRequestsAtOnce() {
    try (Pool pool =
        Pool.builder()
            .connector(
                (scheme, host, port, options) -> {
                  throw new ProviderException(
                      ProviderException.Reason.NO_TRANSPORT_PROVIDER, "no transport for the test");
                })
            .build()) {
      PoolException e = Drive.failure(pool, pool.submit(Request.get("http://127.0.0.1:1/")));
      assertEquals(PoolException.Reason.CONNECT_FAILED, e.reason());
      assertTrue(e.getCause() instanceof ProviderException);
    }
  }

  @Test
  void shutdownRefusesNewRequestsAndLetsSubmittedOnesFinish() throws IOException {
    try (ScriptedHttp1Server server =
            new ScriptedHttp1Server((c, r, line) -> ScriptedHttp1Server.Action.ANSWER);
        Pool pool = Pool.builder().defaults(config().build()).build()) {
      server.answerDelay(50);
      CompletableFuture<Response> before = pool.submit(get(server, "/before"));
      pool.shutdown();
      PoolException e = Drive.failure(pool, pool.submit(get(server, "/after")));
      assertEquals(PoolException.Reason.SHUT_DOWN, e.reason());
      Drive.until(pool, pool::isIdle, Duration.ofSeconds(10));
      assertEquals("/before", before.join().body().utf8());
    }
  }

  @Test
  void aCancelledFutureCancelsItsRequestWaitingOrInFlight() throws IOException {
    try (ScriptedHttp1Server server =
            new ScriptedHttp1Server((c, r, line) -> ScriptedHttp1Server.Action.ANSWER);
        Pool pool = Pool.builder().defaults(config().maxHttp1Connections(1).build()).build()) {
      server.answerDelay(300);
      Origin origin = Origin.of(Scheme.HTTP, "127.0.0.1", server.port());
      CompletableFuture<Response> inFlight =
          pool.submit(get(server, "/slow").withHeader("x-id", "slow"));
      CompletableFuture<Response> waiting =
          pool.submit(get(server, "/never").withHeader("x-id", "never"));
      Drive.until(pool, () -> pool.stats(origin).inFlight() == 1, Duration.ofSeconds(5));
      assertEquals(1, pool.stats(origin).pending());
      waiting.cancel(false);
      inFlight.cancel(false);
      Drive.until(
          pool,
          () -> pool.stats(origin).failed() == 2 && pool.stats(origin).closed() == 1,
          Duration.ofSeconds(5));
      assertEquals(0, pool.stats(origin).inFlight() + pool.stats(origin).pending());
      assertEquals(0, server.seen("never"), "a cancelled waiting request is never sent");
    }
  }

  @Test
  void aResponseThatClosesItsConnectionIsReadToItsEnd() throws IOException {
    try (ScriptedHttp1Server server =
            new ScriptedHttp1Server((c, r, line) -> ScriptedHttp1Server.Action.ANSWER_THEN_CLOSE);
        Pool pool = Pool.builder().defaults(config().build()).build()) {
      server.answerDelay(200); // between the head, which says connection: close, and the body
      String base = "http://127.0.0.1:" + server.port();
      CompletableFuture<Response> post =
          pool.submit(
              Request.post(URI.create(base + "/post"), Bytes.utf8("once"))
                  .withHeader("x-id", "post"));
      Drive.all(pool, List.of(post));
      assertEquals("/post", post.join().body().utf8());
      CompletableFuture<Response> next = pool.submit(get(server, "/next"));
      Drive.all(pool, List.of(next));
      assertEquals("/next", next.join().body().utf8());
      assertEquals(1, server.seen("post"));
      assertEquals(2, server.connections.get(), "a new connection after the closing one");
      PoolStats stats = pool.stats(Origin.of(Scheme.HTTP, "127.0.0.1", server.port()));
      assertEquals(0, stats.retried(), stats.toString());
      assertEquals(2, stats.completed(), stats.toString());
    }
  }
}
