// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import dev.mint.ConnectOptions;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.Scheme;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A bounded load run, not a test: echo round trips against embedded Jetty's {@code /echo} over
 * HTTP/1.1 on loopback, Mint's WebSocket in active mode (one thread, one selector, every
 * connection) against the JDK's {@code java.net.http.WebSocket} (a thread per connection waiting
 * for each echo), in the same JVM and run. Each connection sends a text message, waits for its
 * echo, and sends the next, {@code --messages} times; a round ends when all are done or after
 * {@code --seconds}. One warm-up round per client, then {@code --rounds} measured rounds; prints
 * round trips per second (median, min-max) and the ratio.
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -pl websocket -am \
 *   -Dmdep.includeScope=test -Dmdep.outputFile=/tmp/ws-cp.txt
 * cd websocket &amp;&amp; java -Dorg.slf4j.simpleLogger.defaultLogLevel=off \
 *   -cp target/test-classes:target/classes:$(cat /tmp/ws-cp.txt) dev.mint.websocket.EchoLoad
 * </pre>
 *
 * Options: {@code --connections N} (50), {@code --messages N} per connection per round (2000),
 * {@code --size BYTES} (1024), {@code --rounds N} (3), {@code --seconds S} (30). Both clients go
 * without permessage-deflate, which the JDK's does not offer.
 */
public final class EchoLoad {
  private EchoLoad() {}

  /** Runs the comparison and prints the table. */
  public static void main(String[] args) throws Exception {
    int connections = option(args, "--connections", 50);
    int messages = option(args, "--messages", 2000);
    int size = option(args, "--size", 1024);
    int rounds = option(args, "--rounds", 3);
    long budget = TimeUnit.SECONDS.toNanos(option(args, "--seconds", 30));
    String text = "x".repeat(size);
    JettyWebSocketServer jetty = new JettyWebSocketServer();
    try {
      int port = jetty.clearPort();
      double[] mint = new double[rounds];
      double[] jdk = new double[rounds];
      for (int r = -1; r < rounds; r++) {
        double m = mintRound(port, connections, messages, text, budget);
        double j = jdkRound(port, connections, messages, text, budget);
        if (r >= 0) {
          mint[r] = m;
          jdk[r] = j;
        }
        System.out.printf(
            "%s: mint %.0f/s, jdk %.0f/s%n", r < 0 ? "warm-up" : "round " + (r + 1), m, j);
      }
      System.out.printf(
          "%nEcho round trips per second, %d connections x %d messages of %d bytes, %d rounds%n",
          connections, messages, size, rounds);
      System.out.println("| client | median | min-max |");
      System.out.println("|--------|--------|---------|");
      row("Mint WebSocket, active mode, 1 thread", mint);
      row("JDK java.net.http.WebSocket, 1 thread per connection", jdk);
      System.out.printf("Mint / JDK (medians): %.2f%n", median(mint) / median(jdk));
    } finally {
      jetty.stop();
    }
  }

  private static void row(String name, double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    System.out.printf(
        "| %s | %.0f | %.0f-%.0f |%n", name, median(values), sorted[0], sorted[sorted.length - 1]);
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static int option(String[] args, String name, int fallback) {
    for (int i = 0; i + 1 < args.length; i++) {
      if (args[i].equals(name)) {
        return Integer.parseInt(args[i + 1]);
      }
    }
    return fallback;
  }

  /** One Mint round: every connection on one selector; returns round trips per second. */
  private static double mintRound(int port, int connections, int messages, String text, long budget)
      throws Exception {
    ConnectOptions options =
        ConnectOptions.builder().protocols(Protocol.HTTP1).mode(Mode.ACTIVE).build();
    WebSocketOptions ws = WebSocketOptions.defaults().withDeflate(null);
    List<WebSocket> sockets = new ArrayList<>();
    int[] left = new int[connections];
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < connections; i++) {
        HttpConnection conn = Mint.connect(Scheme.HTTP, "127.0.0.1", port, options);
        sockets.add(WebSocket.start(conn, "/echo", ws));
        conn.selectableChannel().orElseThrow().register(selector, conn.interestOps(), i);
        left[i] = messages;
      }
      long start = System.nanoTime();
      long done = 0;
      int finished = 0;
      boolean[] started = new boolean[connections];
      while (finished < connections && System.nanoTime() - start < budget) {
        selector.select(100);
        for (SelectionKey key : selector.selectedKeys()) {
          int i = (Integer) key.attachment();
          WebSocket s = sockets.get(i);
          for (int round = 0; round < 16; round++) {
            for (Message m : s.stream()) {
              if (m instanceof Message.Text && left[i] > 0) {
                done++;
                if (--left[i] > 0) {
                  s.sendText(text);
                } else {
                  finished++;
                }
              }
            }
            if (!s.hasBufferedInput()) {
              break;
            }
          }
          if (!started[i] && s.state() == WebSocket.State.OPEN) {
            started[i] = true;
            s.sendText(text);
          }
          key.interestOps(s.connection().interestOps());
        }
        selector.selectedKeys().clear();
      }
      return done / ((System.nanoTime() - start) / 1e9);
    } finally {
      sockets.forEach(WebSocket::close);
    }
  }

  /** One JDK round: a thread per connection, each waiting for its echo; round trips per second. */
  private static double jdkRound(int port, int connections, int messages, String text, long budget)
      throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    URI uri = URI.create("ws://127.0.0.1:" + port + "/echo");
    AtomicLong done = new AtomicLong();
    CountDownLatch finished = new CountDownLatch(connections);
    List<java.net.http.WebSocket> sockets = new ArrayList<>();
    List<Echoes> listeners = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      Echoes echoes = new Echoes();
      listeners.add(echoes);
      sockets.add(client.newWebSocketBuilder().buildAsync(uri, echoes).get(10, TimeUnit.SECONDS));
    }
    long start = System.nanoTime();
    long deadline = start + budget;
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < connections; i++) {
      java.net.http.WebSocket socket = sockets.get(i);
      Echoes echoes = listeners.get(i);
      Thread t =
          new Thread(
              () -> {
                try {
                  for (int n = 0; n < messages && System.nanoTime() < deadline; n++) {
                    CompletableFuture<Void> echo = echoes.expect();
                    socket.sendText(text, true).get(10, TimeUnit.SECONDS);
                    echo.get(10, TimeUnit.SECONDS);
                    done.incrementAndGet();
                  }
                } catch (Exception e) {
                  System.err.println("jdk client: " + e);
                } finally {
                  finished.countDown();
                }
              });
      threads.add(t);
      t.start();
    }
    finished.await(budget + TimeUnit.SECONDS.toNanos(15), TimeUnit.NANOSECONDS);
    double rate = done.get() / ((System.nanoTime() - start) / 1e9);
    for (java.net.http.WebSocket s : sockets) {
      s.abort();
    }
    return rate;
  }

  /** Completes the expected echo when a whole text message has arrived. */
  private static final class Echoes implements java.net.http.WebSocket.Listener {
    private volatile CompletableFuture<Void> next = new CompletableFuture<>();

    CompletableFuture<Void> expect() {
      next = new CompletableFuture<>();
      return next;
    }

    @Override
    public CompletionStage<?> onText(
        java.net.http.WebSocket webSocket, CharSequence data, boolean last) {
      if (last) {
        next.complete(null);
      }
      webSocket.request(1);
      return null;
    }
  }
}
