// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import static dev.mint.cli.CommandRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Runs the command in-process against the tour's embedded server. */
@Timeout(30)
class MainTest {
  private static TourServer server;
  private static String base;

  @TempDir Path dir;

  @BeforeAll
  static void startServer() throws Exception {
    server = TourServer.start();
    base = "http://" + server.host() + ":" + server.port();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void theTourRunsEveryStepAndPasses() {
    CommandRun r = run();
    assertEquals(Main.EXIT_OK, r.exit(), r.err());
    String out = r.out();
    assertTrue(out.contains("embedded HTTP/1.1 server at http://127.0.0.1:"), out);
    assertTrue(out.contains("\n1. One request in passive mode"), out);
    assertTrue(out.contains("\n2. Pipelining: three requests in flight"), out);
    assertTrue(out.contains("3 requests in flight before the first recv()"), out);
    assertTrue(out.contains("\n3. A streamed upload"), out);
    assertTrue(out.contains("size and checksum match"), out);
    assertTrue(out.contains("\n4. A chunked download"), out);
    assertTrue(
        Pattern.compile("Data \\d+ bytes \"[^\"]*chunk 5 of 5\\\\n\"").matcher(out).find(), out);
    assertTrue(out.contains("\n5. One Selector driving four connections"), out);
    for (int i = 1; i <= 4; i++) {
      assertTrue(out.contains("conn" + i + "  Done"), out);
    }
    assertTrue(out.contains("embedded h2c server at http://127.0.0.1:"), out);
    assertTrue(out.contains("\n6. HTTP/2: 10 requests multiplexed on one connection"), out);
    assertTrue(out.contains("10 streams open on "), out);
    assertTrue(out.contains("\n7. HTTP/2 PING"), out);
    assertTrue(Pattern.compile("recv\\(\\) -> RequestRef#\\d+\\S* Pong").matcher(out).find(), out);
    assertTrue(
        out.contains("\n8. HTTP/2 flow control: an upload larger than the server's window"), out);
    assertTrue(out.contains("the server's window: 65535 bytes"), out);
    assertTrue(out.contains(" queued until the server opens its window"), out);
    assertTrue(out.contains("sent the rest: 0 bytes queued now"), out);
    assertEquals(2, countMatches(out, "size and checksum match"), out);
    for (String line :
        List.of(
            "a CONNECT proxy at 127.0.0.1:",
            "\n9. Through an HTTP proxy: a CONNECT tunnel",
            "proxyResponse() -> 200 Connection established [proxy-agent: " + TourProxy.AGENT + "]",
            "the server answered through the proxy",
            "\n10. A WebSocket: connect, send a text and a binary message",
            ") -> OPEN, sec-websocket-accept: ",
            "recv() -> Text \"Hello, WebSocket!\"",
            "recv() -> Binary 5 bytes: 00 01 02 fe ff",
            "recv() -> Close 1000",
            "the WebSocket is CLOSED")) {
      assertTrue(out.contains(line), line + " in " + out);
    }
    // /hello twice: in passive mode (step 1), then through the proxy's tunnel (step 9).
    assertEquals(2, countMatches(out, "Data 32 bytes \"Hello from the embedded server!\\n\""), out);
    assertTrue(out.contains("Tour complete: 10 steps, every check passed."), out);
    assertEquals("", r.err());
  }

  @Test
  void printsStatusAndHeadersOnStderrAndTheBodyOnStdout() {
    CommandRun r = run(base + "/hello");
    assertEquals(Main.EXIT_OK, r.exit(), r.err());
    assertEquals(TourServer.HELLO, r.out());
    assertTrue(r.err().startsWith("HTTP/1.1 200 OK\n"), r.err());
    assertTrue(r.err().contains("content-type: text/plain; charset=utf-8\n"), r.err());
    assertTrue(r.err().contains("content-length: " + TourServer.HELLO.length() + "\n"), r.err());
  }

  @Test
  void includePutsTheHeaderBlockOnStdout() {
    CommandRun r = run("-i", "--http1.1", base + "/items/7");
    assertEquals(Main.EXIT_OK, r.exit(), r.err());
    assertTrue(r.out().startsWith("HTTP/1.1 200 OK\n"), r.out());
    assertTrue(r.out().endsWith("\n\nitem 7"), r.out());
    assertEquals("", r.err());
  }

  @Test
  void verbosePrintsEveryPartWithATimestamp() {
    CommandRun r = run("-v", "-H", "x-demo: 1", base + "/chunked?n=3&delay=20");
    assertEquals(Main.EXIT_OK, r.exit(), r.err());
    assertEquals("chunk 1 of 3\nchunk 2 of 3\nchunk 3 of 3\n", r.out());
    String err = r.err();
    assertTrue(err.contains("ms * connected, speaking http/1.1"), err);
    assertTrue(
        Pattern.compile("(?m) ms \\* connection c\\d+ to .*127\\.0\\.0\\.1:\\d+ from .*:\\d+$")
            .matcher(err)
            .find(),
        err);
    assertTrue(err.contains("ms > GET /chunked?n=3&delay=20\n"), err);
    assertTrue(err.contains("ms >   x-demo: 1\n"), err);
    assertTrue(err.contains("ms <   transfer-encoding: chunked\n"), err);
    assertTrue(Pattern.compile("(?m)^ +\\d+ ms < Status 200 OK$").matcher(err).find(), err);
    assertTrue(countMatches(err, "ms < Data ") >= 1, err);
    assertTrue(Pattern.compile("(?m)^ +\\d+ ms < Done$").matcher(err).find(), err);
  }

  @Test
  void http2OverCleartextSpeaksHttp11AndSaysSo() {
    CommandRun r = run("-v", "--http2", base + "/hello");
    assertEquals(Main.EXIT_OK, r.exit(), r.err());
    assertEquals(TourServer.HELLO, r.out());
    assertTrue(r.err().contains("* --http2 over http:// speaks HTTP/1.1"), r.err());
    assertTrue(r.err().contains("ms * connected, speaking http/1.1\n"), r.err());
  }

  @Test
  void http2PriorKnowledgeOverCleartextSpeaksHttp2AtOnce() {
    // The tour's server speaks HTTP/1.1 only: the HTTP/2 connection is made, then fails.
    CommandRun r = run("-v", "--http2-prior-knowledge", "--timeout", "5", base + "/hello");
    assertTrue(r.err().contains("ms * connected, speaking h2\n"), r.err());
    assertEquals(ExitStatus.HTTP2, r.exit(), r.err());
    assertEquals("", r.out());
  }

  @Test
  void insecureOverCleartextWarnsOfNothing() {
    CommandRun r = run("-k", base + "/hello");
    assertEquals(Main.EXIT_OK, r.exit(), r.err());
    assertFalse(r.err().contains("warning"), r.err());
  }

  @Test
  void inlineDataIsPosted() {
    CRC32 crc = new CRC32();
    crc.update("hello".getBytes(StandardCharsets.UTF_8));
    CommandRun r = run("-d", "hello", base + "/upload");
    assertEquals(Main.EXIT_OK, r.exit(), r.err());
    assertEquals(TourServer.uploadAnswer(5, crc.getValue()), r.out());
  }

  @Test
  void aDataFileIsStreamedInChunks() throws Exception {
    byte[] content = new byte[5 * Exchange.UPLOAD_CHUNK_SIZE + 123];
    new Random(7).nextBytes(content);
    Path file = Files.write(dir.resolve("upload.bin"), content);
    CRC32 crc = new CRC32();
    crc.update(content);

    CommandRun r = run("-v", "--data-binary", "@" + file, base + "/upload");
    assertEquals(Main.EXIT_OK, r.exit(), r.err());
    assertEquals(TourServer.uploadAnswer(content.length, crc.getValue()), r.out());
    assertTrue(r.err().contains(">   content-length: " + content.length), r.err());
    assertTrue(r.err().contains("> body: " + content.length + " bytes from "), r.err());
    assertTrue(r.err().contains(" in 6 chunks"), r.err());
  }

  @Test
  void outputGoesToTheFile() throws Exception {
    Path file = dir.resolve("body.txt");
    CommandRun r = run("-o", file.toString(), base + "/chunked?n=2&delay=0");
    assertEquals(Main.EXIT_OK, r.exit(), r.err());
    assertEquals("", r.out());
    assertEquals("chunk 1 of 2\nchunk 2 of 2\n", Files.readString(file));
  }

  @Test
  void providersListsTheInstalledOnes() {
    CommandRun r = run("--providers");
    assertEquals(Main.EXIT_OK, r.exit(), r.err());
    assertTrue(r.out().contains("transport tcp\n"), r.out());
    assertTrue(r.out().contains("protocol http/1.1\n"), r.out());
    assertTrue(r.out().contains("transport tls\n"), r.out());
    assertTrue(r.out().contains("protocol h2\n"), r.out());
  }

  @Test
  void refusedConnectionIsOneLineAndExit7() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = socket.getLocalPort();
    }
    CommandRun r = run("http://127.0.0.1:" + port + "/");
    assertEquals(ExitStatus.COULD_NOT_CONNECT, r.exit());
    assertTrue(r.err().startsWith("mint: CONNECTION_REFUSED: "), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
    assertEquals("", r.out());
  }

