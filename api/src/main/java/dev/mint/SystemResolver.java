// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;

/** {@link InetAddress#getAllByName} as a {@link Resolver}: blocking, see {@link Resolver}. */
final class SystemResolver implements Resolver {
  static final SystemResolver INSTANCE = new SystemResolver();

  private SystemResolver() {}

  @Override
  public List<InetAddress> resolve(String host, int port) throws UnknownHostException {
    return Arrays.asList(InetAddress.getAllByName(host));
  }

  @Override
  public String toString() {
    return "Resolver.system()";
  }
}
