// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.ConnectOptions;
import dev.mint.Connector;
import dev.mint.Headers;
import dev.mint.MintException;
import dev.mint.Protocol;
import dev.mint.TransportException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The thread-safe client: blocking, asynchronous and streaming sends, threads and shutdown. */
class ClientTest {

  @Test
  void sendsFromAnyThreadOnThreadsOfTheCallersFactory() throws Exception {
    List<Thread> made = new CopyOnWriteArrayList<>();
    List<String> events = new CopyOnWriteArrayList<>();
    PoolListener listener =
        new PoolListener() {
          @Override
          public void connectionOpened(Origin origin, String id, Protocol protocol) {
            events.add("opened " + protocol);
          }

          @Override
          public void connectionClosed(Origin origin, String id, String why) {
            events.add("closed");
          }
        };
    try (ChaosServer server = new ChaosServer(false, 0, 30_000)) {
      String base = "http://127.0.0.1:" + server.port();
      MintClient client =
          MintClient.builder()
              .pool(Pool.builder().listener(listener))
              .threadFactory(
                  r -> {
                    Thread t = new Thread(r, "made-" + made.size());
                    made.add(t);
                    return t;
                  })
              .build();
      try (client) {
        Response r = client.send(Request.get(base + "/one"));
        assertEquals(200, r.status());
        assertEquals("/one", r.body().utf8());
        assertEquals(1, r.attempts());

        CompletableFuture<Response> async = client.sendAsync(Request.get(base + "/two"));
        assertEquals("/two", async.get(10, TimeUnit.SECONDS).body().utf8());

        try (StreamedResponse streamed = client.stream(Request.get(base + "/three"))) {
          assertEquals(200, streamed.status());
          assertEquals("6", streamed.headers().get("content-length"));
          assertEquals(
              "/three", new String(streamed.body().readAllBytes(), StandardCharsets.US_ASCII));
        }
        assertTrue(client.stats().values().iterator().next().completed() >= 3);
      }
      assertTrue(client.isTerminated());
      assertFalse(made.isEmpty());
      for (Thread t : made) {
        t.join(5_000);
        assertFalse(t.isAlive(), t.getName());
      }
      assertEquals("opened HTTP1", events.get(0));
      assertTrue(events.contains("closed"), events.toString());
      PoolException e =
          assertThrows(PoolException.class, () -> client.send(Request.get(base + "/late")));
      assertEquals(PoolException.Reason.SHUT_DOWN, e.reason());
    }
  }

  @Test
  void aStreamedBodyIsBoundedAndCarriesFailures() throws IOException {
    StreamedResponse.Body body = new StreamedResponse.Body(8);
    body.offer(Bytes.utf8("12345"));
    PoolException full = assertThrows(PoolException.class, () -> body.offer(Bytes.utf8("6789")));
    assertEquals(PoolException.Reason.BODY_BUFFER_FULL, full.reason());
    byte[] five = new byte[5];
    assertEquals(5, body.read(five, 0, 5));
    assertArrayEquals("12345".getBytes(StandardCharsets.US_ASCII), five);
    body.offer(Bytes.utf8("6789")); // read bytes free the buffer
    body.fail(new PoolException(PoolException.Reason.REQUEST_TIMEOUT, "too slow", true, null));
    InputStream in = body;
    assertEquals('6', in.read());
    assertEquals(3, in.read(new byte[10], 0, 10));
    PoolException e = assertThrows(PoolException.class, in::read);
    assertEquals(PoolException.Reason.REQUEST_TIMEOUT, e.reason());

    StreamedResponse.Body ended = new StreamedResponse.Body(8);
    ended.end(Headers.of("x-t", "1"));
    assertEquals(-1, ended.read());
  }

  @Test
  void aRetryPolicyIsAskedOnlyForFailuresNotKnownToBeSafe() {
    Request get = Request.get("http://127.0.0.1:1/");
    Request post = Request.post(java.net.URI.create("http://127.0.0.1:1/"), Bytes.utf8("x"));
    MintException closed =
        new dev.mint.TransportException(dev.mint.TransportException.Reason.CLOSED, "closed");
    assertTrue(RetryPolicy.idempotent().shouldRetry(get, closed, 1));
    assertFalse(RetryPolicy.idempotent().shouldRetry(post, closed, 1));
    assertFalse(RetryPolicy.safeOnly().shouldRetry(get, closed, 1));
    assertTrue(get.isIdempotent());
    assertFalse(post.isIdempotent());
  }

