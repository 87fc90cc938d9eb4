// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mint.ConnectOptions;
import dev.mint.Resolver;
import dev.mint.SocketOptions;
import dev.mint.StaticResolver;
import dev.mint.TransportException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Happy Eyeballs (RFC 8305) over loopback: an address that never answers is a listener whose accept
 * queue is full ({@link AcceptQueueFiller}), so the kernel drops the SYN; the address that answers
 * listens on the same port at another loopback address (::1, or 127.0.0.2 without IPv6).
 */
@Timeout(30)
class HappyEyeballsTest {
  private static final InetAddress V4 = TcpTransportTest.loopback("127.0.0.1");
  private static final InetAddress V6 = TcpTransportTest.loopback("::1");

  @Test
  void aSilentFirstAddressCostsOneAttemptDelayNotTheConnectTimeout() throws Exception {
    for (Duration delay : List.of(Duration.ofMillis(250), Duration.ofMillis(100))) {
      try (AcceptQueueFiller silent = AcceptQueueFiller.fill(V4)) {
        assumeTrue(silent.dropsSyns, "the kernel kept completing connects to a full queue");
        InetAddress other = otherLoopback();
        try (ServerSocket answering = new ServerSocket(silent.port(), 50, other)) {
          Resolver dual = StaticResolver.empty().with("dual.test", silent.port(), V4, other);
          ConnectOptions options =
              ConnectOptions.builder()
                  .resolver(dual)
                  .socket(SocketOptions.defaults().withAttemptDelay(delay))
                  .build();
          long start = System.nanoTime();
          try (TcpTransport t =
              (TcpTransport)
                  new TcpTransportProvider()
                      .open(
                          TcpTransportTest.context(
                              "dual.test", silent.port(), options, Duration.ofSeconds(10)))) {
            long tookMillis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf(
                "happy eyeballs: delay %d ms, connected to %s after %d ms%n",
                delay.toMillis(), t.remoteAddress(), tookMillis);
            assertEquals(new InetSocketAddress(other, silent.port()), t.remoteAddress());
            assertTrue(answering.isBound());
            long delayMillis = delay.toMillis();
            assertTrue(tookMillis >= delayMillis - 20, "started early: " + tookMillis + " ms");
            assertTrue(tookMillis < delayMillis + 1_500, "took " + tookMillis + " ms");
          }
        }
      }
    }
  }

  @Test
  void aRefusalStartsTheNextAttemptWithoutWaitingForTheDelay() throws Exception {
    InetAddress other = otherLoopback();
    try (ServerSocket answering = new ServerSocket(0, 50, V4)) {
      int port = answering.getLocalPort();
      // Nothing listens on the other address at this port: it refuses at once.
      Resolver table = StaticResolver.empty().with("dual.test", port, other, V4);
      ConnectOptions options =
          ConnectOptions.builder()
              .resolver(table)
              .socket(SocketOptions.defaults().withAttemptDelay(Duration.ofSeconds(2)))
              .build();
      long start = System.nanoTime();
      try (TcpTransport t = open("dual.test", port, options)) {
        long tookMillis = (System.nanoTime() - start) / 1_000_000;
        assertEquals(new InetSocketAddress(V4, port), t.remoteAddress());
        assertTrue(tookMillis < 1_500, "waited for the delay: " + tookMillis + " ms");
      }
    }
  }

  /**
   * The deadline leaves the second attempt (due after 100 ms) far more time than it needs: with 600
   * ms, a loaded machine once passed the deadline before starting it ("[::1] (not tried)").
   */
  @Test
  void everyAddressSilentIsAConnectTimeoutNamingThemAll() throws Exception {
    InetAddress other = otherLoopback();
    try (AcceptQueueFiller first = AcceptQueueFiller.fill(V4);
        AcceptQueueFiller second = AcceptQueueFiller.fill(other, first.port())) {
      assumeTrue(first.dropsSyns && second.dropsSyns, "the kernel kept completing connects");
      Resolver dual = StaticResolver.empty().with("dual.test", first.port(), V4, other);
      ConnectOptions options =
          ConnectOptions.builder()
              .resolver(dual)
              .socket(SocketOptions.defaults().withAttemptDelay(Duration.ofMillis(100)))
              .build();
      long start = System.nanoTime();
      TransportException e =
          assertThrows(
              TransportException.class,
              () ->
                  new TcpTransportProvider()
                      .open(
                          TcpTransportTest.context(
                              "dual.test", first.port(), options, Duration.ofSeconds(2))));
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(TransportException.Reason.CONNECT_TIMEOUT, e.reason(), e.getMessage());
      assertTrue(e.getMessage().contains("127.0.0.1 (no answer"), e.getMessage());
      assertTrue(
          e.getMessage().contains(TcpTransport.literal(other) + " (no answer"), e.getMessage());
      assertTrue(tookMillis >= 1_950 && tookMillis < 5_000, "took " + tookMillis + " ms");
    }
  }

