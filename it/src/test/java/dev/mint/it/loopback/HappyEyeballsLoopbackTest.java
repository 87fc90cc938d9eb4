// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.RequestBody;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.SocketOptions;
import dev.mint.StaticResolver;
import dev.mint.transport.tcp.AcceptQueueFiller;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Happy Eyeballs (RFC 8305) through the public API: a name that resolves to an address that never
 * answers (127.0.0.1 with its accept queue full, where the kernel drops the SYNs) and then to one
 * that does (::1, or 127.0.0.2) connects within one attempt delay of the start, not the connect
 * timeout, and the connection works.
 */
@Timeout(30)
class HappyEyeballsLoopbackTest {
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  @Test
  void aSilentFirstAddressCostsOneAttemptDelay() throws Exception {
    InetAddress answering = otherLoopback();
    try (ScriptedServer server =
            new ScriptedServer(
                new InetSocketAddress(answering, 0),
                (socket, in, out) -> {
                  ScriptedServer.readHead(in);
                  out.write(ScriptedServer.response(200, "via the second address"));
                  out.flush();
                  ScriptedServer.awaitClose(in);
                });
        AcceptQueueFiller silent =
            AcceptQueueFiller.fill(InetAddress.getByName("127.0.0.1"), server.port())) {
      assumeTrue(silent.dropsSyns, "the kernel kept completing connects to a full accept queue");
      warmUp(server.port(), answering);
      for (Duration delay : new Duration[] {Duration.ofMillis(250), Duration.ofMillis(100)}) {
        connectsWithinOneDelay(server.port(), answering, delay);
      }
    }
  }

  private static void connectsWithinOneDelay(int port, InetAddress answering, Duration delay)
      throws Exception {
    ConnectOptions options =
        ConnectOptions.builder()
            .mode(Mode.PASSIVE)
            .connectTimeout(CONNECT_TIMEOUT)
            .resolver(
                StaticResolver.empty()
                    .with("dual.test", port, InetAddress.getByName("127.0.0.1"), answering))
            .socket(SocketOptions.defaults().withAttemptDelay(delay))
            .build();
    long start = System.nanoTime();
    try (HttpConnection conn = Mint.connect(Scheme.HTTP, "dual.test", port, options)) {
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      System.out.printf(
          "happy eyeballs via Mint.connect: delay %d ms, connect timeout %d ms, connected in %d ms%n",
          delay.toMillis(), CONNECT_TIMEOUT.toMillis(), tookMillis);
      assertTrue(tookMillis >= delay.toMillis() - 20, "started early: " + tookMillis + " ms");
      assertTrue(tookMillis < delay.toMillis() + 1_500, "took " + tookMillis + " ms");
      assertEquals(
          Optional.of(new InetSocketAddress(answering, port)),
          conn.peerAddress().map(InetSocketAddress.class::cast));
      conn.request("GET", "/", Headers.empty(), RequestBody.none());
      assertEquals("200 via the second address", statusAndBody(conn));
    }
  }

  /**
   * One exchange with the answering address alone, untimed: it loads and compiles the connecting
   * path, so that the timed connects measure the attempt delay rather than a cold JVM (which took
   * over a second and a half on a loaded machine).
   */
  private static void warmUp(int port, InetAddress answering) throws Exception {
    ConnectOptions options =
        ConnectOptions.builder()
            .mode(Mode.PASSIVE)
            .connectTimeout(CONNECT_TIMEOUT)
            .resolver(StaticResolver.empty().with("warm.test", port, answering))
            .build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTP, "warm.test", port, options)) {
      conn.request("GET", "/", Headers.empty(), RequestBody.none());
      assertEquals("200 via the second address", statusAndBody(conn));
    }
  }

  /** The status and the body of the one response, as "STATUS BODY"; at most 100 receives. */
  private static String statusAndBody(HttpConnection conn) throws MintException {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      for (ResponsePart part : conn.recv(Duration.ofSeconds(5))) {
        if (part instanceof ResponsePart.Status s) {
          out.append(s.code()).append(' ');
        } else if (part instanceof ResponsePart.Data d) {
          out.append(d.bytes().utf8());
        } else if (part instanceof ResponsePart.Done) {
          return out.toString();
        }
      }
    }
    throw new AssertionError("no complete response in 100 receives: " + out);
  }

  /** ::1 where it can listen, else 127.0.0.2; skipped when neither can. */
  private static InetAddress otherLoopback() throws IOException {
    for (String candidate : new String[] {"::1", "127.0.0.2"}) {
      InetAddress address = InetAddress.getByName(candidate);
      try {
        new ServerSocket(0, 1, address).close();
        return address;
      } catch (IOException cannotListen) {
        // try the next one
      }
    }
    assumeTrue(false, "neither ::1 nor 127.0.0.2 can listen here");
    return null;
  }
}
