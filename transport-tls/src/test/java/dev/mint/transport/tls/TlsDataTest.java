// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import static dev.mint.transport.tls.TestIo.H2_AND_H1;
import static dev.mint.transport.tls.TestIo.open;
import static dev.mint.transport.tls.TestIo.readExactly;
import static dev.mint.transport.tls.TestIo.readToEnd;
import static dev.mint.transport.tls.TestIo.trustingTestCa;
import static dev.mint.transport.tls.TestIo.writeAll;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mint.TransportException;
import dev.mint.spi.Deadline;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.security.Security;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Moving bytes after the handshake: echo, held ciphertext, buffered input, closing. */
class TlsDataTest {

  /** Echoes until the client's close_notify; a bare TCP close fails (requireCloseNotify). */
  private static void echo(SSLSocket tls) throws Exception {
    InputStream in = tls.getInputStream();
    OutputStream out = tls.getOutputStream();
    byte[] buf = new byte[16384];
    for (int n; (n = in.read(buf)) >= 0; ) {
      out.write(buf, 0, n);
    }
  }

  /** The echo tests exercise TLS 1.3 KeyUpdate only with the lowered limits of the argLine. */
  @Test
  void keyLimitsAreLoweredForTheseTests() {
    String limits = Security.getProperty("jdk.tls.keyLimits");
    assertTrue(limits != null && limits.contains("KeyUpdate 2^16"), limits);
  }

  @ParameterizedTest(name = "{0}, reads of {1} bytes")
  @CsvSource({"TLSv1.3, 65536", "TLSv1.3, 1000", "TLSv1.2, 65536", "TLSv1.2, 777"})
  void echoesMoreThanOneMebibyteBothWays(String version, int chunk) throws Exception {
    long seed = System.nanoTime();
    byte[] data = TestIo.random(1_500_000, seed);
    try (TlsTestServer server =
        TlsTestServer.presenting("server").handler((tls, raw) -> echo(tls)).start()) {
      TlsTransport t =
          open(
              server.port(),
              "localhost",
              trustingTestCa().withProtocols(List.of(version)),
              H2_AND_H1);
      assertEquals(version, t.sslSession().orElseThrow().getProtocol());
      ByteBuffer[] src = {ByteBuffer.wrap(data)};
      ByteArrayOutputStream got = new ByteArrayOutputStream(data.length);
      ByteBuffer buf = ByteBuffer.allocate(chunk);
      Deadline deadline = Deadline.after(Duration.ofSeconds(30));
      while (got.size() < data.length) {
        boolean progress = false;
        if (src[0].hasRemaining() || t.hasPendingOutput()) {
          progress = t.write(src) > 0;
          t.flush();
        }
        buf.clear();
        int n = t.read(buf);
        if (n < 0) {
          fail("end of stream after " + got.size() + " bytes (seed " + seed + ")");
        }
        got.write(buf.array(), 0, n);
        if (!progress && n == 0 && !t.hasBufferedInput()) {
          boolean writing = src[0].hasRemaining() || t.hasPendingOutput();
          t.awaitReady(
              SelectionKey.OP_READ | (writing ? SelectionKey.OP_WRITE : 0), deadline.remaining());
          if (deadline.isExpired()) {
            fail("echo stalled at " + got.size() + " bytes (seed " + seed + ")");
          }
        }
      }
      assertArrayEquals(data, got.toByteArray(), "seed " + seed);
      t.close();
      server.awaitDone();
    }
  }

