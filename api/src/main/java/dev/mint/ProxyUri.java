// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Parses the proxy URIs of {@link ProxyOptions#fromUri}: {@code
 * [scheme://][user[:password]@]host[:port][/]}. Written by hand rather than with {@link
 * java.net.URI}, which gives no host for names it considers invalid (an underscore, common in
 * container host names) and would then lose it silently.
 */
final class ProxyUri {
  private ProxyUri() {}

  static ProxyOptions parse(String uri) {
    String text = uri.strip();
    int schemeEnd = text.indexOf("://");
    String scheme = schemeEnd < 0 ? "http" : text.substring(0, schemeEnd).toLowerCase(Locale.ROOT);
    String rest = schemeEnd < 0 ? text : text.substring(schemeEnd + 3);
    ProxyOptions.Kind kind;
    boolean remoteDns = true;
    switch (scheme) {
      case "http" -> kind = ProxyOptions.Kind.HTTP;
      case "https" -> kind = ProxyOptions.Kind.HTTPS;
      case "socks5" -> {
        kind = ProxyOptions.Kind.SOCKS5;
        remoteDns = false; // curl's socks5:// resolves locally; socks5h:// lets the proxy do it
      }
      case "socks5h" -> kind = ProxyOptions.Kind.SOCKS5;
      default ->
          throw new IllegalArgumentException(
              "unsupported proxy scheme '"
                  + scheme
                  + "' in '"
                  + uri
                  + "' (http, https, socks5, socks5h)");
    }
    if (rest.endsWith("/")) {
      rest = rest.substring(0, rest.length() - 1);
    }
    if (rest.indexOf('/') >= 0 || rest.indexOf('?') >= 0 || rest.indexOf('#') >= 0) {
      throw new IllegalArgumentException("a proxy URI has no path or query: '" + uri + "'");
    }
    int at = rest.lastIndexOf('@');
    String userInfo = at < 0 ? null : rest.substring(0, at);
    String hostPort = rest.substring(at + 1);
    String host;
    String portText = null;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("unclosed '[' in proxy URI '" + uri + "'");
      }
      host = hostPort.substring(1, close);
      String after = hostPort.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw new IllegalArgumentException("unexpected '" + after + "' in '" + uri + "'");
        }
        portText = after.substring(1);
      }
    } else {
      int colon = hostPort.lastIndexOf(':');
      host = colon < 0 ? hostPort : hostPort.substring(0, colon);
      portText = colon < 0 ? null : hostPort.substring(colon + 1);
    }
    if (host.isEmpty()) {
      throw new IllegalArgumentException("no host in proxy URI '" + uri + "'");
    }
    int port = portText == null || portText.isEmpty() ? kind.defaultPort() : port(portText, uri);
    ProxyOptions options = ProxyOptions.of(kind, host, port).withRemoteDns(remoteDns);
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      String user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), uri);
      String password = colon < 0 ? "" : decode(userInfo.substring(colon + 1), uri);
      options = options.withCredentials(user, password);
    }
    return options;
  }

  private static int port(String text, String uri) {
    if (text.length() > 5 || !text.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw new IllegalArgumentException("bad port '" + text + "' in proxy URI '" + uri + "'");
    }
    return Integer.parseInt(text); // ProxyOptions checks the range
  }

  /** Percent-decodes (RFC 3986 §2.1) into UTF-8. */
  private static String decode(String s, String uri) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '%') {
        if (i + 2 >= s.length()) {
          throw new IllegalArgumentException("bad percent-encoding in proxy URI '" + uri + "'");
        }
        int hi = Character.digit(s.charAt(i + 1), 16);
        int lo = Character.digit(s.charAt(i + 2), 16);
        if (hi < 0 || lo < 0) {
          throw new IllegalArgumentException("bad percent-encoding in proxy URI '" + uri + "'");
        }
        out.write(hi << 4 | lo);
        i += 2;
      } else {
        int end = s.indexOf('%', i);
        end = end < 0 ? s.length() : end;
        byte[] b = s.substring(i, end).getBytes(StandardCharsets.UTF_8); // keeps surrogate pairs
        out.write(b, 0, b.length);
        i = end - 1;
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