  @Test
  void anInterruptedSendCancelsItsRequest() throws Exception {
    try (ChaosServer server = new ChaosServer(false, 0, 30_000);
        MintClient client = MintClient.create()) {
      server.delayMillis = 5_000;
      Origin origin = Origin.of(dev.mint.Scheme.HTTP, "127.0.0.1", server.port());
      java.util.concurrent.CompletableFuture<Throwable> thrown =
          new java.util.concurrent.CompletableFuture<>();
      Thread caller =
          new Thread(
              () -> {
                try {
                  client.send(Request.get("http://127.0.0.1:" + server.port() + "/slow"));
                  thrown.complete(null);
                } catch (Exception e) {
                  thrown.complete(e);
                }
              });
      caller.start();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (client.stats(origin).inFlight() == 0 && System.nanoTime() < end) {
        Thread.sleep(10);
      }
      caller.interrupt();
      assertTrue(thrown.get(5, TimeUnit.SECONDS) instanceof InterruptedException);
      // The gauges (in flight, idle...) are refreshed at the end of the loop's turn, after the
      // counters: wait for both (with a deadline of its own: the first wait may have used its).
      end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while ((client.stats(origin).failed() == 0 || client.stats(origin).inFlight() != 0)
          && System.nanoTime() < end) {
        Thread.sleep(10);
      }
      assertEquals(1, client.stats(origin).failed(), client.stats(origin).toString());
      assertEquals(0, client.stats(origin).inFlight());
    }
  }

  @Test
  void severalLoopsShareTheRequestsAndSumTheirCounts() throws Exception {
    try (ChaosServer server = new ChaosServer(false, 0, 30_000)) {
      Origin origin = Origin.of(dev.mint.Scheme.HTTP, "127.0.0.1", server.port());
      MintClient client = MintClient.builder().loops(3).build();
      try (client) {
        List<CompletableFuture<Response>> futures = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
          futures.add(client.sendAsync(Request.get("http://127.0.0.1:" + server.port() + "/" + i)));
        }
        for (int i = 0; i < 30; i++) {
          assertEquals("/" + i, futures.get(i).get(10, TimeUnit.SECONDS).body().utf8());
        }
        PoolStats stats = client.stats(origin);
        assertEquals(30, stats.completed());
        assertTrue(stats.opened() >= 3, "each loop opens its own connections: " + stats);
        // The loops' gauges move on after the last response (a connection may still be opening),
        // so the two views are compared once the loops have settled.
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        PoolStats one = client.stats(origin);
        PoolStats summed = client.stats().get(origin);
        while (!one.equals(summed) && System.nanoTime() < end) {
          Thread.sleep(10);
          one = client.stats(origin);
          summed = client.stats().get(origin);
        }
        assertEquals(one, summed);
      }
      PoolStats after = client.stats(origin);
      assertEquals(after.opened(), after.closed());
      assertTrue(client.isTerminated());
    }
  }

  @Test
  void aConnectStillUnderWayAtCloseLeavesNoConnectingGaugeBehind() throws Exception {
    CountDownLatch connecting = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Connector slow =
        (scheme, host, port, options) -> {
          connecting.countDown();
          try {
            release.await(10, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          throw new TransportException(TransportException.Reason.CONNECTION_REFUSED, "refused");
        };
    MintClient client =
        MintClient.builder()
            .pool(Pool.builder().connector(slow))
            .shutdownGrace(Duration.ZERO)
            .build();
    CompletableFuture<Response> request = client.sendAsync(Request.get("http://127.0.0.1:1/"));
    assertTrue(connecting.await(10, TimeUnit.SECONDS));
    Thread closer = new Thread(client::close, "closer");
    closer.start();
    // The loop closed its pool (failing the request) while the connect was still under way.
    PoolException e =
        (PoolException)
            assertThrows(ExecutionException.class, () -> request.get(10, TimeUnit.SECONDS))
                .getCause();
    assertEquals(PoolException.Reason.SHUT_DOWN, e.reason(), e.toString());
    release.countDown();
    closer.join(10_000);
    assertTrue(client.isTerminated());
    PoolStats after = client.stats(Origin.of(dev.mint.Scheme.HTTP, "127.0.0.1", 1));
    assertEquals(0, after.connecting(), after.toString());
    assertEquals(1, after.connectFailures(), after.toString());
  }

  @Test
  void aGracefulCloseWaitsForAServerSilentAfterGoAwayOnlyUntilTheDrainTimeout() throws Exception {
    try (ChaosServer server = new ChaosServer(true, 100, 30_000)) {
      server.goAwayOnceAtStream = 1;
      server.silentAfterGoAway = true;
      PoolConfig config =
          PoolConfig.builder()
              .connectOptions(ConnectOptions.builder().protocols(Protocol.HTTP2).build())
              .drainTimeout(Duration.ofMillis(300))
              .build();
      // The request timeout and the shutdown grace are both 30 s.
      MintClient client = MintClient.builder().pool(Pool.builder().defaults(config)).build();
      CompletableFuture<Response> post =
          client.sendAsync(
              Request.post(
                  URI.create("http://127.0.0.1:" + server.port() + "/post"), Bytes.utf8("x")));
      for (int i = 0; i < 250 && server.processed.get() == 0; i++) {
        Thread.sleep(20);
      }
      assertEquals(1, server.processed.get(), "the server took the request, then fell silent");
      long start = System.nanoTime();
      client.close();
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(client.isTerminated());
      assertTrue(tookMillis < 10_000, "close took " + tookMillis + " ms");
      PoolException e =
          (PoolException) assertThrows(CompletionException.class, post::join).getCause();
      assertEquals(PoolException.Reason.REQUEST_FAILED, e.reason(), e.toString());
      assertTrue(e.getMessage().contains("drainTimeout"), e.getMessage());
    }
  }
}