  @Test
  void keepsCiphertextTheInnerTransportCannotTake() throws Exception {
    byte[] data = TestIo.random(100_000, 7);
    try (TlsTestServer server =
        TlsTestServer.presenting("server")
            .handler(
                (tls, raw) ->
                    tls.getOutputStream().write(readExactly(tls.getInputStream(), 100_000)))
            .start()) {
      ChannelTransport inner = ChannelTransport.connect(server.port());
      TlsTransport t =
          open(inner, server.port(), "localhost", trustingTestCa(), H2_AND_H1, TestIo.TIMEOUT);
      inner.writeBudget(100);
      ByteBuffer[] src = {ByteBuffer.wrap(data)};
      long first = t.write(src);
      assertTrue(first > 100, "plaintext consumed, not ciphertext written: " + first);
      assertTrue(first <= 16384, "one record at most while ciphertext is held: " + first);
      assertTrue(t.hasPendingOutput());
      assertEquals(0, t.write(src), "no more plaintext while ciphertext is held");
      writeAll(t, Arrays.copyOfRange(data, (int) first, data.length));
      assertFalse(t.hasPendingOutput());
      assertArrayEquals(data, readExactly(t, data.length, 4096));
      t.close();
      server.awaitDone();
    }
  }

  @Test
  void closeSendsCloseNotify() throws Exception {
    try (TlsTestServer server =
        TlsTestServer.presenting("server")
            .handler(
                (tls, raw) -> {
                  assertEquals(-1, tls.getInputStream().read(), "server expected a clean end");
                })
            .start()) {
      ChannelTransport inner = ChannelTransport.connect(server.port());
      TlsTransport t =
          open(inner, server.port(), "localhost", trustingTestCa(), H2_AND_H1, TestIo.TIMEOUT);
      t.close();
      assertFalse(t.isOpen());
      assertTrue(inner.isClosed(), "the inner transport is closed too");
      server.awaitDone();
    }
  }

  /** The control for {@link #closeSendsCloseNotify}: a bare TCP close is an error to the server. */
  @Test
  void serverTellsBareCloseFromCloseNotify() throws Exception {
    try (TlsTestServer server =
        TlsTestServer.presenting("server")
            .handler(
                (tls, raw) -> {
                  tls.getOutputStream().write('x');
                  tls.getInputStream().read();
                })
            .start()) {
      ChannelTransport inner = ChannelTransport.connect(server.port());
      TlsTransport t =
          open(inner, server.port(), "localhost", trustingTestCa(), H2_AND_H1, TestIo.TIMEOUT);
      readExactly(t, 1, 10); // consumes the session tickets sent before it: a FIN, not a reset
      inner.close(); // behind the TLS transport's back: no close_notify
      Exception e = assertThrows(Exception.class, server::awaitDone);
      assertInstanceOf(SSLException.class, e, e.toString());
    }
  }

  @Test
  void peerCloseNotifyEndsInput() throws Exception {
    try (TlsTestServer server =
        TlsTestServer.presenting("server")
            .handler(
                (tls, raw) -> {
                  tls.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
                  tls.close(); // close_notify
                })
            .start()) {
      TlsTransport t = open(server.port(), "localhost", trustingTestCa(), H2_AND_H1);
      assertEquals("bye", new String(readToEnd(t, 1), StandardCharsets.US_ASCII));
      assertTrue(t.peerClosedCleanly());
      assertFalse(t.hasBufferedInput());
      assertEquals(-1, t.read(ByteBuffer.allocate(10)), "stays at end of stream");
      t.close();
      server.awaitDone();
    }
  }

  @Test
  void endOfStreamReadWithDataIsBufferedInput() throws Exception {
    CountDownLatch closeNotifySent = new CountDownLatch(1);
    try (TlsTestServer server =
        TlsTestServer.presenting("server")
            .handler(
                (tls, raw) -> {
                  tls.getOutputStream().write(new byte[3000]);
                  tls.shutdownOutput(); // close_notify right behind the data
                  closeNotifySent.countDown();
                })
            .start()) {
      TlsTransport t = open(server.port(), "localhost", trustingTestCa(), H2_AND_H1);
      // Both are in the socket before the read: the server said so (a fixed pause could end
      // before a descheduled server thread wrote them).
      assertTrue(closeNotifySent.await(10, TimeUnit.SECONDS), "the server sent close_notify");
      ByteBuffer buf = ByteBuffer.allocate(4000);
      assertEquals(3000, t.read(buf));
      assertTrue(t.peerClosedCleanly(), "data and close_notify were taken in one read");
      // Over another inner transport (a tunnel) no socket event may follow: the -1 is buffered.
      assertTrue(t.hasBufferedInput(), "the end of stream is still to be reported");
      assertEquals(-1, t.read(buf));
      assertFalse(t.hasBufferedInput());
      t.close();
      server.awaitDone();
    }
  }

