// SPDX-License-Identifier: Apache-2.0
package dev.mint.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.HttpConnection;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The fixture used from several threads at once, and its bound on connections. */
class MockServerConcurrencyTest {
  private static final int THREADS = 6;
  private static final int REQUESTS = 20;

  @Test
  void clientsOnSeveralThreadsAreEachAnsweredAndRecorded() throws Exception {
    Dispatcher echo = request -> MockResponse.of(200, request.target());
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try (MockServer server = MockServer.builder().dispatcher(echo).start()) {
      List<Future<Integer>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        int thread = t;
        results.add(
            pool.submit(
                () -> {
                  try (HttpConnection conn =
                      thread % 2 == 0 ? Exchange.http1(server) : Exchange.h2c(server)) {
                    for (int i = 0; i < REQUESTS; i++) {
                      String target = "/" + thread + "/" + i;
                      assertEquals(target, Exchange.get(conn, target).text());
                    }
                  }
                  return thread;
                }));
      }
      for (Future<Integer> result : results) {
        result.get(60, TimeUnit.SECONDS);
      }
      assertEquals(THREADS * REQUESTS, server.requestCount());
      assertEquals(THREADS, server.connectionCount());
      Set<String> targets = new HashSet<>();
      for (int i = 0; i < THREADS * REQUESTS; i++) {
        RecordedRequest r = server.takeRequest(Duration.ofSeconds(5));
        targets.add(r.target());
        String[] parts = r.target().split("/");
        assertEquals(Integer.parseInt(parts[2]), r.sequenceNumber(), r.toString());
        assertEquals(Integer.parseInt(parts[1]) % 2 == 0 ? "http/1.1" : "h2c", r.protocol());
      }
      assertEquals(THREADS * REQUESTS, targets.size());
    } finally {
      pool.shutdownNow();
      assertTrue(pool.awaitTermination(10, TimeUnit.SECONDS));
    }
  }

  @Test
  void aConnectionOverTheLimitIsRefused() throws Exception {
    try (MockServer server = MockServer.builder().maxConnections(1).start();
        Socket first = new Socket(server.host(), server.port());
        Socket second = new Socket(server.host(), server.port())) {
      second.setSoTimeout(5_000);
      boolean refused;
      try {
        refused = second.getInputStream().read() == -1;
      } catch (IOException reset) {
        refused = true;
      }
      assertTrue(refused, "the second connection is closed at once");
      assertEquals(1, server.connectionCount());
      assertTrue(first.isConnected());
    }
  }
}
