// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * The floor against a scripted server on 127.0.0.1: one connection, each request answered by the
 * script's response for its index, for a bounded time.
 */
class FloorLoadClientTest {
  private static final long PHASE = TimeUnit.MILLISECONDS.toNanos(200);

  private static byte[] response(String status, String extraHeader, int body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String head =
        "HTTP/1.1 "
            + status
            + "\r\nserver: script\r\n"
            + extraHeader
            + "content-length: "
            + body
            + "\r\n\r\n";
    out.writeBytes(head.getBytes(StandardCharsets.US_ASCII));
    out.writeBytes(java.util.Arrays.copyOf(Workload.smallBody(), body));
    return out.toByteArray();
  }

  /** Runs the floor for one phase against a server answering request i with script(i). */
  private static Recorder run(IntFunction<byte[]> script) throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread serving = new Thread(() -> serve(server, script), "scripted-server");
      serving.setDaemon(true);
      serving.start();
      Target target =
          new Target(
              "127.0.0.1", server.getLocalPort(), Workload.H1_SEQUENTIAL, Path.of("unused.pem"));
      FloorLoadClient floor = new FloorLoadClient(target);
      Recorder recorder = new Recorder(Workload.SMALL_BODY);
      try {
        floor.run(System.nanoTime() + PHASE, recorder);
      } finally {
        floor.stop();
      }
      return recorder;
    }
  }

  private static void serve(ServerSocket server, IntFunction<byte[]> script) {
    try (Socket s = server.accept()) {
      s.setSoTimeout(10_000);
      InputStream in = s.getInputStream();
      OutputStream out = s.getOutputStream();
      int matched = 0;
      int requests = 0;
      int b;
      while ((b = in.read()) >= 0) {
        // a request ends at CRLF CRLF: count the bytes of that sequence seen in a row
        matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
        if (matched == 4) {
          matched = 0;
          byte[] answer = script.apply(requests++);
          if (answer == null) {
            return; // close the connection
          }
          out.write(answer);
          out.flush();
        }
      }
    } catch (IOException e) {
      // the client closed: the phase is over
    }
  }

  @Test
  void countsEveryResponseOfTheFirstOnesLength() throws Exception {
    byte[] ok = response("200 OK", "", Workload.SMALL_BODY);
    Recorder r = run(i -> ok);
    assertFalse(r.failed(), r.failure());
    assertTrue(r.completed() > 1, "completed " + r.completed());
  }

  @Test
  void aLaterResponseOfAnotherLengthFails() throws Exception {
    byte[] ok = response("200 OK", "", Workload.SMALL_BODY);
    byte[] longer = response("200 OK", "x: 1\r\n", Workload.SMALL_BODY);
    Recorder r = run(i -> i < 3 ? ok : longer);
    assertTrue(r.failed());
    assertTrue(r.failure().contains("another length"), r.failure());
    assertEquals(3, r.completed());
  }

  @Test
  void aFirstResponseThatIsNotA200WithTheBodyFails() throws Exception {
    Recorder notFound = run(i -> response("404 Not Found", "", Workload.SMALL_BODY));
    assertTrue(notFound.failure().contains("first response not a 200"), notFound.failure());
    Recorder shorter = run(i -> response("200 OK", "", 10));
    assertTrue(shorter.failure().contains("1024-byte body"), shorter.failure());
    assertEquals(0, shorter.completed());
  }

  @Test
  void aServerThatClosesFailsTheRun() throws Exception {
    byte[] ok = response("200 OK", "", Workload.SMALL_BODY);
    Recorder r = run(i -> i < 2 ? ok : null);
    assertTrue(r.failed());
    assertTrue(r.failure().contains("closed"), r.failure());
  }

  @Test
  void theEndOfTheHeadIsFoundOnlyPastCrlfCrlf() {
    ByteBuffer in = ByteBuffer.allocate(64);
    in.put("HTTP/1.1 200 OK\r\na: b\r\n".getBytes(StandardCharsets.US_ASCII));
    assertEquals(-1, FloorLoadClient.indexOfEmptyLine(in));
    in.put("\r\nbody".getBytes(StandardCharsets.US_ASCII));
    assertEquals(25, FloorLoadClient.indexOfEmptyLine(in));
    assertEquals(1024, FloorLoadClient.contentLength("http/1.1 200 ok\r\ncontent-length: 1024"));
    assertEquals(-1, FloorLoadClient.contentLength("http/1.1 200 ok\r\ncontent-length: x"));
  }

  @Test
  void runsOnlyHttp11CleartextSmallGets() {
    for (Workload w : List.of(Workload.H2C_100_STREAMS, Workload.DOWNLOAD_H1_TLS)) {
      assertFalse(FloorLoadClient.supports(w));
      Target t = new Target("127.0.0.1", 1, w, Path.of("unused.pem"));
      assertThrows(IllegalArgumentException.class, () -> new FloorLoadClient(t));
    }
    assertTrue(FloorLoadClient.supports(Workload.H1_16_CONNECTIONS));
  }
}
