// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import dev.mint.HttpException;
import dev.mint.HttpException.Reason;
import dev.mint.spi.FieldRules;

/**
 * The forms of a request target (RFC 9112 §3.2) and the {@code host} each implies: what {@link
 * RequestWriter} checks of a target beyond its bytes. Stateless.
 */
final class RequestTarget {
  private RequestTarget() {}

  /**
   * The forms of RFC 9112 §3.2: authority-form {@code host:port} for CONNECT and only for it
   * (§3.2.3; the port is required, RFC 9110 §9.3.6); otherwise origin-form {@code /path?query}
   * (§3.2.1), absolute-form {@code scheme://authority...} (§3.2.2; an absolute URI without an
   * authority has no use in HTTP), or asterisk-form {@code *} for OPTIONS only (§3.2.4). No form
   * holds a fragment: the client strips it from the URI.
   */
  static void checkForm(String method, String target, boolean connect) throws HttpException {
    if (connect) {
      if (!isAuthorityForm(target)) {
        throw HttpException.caller(
            Reason.INVALID_TARGET,
            "CONNECT takes an authority-form target, host:port with the port (RFC 9112 §3.2.3),"
                + " got '"
                + FieldRules.printable(target)
                + "'");
      }
      return;
    }
    int hash = target.indexOf('#');
    if (hash >= 0) {
      throw HttpException.caller(
          Reason.INVALID_TARGET,
          "the request target holds a fragment at index "
              + hash
              + "; a fragment is never sent (RFC 9112 §3.2)");
    }
    if (target.charAt(0) == '/') {
      return;
    }
    if (target.equals("*")) {
      if (method.equals("OPTIONS")) {
        return;
      }
      throw HttpException.caller(
          Reason.INVALID_TARGET,
          "asterisk-form '*' is only for OPTIONS (RFC 9112 §3.2.4), not " + method);
    }
    String authority = absoluteAuthority(target);
    if (authority != null && !authority.isEmpty()) {
      return;
    }
    throw HttpException.caller(
        Reason.INVALID_TARGET,
        "'"
            + FieldRules.printable(target)
            + "' is none of origin-form (/path?query), absolute-form (scheme://authority/path),"
            + " asterisk-form (* for OPTIONS) or authority-form (host:port for CONNECT)"
            + " (RFC 9112 §3.2)");
  }

  /** RFC 9112 §3.2.3: {@code uri-host ":" port}, a host name, IPv4 or bracketed IPv6 literal. */
  private static boolean isAuthorityForm(String t) {
    int colon = t.lastIndexOf(':');
    int digits = t.length() - colon - 1;
    if (colon <= 0 || digits < 1 || digits > 5) {
      return false;
    }
    int port = 0;
    for (int i = colon + 1; i < t.length(); i++) {
      char c = t.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
      port = port * 10 + (c - '0');
    }
    if (port > 0xFFFF) {
      return false;
    }
    boolean bracketed = t.charAt(0) == '[';
    if (bracketed && (colon < 3 || t.charAt(colon - 1) != ']')) {
      return false;
    }
    int from = bracketed ? 1 : 0;
    int to = bracketed ? colon - 1 : colon;
    for (int i = from; i < to; i++) {
      char c = t.charAt(i);
      if (c == '/' || c == '?' || c == '#' || c == '@' || c == '[' || c == ']') {
        return false;
      }
      if (c == ':' && !bracketed) {
        return false;
      }
    }
    return true;
  }

  /**
   * The authority {@code host} must repeat for this target (RFC 9112 §3.2): the target itself in
   * authority-form (CONNECT), the URI's authority without userinfo in absolute-form; null for
   * origin-form and asterisk-form, whose authority is the connection's. A zone identifier is left
   * out (see {@link #withoutZone}).
   */
  static String authority(String target, boolean connect) {
    String authority = connect ? target : absoluteAuthority(target);
    return authority == null ? null : withoutZone(authority);
  }

  /**
   * The authority of an absolute-form target, {@code scheme "://" authority ...}, without userinfo
   * (RFC 3986 §3.2); null when the target has no scheme and authority.
   */
  private static String absoluteAuthority(String t) {
    int colon = schemeEnd(t);
    if (colon < 0 || !t.startsWith("//", colon + 1)) {
      return null;
    }
    int start = colon + 3;
    int end = start;
    while (end < t.length() && "/?#".indexOf(t.charAt(end)) < 0) {
      end++;
    }
    int at = t.lastIndexOf('@', end - 1);
    if (at >= start) {
      start = at + 1;
    }
    return t.substring(start, end);
  }

  /** The index of the colon ending a scheme (RFC 3986 §3.1) at the start of {@code t}, or -1. */
  private static int schemeEnd(String t) {
    for (int i = 0; i < t.length(); i++) {
      char c = t.charAt(i);
      boolean alpha = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
      if (c == ':' && i > 0) {
        return i;
      }
      if (!alpha && (i == 0 || !(c >= '0' && c <= '9' || c == '+' || c == '-' || c == '.'))) {
        return -1;
      }
    }
    return -1;
  }

  /**
   * RFC 6874 §4: a zone identifier ({@code %eth0} in {@code [fe80::1%eth0]}) means something only
   * on the sending host, and a client MUST remove it from what it sends.
   */
  static String withoutZone(String authority) {
    if (!authority.startsWith("[")) {
      return authority;
    }
    int zone = authority.indexOf('%');
    int close = authority.indexOf(']');
    return zone > 0 && close > zone
        ? authority.substring(0, zone) + authority.substring(close)
        : authority;
  }
}
