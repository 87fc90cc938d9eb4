// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.Mode;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.spi.OutputQueue;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.CRC32;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A fixed HTTP/1.1 body larger than the output queue's bound (80 MiB against 64 MiB) goes out over
 * loopback in both modes: the engine references the caller's bytes outside the bound and the shell
 * writes them as the socket takes them. The server counts the body and returns its CRC-32.
 *
 * <p>Not in the {@code bounded_heap} run: the caller holds the whole body, which is more than that
 * heap.
 */
@Timeout(60)
class LargeFixedBodyLoopbackTest {
  private static final String HOST = "127.0.0.1";
  private static final int SIZE = 80 << 20;
  private static byte[] body;
  private static String expected;

  @BeforeAll
  static void makeBody() {
    assertTrue(SIZE > OutputQueue.DEFAULT_LIMIT);
    body = new byte[SIZE];
    new Random(7).nextBytes(body);
    CRC32 crc = new CRC32();
    crc.update(body);
    expected = SIZE + " " + Long.toHexString(crc.getValue());
  }

  private static ScriptedServer countingServer() throws IOException {
    return new ScriptedServer(
        (socket, in, out) -> {
          String head = ScriptedServer.readHead(in);
          long length = contentLength(head);
          out.write(ScriptedServer.response(200, length + " " + crcOf(in, length)));
          out.flush();
          ScriptedServer.awaitClose(in);
        });
  }

  @Test
  void passiveRequestWritesTheWholeBodyBeforeReturning() throws Exception {
    ConnectOptions passive =
        ConnectOptions.builder().mode(Mode.PASSIVE).connectTimeout(Duration.ofSeconds(5)).build();
    try (ScriptedServer server = countingServer();
        HttpConnection conn = Mint.connect(Scheme.HTTP, HOST, server.port(), passive)) {
      RequestRef ref = conn.request("PUT", "/big", Headers.empty(), RequestBody.of(body));
      List<ResponsePart> parts = Http1LoopbackTest.recvDone(conn, 1);
      assertEquals(new ResponsePart.Status(ref, 200, "X"), parts.get(0));
      assertEquals(expected, Http1LoopbackTest.body(parts, ref));
    }
  }

  @Test
  void activeRequestGoesOutOnWriteReadiness() throws Exception {
    ConnectOptions active =
        ConnectOptions.builder().mode(Mode.ACTIVE).connectTimeout(Duration.ofSeconds(5)).build();
    try (ScriptedServer server = countingServer();
        Selector selector = Selector.open();
        HttpConnection conn = Mint.connect(Scheme.HTTP, HOST, server.port(), active)) {
      RequestRef ref = conn.request("PUT", "/big", Headers.empty(), RequestBody.of(body));
      assertTrue(
          (conn.interestOps() & SelectionKey.OP_WRITE) != 0,
          "80 MiB cannot fit one socket write: the rest waits for write readiness");
      SelectionKey key =
          conn.selectableChannel().orElseThrow().register(selector, conn.interestOps());
      List<ResponsePart> parts = new ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (parts.stream().noneMatch(p -> p instanceof ResponsePart.Done)) {
        assertTrue(System.nanoTime() - deadline < 0, "no response in 30 s");
        selector.select(1_000);
        selector.selectedKeys().clear();
        parts.addAll(conn.stream());
        if (conn.isOpen()) {
          key.interestOps(conn.interestOps());
        }
      }
      assertEquals(new ResponsePart.Status(ref, 200, "X"), parts.get(0));
      assertEquals(expected, Http1LoopbackTest.body(parts, ref));
    }
  }

  private static long contentLength(String head) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).toLowerCase(Locale.ROOT).equals("content-length")) {
        return Long.parseLong(line.substring(colon + 1).trim());
      }
    }
    throw new AssertionError("no content-length in " + head);
  }

  private static String crcOf(InputStream raw, long length) throws IOException {
    InputStream in = new BufferedInputStream(raw, 64 * 1024);
    CRC32 crc = new CRC32();
    byte[] buf = new byte[64 * 1024];
    for (long left = length; left > 0; ) {
      int n = in.read(buf, 0, (int) Math.min(left, buf.length));
      if (n < 0) {
        throw new IOException("the client closed with " + left + " body bytes missing");
      }
      crc.update(buf, 0, n);
      left -= n;
    }
    return Long.toHexString(crc.getValue());
  }
}
