// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mint.ConnectOptions;
import dev.mint.Resolver;
import dev.mint.Scheme;
import dev.mint.StaticResolver;
import dev.mint.TransportException;
import dev.mint.spi.Deadline;
import dev.mint.spi.Transport;
import dev.mint.spi.TransportContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.PortUnreachableException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

/** The TCP transport against real sockets on 127.0.0.1 and ::1 only. */
@Timeout(20)
class TcpTransportTest {
  private static final InetAddress V4 = loopback("127.0.0.1");
  private static final InetAddress V6 = loopback("::1");

  @Test
  void connectsAndMovesBytesBothWays() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, V4);
        Transport t = openTo(server);
        Socket peer = server.accept()) {
      SocketChannel channel = (SocketChannel) t.selectableChannel().orElseThrow();
      assertFalse(channel.isBlocking());
      assertTrue(channel.getOption(StandardSocketOptions.TCP_NODELAY));
      assertTrue(t.isOpen());

      ByteBuffer[] out = {ascii("GET / "), ascii("HTTP/1.1\r\n")};
      long written = 0;
      for (int i = 0; i < 100 && written < 16; i++) {
        written += t.write(out);
      }
      assertEquals(16, written);
      assertArrayEquals(bytes("GET / HTTP/1.1\r\n"), peer.getInputStream().readNBytes(16));

      peer.getOutputStream().write(bytes("pong"));
      assertEquals("pong", readAtLeast(t, 4));
    }
  }

  @Test
  void acceptsHostInBrackets() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, V4);
        Transport t =
            new TcpTransportProvider().open(context("[127.0.0.1]", server.getLocalPort()))) {
      assertTrue(t.isOpen());
    }
  }

  @Test
  void refusedWhenNothingListens() throws Exception {
    int port = closedPort(V4);
    TransportException e =
        assertThrows(
            TransportException.class,
            () -> new TcpTransportProvider().open(context("127.0.0.1", port)));
    assertEquals(TransportException.Reason.CONNECTION_REFUSED, e.reason());
    assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
  }

  @Test
  void refusedNamesEveryAddressTried() throws Exception {
    assumeTrue(V6 != null && canBind(V6), "::1 is not available on this machine");
    int port = closedPort(V4);
    TcpTransportProvider provider = new TcpTransportProvider();
    Resolver dual = StaticResolver.empty().with("dual.test", port, V4, V6);
    TransportException e =
        assertThrows(
            TransportException.class, () -> provider.open(context("dual.test", port, dual)));
    assertEquals(TransportException.Reason.CONNECTION_REFUSED, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("dual.test:" + port), e.getMessage());
    assertTrue(e.getMessage().contains("127.0.0.1"), e.getMessage());
    assertTrue(e.getMessage().contains("[::1]"), e.getMessage());
  }

  @Test
  void connectTimeoutWhenAcceptQueueIsFull() throws Exception {
    try (AcceptQueueFiller full = AcceptQueueFiller.fill(V4)) {
      assumeTrue(
          full.dropsSyns,
          "the kernel kept completing connects to a listener with a full accept queue");
      long start = System.nanoTime();
      TransportException e =
          assertThrows(
              TransportException.class,
              () ->
                  new TcpTransportProvider()
                      .open(context("127.0.0.1", full.port(), Duration.ofMillis(300))));
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(TransportException.Reason.CONNECT_TIMEOUT, e.reason(), e.getMessage());
      assertTrue(e.getMessage().contains("127.0.0.1:" + full.port()), e.getMessage());
      assertTrue(tookMillis >= 250, "gave up after " + tookMillis + " ms");
      assertTrue(tookMillis < 5_000, "took " + tookMillis + " ms");
    }
  }

  @Test
  void expiredDeadlineIsATimeoutWithoutConnecting() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, V4)) {
      TransportException e =
          assertThrows(
              TransportException.class,
              () ->
                  TcpTransport.connect(
                      "127.0.0.1", server.getLocalPort(), new Deadline(System.nanoTime() - 1)));
      assertEquals(TransportException.Reason.CONNECT_TIMEOUT, e.reason());
    }
  }

  @Test
  void localhostReachesAServerOnlyOn127001() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, V4);
        TcpTransport t =
            (TcpTransport)
                new TcpTransportProvider().open(context("localhost", server.getLocalPort()))) {
      assertEquals(V4, t.remoteAddress().getAddress());
    }
  }

  @Test
  void fallsBackThroughAddressesInOrder() throws Exception {
    // "localhost" scripted to resolve to ::1 first: the server listens only on 127.0.0.1, so ::1
    // refuses (or, without IPv6, fails) and the transport moves on to the next address.
    try (ServerSocket server = new ServerSocket(0, 50, V4)) {
      InetAddress first = V6 != null ? V6 : loopback("127.0.0.1");
      Resolver scripted =
          (h, p) -> {
            assertEquals("localhost", h);
            return V6 != null ? List.of(first, V4) : List.of(V4);
          };
      try (TcpTransport t =
          (TcpTransport)
              new TcpTransportProvider()
                  .open(context("localhost", server.getLocalPort(), scripted))) {
        assertEquals(new InetSocketAddress(V4, server.getLocalPort()), t.remoteAddress());
      }
    }
  }

  @Test
  void ipv6Literal() throws Exception {
    assumeTrue(V6 != null && canBind(V6), "::1 is not available on this machine");
    try (ServerSocket server = new ServerSocket(0, 50, V6)) {
      for (String host : List.of("::1", "[::1]")) {
        try (TcpTransport t =
                (TcpTransport)
                    new TcpTransportProvider().open(context(host, server.getLocalPort()));
            Socket peer = server.accept()) {
          assertEquals(V6, t.remoteAddress().getAddress(), host);
          peer.getOutputStream().write(bytes("six"));
          assertEquals("six", readAtLeast(t, 3));
        }
      }
    }
  }

  @Test
  void unresolvedHost() {
    TcpTransportProvider provider = new TcpTransportProvider();
    Resolver failing =
        (h, p) -> {
          throw new UnknownHostException(h + ": Name or service not known");
        };
    TransportException e =
        assertThrows(
            TransportException.class, () -> provider.open(context("nowhere.test", 80, failing)));
    assertEquals(TransportException.Reason.UNRESOLVED_HOST, e.reason());
    assertTrue(e.getMessage().contains("nowhere.test:80"), e.getMessage());

    Resolver empty = (h, p) -> List.of();
    assertEquals(
        TransportException.Reason.UNRESOLVED_HOST,
        assertThrows(
                TransportException.class, () -> provider.open(context("empty.test", 80, empty)))
            .reason());
    assertEquals(
        TransportException.Reason.UNRESOLVED_HOST,
        assertThrows(
                TransportException.class,
                () -> provider.open(context("other.test", 80, StaticResolver.empty())))
            .reason());
  }

  @Test
  void readReturnsMinusOneAtEndOfStream() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, V4);
        Transport t = openTo(server)) {
      try (Socket peer = server.accept()) {
        peer.getOutputStream().write(bytes("bye"));
      }
      assertEquals("bye", readAtLeast(t, 3));
      ByteBuffer buf = ByteBuffer.allocate(16);
      int n = 0;
      for (int i = 0; i < 50 && n == 0; i++) {
        t.awaitReady(SelectionKey.OP_READ, Duration.ofMillis(100));
        n = t.read(buf);
      }
      assertEquals(-1, n);
      assertEquals(-1, t.read(buf), "end of stream stays the end");
    }
  }

  @Test
  void awaitReadyTimesOutAndReportsWhatIsReady() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, V4);
        Transport t = openTo(server);
        Socket peer = server.accept()) {
      long start = System.nanoTime();
      assertEquals(0, t.awaitReady(SelectionKey.OP_READ, Duration.ofMillis(200)));
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(tookMillis >= 180 && tookMillis < 5_000, "waited " + tookMillis + " ms");

      assertEquals(0, t.awaitReady(SelectionKey.OP_READ, Duration.ZERO), "zero only polls");
      int both = SelectionKey.OP_READ | SelectionKey.OP_WRITE;
      assertEquals(SelectionKey.OP_WRITE, t.awaitReady(both, Duration.ofSeconds(5)));

      peer.getOutputStream().write(1);
      assertEquals(SelectionKey.OP_READ, t.awaitReady(SelectionKey.OP_READ, Duration.ofSeconds(5)));
      assertThrows(IllegalArgumentException.class, () -> t.awaitReady(0, Duration.ofSeconds(1)));
    }
  }

  @Test
  void awaitReadyWorksWhileRegisteredWithTheCallersSelector() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, V4);
        Selector callers = Selector.open()) {
      Transport t = openTo(server);
      Socket peer = server.accept();
      SelectionKey key =
          t.selectableChannel().orElseThrow().register(callers, SelectionKey.OP_READ);
      peer.getOutputStream().write(bytes("x"));
      assertEquals(SelectionKey.OP_READ, t.awaitReady(SelectionKey.OP_READ, Duration.ofSeconds(5)));
      assertEquals(1, callers.select(5_000));
      assertTrue(callers.selectedKeys().contains(key));
      assertEquals("x", readAtLeast(t, 1));
      t.close();
      peer.close();
      assertFalse(key.isValid(), "closing the transport cancels the caller's key");
    }
  }

  @Test
  void resetByPeerIsClosedAndClosesTheTransport() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, V4);
        Transport t = openTo(server)) {
      acceptAndReset(server);
      ByteBuffer buf = ByteBuffer.allocate(16);
      TransportException e =
          assertThrows(
              TransportException.class,
              () -> {
                for (int i = 0; i < 50; i++) {
                  t.awaitReady(SelectionKey.OP_READ, Duration.ofMillis(100));
                  t.read(buf);
                }
              });
      assertEquals(TransportException.Reason.CLOSED, e.reason(), e.getMessage());
      assertTrue(e.getMessage().contains("127.0.0.1:" + server.getLocalPort()), e.getMessage());
      assertFalse(t.isOpen());
      assertEquals(
          TransportException.Reason.CLOSED,
          assertThrows(TransportException.class, () -> t.write(new ByteBuffer[] {ascii("x")}))
              .reason());
    }
  }

  @Test
  void closeIsIdempotentAndLaterCallsFailClosed() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, V4)) {
      Transport t = openTo(server);
      t.awaitReady(SelectionKey.OP_WRITE, Duration.ofSeconds(1)); // opens the private selector
      t.close();
      t.close();
      assertFalse(t.isOpen());
      assertFalse(t.selectableChannel().orElseThrow().isOpen());
      for (var call :
          List.<Executable>of(
              () -> t.read(ByteBuffer.allocate(1)),
              () -> t.write(new ByteBuffer[] {ascii("x")}),
              () -> t.awaitReady(SelectionKey.OP_READ, Duration.ofMillis(10)))) {
        assertEquals(
            TransportException.Reason.CLOSED,
            assertThrows(TransportException.class, call).reason());
      }
    }
  }

  @Test
  void writeAfterPeerResetIsClosed() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, V4);
        Transport t = openTo(server)) {
      acceptAndReset(server);
      // The first write may still be taken by the kernel before the RST is seen; a later one
      // fails. Bounded: the RST is on loopback.
      TransportException e =
          assertThrows(
              TransportException.class,
              () -> {
                for (int i = 0; i < 50; i++) {
                  t.write(new ByteBuffer[] {ascii("GET / HTTP/1.1\r\n\r\n")});
                  Thread.sleep(10);
                }
              });
      assertEquals(TransportException.Reason.CLOSED, e.reason(), e.getMessage());
      assertFalse(t.isOpen());
      assertEquals(
          TransportException.Reason.CLOSED,
          assertThrows(TransportException.class, () -> t.read(ByteBuffer.allocate(1))).reason());
    }
  }

  @Test
  void oneBufferAndSeveralBuffersAreWrittenWholeAndInOrderThroughAFullSocket() throws Exception {
    // A single buffer goes by write(2), several by writev(2); both must report what the socket
    // took and leave the rest in the buffers when it fills, so that nothing is lost or repeated.
    byte[] expected = new byte[24 << 20];
    new Random(7).nextBytes(expected);
    try (ServerSocket server = new ServerSocket(0, 50, V4);
        Transport t = openTo(server);
        Socket peer = server.accept()) {
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      Thread reader =
          new Thread(
              () -> {
                try {
                  received.write(peer.getInputStream().readNBytes(expected.length));
                } catch (IOException ignored) {
                  // the assertion on what arrived reports a short read
                }
              });
      int third = expected.length / 3;
      ByteBuffer single = ByteBuffer.wrap(expected, 0, third);
      ByteBuffer[] several = {
        ByteBuffer.wrap(expected, third, third / 2),
        ByteBuffer.wrap(expected, third + third / 2, expected.length - third - third / 2)
      };
      long written = 0;
      int[] partial = new int[2]; // per path, writes the socket took only part of
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      ByteBuffer[][] paths = {{single}, several};
      for (int path = 0; path < 2; path++) {
        ByteBuffer[] srcs = paths[path];
        while (srcs[srcs.length - 1].hasRemaining()) {
          assertTrue(System.nanoTime() < deadline, "wrote " + written + " bytes within 20 s");
          written += t.write(srcs);
          if (srcs[srcs.length - 1].hasRemaining()) {
            partial[path]++;
            if (reader.getState() == Thread.State.NEW) {
              reader.start(); // drain only once the socket took less than offered
            }
            t.awaitReady(SelectionKey.OP_WRITE, Duration.ofSeconds(5));
          }
        }
      }
      if (reader.getState() == Thread.State.NEW) {
        reader.start();
      }
      assertEquals(expected.length, written);
      reader.join(10_000);
      assertFalse(reader.isAlive(), "the reader got every byte within 10 s");
      assertTrue(
          partial[0] > 0 && partial[1] > 0,
          "each path should find the socket full at least once: " + Arrays.toString(partial));
      assertArrayEquals(expected, received.toByteArray());
    }
  }

  @Test
  void awaitReadyOnAnInterruptedThreadFailsInsteadOfSpinning() throws Exception {
    // Selector.select returns at once while the thread's interrupt status is set, so a wait
    // loop that only checked the deadline burned a core until the timeout passed.
    try (ServerSocket server = new ServerSocket(0, 50, V4);
        Transport t = openTo(server);
        Socket peer = server.accept()) {
      assertTrue(peer.isConnected());
      failsAtOnceWhileInterrupted(() -> t.awaitReady(SelectionKey.OP_READ, Duration.ofSeconds(3)));
      assertFalse(t.isOpen(), "a failed transport is closed");
    }
  }

  @Test
  void connectOnAnInterruptedThreadFailsInsteadOfSpinning() throws Exception {
    try (AcceptQueueFiller full = AcceptQueueFiller.fill(V4)) {
      assumeTrue(
          full.dropsSyns,
          "the kernel kept completing connects to a listener with a full accept queue");
      failsAtOnceWhileInterrupted(
          () ->
              new TcpTransportProvider()
                  .open(context("127.0.0.1", full.port(), Duration.ofSeconds(3))));
    }
  }

  @Test
  void repeatedAwaitReadyKeepsOneSelector() throws Exception {
    Path fds = Path.of("/proc/self/fd");
    assumeTrue(Files.isDirectory(fds), "no /proc/self/fd to count descriptors");
    try (ServerSocket server = new ServerSocket(0, 50, V4)) {
      Transport t = openTo(server);
      Socket peer = server.accept();
      long before = count(fds);
      for (int i = 0; i < 200; i++) {
        t.awaitReady(SelectionKey.OP_READ, Duration.ZERO);
        t.awaitReady(SelectionKey.OP_WRITE, Duration.ofMillis(1));
      }
      long during = count(fds);
      assertTrue(during - before <= 4, before + " descriptors before, " + during + " after");
      t.close();
      peer.close();
      assertTrue(count(fds) <= before - 1, "close releases the socket and the selector");
    }
  }

  @Test
  void ipv6LiteralWithZoneId() throws Exception {
    assumeTrue(V6 != null && canBind(V6), "::1 is not available on this machine");
    java.net.NetworkInterface lo = java.net.NetworkInterface.getByInetAddress(V6);
    assumeTrue(lo != null, "no interface holds ::1");
    try (ServerSocket server = new ServerSocket(0, 50, V6)) {
      for (String host : List.of("::1%" + lo.getName(), "[::1%" + lo.getName() + "]")) {
        try (TcpTransport t =
                (TcpTransport)
                    new TcpTransportProvider().open(context(host, server.getLocalPort()));
            Socket peer = server.accept()) {
          assertTrue(t.remoteAddress().getAddress().isLoopbackAddress(), host);
          assertTrue(t.toString().contains("[::1%" + lo.getName() + "]"), t.toString());
          peer.getOutputStream().write(bytes("zone"));
          assertEquals("zone", readAtLeast(t, 4));
        }
      }
    }
  }

  @Test
  void providerIsNamedTcpAndRefusesToLayer() throws Exception {
    TcpTransportProvider provider = new TcpTransportProvider();
    assertEquals("tcp", provider.name());
    try (ServerSocket server = new ServerSocket(0, 50, V4);
        Transport inner = provider.open(context("127.0.0.1", server.getLocalPort()))) {
      TransportContext layered =
          new TransportContext(
              Scheme.HTTPS,
              "127.0.0.1",
              server.getLocalPort(),
              "127.0.0.1",
              ConnectOptions.defaults(),
              Deadline.after(Duration.ofSeconds(1)),
              Optional.of(inner),
              List.of());
      assertThrows(IllegalArgumentException.class, () -> provider.open(layered));
    }
  }

  @Test
  void readAndWriteFailuresAreClassifiedByTypeNotByText() {
    var closed = TransportException.Reason.CLOSED;
    var ioError = TransportException.Reason.IO_ERROR;
    // What the JDK throws for a reset seen by a read, and for EPIPE/ECONNRESET seen by a write:
    // the write's only detail is strerror's text, here in English and as a German C library has it.
    assertEquals(closed, TcpTransport.ofReadOrWrite(new SocketException("Connection reset")));
    assertEquals(closed, TcpTransport.ofReadOrWrite(new IOException("Broken pipe")));
    assertEquals(closed, TcpTransport.ofReadOrWrite(new IOException("Datenübergabe unterbrochen")));
    assertEquals(closed, TcpTransport.ofReadOrWrite(new IOException((String) null)));
    assertEquals(closed, TcpTransport.ofReadOrWrite(new ClosedChannelException()));
    assertEquals(closed, TcpTransport.ofReadOrWrite(new AsynchronousCloseException()));
    // Text that once meant "reset" does not make a type that says otherwise a reset.
    assertEquals(ioError, TcpTransport.ofReadOrWrite(new NoRouteToHostException("reset")));
    assertEquals(ioError, TcpTransport.ofReadOrWrite(new PortUnreachableException("broken pipe")));
    assertEquals(ioError, TcpTransport.ofReadOrWrite(new SocketTimeoutException("reset")));
    assertEquals(ioError, TcpTransport.ofReadOrWrite(new InterruptedIOException()));
    // A failed wait is the selector's failure unless the channel was closed under it.
    assertEquals(ioError, TcpTransport.ofWait(new IOException("Connection reset by peer")));
    assertEquals(closed, TcpTransport.ofWait(new ClosedChannelException()));
  }

  // ---- helpers ----

  /** Opens a transport to {@code server}, a listener on 127.0.0.1. */
  private static Transport openTo(ServerSocket server) throws IOException {
    return new TcpTransportProvider().open(context("127.0.0.1", server.getLocalPort()));
  }

  /** Accepts the pending connection on {@code server} and resets it: the close sends RST. */
  private static void acceptAndReset(ServerSocket server) throws IOException {
    Socket peer = server.accept();
    peer.setSoLinger(true, 0);
    peer.close();
  }

  /**
   * Runs {@code call} with this thread's interrupt status set: it must fail within 2 s (not spin
   * until its own timeout) with an I/O error that says so, and keep the status, which is cleared
   * afterwards.
   */
  private static void failsAtOnceWhileInterrupted(Executable call) {
    long start = System.nanoTime();
    Thread.currentThread().interrupt();
    TransportException e;
    try {
      e = assertThrows(TransportException.class, call);
      assertTrue(Thread.currentThread().isInterrupted(), "the interrupt status is kept");
    } finally {
      Thread.interrupted();
    }
    long tookMillis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(TransportException.Reason.IO_ERROR, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("interrupted"), e.getMessage());
    assertTrue(tookMillis < 2_000, "took " + tookMillis + " ms");
  }

  static TransportContext context(String host, int port) {
    return context(host, port, Duration.ofSeconds(5));
  }

  static TransportContext context(String host, int port, Resolver resolver) {
    return context(
        host, port, ConnectOptions.builder().resolver(resolver).build(), Duration.ofSeconds(5));
  }

  static TransportContext context(String host, int port, Duration timeout) {
    return context(host, port, ConnectOptions.defaults(), timeout);
  }

  static TransportContext context(String host, int port, ConnectOptions options, Duration timeout) {
    return new TransportContext(
        Scheme.HTTP,
        host,
        port,
        host,
        options,
        Deadline.after(timeout),
        Optional.empty(),
        List.of());
  }

  /** Reads until at least {@code n} bytes arrived (bounded in time). */
  private static String readAtLeast(Transport t, int n) throws Exception {
    ByteBuffer buf = ByteBuffer.allocate(1024);
    Deadline deadline = Deadline.after(Duration.ofSeconds(5));
    while (buf.position() < n && !deadline.isExpired()) {
      t.awaitReady(SelectionKey.OP_READ, deadline.remaining());
      if (t.read(buf) < 0) {
        break;
      }
    }
    buf.flip();
    return StandardCharsets.US_ASCII.decode(buf).toString();
  }

  private static long count(Path dir) throws IOException {
    try (var entries = Files.list(dir)) {
      return entries.count();
    }
  }

  private static int closedPort(InetAddress address) throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, address)) {
      return s.getLocalPort();
    }
  }

  static boolean canBind(InetAddress address) {
    try (ServerSocket s = new ServerSocket(0, 1, address)) {
      return s.isBound();
    } catch (IOException e) {
      return false;
    }
  }

  static InetAddress loopback(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static ByteBuffer ascii(String s) {
    return ByteBuffer.wrap(bytes(s));
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
