// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.http1.Http1Engine;
import dev.mint.spi.EngineConnection;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Active mode over TCP on 127.0.0.1: the caller's own selector drives the connections, nothing in
 * the library blocks or starts a thread, and writes the socket cannot take at once stay queued
 * until the selector reports write readiness.
 */
class ActiveModeLoopbackTest {
  private static final String HOST = "127.0.0.1";

  private static ConnectOptions active() {
    return ConnectOptions.builder().mode(Mode.ACTIVE).connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** One client connection driven by the selector loop. */
  private static final class Client {
    final int id;
    final HttpConnection conn;
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    RequestRef ref;
    int sent;
    int done;

    Client(int id, HttpConnection conn) {
      this.id = id;
      this.conn = conn;
    }

    void send() throws MintException {
      body.reset();
      ref = conn.request("GET", target(sent), Headers.empty(), RequestBody.none());
      sent++;
    }

    String target(int n) {
      return "/c" + id + "/r" + n;
    }
  }

  @Test
  @Timeout(60)
  void oneThreadWithOneSelectorDrivesThousandConnections() throws Exception {
    int connections = 1000;
    int perConnection = 10;
    int total = connections * perConnection;
    try (NioHttpServer server = new NioHttpServer();
        Selector selector = Selector.open()) {
      // The servers' threads are already running; from here on nothing may start one.
      Set<Thread> before = new HashSet<>(Thread.getAllStackTraces().keySet());
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      long startedBefore = threads.getTotalStartedThreadCount();
      List<Client> clients = new ArrayList<>(connections);
      try {
        for (int i = 0; i < connections; i++) {
          Client client = new Client(i, Mint.connect(Scheme.HTTP, HOST, server.port(), active()));
          clients.add(client);
          client.send();
          client
              .conn
              .selectableChannel()
              .orElseThrow()
              .register(selector, client.conn.interestOps(), client);
        }

        int completed = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(40).toNanos();
        for (int rounds = 0; completed < total && rounds < 1_000_000; rounds++) {
          if (System.nanoTime() - deadline > 0) {
            throw new AssertionError("only " + completed + " of " + total + " requests in 40 s");
          }
          selector.select(1_000);
          for (SelectionKey key : selector.selectedKeys()) {
            completed += drive((Client) key.attachment(), key, perConnection);
          }
          selector.selectedKeys().clear();
        }

        assertEquals(total, completed);
        assertEquals(connections, server.accepted(), "one socket per connection, all reused");
        assertEquals(total, server.served());
        for (Client c : clients) {
          assertEquals(perConnection, c.done, "connection " + c.id);
          assertTrue(c.conn.isOpen(), "connection " + c.id);
        }
        Set<String> started =
            Thread.getAllStackTraces().keySet().stream()
                .filter(t -> !before.contains(t))
                .map(Thread::getName)
                .filter(n -> !n.startsWith(NioHttpServer.THREAD_PREFIX))
                .filter(n -> !n.startsWith(ScriptedServer.THREAD_PREFIX))
                .collect(Collectors.toSet());
        assertEquals(Set.of(), started, "threads started while the library ran");
        // Also catches threads that started and ended during the run.
        assertEquals(
            0,
            threads.getTotalStartedThreadCount() - startedBefore,
            "threads started (even briefly) while the library ran");
      } finally {
        for (Client c : clients) {
          c.conn.close();
        }
      }
    }
  }

  /** Handles one readiness of one client; returns the number of responses completed. */
  private static int drive(Client client, SelectionKey key, int perConnection)
      throws MintException {
    int completed = 0;
    for (int i = 0; i < 8; i++) { // bounded: buffered input asks to be called again at once
      for (ResponsePart p : client.conn.stream()) {
        if (p instanceof ResponsePart.Data d) {
          client.body.writeBytes(d.bytes().toByteArray());
        } else if (p instanceof ResponsePart.Status s) {
          assertEquals(200, s.code());
        } else if (p instanceof ResponsePart.Done done) {
          assertTrue(done.ref() == client.ref, "responses match their requests");
          assertEquals(
              "ok " + client.target(client.sent - 1), client.body.toString(StandardCharsets.UTF_8));
          client.done++;
          completed++;
          if (client.sent < perConnection) {
            client.send();
          }
        }
      }
      if (!client.conn.hasBufferedInput()) {
        break;
      }
    }
    key.interestOps(client.conn.interestOps());
    return completed;
  }

  @Test
  @Timeout(30)
  void streamedUploadStaysQueuedAndGoesOutOnWriteReadiness() throws Exception {
    int size = 16 * 1024 * 1024;
    byte[] payload = new byte[size];
    new Random(42).nextBytes(payload);
    CRC32 expected = new CRC32();
    expected.update(payload);

    CountDownLatch startReading = new CountDownLatch(1);
    try (ScriptedServer server =
            new ScriptedServer(
                16 * 1024,
                (socket, in, out) -> {
                  String head = ScriptedServer.readHead(in);
                  if (!head.toLowerCase(java.util.Locale.ROOT)
                      .contains("transfer-encoding: chunked")) {
                    throw new AssertionError("expected a chunked upload: " + head);
                  }
                  if (!startReading.await(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("the test never let the server read");
                  }
                  String summary = readChunked(in);
                  out.write(ScriptedServer.response(200, summary));
                  out.flush();
                  ScriptedServer.awaitClose(in);
                });
        Selector selector = Selector.open();
        HttpConnection conn = Mint.connect(Scheme.HTTP, HOST, server.port(), active())) {
      RequestRef ref = conn.request("PUT", "/upload", Headers.empty(), RequestBody.streaming());
      for (int off = 0; off < size; off += 64 * 1024) {
        conn.streamRequestBody(ref, ByteBuffer.wrap(payload, off, 64 * 1024));
      }
      conn.endRequestBody(ref);

      EngineConnection shell = (EngineConnection) conn;
      long queued = ((Http1Engine) shell.engine()).queuedBytes();
      assertTrue(queued > 0, "the server is not reading: bytes must be queued");
      assertTrue((conn.interestOps() & SelectionKey.OP_WRITE) != 0, "asks for write readiness");
      SelectionKey key =
          conn.selectableChannel().orElseThrow().register(selector, conn.interestOps());
      startReading.countDown();

      List<ResponsePart> parts = new ArrayList<>();
      int drainingCalls = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      for (int rounds = 0;
          rounds < 100_000 && parts.stream().noneMatch(p -> p instanceof ResponsePart.Done);
          rounds++) {
        assertTrue(System.nanoTime() - deadline < 0, "upload not done in 20 s");
        selector.select(1_000);
        boolean writable =
            key.isValid() && selector.selectedKeys().contains(key) && key.isWritable();
        selector.selectedKeys().clear();
        parts.addAll(conn.stream());
        long now = ((Http1Engine) shell.engine()).queuedBytes();
        assertTrue(now <= queued, "the queue only shrinks");
        if (writable && now < queued) {
          drainingCalls++;
        }
        queued = now;
        key.interestOps(conn.interestOps());
      }
      assertTrue(drainingCalls >= 2, "queued bytes went out over " + drainingCalls + " calls");
      assertEquals(0, ((Http1Engine) shell.engine()).queuedBytes());
      assertEquals(SelectionKey.OP_READ, conn.interestOps(), "nothing left to write");
      assertEquals(new ResponsePart.Status(ref, 200, "X"), parts.get(0));
      assertEquals(
          size + " " + Long.toHexString(expected.getValue()), Http1LoopbackTest.body(parts, ref));
    }
  }

  /** Decodes a chunked body (RFC 9112 §7.1); returns "length crc32-hex". */
  private static String readChunked(InputStream raw) throws IOException {
    DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 8 * 1024));
    CRC32 crc = new CRC32();
    long length = 0;
    byte[] buf = new byte[64 * 1024];
    for (int chunks = 0; chunks < 1_000_000; chunks++) {
      String line = readLine(in);
      int semi = line.indexOf(';');
      int n = Integer.parseInt(semi >= 0 ? line.substring(0, semi) : line, 16);
      if (n == 0) {
        while (!readLine(in).isEmpty()) {
          // trailer fields: none expected, skipped
        }
        return length + " " + Long.toHexString(crc.getValue());
      }
      for (int left = n; left > 0; ) {
        int k = Math.min(left, buf.length);
        in.readFully(buf, 0, k);
        crc.update(buf, 0, k);
        left -= k;
      }
      length += n;
      if (!readLine(in).isEmpty()) {
        throw new IOException("chunk data not followed by CRLF");
      }
    }
    throw new IOException("too many chunks");
  }

  private static String readLine(DataInputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < 4096; i++) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("end of stream inside a chunked body");
      }
      if (b == '\n') {
        int last = sb.length() - 1;
        if (last < 0 || sb.charAt(last) != '\r') {
          throw new IOException("bare LF in chunked framing");
        }
        return sb.substring(0, last);
      }
      sb.append((char) b);
    }
    throw new IOException("chunk line too long");
  }
}
