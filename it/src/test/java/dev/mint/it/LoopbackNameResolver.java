// SPDX-License-Identifier: Apache-2.0
package dev.mint.it;

import dev.mint.Resolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * A {@link Resolver} installed through {@code META-INF/services/dev.mint.Resolver} in this module's
 * test resources: {@value #NAME} is 127.0.0.1; every other name goes to the JDK's resolver, so the
 * other tests of the module resolve as they would without it. {@link InstalledResolverTest} uses
 * it.
 */
public final class LoopbackNameResolver implements Resolver {
  /** The one name this resolver answers itself. */
  public static final String NAME = "installed-resolver.test";

  /** For {@link java.util.ServiceLoader}. */
  public LoopbackNameResolver() {}

  @Override
  public List<InetAddress> resolve(String host, int port) throws UnknownHostException {
    if (host.equalsIgnoreCase(NAME)) {
      return List.of(InetAddress.getByAddress(NAME, new byte[] {127, 0, 0, 1}));
    }
    return Resolver.system().resolve(host, port);
  }
}
