// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mint.ConnectOptions;
import dev.mint.Protocol;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The chaos tests' server itself: a restart while a request outlives Jetty's graceful stop still
 * brings the server back. Jetty's {@code stop()} throws a {@code TimeoutException} when its
 * graceful phase runs out, after it has closed every connection; a restart that took that for a
 * failure left the server down, and every later request of a chaos run waited out its timeout.
 */
class ChaosServerTest {

  @Test
  @Timeout(60)
  void restartsOverHttp1WhileAnAnswerIsHeldPastTheGracefulStop() throws Exception {
    restartsWhileAnAnswerIsHeld(false);
  }

  @Test
  @Timeout(60)
  void restartsOverHttp2WhileAnAnswerIsHeldPastTheGracefulStop() throws Exception {
    restartsWhileAnAnswerIsHeld(true);
  }

  private static void restartsWhileAnAnswerIsHeld(boolean http2) throws Exception {
    Protocol protocol = http2 ? Protocol.HTTP2 : Protocol.HTTP1;
    PoolConfig config =
        PoolConfig.builder()
            .connectOptions(ConnectOptions.builder().protocols(protocol).build())
            .requestTimeout(Duration.ofSeconds(20))
            .build();
    try (ChaosServer server = new ChaosServer(http2, 100, 30_000);
        MintClient client = MintClient.builder().pool(Pool.builder().defaults(config)).build()) {
      String base = "http://127.0.0.1:" + server.port();
      // Held back well past the server's graceful stop (500 ms), so that the stop runs out.
      server.delayMillis = 3_000;
      CompletableFuture<Response> held = client.sendAsync(Request.get(base + "/held"));
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (server.processed.get() == 0 && System.nanoTime() < end) {
        Thread.sleep(10);
      }
      assertEquals(1, server.processed.get(), "the held request reached the server");

      server.restart(100, 100);

      server.delayMillis = 0;
      Response after = client.send(Request.get(base + "/after"));
      assertEquals(200, after.status());
      assertEquals("/after", after.body().utf8());
      // The held GET's connection closed under it: retried on the restarted server, answered.
      assertEquals("/held", held.get(20, TimeUnit.SECONDS).body().utf8());
    }
  }
}
