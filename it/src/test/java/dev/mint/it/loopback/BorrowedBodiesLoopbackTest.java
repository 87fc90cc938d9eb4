// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.it.h2.BodyPattern;
import dev.mint.it.h2.JettyH2Server;
import dev.mint.it.h2.Responses;
import dev.mint.it.h2.TrustMaterial;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Borrowed body bytes ({@link ConnectOptions#borrowBodies()}) over real sockets: HTTP/1.1 with
 * content-length and chunked bodies, and HTTP/2 DATA, over cleartext and TLS. A caller that reads
 * each part before its next receiving call sees exactly the bytes the server sent (CRC-32 of the
 * server's deterministic pattern), for one 4 MiB body and for many small responses that arrive
 * several to a read; in passive mode, and in active mode with a {@link Selector} that follows the
 * documented contract ({@link HttpConnection#hasBufferedInput()}), which must never be left waiting
 * on TLS plaintext the transport holds.
 */
@Timeout(60)
class BorrowedBodiesLoopbackTest {
  private static final String HOST = "127.0.0.1";
  private static final int FOUR_MIB = 4 * 1024 * 1024;
  private static final Duration LIMIT = Duration.ofSeconds(20);

  /** Chunk sizes an HTTP/1.1 chunked body cycles through: tiny, odd, larger than a TLS record. */
  private static final int[] CHUNK_SIZES = {1, 100, 4_096, 17_000, 65_521, 7};

  private static JettyH2Server jetty;
  private ServerSocket listener;
  private final AtomicReference<Throwable> serverFailure = new AtomicReference<>();

  @BeforeAll
  static void startJetty() throws Exception {
    jetty = JettyH2Server.builder().start();
  }

  @AfterAll
  static void stopJetty() {
    if (jetty != null) {
      jetty.close();
    }
  }

  @AfterEach
  void stopServer() throws IOException {
    if (listener != null) {
      listener.close();
    }
    Throwable t = serverFailure.get();
    if (t != null) {
      throw new AssertionError("the HTTP/1.1 server failed", t);
    }
  }

  // ---- HTTP/1.1 ----

  @ParameterizedTest(name = "tls={0} chunked={1}")
  @CsvSource({"false,false", "false,true", "true,false", "true,true"})
  void http1FourMibBody(boolean tls, boolean chunked) throws Exception {
    try (HttpConnection conn = http1(tls, Mode.PASSIVE, true)) {
      Responses.Received r = get(conn, target(chunked, FOUR_MIB));
      assertEquals(FOUR_MIB, r.length());
      assertEquals(BodyPattern.crc32(FOUR_MIB), r.crc32(), "CRC-32 of the body");
    }
  }

  @ParameterizedTest(name = "tls={0} chunked={1}")
  @CsvSource({"false,false", "false,true", "true,false", "true,true"})
  void http1ManySmallResponsesPipelined(boolean tls, boolean chunked) throws Exception {
    try (HttpConnection conn = http1(tls, Mode.PASSIVE, false)) {
      Responses responses = new Responses(false);
      List<RequestRef> refs = new ArrayList<>();
      for (int i = 0; i < 200; i++) {
        refs.add(
            responses.expect(
                conn.request(
                    "GET", target(chunked, 1_000 + i), Headers.empty(), RequestBody.none())));
        if (refs.size() % 20 == 0) {
          conn.flush(); // twenty pipelined requests at a time, their answers in few reads
          responses.awaitAll(conn, LIMIT);
        }
      }
      for (int i = 0; i < refs.size(); i++) {
        Responses.Received r = responses.get(refs.get(i)).ok();
        assertEquals(1_000 + i, r.length());
        assertEquals(BodyPattern.crc32(1_000 + i), r.crc32(), "response " + i);
      }
    }
  }

  @ParameterizedTest(name = "tls={0}")
  @ValueSource(booleans = {false, true})
  void http1ActiveModeWithASelector(boolean tls) throws Exception {
    try (HttpConnection conn = http1(tls, Mode.ACTIVE, true)) {
      Responses.Received r = getActive(conn, target(true, FOUR_MIB));
      assertEquals(BodyPattern.crc32(FOUR_MIB), r.crc32());
    }
  }

  /**
   * Borrowing saves the copy of every body byte: over the same sequential requests on two
   * connections, this thread allocates at least half the body bytes less with borrowing on than off
   * (a copy costs the body bytes and an array header; the rest, the same on both, varies a little
   * with how often a receive waits).
   */
  @ParameterizedTest(name = "tls={0}")
  @ValueSource(booleans = {false, true})
  void borrowingSavesTheCopyOfEveryBodyByte(boolean tls) throws Exception {
    java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    Assumptions.assumeTrue(
        mx instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported(),
        "this JVM counts no allocation per thread");
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) mx;
    startHttp1Server(tls);
    ConnectOptions borrowing = borrowing(Mode.PASSIVE).protocols(Protocol.HTTP1).build();
    ConnectOptions keeping = borrowing.toBuilder().borrowBodies(false).build();
    int requests = 300;
    int size = 1_000;
    allocatedFetching(threads, tls, keeping, 50, size); // warm-up of both paths
    allocatedFetching(threads, tls, borrowing, 50, size);
    long kept = allocatedFetching(threads, tls, keeping, requests, size);
    long borrowed = allocatedFetching(threads, tls, borrowing, requests, size);
    System.out.printf(
        "tls=%s: %d responses of %d body bytes allocated %d B per response kept, %d borrowed%n",
        tls, requests, size, kept / requests, borrowed / requests);
    assertTrue(
        kept - borrowed >= (long) requests * size / 2,
        "borrowing saves the body copies: " + kept + " B kept, " + borrowed + " B borrowed");
  }

  /** Bytes this thread allocates making {@code requests} sequential requests on a connection. */
  private long allocatedFetching(
      com.sun.management.ThreadMXBean threads,
      boolean tls,
      ConnectOptions options,
      int requests,
      int size)
      throws Exception {
    long id = Thread.currentThread().getId();
    try (HttpConnection conn =
        Mint.connect(tls ? Scheme.HTTPS : Scheme.HTTP, HOST, listener.getLocalPort(), options)) {
      get(conn, target(false, size)); // the connection's first exchange is not counted
      long body = 0;
      long before = threads.getThreadAllocatedBytes(id);
      for (int i = 0; i < requests; i++) {
        conn.request("GET", target(false, size), Headers.empty(), RequestBody.none());
        for (boolean done = false; !done; ) {
          for (ResponsePart part : conn.recv(LIMIT)) {
            if (part instanceof ResponsePart.Data d) {
              body += d.bytes().length();
            }
            done |= part instanceof ResponsePart.Done;
          }
        }
      }
      long allocated = threads.getThreadAllocatedBytes(id) - before;
      assertEquals((long) requests * size, body);
      return allocated;
    }
  }

  // ---- HTTP/2 ----

  @ParameterizedTest(name = "tls={0}")
  @ValueSource(booleans = {false, true})
  void http2FourMibBody(boolean tls) throws Exception {
    try (HttpConnection conn = http2(tls, Mode.PASSIVE)) {
      Responses.Received r = get(conn, "/stream?n=" + FOUR_MIB);
      assertEquals(FOUR_MIB, r.length());
      assertEquals(BodyPattern.crc32(FOUR_MIB), r.crc32(), "CRC-32 of the body");
    }
  }

  @ParameterizedTest(name = "tls={0}")
  @ValueSource(booleans = {false, true})
  void http2ManySmallResponsesOnOneConnection(boolean tls) throws Exception {
    try (HttpConnection conn = http2(tls, Mode.PASSIVE)) {
      Responses responses = new Responses(false);
      List<RequestRef> refs = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        refs.add(
            responses.expect(
                conn.request(
                    "GET", "/stream?n=" + (500 + i), Headers.empty(), RequestBody.none())));
      }
      responses.awaitAll(conn, LIMIT);
      for (int i = 0; i < refs.size(); i++) {
        Responses.Received r = responses.get(refs.get(i)).ok();
        assertEquals(BodyPattern.crc32(500 + i), r.crc32(), "response " + i);
      }
    }
  }

  @ParameterizedTest(name = "tls={0}")
  @ValueSource(booleans = {false, true})
  void http2ActiveModeWithASelector(boolean tls) throws Exception {
    try (HttpConnection conn = http2(tls, Mode.ACTIVE)) {
      Responses.Received r = getActive(conn, "/stream?n=" + FOUR_MIB);
      assertEquals(BodyPattern.crc32(FOUR_MIB), r.crc32());
    }
  }

  // ---- helpers ----

  private static ConnectOptions.Builder borrowing(Mode mode) {
    return ConnectOptions.builder()
        .borrowBodies(true)
        .mode(mode)
        .connectTimeout(Duration.ofSeconds(10))
        .tls(TrustMaterial.trustingTestCa());
  }

  private HttpConnection http1(boolean tls, Mode mode, boolean autoFlush) throws Exception {
    startHttp1Server(tls);
    ConnectOptions options = borrowing(mode).protocols(Protocol.HTTP1).autoFlush(autoFlush).build();
    HttpConnection conn =
        Mint.connect(tls ? Scheme.HTTPS : Scheme.HTTP, HOST, listener.getLocalPort(), options);
    assertEquals(Protocol.HTTP1, conn.protocol());
    return conn;
  }

  private static HttpConnection http2(boolean tls, Mode mode) throws Exception {
    ConnectOptions options = borrowing(mode).protocols(Protocol.HTTP2).build();
    HttpConnection conn =
        tls
            ? Mint.connect(Scheme.HTTPS, HOST, jetty.tlsPort(), options)
            : Mint.connect(Scheme.HTTP, HOST, jetty.h2cPort(), options);
    assertEquals(Protocol.HTTP2, conn.protocol());
    return conn;
  }

  private static String target(boolean chunked, int length) {
    return (chunked ? "/chunked/" : "/fixed/") + length;
  }

  /** One passive exchange; {@link Responses} reads each part before the next call. */
  private static Responses.Received get(HttpConnection conn, String target) throws Exception {
    return new Responses(false)
        .exchange(conn, "GET", target, Headers.empty(), RequestBody.none(), LIMIT)
        .ok();
  }

  /**
   * One exchange driven by a {@link Selector} as {@link HttpConnection} documents: call {@link
   * HttpConnection#stream()} when selected, and again while {@link
   * HttpConnection#hasBufferedInput()}. A select that times out while the response is unfinished
   * means input was stranded.
   */
  private static Responses.Received getActive(HttpConnection conn, String target) throws Exception {
    Responses responses = new Responses(false);
    RequestRef ref =
        responses.expect(conn.request("GET", target, Headers.empty(), RequestBody.none()));
    long deadline = System.nanoTime() + LIMIT.toNanos();
    try (Selector selector = Selector.open()) {
      SelectionKey key =
          conn.selectableChannel().orElseThrow().register(selector, conn.interestOps());
      for (int rounds = 0; !responses.isFinished(ref); rounds++) {
        assertTrue(rounds < 1_000_000 && System.nanoTime() - deadline < 0, "bounded");
        if (selector.select(5_000) == 0) {
          throw new AssertionError(
              "no readiness for 5 s with the response unfinished: input stranded");
        }
        selector.selectedKeys().clear();
        responses.accept(conn.stream());
        for (int again = 0; conn.hasBufferedInput() && !responses.isFinished(ref); again++) {
          assertTrue(again < 100_000, "bounded");
          responses.accept(conn.stream());
        }
        key.interestOps(conn.interestOps());
      }
      key.cancel();
    }
    return responses.get(ref).ok();
  }

  /**
   * An HTTP/1.1 server on one thread, for one connection at a time, until the test ends: {@code GET
   * /fixed/N} answers N pattern bytes with {@code content-length}, {@code GET /chunked/N} the same
   * in chunks of {@link #CHUNK_SIZES}; keep-alive until the client closes.
   */
  private void startHttp1Server(boolean tls) throws Exception {
    listener =
        tls
            ? TrustMaterial.serverContext()
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getByName(HOST))
            : new ServerSocket(0, 1, InetAddress.getByName(HOST));
    ServerSocket accepting = listener;
    Thread server =
        new Thread(
            () -> {
              try {
                while (true) {
                  try (Socket socket = accepting.accept()) {
                    serve(socket);
                  }
                }
              } catch (IOException | RuntimeException e) {
                if (!accepting.isClosed()) {
                  serverFailure.set(e);
                }
              }
            },
            ScriptedServer.THREAD_PREFIX + "-borrowed");
    server.setDaemon(true);
    server.start();
  }

  private static void serve(Socket socket) throws IOException {
    InputStream in = new BufferedInputStream(socket.getInputStream());
    OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    while (true) {
      String head;
      try {
        head = ScriptedServer.readHead(in);
      } catch (IOException closed) {
        return; // the client is done
      }
      String target = head.substring(head.indexOf(' ') + 1, head.indexOf(" HTTP/"));
      boolean chunked = target.startsWith("/chunked/");
      int length = Integer.parseInt(target.substring(target.lastIndexOf('/') + 1));
      String responseHead =
          "HTTP/1.1 200 OK\r\n"
              + (chunked ? "transfer-encoding: chunked\r\n" : "content-length: " + length + "\r\n")
              + "\r\n";
      out.write(responseHead.getBytes(StandardCharsets.US_ASCII));
      for (int at = 0, i = 0; at < length; i++) {
        int n = chunked ? Math.min(CHUNK_SIZES[i % CHUNK_SIZES.length], length - at) : length - at;
        if (chunked) {
          out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        writePattern(out, at, n);
        if (chunked) {
          out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        at += n;
      }
      if (chunked) {
        out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      }
      if (in.available() == 0) {
        out.flush(); // pipelined requests waiting: their answers go out together
      }
      if (head.toLowerCase(Locale.ROOT).contains("connection: close")) {
        out.flush();
        return;
      }
    }
  }

  private static void writePattern(OutputStream out, long offset, int length) throws IOException {
    for (int done = 0; done < length; ) {
      ByteBuffer piece = BodyPattern.slice(offset + done, length - done);
      byte[] bytes = new byte[piece.remaining()];
      piece.get(bytes);
      out.write(bytes);
      done += bytes.length;
    }
  }
}
