// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import dev.mint.HttpException;
import dev.mint.HttpException.Reason;
import dev.mint.spi.FieldRules;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The request target (RFC 9112 §3.2): its bytes, its forms, and the {@code host} each form implies,
 * as {@link RequestWriter} checks them. Stateless.
 */
final class RequestTarget {
  /**
   * RFC 9112 §3.2.3: {@code uri-host ":" port}, a host name, IPv4 or bracketed IPv6 literal, and a
   * port of one to five digits (its value is checked apart).
   */
  private static final Pattern AUTHORITY_FORM =
      Pattern.compile("(?:\\[[^/?#@\\[\\]]+\\]|[^/?#@\\[\\]:]+):([0-9]{1,5})");

  /**
   * RFC 3986 §3: {@code scheme "://" [ userinfo "@" ] authority}, the authority (group 1) ending at
   * the path, query or fragment; userinfo ends at the last {@code @}.
   */
  private static final Pattern ABSOLUTE_FORM =
      Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*://(?:[^/?#]*@)?([^/?#]*)");

  private RequestTarget() {}

  /**
   * RFC 9112 §3.2: the target must not split the request line. With validation on ({@code strict}),
   * only visible ASCII is allowed, and the target must have the form its method calls for ({@link
   * #checkForm}); with it off, CR, LF, NUL and SP are still refused (they would end the line or the
   * target) and characters beyond one byte cannot be encoded.
   */
  static void check(String method, String target, boolean connect, boolean strict)
      throws HttpException {
    int n = target.length();
    if (n == 0) {
      throw HttpException.caller(Reason.INVALID_TARGET, "the request target is empty");
    }
    for (int i = 0; i < n; i++) {
      char c = target.charAt(i);
      boolean bad =
          strict
              ? c <= 0x20 || c >= 0x7f
              : c == '\r' || c == '\n' || c == 0 || c == ' ' || c > 0xff;
      if (bad) {
        throw HttpException.caller(
            Reason.INVALID_TARGET,
            "invalid character %s in the request target at index %s"
                .formatted(c > 0xff ? "U+" + Integer.toHexString(c) : Grammar.hexByte(c), i));
      }
    }
    if (strict) {
      checkForm(method, target, connect);
    }
  }

  /**
   * The forms of RFC 9112 §3.2: authority-form {@code host:port} for CONNECT and only for it
   * (§3.2.3; the port is required, RFC 9110 §9.3.6); otherwise origin-form {@code /path?query}
   * (§3.2.1), absolute-form {@code scheme://authority...} (§3.2.2; an absolute URI without an
   * authority has no use in HTTP), or asterisk-form {@code *} for OPTIONS only (§3.2.4). No form
   * holds a fragment: the client strips it from the URI.
   */
  private static void checkForm(String method, String target, boolean connect)
      throws HttpException {
    if (connect) {
      Matcher m = AUTHORITY_FORM.matcher(target);
      if (!m.matches() || Integer.parseInt(m.group(1)) > 0xFFFF) {
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

  /** The authority {@link #ABSOLUTE_FORM} finds at the start of {@code t}, or null. */
  private static String absoluteAuthority(String t) {
    if (t.startsWith("/")) {
      return null; // origin-form, the usual case, without a matcher
    }
    Matcher m = ABSOLUTE_FORM.matcher(t);
    return m.lookingAt() ? m.group(1) : null;
  }

  /**
   * The target as a forwarding proxy needs it (RFC 9112 §3.2.2), for the origin {@code
   * scheme://authority}: absolute-form, so {@code /path?q} becomes {@code origin/path?q}, and
   * {@code OPTIONS *} becomes {@code OPTIONS origin} (§3.2.4: the last proxy turns the empty path
   * back into {@code *}). Targets in any other form pass unchanged: absolute-form is already what
   * the proxy needs, and {@link #check} refuses what is malformed.
   */
  static String forProxy(String origin, String method, String target) {
    if (Objects.requireNonNull(target, "target").startsWith("/")) {
      return origin + target;
    }
    return target.equals("*") && "OPTIONS".equals(method) ? origin : target;
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
