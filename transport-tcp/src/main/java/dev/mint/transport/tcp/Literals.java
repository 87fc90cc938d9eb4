// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tcp;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Address literals, recognised without asking a resolver. */
final class Literals {
  private Literals() {}

  /**
   * The address {@code host} spells, or null when it is a name: a dotted-quad IPv4 literal, or an
   * IPv6 literal (any host with a colon, which no name has; a zone id after {@code %} allowed).
   *
   * @throws UnknownHostException when it looks like a literal but is not a valid one
   */
  static InetAddress parse(String host) throws UnknownHostException {
    if (host.indexOf(':') >= 0 || isDottedQuad(host)) {
      // A literal: getByName parses it without a lookup.
      return InetAddress.getByName(host);
    }
    return null;
  }

  private static boolean isDottedQuad(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return false;
      }
    }
    return true;
  }
}
