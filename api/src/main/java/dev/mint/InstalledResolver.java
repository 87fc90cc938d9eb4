// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.stream.Collectors;

/**
 * {@link Resolver#installed()}: the one {@link Resolver} installed through {@link ServiceLoader},
 * else {@link Resolver#system()}. The lookup runs once, on the first name resolved, and its result
 * is kept; it never runs when every connect sets a resolver of its own.
 */
final class InstalledResolver implements Resolver {
  static final InstalledResolver INSTANCE = new InstalledResolver();

  private InstalledResolver() {}

  @Override
  public List<InetAddress> resolve(String host, int port) throws UnknownHostException {
    return Found.RESOLVER.resolve(host, port);
  }

  /**
   * What the installed providers make: none, the JDK's resolver; one, that one; several, a resolver
   * that fails every name saying which are installed, since no order among them would be the
   * caller's choice.
   */
  static Resolver choose(List<Resolver> found) {
    if (found.isEmpty()) {
      return Resolver.system();
    }
    if (found.size() == 1) {
      return found.get(0);
    }
    String names =
        found.stream().map(r -> r.getClass().getName()).collect(Collectors.joining(", "));
    return failing(
        "several resolvers are installed through ServiceLoader ("
            + names
            + "); keep one, or choose with ConnectOptions.Builder.resolver");
  }

  /** A resolver that fails every name with {@code why}. */
  static Resolver failing(String why) {
    return (host, port) -> {
      throw new UnknownHostException(why);
    };
  }

  @Override
  public String toString() {
    return "Resolver.installed()";
  }

  /** Looks the providers up when first used (class initialization is the only lazy step). */
  private static final class Found {
    static final Resolver RESOLVER = find();

    private static Resolver find() {
      try {
        return choose(
            ServiceLoader.load(Resolver.class, Resolver.class.getClassLoader()).stream()
                .map(ServiceLoader.Provider::get)
                .toList());
      } catch (ServiceConfigurationError e) {
        return failing("an installed resolver could not be loaded: " + e.getMessage());
      }
    }

    private Found() {}
  }
}
