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
  /** The one artifact that brings every transport and protocol below but the proxy tunnels. */
  static final String ALL = "mint-all";

  /** PROXY: once mint-all brings mint-proxy, the proxy tunnels need no exception in advice(). */
  private static final String PROXY = "mint-proxy";

  private static final Map<String, String> TRANSPORTS =
      Map.of(
          "tcp",
          "mint-transport-tcp",
          "tls",
          "mint-transport-tls",
          "http-connect",
          PROXY,
          "socks5",
          PROXY);

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
    String all = artifacts.contains(PROXY) ? "" : " (or " + ALL + ", which brings them all)";
    return "add " + String.join(" and ", artifacts) + all + " to the class or module path";
  }
}
