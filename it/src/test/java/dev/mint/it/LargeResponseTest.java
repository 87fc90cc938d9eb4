// SPDX-License-Identifier: Apache-2.0
package dev.mint.it;

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
import dev.mint.spi.EngineConnection;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A 1 GiB response passes through a heap of 64 MiB: the bytes stream from socket to caller in
 * bounded pieces, nothing holds on to them.
 *
 * <p>The {@code bounded_heap} tag puts this class in its own surefire run with {@code -Xmx64m} (see
 * it/pom.xml); a response buffered anywhere in the library fails it with {@link OutOfMemoryError}.
 * The server is a raw socket thread writing a deterministic byte stream and its CRC-32; the test
 * counts the bytes it receives and checks a running CRC-32 of them.
 */
@Tag("bounded_heap")
@Timeout(120)
class LargeResponseTest {
  private static final long ONE_GIB = 1L << 30;

  /**
   * One block of the body. Its prime length never lines up with read or chunk boundaries, so a
   * lost, repeated or reordered piece changes the checksum.
   */
  private static final byte[] BLOCK = new byte[65_521];

  private ServerSocket listener;
  private CompletableFuture<Long> served;

  @BeforeAll
  static void fillBlock() {
    new Random(65_521).nextBytes(BLOCK);
  }

  @AfterEach
  void stopServer() throws IOException {
    if (listener != null) {
      listener.close();
    }
  }

  @Test
  void runsInABoundedHeap() {
    BoundedHeap.assertInEffect();
  }

  @Test
  void oneGibWithContentLength() throws Exception {
    startServer(false);
    download();
  }

  @Test
  void oneGibChunked() throws Exception {
    startServer(true);
    download();
  }

  private void download() throws Exception {
    ConnectOptions options = ConnectOptions.builder().mode(Mode.PASSIVE).build();
    long received = 0;
    int largestPart = 0;
    CRC32 crc = new CRC32();
    boolean done = false;
    try (HttpConnection conn =
        Mint.connect(Scheme.HTTP, "127.0.0.1", listener.getLocalPort(), options)) {
      RequestRef ref = conn.request("GET", "/big", Headers.empty(), RequestBody.none());
      while (!done) {
        for (ResponsePart part : conn.recv(Duration.ofSeconds(10))) {
          if (part instanceof ResponsePart.Status s) {
            assertEquals(200, s.code());
          } else if (part instanceof ResponsePart.Data d) {
            ByteBuffer bytes = d.bytes().asReadOnlyBuffer();
            received += bytes.remaining();
            largestPart = Math.max(largestPart, bytes.remaining());
            crc.update(bytes);
          } else if (part instanceof ResponsePart.Done) {
            assertEquals(ref, part.ref());
            done = true;
          } else if (part instanceof ResponsePart.RequestError e) {
            throw e.error();
          }
        }
      }
    }
    assertEquals(ONE_GIB, received);
    assertEquals(served.get(10, TimeUnit.SECONDS), crc.getValue(), "CRC-32 of the body");
    // Each recv() reads at most the connection's budget, so no part can be larger.
    assertTrue(largestPart <= EngineConnection.READ_BUDGET, "largest part " + largestPart);
  }

  /**
   * Serves one request: reads the request head, then writes a 1 GiB body, with {@code
   * content-length} or in chunks of one block each. Completes {@link #served} with the CRC-32 of
   * the body it wrote.
   */
  private void startServer(boolean chunked) throws IOException {
    listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    served = new CompletableFuture<>();
    Thread server =
        new Thread(
            () -> {
              try (Socket socket = listener.accept()) {
                readRequestHead(socket.getInputStream());
                OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 256 * 1024);
                served.complete(writeBody(out, chunked));
              } catch (IOException | RuntimeException e) {
                served.completeExceptionally(e);
              }
            },
            "large-response-server");
    server.setDaemon(true);
    server.start();
  }

  private static void readRequestHead(InputStream raw) throws IOException {
    InputStream in = new BufferedInputStream(raw);
    int matched = 0; // how much of CRLF CRLF has been seen
    for (int count = 0; matched < 4; count++) {
      int b = in.read();
      if (b < 0 || count > 64 * 1024) {
        throw new IOException("no complete request head");
      }
      matched = b == "\r\n\r\n".charAt(matched) ? matched + 1 : b == '\r' ? 1 : 0;
    }
  }

  private static long writeBody(OutputStream out, boolean chunked) throws IOException {
    String head =
        chunked
            ? "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
            : "HTTP/1.1 200 OK\r\ncontent-length: " + ONE_GIB + "\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.US_ASCII));
    CRC32 crc = new CRC32();
    long left = ONE_GIB;
    while (left > 0) {
      int n = (int) Math.min(BLOCK.length, left);
      if (chunked) {
        out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      }
      out.write(BLOCK, 0, n);
      if (chunked) {
        out.write('\r');
        out.write('\n');
      }
      crc.update(BLOCK, 0, n);
      left -= n;
    }
    if (chunked) {
      out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    out.flush();
    return crc.getValue();
  }
}