  @Test
  void peerBareCloseEndsInputWithoutCloseNotify() throws Exception {
    try (TlsTestServer server =
        TlsTestServer.presenting("server")
            .handler(
                (tls, raw) -> {
                  tls.getOutputStream().write("bye".getBytes(StandardCharsets.US_ASCII));
                  tls.getOutputStream().flush();
                  raw.shutdownOutput(); // TCP FIN, no close_notify
                  raw.getInputStream().readAllBytes();
                })
            .start()) {
      TlsTransport t = open(server.port(), "localhost", trustingTestCa(), H2_AND_H1);
      assertEquals("bye", new String(readToEnd(t, 100), StandardCharsets.US_ASCII));
      assertFalse(t.peerClosedCleanly());
      t.close();
      server.awaitDone();
    }
  }

  @Test
  void bufferedPlaintextIsNeverStranded() throws Exception {
    int records = 6;
    int size = 2000; // six records fit in one 16 KiB inner read: the socket then goes idle
    byte[] data = TestIo.random(records * size, 11);
    try (TlsTestServer server =
        TlsTestServer.presenting("server")
            .handler(
                (tls, raw) -> {
                  OutputStream out = tls.getOutputStream();
                  for (int i = 0; i < records; i++) {
                    out.write(data, i * size, size); // one record each
                  }
                  out.flush();
                  tls.getInputStream().read(); // hold the connection open until the client closes
                })
            .start()) {
      TlsTransport t = open(server.port(), "localhost", trustingTestCa(), H2_AND_H1);
      try (Selector selector = Selector.open()) {
        t.selectableChannel().orElseThrow().register(selector, SelectionKey.OP_READ);
        assertTrue(selector.select(5000) > 0, "the burst arrives");
        Thread.sleep(200); // let the whole burst land in the socket buffer
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(500);
        int fromBuffers = 0;
        for (int i = 0; i < 10_000 && got.size() < data.length; i++) {
          if (t.hasBufferedInput()) {
            fromBuffers++;
          } else {
            selector.selectedKeys().clear();
            if (selector.select(2000) == 0) {
              fail("stranded: socket idle, nothing buffered, after " + got.size() + " bytes");
            }
          }
          buf.clear();
          int n = t.read(buf);
          assertTrue(n >= 0, "end of stream");
          got.write(buf.array(), 0, n);
        }
        assertArrayEquals(data, got.toByteArray());
        assertTrue(fromBuffers > 0, "the test must read from buffers while the socket is idle");
        assertFalse(t.hasBufferedInput());
      }
      t.close();
      server.awaitDone();
    }
  }

  @Test
  void useAfterCloseIsClosed() throws Exception {
    try (TlsTestServer server = TlsTestServer.presenting("server").start()) {
      TlsTransport t = open(server.port(), "localhost", trustingTestCa(), H2_AND_H1);
      t.close();
      t.close(); // idempotent
      TransportException e =
          assertThrows(TransportException.class, () -> t.read(ByteBuffer.allocate(1)));
      assertEquals(TransportException.Reason.CLOSED, e.reason());
      e =
          assertThrows(
              TransportException.class, () -> t.write(new ByteBuffer[] {ByteBuffer.allocate(1)}));
      assertEquals(TransportException.Reason.CLOSED, e.reason());
      assertFalse(t.hasBufferedInput());
      assertFalse(t.hasPendingOutput());
    }
  }
}
