// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.spi.Deadline;
import dev.mint.spi.Transport;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Transport#lastReadDrained()} over real sockets: a read short of its room took what the
 * socket held, and whatever arrives after it, bytes or the end, is reported as readiness, so a
 * caller that stops reading there loses nothing.
 */
@Timeout(20)
class DrainedReadTest {
  private static final InetAddress V4 = TcpTransportTest.loopback("127.0.0.1");

  @Test
  void aReadShortOfItsRoomIsDrainedAndAFullOneIsNot() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, V4);
        Transport t = openTo(server);
        Socket peer = server.accept()) {
      peer.getOutputStream().write(new byte[10]); // one segment: all ten arrive together
      assertEquals(SelectionKey.OP_READ, t.awaitReady(SelectionKey.OP_READ, Duration.ofSeconds(5)));
      assertEquals(4, t.read(ByteBuffer.allocate(4)));
      assertFalse(t.lastReadDrained(), "a read that filled its room may have left more");
      assertEquals(6, t.read(ByteBuffer.allocate(100)));
      assertTrue(t.lastReadDrained(), "six of a hundred: the socket held no more");
      assertEquals(0, t.read(ByteBuffer.allocate(100)), "and indeed nothing is left");
    }
  }

  @Test
  void bytesArrivingAfterADrainedReadMakeTheCallersKeyReadyAgain() throws Exception {
    Random random = new Random(10);
    byte[] sent = new byte[200_000];
    random.nextBytes(sent);
    try (ServerSocket server = new ServerSocket(0, 50, V4);
        Selector selector = Selector.open();
        Transport t = openTo(server);
        Socket peer = server.accept()) {
      SelectionKey key = t.selectableChannel().orElseThrow().register(selector, 0);
      key.interestOps(SelectionKey.OP_READ);
      Thread writer = startWriter(peer.getOutputStream(), sent, random.nextLong());
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      ByteBuffer buf = ByteBuffer.allocate(8 * 1024);
      Deadline deadline = Deadline.after(Duration.ofSeconds(15));
      int drainedReads = 0;
      boolean ended = false;
      while (!ended && !deadline.isExpired()) {
        selector.select(deadline.remainingMillis());
        selector.selectedKeys().clear();
        // read as the connection shell does: until a read returns 0 or -1, or is drained
        while (true) {
          buf.clear();
          int n = t.read(buf);
          if (n < 0) {
            ended = true;
            break;
          }
          got.write(buf.array(), 0, n);
          if (n == 0) {
            break;
          }
          if (t.lastReadDrained()) {
            drainedReads++;
            break;
          }
        }
      }
      writer.join(5_000);
      assertTrue(ended, "the end of stream was reported as readiness");
      assertArrayEquals(sent, got.toByteArray(), "every byte, in order");
      assertTrue(drainedReads > 0, "some rounds ended on a drained read");
    }
  }

  @Test
  void theEndAfterADrainedReadIsReadyAtOnceForAWaitingCaller() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 50, V4);
        Transport t = openTo(server)) {
      try (Socket peer = server.accept()) {
        peer.getOutputStream().write(new byte[] {'b', 'y', 'e'});
      }
      ByteBuffer buf = ByteBuffer.allocate(100);
      Deadline deadline = Deadline.after(Duration.ofSeconds(5));
      while (buf.position() < 3 && !deadline.isExpired()) {
        t.awaitReady(SelectionKey.OP_READ, deadline.remaining());
        assertTrue(t.read(buf) >= 0);
      }
      assertTrue(t.lastReadDrained(), "the end is no byte: the read took all there was");
      long start = System.nanoTime();
      assertEquals(
          SelectionKey.OP_READ, t.awaitReady(SelectionKey.OP_READ, Duration.ofSeconds(15)));
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertTrue(tookMillis < 5_000, "waited " + tookMillis + " ms for an end already there");
      assertEquals(-1, t.read(buf));
    }
  }

  /** Writes {@code bytes} to {@code out} in random bursts with short pauses, then closes it. */
  private static Thread startWriter(OutputStream out, byte[] bytes, long seed) {
    Thread writer =
        new Thread(
            () -> {
              Random random = new Random(seed);
              try (out) {
                for (int at = 0; at < bytes.length; ) {
                  int n = Math.min(bytes.length - at, 1 + random.nextInt(30_000));
                  out.write(bytes, at, n);
                  at += n;
                  Thread.sleep(random.nextInt(3));
                }
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            },
            "drained-read-writer");
    writer.setDaemon(true);
    writer.start();
    return writer;
  }

  private static Transport openTo(ServerSocket server) throws Exception {
    return new TcpTransportProvider()
        .open(TcpTransportTest.context("127.0.0.1", server.getLocalPort()));
  }
}
