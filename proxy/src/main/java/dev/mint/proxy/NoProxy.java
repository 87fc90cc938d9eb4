// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hosts to reach without a proxy: a {@code NO_PROXY} list, or the JVM's {@code
 * http.nonProxyHosts} patterns. Immutable and thread-safe; matching never asks DNS.
 *
 * <p>{@code NO_PROXY} ({@link #parseEnvironment}), as curl and Go read it: entries separated by
 * commas (and spaces), matched without regard to case:
 *
 * <ul>
 *   <li>{@code *} alone: every host;
 *   <li>a domain, with or without a leading dot (or {@code *.}): that name and every name under it
 *       ({@code example.com} and {@code .example.com} both match {@code example.com} and {@code
 *       www.example.com}, never {@code badexample.com});
 *   <li>an IPv4 or IPv6 literal (IPv6 with or without brackets): that address, however it is
 *       written; with {@code /bits}, every address of that CIDR block;
 *   <li>any of these with {@code :port} (IPv6 in brackets then): only connections to that port.
 * </ul>
 *
 * <p>{@code http.nonProxyHosts} ({@link #parseJvm}), as the JDK reads it: patterns separated by
 * {@code |}, each matching the whole host, with {@code *} as a wildcard at its start or end ({@code
 * *.example.com}, {@code 192.168.*}); brackets around IPv6 literals are ignored.
 */
final class NoProxy {
  /** One entry; {@code port} 0 means any port. */
  private interface Rule {
    boolean matches(String host, InetAddress address, int port);
  }

  private static final NoProxy NONE = new NoProxy(List.of());

  private final List<Rule> rules;

  private NoProxy(List<Rule> rules) {
    this.rules = List.copyOf(rules);
  }

  /** Matches nothing. */
  static NoProxy none() {
    return NONE;
  }

  /** The rules of a {@code NO_PROXY} value; {@code null} or blank matches nothing. */
  static NoProxy parseEnvironment(String value) {
    if (value == null || value.isBlank()) {
      return NONE;
    }
    List<Rule> rules = new ArrayList<>();
    for (String raw : value.split("[,\\s]+")) {
      String entry = raw.strip();
      if (!entry.isEmpty()) {
        rules.add(environmentRule(entry));
      }
    }
    return new NoProxy(rules);
  }

  /** The rules of an {@code http.nonProxyHosts} value; {@code null} or blank matches nothing. */
  static NoProxy parseJvm(String value) {
    if (value == null || value.isBlank()) {
      return NONE;
    }
    List<Rule> rules = new ArrayList<>();
    for (String raw : value.split("\\|")) {
      String pattern = Hosts.normalize(raw);
      if (!pattern.isEmpty()) {
        rules.add(globRule(pattern));
      }
    }
    return new NoProxy(rules);
  }

  /**
   * Whether a connection to {@code host} (a name or literal, brackets allowed) and {@code port}
   * goes direct.
   */
  boolean matches(String host, int port) {
    if (rules.isEmpty()) {
      return false;
    }
    String h = Hosts.normalize(host);
    InetAddress address = Hosts.literal(h);
    for (Rule rule : rules) {
      if (rule.matches(h, address, port)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return "NoProxy[" + rules.size() + " rules]";
  }

  // ---- NO_PROXY entries ----

  private static Rule environmentRule(String entry) {
    if (entry.equals("*")) {
      return (host, address, port) -> true;
    }
    String text = entry.toLowerCase(Locale.ROOT);
    int port = 0;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close > 0 && text.startsWith(":", close + 1)) {
        port = parsePort(text.substring(close + 2));
        text = text.substring(0, close + 1);
      }
    } else if (text.indexOf(':') == text.lastIndexOf(':') && text.indexOf(':') > 0) {
      int colon = text.indexOf(':'); // one colon: host:port (an IPv6 literal has several)
      port = parsePort(text.substring(colon + 1));
      text = text.substring(0, colon);
    }
    if (port < 0) {
      return (host, address, p) -> false; // a malformed port: the entry matches nothing
    }
    return withPort(port, addressOrDomain(Hosts.stripBrackets(text)));
  }

  private static Rule addressOrDomain(String text) {
    int slash = text.indexOf('/');
    InetAddress literal = Hosts.literal(slash >= 0 ? text.substring(0, slash) : text);
    if (literal != null && slash >= 0) {
      int bits = parsePort(text.substring(slash + 1)); // digits, like a port
      if (bits < 0 || bits > literal.getAddress().length * 8) {
        return (host, address, p) -> false;
      }
      return (host, address, p) -> address != null && inBlock(literal, bits, address);
    }
    if (literal != null) {
      return (host, address, p) -> literal.equals(address);
    }
    String domain = Hosts.normalize(stripWildcard(text));
    if (domain.isEmpty()) {
      return (host, address, p) -> false;
    }
    return (host, address, p) -> host.equals(domain) || host.endsWith("." + domain);
  }

  private static String stripWildcard(String text) {
    if (text.startsWith("*.")) {
      return text.substring(2);
    }
    return text.startsWith(".") ? text.substring(1) : text;
  }

  private static Rule withPort(int port, Rule rule) {
    return port == 0 ? rule : (host, address, p) -> p == port && rule.matches(host, address, p);
  }

  /** Decimal digits as a number up to 65535, or -1. */
  private static int parsePort(String s) {
    if (s.isEmpty() || s.length() > 5 || !s.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    int n = Integer.parseInt(s);
    return n > 0xFFFF ? -1 : n;
  }

  /** Whether {@code address} is in the block of {@code network}'s first {@code bits} bits. */
  private static boolean inBlock(InetAddress network, int bits, InetAddress address) {
    byte[] n = network.getAddress();
    byte[] a = address.getAddress();
    if (n.length != a.length) {
      return false;
    }
    for (int i = 0; i < bits; i++) {
      int mask = 0x80 >>> (i % 8);
      if ((n[i / 8] & mask) != (a[i / 8] & mask)) {
        return false;
      }
    }
    return true;
  }

  // ---- http.nonProxyHosts patterns ----

  private static Rule globRule(String pattern) {
    if (pattern.equals("*")) {
      return (host, address, port) -> true;
    }
    boolean leading = pattern.startsWith("*");
    boolean trailing = pattern.endsWith("*");
    String core = pattern.substring(leading ? 1 : 0, pattern.length() - (trailing ? 1 : 0));
    if (leading && trailing) {
      return (host, address, port) -> host.contains(core);
    }
    if (leading) {
      return (host, address, port) -> host.endsWith(core);
    }
    if (trailing) {
      return (host, address, port) -> host.startsWith(core);
    }
    InetAddress literal = Hosts.literal(core);
    return literal != null
        ? (host, address, port) -> literal.equals(address) || host.equals(core)
        : (host, address, port) -> host.equals(core);
  }
}
