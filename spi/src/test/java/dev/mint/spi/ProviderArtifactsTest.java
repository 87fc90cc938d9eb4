// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProviderArtifactsTest {
  @Test
  void namesTheArtifactOfEachShippedTransport() {
    assertEquals(
        "add mint-transport-tcp (or mint-all, which brings them all) to the class or module path",
        ProviderArtifacts.forTransport("tcp"));
    assertEquals(
        "add mint-transport-tls (or mint-all, which brings them all) to the class or module path",
        ProviderArtifacts.forTransport("tls"));
    assertEquals(
        "add mint-proxy (or mint-all, which brings them all) to the class or module path",
        ProviderArtifacts.forTransport("socks5"));
    assertEquals(
        "add mint-proxy (or mint-all, which brings them all) to the class or module path",
        ProviderArtifacts.forTransport("http-connect"));
  }

  @Test
  void namesTheArtifactsOfSeveralProtocolsOnce() {
    assertEquals(
        "add mint-protocol-h1 and mint-protocol-h2 (or mint-all, which brings them all) to the"
            + " class or module path",
        ProviderArtifacts.forProtocols(List.of("http/1.1", "h2", "h2")));
  }

  @Test
  void aKeyMintDoesNotShipGetsGeneralAdvice() {
    assertEquals(
        "add the module that provides it to the class or module path",
        ProviderArtifacts.forTransport("quic"));
    assertEquals(
        "add the module that provides it to the class or module path",
        ProviderArtifacts.forProtocols(List.of("h2", "h3")));
  }
}
