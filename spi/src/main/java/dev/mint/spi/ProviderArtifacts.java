// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The Maven artifacts that bring the transports and protocols Mint ships, so that an error about a
 * missing provider says what to add rather than only what is missing.
 */
final class ProviderArtifacts {
  /** The one artifact that brings every transport and protocol below. */
  static final String ALL = "mint-all";

  private static final Map<String, String> TRANSPORTS =
      Map.of(
          "tcp", "mint-transport-tcp",
          "tls", "mint-transport-tls",
          "http-connect", "mint-proxy",
          "socks5", "mint-proxy");

  private static final Map<String, String> PROTOCOLS =
      Map.of("http/1.1", "mint-protocol-h1", "h2", "mint-protocol-h2");

  private ProviderArtifacts() {}

  /** What to add to the class or module path for the transport named {@code name}. */
  static String forTransport(String name) {
    return advice(TRANSPORTS, List.of(name));
  }

  /** What to add to the class or module path for the protocols of these ALPN ids. */
  static String forProtocols(Collection<String> alpnIds) {
    return advice(PROTOCOLS, alpnIds);
  }

  private static String advice(Map<String, String> artifactByKey, Collection<String> keys) {
    List<String> artifacts = new ArrayList<>();
    for (String key : keys) {
      String artifact = artifactByKey.get(key);
      if (artifact == null) {
        return "add the module that provides it to the class or module path";
      }
      if (!artifacts.contains(artifact)) {
        artifacts.add(artifact);
      }
    }
    return "add "
        + String.join(" and ", artifacts)
        + " (or "
        + ALL
        + ", which brings them all) to the class or module path";
  }
}