  @Test
  void aRefusalIsKnownByItsTypeNotItsText() {
    assertTrue(HappyEyeballs.isRefusal(new ConnectException("Connection refused")));
    assertTrue(HappyEyeballs.isRefusal(new ConnectException("Verbindungsaufbau abgelehnt")));
    assertFalse(HappyEyeballs.isRefusal(new NoRouteToHostException("Connection refused")));
    assertFalse(HappyEyeballs.isRefusal(new SocketTimeoutException("refused")));
    assertFalse(HappyEyeballs.isRefusal(new IOException("Connection refused")));
  }

  @Test
  void ordersAddressesByFamilyAlternately() throws Exception {
    InetAddress a6 = InetAddress.getByName("2001:db8::1");
    InetAddress b6 = InetAddress.getByName("2001:db8::2");
    InetAddress a4 = InetAddress.getByName("192.0.2.1");
    InetAddress b4 = InetAddress.getByName("192.0.2.2");
    assertEquals(List.of(a6, a4, b6, b4), HappyEyeballs.interleave(List.of(a6, b6, a4, b4)));
    assertEquals(List.of(a4, a6, b4, b6), HappyEyeballs.interleave(List.of(a4, b4, a6, b6)));
    assertEquals(List.of(a4, a6, b6), HappyEyeballs.interleave(List.of(a4, a6, b6)));
    assertEquals(List.of(a4, b4), HappyEyeballs.interleave(List.of(a4, b4)));
  }

  @Test
  void refusedByEveryAddressNamesThemAll() throws Exception {
    InetAddress other = otherLoopback();
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, V4)) {
      port = s.getLocalPort();
    }
    Resolver dual = StaticResolver.empty().with("dual.test", port, other, V4);
    TransportException e =
        assertThrows(
            TransportException.class,
            () -> open("dual.test", port, ConnectOptions.builder().resolver(dual).build()));
    assertEquals(TransportException.Reason.CONNECTION_REFUSED, e.reason(), e.getMessage());
    assertTrue(e.getMessage().contains("127.0.0.1 (ConnectException"), e.getMessage());
    assertTrue(e.getMessage().contains(TcpTransport.literal(other)), e.getMessage());
  }

  @Test
  void literalsNeverReachTheResolver() throws Exception {
    Resolver refusing =
        (h, p) -> {
          throw new UnknownHostException("asked for " + h);
        };
    ConnectOptions options = ConnectOptions.builder().resolver(refusing).build();
    try (ServerSocket server = new ServerSocket(0, 50, V4);
        TcpTransport t = open("127.0.0.1", server.getLocalPort(), options)) {
      assertEquals(V4, t.remoteAddress().getAddress());
    }
  }

  @Test
  void socketOptionsAreSetOnTheSocket() throws Exception {
    SocketOptions socket =
        SocketOptions.defaults()
            .withTcpNoDelay(false)
            .withKeepAlive(true)
            .withBufferSizes(64 * 1024, 32 * 1024)
            .withLocalAddress(V4);
    ConnectOptions options = ConnectOptions.builder().socket(socket).build();
    try (ServerSocket server = new ServerSocket(0, 50, V4);
        TcpTransport t = open("127.0.0.1", server.getLocalPort(), options)) {
      SocketChannel ch = (SocketChannel) t.selectableChannel().orElseThrow();
      assertFalse(ch.getOption(StandardSocketOptions.TCP_NODELAY));
      assertTrue(ch.getOption(StandardSocketOptions.SO_KEEPALIVE));
      // The kernel may round (Linux doubles): at least what was asked.
      assertTrue(ch.getOption(StandardSocketOptions.SO_RCVBUF) >= 64 * 1024);
      assertTrue(ch.getOption(StandardSocketOptions.SO_SNDBUF) >= 32 * 1024);
      assertEquals(V4, ((InetSocketAddress) ch.getLocalAddress()).getAddress());
    }
  }

  @Test
  void socketOptionsRejectNonsense() {
    assertThrows(
        IllegalArgumentException.class,
        () -> SocketOptions.defaults().withAttemptDelay(Duration.ZERO));
    assertThrows(
        IllegalArgumentException.class, () -> SocketOptions.defaults().withBufferSizes(-1, 0));
    SocketOptions d = SocketOptions.defaults();
    assertEquals(Duration.ofMillis(250), d.attemptDelay());
    assertTrue(d.tcpNoDelay());
    assertFalse(d.keepAlive());
  }

  /** A loopback address other than 127.0.0.1 that can listen: ::1, else 127.0.0.2. */
  private static InetAddress otherLoopback() {
    if (V6 != null && TcpTransportTest.canBind(V6)) {
      return V6;
    }
    InetAddress two = TcpTransportTest.loopback("127.0.0.2");
    assumeTrue(
        two != null && TcpTransportTest.canBind(two), "neither ::1 nor 127.0.0.2 can listen here");
    return two;
  }

  private static TcpTransport open(String host, int port, ConnectOptions options)
      throws TransportException {
    return (TcpTransport)
        new TcpTransportProvider()
            .open(TcpTransportTest.context(host, port, options, Duration.ofSeconds(5)));
  }
}