  @Test
  void silentServerTimesOut() throws Exception {
    // The kernel accepts the connection into the backlog; nobody ever answers.
    try (ServerSocket silent = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
      CommandRun r = run("--timeout", "0.3", "http://127.0.0.1:" + silent.getLocalPort() + "/");
      assertEquals(ExitStatus.TIMED_OUT, r.exit());
      assertTrue(r.err().startsWith("mint: TIMEOUT: "), r.err());
      assertEquals(1, r.err().lines().count(), r.err());
    }
  }

  @Test
  void usageErrorsExitTwo() {
    CommandRun r = run("--bogus");
    assertEquals(Main.EXIT_USAGE, r.exit());
    assertTrue(r.err().startsWith("mint: Unknown option: '--bogus'\n"), r.err());
    assertTrue(r.err().contains("Try 'mint --help'."), r.err());
  }

  @Test
  void helpPrintsTheUsage() {
    CommandRun r = run("--help");
    assertEquals(Main.EXIT_OK, r.exit());
    assertTrue(r.out().startsWith("usage: mint [options] URL "), r.out());
  }

  @Test
  void wsHandsItsArgumentsToTheWebSocketConsole() {
    CommandRun help = run("ws", "--help");
    assertEquals(0, help.exit(), help.err());
    assertTrue(help.out().startsWith("Usage: mint ws [options] URL"), help.out());

    // -v is the console's own flag: without a URL the console, not the fetch, refuses the line.
    CommandRun noUrl = run("ws", "-v");
    assertEquals(2, noUrl.exit());
    assertTrue(noUrl.err().startsWith("mint ws: "), noUrl.err());
  }

  @Test
  void aMissingDataFileExits26AsCurl() {
    CommandRun r = run("-d", "@" + dir.resolve("missing.bin"), base + "/upload");
    assertEquals(ExitStatus.READ_ERROR, r.exit());
    assertTrue(r.err().startsWith("mint: cannot read "), r.err());
    assertEquals(1, r.err().lines().count(), r.err());
  }

  private static int countMatches(String text, String needle) {
    int count = 0;
    for (int i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + 1)) {
      count++;
    }
    return count;
  }
}
