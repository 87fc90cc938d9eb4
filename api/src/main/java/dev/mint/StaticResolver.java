// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A {@link Resolver} over a fixed table, like curl's {@code --resolve host:port:addr}: "resolve
 * example.com on port 443 to 127.0.0.1". An entry is for one port, or for any port ({@link
 * #ANY_PORT}); a port-specific entry wins. A name without an entry goes to the fallback, which by
 * default fails with {@link UnknownHostException} (so a test never reaches the network by
 * accident); {@link #orElse} sets another, such as {@link Resolver#system()}.
 *
 * <p>Host names match without regard to case. Immutable and thread-safe; never blocks unless its
 * fallback does.
 */
public final class StaticResolver implements Resolver {
  /** The port of an entry that holds for every port. */
  public static final int ANY_PORT = -1;

  private final Map<String, List<InetAddress>> entries;
  private final Resolver fallback;

  private StaticResolver(Map<String, List<InetAddress>> entries, Resolver fallback) {
    this.entries = entries;
    this.fallback = fallback;
  }

  /** A table with no entries and no fallback: every name fails to resolve. */
  public static StaticResolver empty() {
    return new StaticResolver(Map.of(), null);
  }

  /**
   * This table plus an entry: {@code host} on {@code port} ({@link #ANY_PORT} for every port)
   * resolves to {@code addresses}, in this order. Replaces an entry for the same host and port.
   *
   * @throws IllegalArgumentException when no address is given or the port is out of range
   */
  public StaticResolver with(String host, int port, InetAddress... addresses) {
    Objects.requireNonNull(host, "host");
    if (addresses.length == 0) {
      throw new IllegalArgumentException("an entry for " + host + " needs at least one address");
    }
    if (port != ANY_PORT && (port < 0 || port > 0xFFFF)) {
      throw new IllegalArgumentException("port out of range: " + port);
    }
    Map<String, List<InetAddress>> copy = new LinkedHashMap<>(entries);
    copy.put(key(host, port), List.of(addresses));
    return new StaticResolver(Map.copyOf(copy), fallback);
  }

  /** This table, asking {@code fallback} for the names it has no entry for. */
  public StaticResolver orElse(Resolver fallback) {
    return new StaticResolver(entries, Objects.requireNonNull(fallback, "fallback"));
  }

  @Override
  public List<InetAddress> resolve(String host, int port) throws UnknownHostException {
    List<InetAddress> exact = entries.get(key(host, port));
    if (exact != null) {
      return exact;
    }
    List<InetAddress> any = entries.get(key(host, ANY_PORT));
    if (any != null) {
      return any;
    }
    if (fallback != null) {
      return fallback.resolve(host, port);
    }
    throw new UnknownHostException(host + ": no entry in the static resolver");
  }

  private static String key(String host, int port) {
    return host.toLowerCase(Locale.ROOT) + ":" + port;
  }

  @Override
  public String toString() {
    List<String> shown = new ArrayList<>(entries.keySet());
    return "StaticResolver" + shown + (fallback == null ? "" : " else " + fallback);
  }
}
