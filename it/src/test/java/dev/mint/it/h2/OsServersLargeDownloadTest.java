// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.HttpConnection;
import dev.mint.it.BoundedHeap;
import dev.mint.it.servers.NeedsOsServers;
import dev.mint.it.servers.OsServers;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code /big.bin} (1 GiB of zeros) from nginx and nghttpd over HTTP/2, TLS and h2c, through a heap
 * of 64 MiB (the {@code bounded_heap} surefire execution): the client counts the bytes and keeps a
 * running CRC-32.
 */
@NeedsOsServers({
  OsServers.NGINX_TLS,
  OsServers.NGINX_H2C,
  OsServers.NGHTTPD_TLS,
  OsServers.NGHTTPD_H2C
})
@Tag("os_servers")
@Tag("bounded_heap")
@Timeout(180)
class OsServersLargeDownloadTest {
  private static long expectedCrc;

  @BeforeAll
  static void expectedCrc() {
    expectedCrc = BodyPattern.zerosCrc32(ServedDocuments.BIG_BIN_LENGTH);
  }

  @Test
  void runsInABoundedHeap() {
    BoundedHeap.assertInEffect();
  }

  @ParameterizedTest
  @EnumSource(OsH2Endpoint.class)
  void oneGib(OsH2Endpoint endpoint) throws Exception {
    try (HttpConnection conn = endpoint.connect()) {
      Responses.Received r = JettyLargeDownloadTest.download(conn, "/big.bin");
      assertEquals(200, r.status());
      assertTrue(r.headers().get("server").startsWith(endpoint.server), r.headers().toString());
      assertEquals(
          Long.toString(ServedDocuments.BIG_BIN_LENGTH), r.headers().get("content-length"));
      assertEquals(ServedDocuments.BIG_BIN_LENGTH, r.length());
      assertEquals(expectedCrc, r.crc32(), "CRC-32 of the body");
      assertTrue(conn.isOpen());
    }
  }
}
