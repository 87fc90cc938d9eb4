// SPDX-License-Identifier: Apache-2.0
package dev.mint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.Mode;
import dev.mint.Resolver;
import dev.mint.Scheme;
import dev.mint.StaticResolver;
import dev.mint.TransportException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A {@link Resolver} installed through {@code ServiceLoader} ({@link LoopbackNameResolver}, named
 * in this module's {@code META-INF/services/dev.mint.Resolver}) resolves for every connect that
 * sets no resolver of its own, and one set in the options wins over it.
 */
@Timeout(30)
class InstalledResolverTest {
  private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

  @Test
  void theInstalledResolverIsTheDefault() throws Exception {
    assertEquals(
        List.of(InetAddress.getByAddress(new byte[] {127, 0, 0, 1})),
        Resolver.installed().resolve(LoopbackNameResolver.NAME, 80));
    try (ServerSocket server = new ServerSocket(0, 8, LOOPBACK);
        HttpConnection conn =
            Mint.connect(
                Scheme.HTTP,
                LoopbackNameResolver.NAME,
                server.getLocalPort(),
                ConnectOptions.builder().mode(Mode.PASSIVE).build())) {
      InetSocketAddress peer = (InetSocketAddress) conn.peerAddress().orElseThrow();
      assertEquals(server.getLocalPort(), peer.getPort());
      assertTrue(peer.getAddress().isLoopbackAddress(), peer.toString());
    }
  }

  @Test
  void aResolverInTheOptionsWinsOverTheInstalledOne() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 8, LOOPBACK)) {
      int port = server.getLocalPort();
      ConnectOptions elsewhere =
          ConnectOptions.builder()
              .mode(Mode.PASSIVE)
              .resolver(StaticResolver.empty().with("other.test", port, LOOPBACK))
              .build();
      TransportException e =
          assertThrows(
              TransportException.class,
              () -> Mint.connect(Scheme.HTTP, LoopbackNameResolver.NAME, port, elsewhere));
      assertEquals(TransportException.Reason.UNRESOLVED_HOST, e.reason(), e.getMessage());
      try (HttpConnection conn = Mint.connect(Scheme.HTTP, "other.test", port, elsewhere)) {
        assertEquals(
            Optional.of(new InetSocketAddress(LOOPBACK, port)),
            conn.peerAddress().map(InetSocketAddress.class::cast));
      }
    }
  }
}
