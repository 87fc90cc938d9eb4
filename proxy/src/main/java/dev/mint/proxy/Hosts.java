// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Host names and IP literals as the proxy layers need them, never asking DNS. Stateless. */
final class Hosts {
  private static final Pattern IPV4 =
      Pattern.compile(
          "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");

  /** Characters an IPv6 literal may hold: hex digits, colons, an embedded IPv4's dots. */
  private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]+");

  private Hosts() {}

  static String stripBrackets(String host) {
    return host.length() > 1 && host.startsWith("[") && host.endsWith("]")
        ? host.substring(1, host.length() - 1)
        : host;
  }

  /**
   * The address an IPv4 or IPv6 literal names (brackets and an IPv6 zone id allowed), or {@code
   * null} for anything else, which is then a name. Never resolves.
   */
  static InetAddress literal(String host) {
    String h = stripBrackets(host);
    int zone = h.indexOf('%');
    String bare = zone >= 0 ? h.substring(0, zone) : h;
    boolean v4 = IPV4.matcher(bare).matches();
    boolean v6 = !v4 && bare.indexOf(':') >= 0 && IPV6_CHARS.matcher(bare).matches();
    if (!v4 && !v6) {
      return null;
    }
    try {
      // A string of these characters is parsed as a literal by the JDK, never looked up.
      return InetAddress.getByName(bare);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** The form used for matching: lower case, no brackets, no trailing root dot. */
  static String normalize(String host) {
    String h = stripBrackets(host.strip()).toLowerCase(Locale.ROOT);
    return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
  }
}
