// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mode;
import dev.mint.RequestBody;
import dev.mint.it.BoundedHeap;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A 1 GiB HTTP/2 response from embedded Jetty, over TLS and over h2c, passes through a heap of 64
 * MiB (the {@code bounded_heap} surefire execution of it/pom.xml): the client counts the bytes and
 * keeps a running CRC-32, and HTTP/2 flow control keeps what is in flight bounded. Jetty runs in
 * the same heap, so the whole exchange must be streaming on both ends.
 */
@Tag("bounded_heap")
@Timeout(180)
class JettyLargeDownloadTest {
  static final long ONE_GIB = 1L << 30;

  private static JettyH2Server server;
  private static long expectedCrc;

  @BeforeAll
  static void start() throws Exception {
    server = JettyH2Server.builder().start();
    expectedCrc = BodyPattern.crc32(ONE_GIB);
  }

  @AfterAll
  static void stop() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void runsInABoundedHeap() {
    BoundedHeap.assertInEffect();
  }

  @ParameterizedTest
  @EnumSource(JettyH2Test.Via.class)
  void oneGib(JettyH2Test.Via via) throws Exception {
    try (HttpConnection conn = JettyH2Test.connect(via, server, Mode.PASSIVE)) {
      Responses.Received r = download(conn, "/stream?n=" + ONE_GIB);
      assertEquals(200, r.status());
      assertEquals(Long.toString(ONE_GIB), r.headers().get("content-length"));
      assertEquals(ONE_GIB, r.length());
      assertEquals(expectedCrc, r.crc32(), "CRC-32 of the body");
      assertTrue(conn.isOpen());
    }
  }

  /** Downloads {@code target} counting and checksumming, keeping no body byte. */
  static Responses.Received download(HttpConnection conn, String target) throws Exception {
    Responses.Received r =
        new Responses(false)
            .exchange(
                conn, "GET", target, Headers.empty(), RequestBody.none(), Duration.ofSeconds(150));
    // A part never holds more than one DATA frame's payload (our SETTINGS_MAX_FRAME_SIZE).
    assertTrue(r.largestPart() <= 16_384, "largest part " + r.largestPart());
    return r;
  }
}
