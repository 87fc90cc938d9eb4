// SPDX-License-Identifier: Apache-2.0
package dev.mint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.mint.Protocol;
import dev.mint.Scheme;
import dev.mint.pool.MintClient;
import dev.mint.pool.Origin;
import dev.mint.pool.Pool;
import dev.mint.pool.PoolConfig;
import dev.mint.pool.PoolListener;
import dev.mint.pool.Request;
import dev.mint.pool.Response;
import dev.mint.pool.StreamedResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The examples of README.md's "Pool and client" section, as written there, run against the JDK's
 * HttpServer on loopback. When an example changes, change both.
 */
class ReadmePoolExamplesTest {
  private HttpServer server;
  private int port;
  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private PrintStream console;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          byte[] body =
              path.equals("/big")
                  ? new byte[1 << 20]
                  : ("hello " + path).getBytes(StandardCharsets.US_ASCII);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    server.start();
    port = server.getAddress().getPort();
    console = System.out;
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() {
    System.setOut(console);
    server.stop(0);
  }

  private List<String> printedLines() {
    return printed.toString(StandardCharsets.UTF_8).lines().toList();
  }

  @Test
  void theBlocksAreTheExamplesBelow() throws IOException {
    List<String> source =
        Files.readAllLines(Path.of("src/test/java/dev/mint/it/ReadmePoolExamplesTest.java"));
    List<String> blocks = ReadmeBlocks.javaBlocks("Pool and client");
    assertEquals(3, blocks.size());
    for (String block : blocks) {
      assertTrue(ReadmeBlocks.appearsIndented(block, source), "not in this test:\n" + block);
    }
  }

  @Test
  void theClientInThreeLines() throws Exception {
    try (MintClient client = MintClient.create()) {
      Response response = client.send(Request.get("http://127.0.0.1:" + port + "/hello"));
      System.out.println(response.status() + " " + response.body().utf8());
    }
    assertEquals(List.of("200 hello /hello"), printedLines());
  }

  @Test
  void thePoolInOneSelectorLoop() throws Exception {
    try (Pool pool = Pool.builder().build()) {
      List<CompletableFuture<Response>> responses = new ArrayList<>();
      for (String path : List.of("/a", "/b", "/c")) {
        responses.add(pool.submit(Request.get("http://127.0.0.1:" + port + path)));
      }
      while (!responses.stream().allMatch(CompletableFuture::isDone)) {
        pool.poll(Duration.ofMillis(100)); // reads, writes, connects and timeouts, on this thread
      }
      for (CompletableFuture<Response> response : responses) {
        System.out.println(response.join().status() + " " + response.join().body().utf8());
      }
    }
    assertEquals(List.of("200 hello /a", "200 hello /b", "200 hello /c"), printedLines());
  }

  @Test
  void aConfiguredClientStreamingABody() throws Exception {
    PoolConfig small = PoolConfig.builder().maxHttp1Connections(4).build();
    MintClient client =
        MintClient.builder()
            .pool(
                Pool.builder()
                    .origin(Origin.of(Scheme.HTTP, "127.0.0.1", port), small)
                    .maxPendingRequests(1_000)
                    .listener(
                        new PoolListener() {
                          @Override
                          public void connectionOpened(
                              Origin origin, String id, Protocol protocol) {
                            System.out.println(id + " to " + origin + " speaks " + protocol);
                          }
                        }))
            .build();
    try (client;
        StreamedResponse streamed =
            client.stream(Request.get("http://127.0.0.1:" + port + "/big"))) {
      long bytes = streamed.body().transferTo(OutputStream.nullOutputStream());
      System.out.println(streamed.status() + ", " + bytes + " bytes");
    }
    // per origin: idle, in use, pending, opened, closed, retried...
    System.out.println(client.stats());
    List<String> lines = printedLines();
    assertTrue(
        lines.get(0).endsWith(" to http://127.0.0.1:" + port + " speaks HTTP1"), lines.get(0));
    assertEquals("200, 1048576 bytes", lines.get(1));
    assertTrue(lines.get(2).contains("completed=1"), lines.get(2));
  }
}
