// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import dev.mint.Headers;
import dev.mint.ProxyOptions;
import dev.mint.ProxyResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The {@code -v} lines of a proxy exchange: the tunnel request as the proxy layer writes it (a
 * {@code CONNECT} head, or a SOCKS5 {@code CONNECT}), and the proxy's reply from {@link
 * ProxyResponse}. Credentials never show: a {@code proxy-authorization} value keeps its scheme and
 * loses the rest ({@code Basic ***}), a SOCKS5 password is not printed.
 */
final class ProxyTrace {
  /** The SOCKS5 reply codes of RFC 1928 §6, by value. */
  private static final List<String> SOCKS_REPLIES =
      List.of(
          "succeeded",
          "general SOCKS server failure",
          "connection not allowed by ruleset",
          "network unreachable",
          "host unreachable",
          "connection refused",
          "TTL expired",
          "command not supported",
          "address type not supported");

  private ProxyTrace() {}

  /**
   * The request that opens a tunnel to {@code authority} ({@code host:port}, IPv6 bracketed):
   * {@code > CONNECT authority HTTP/1.1} and its fields, or the SOCKS5 request in words.
   */
  static List<String> tunnelRequest(ProxyOptions proxy, String authority, String userAgent) {
    List<String> lines = new ArrayList<>();
    if (!proxy.isHttp()) {
      String dns = proxy.remoteDns() ? "the proxy resolves the name" : "the name resolved here";
      String login =
          proxy.credentials() == null
              ? "no authentication"
              : "user " + proxy.credentials().username() + " (RFC 1929)";
      lines.add("> SOCKS5 CONNECT " + authority + " (" + dns + "; " + login + ")");
      return lines;
    }
    lines.add("> CONNECT " + authority + " HTTP/1.1");
    lines.add(">   host: " + authority);
    lines.addAll(fields(">   ", proxyFields(proxy, userAgent)));
    return lines;
  }

  /** The fields a forwarding proxy gets on every request, after the request's own. */
  static List<String> forwardedFields(ProxyOptions proxy) {
    return fields(">   ", proxy.requestHeaders());
  }

  /** The proxy's reply: its status line and fields, or the SOCKS5 reply code and bound address. */
  static List<String> reply(ProxyResponse response) {
    List<String> lines = new ArrayList<>();
    if (response instanceof ProxyResponse.Http http) {
      lines.add(("< proxy: " + http.status() + " " + http.reasonPhrase()).stripTrailing());
      lines.addAll(fields("<   ", http.headers()));
    } else if (response instanceof ProxyResponse.Socks5 socks) {
      String host =
          socks.boundHost().indexOf(':') >= 0 ? "[" + socks.boundHost() + "]" : socks.boundHost();
      lines.add(
          "< SOCKS5 reply "
              + socks.reply()
              + " ("
              + socksReply(socks.reply())
              + "), bound address "
              + host
              + ":"
              + socks.boundPort());
    }
    return lines;
  }

  /** The words of RFC 1928 §6 for a SOCKS5 reply code. */
  static String socksReply(int code) {
    return code >= 0 && code < SOCKS_REPLIES.size() ? SOCKS_REPLIES.get(code) : "unassigned";
  }

  /** A field value as {@code -v} shows it: credentials masked. */
  static String shown(String name, String value) {
    if (!name.toLowerCase(Locale.ROOT).equals("proxy-authorization")) {
      return value;
    }
    int space = value.indexOf(' ');
    return (space < 0 ? "" : value.substring(0, space + 1)) + "***";
  }

  /** What the {@code http-connect} layer sends: the proxy's fields, then a user-agent. */
  private static Headers proxyFields(ProxyOptions proxy, String userAgent) {
    Headers fields = proxy.requestHeaders();
    return userAgent == null || fields.contains("user-agent")
        ? fields
        : fields.with("user-agent", userAgent);
  }

  private static List<String> fields(String prefix, Headers headers) {
    List<String> lines = new ArrayList<>();
    headers.forEach((name, value) -> lines.add(prefix + name + ": " + shown(name, value)));
    return lines;
  }
}
