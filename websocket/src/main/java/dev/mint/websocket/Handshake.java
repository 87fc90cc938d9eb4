// SPDX-License-Identifier: Apache-2.0
package dev.mint.websocket;

import dev.mint.Headers;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The opening handshake's fields (RFC 6455 §4.1 and §4.2.2 over HTTP/1.1, RFC 8441 §4-5 over
 * HTTP/2): what the request carries, and the checks of the response.
 */
final class Handshake {
  /** RFC 6455 §1.3: the GUID concatenated to the key before hashing. */
  static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

  /** The only version RFC 6455 defines (§4.1 step 9). */
  static final String VERSION = "13";

  /** Fields the handshake sets itself; a caller giving one would break it. */
  private static final Set<String> RESERVED =
      Set.of(
          "upgrade",
          "connection",
          "sec-websocket-key",
          "sec-websocket-version",
          "sec-websocket-accept",
          "sec-websocket-protocol",
          "sec-websocket-extensions",
          ":protocol");

  /** What the server agreed to. */
  record Negotiated(String subprotocol, PerMessageDeflate deflate) {}

  private Handshake() {}

  /** Whether {@code s} is a token (RFC 9110 §5.6.2). */
  static boolean isToken(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          c >= 'a' && c <= 'z'
              || c >= 'A' && c <= 'Z'
              || c >= '0' && c <= '9'
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** A fresh {@code sec-websocket-key}: 16 random bytes in base64 (§4.1 step 7). */
  static String newKey(SecureRandom random) {
    byte[] nonce = new byte[16];
    random.nextBytes(nonce);
    return Base64.getEncoder().encodeToString(nonce);
  }

  /** The {@code sec-websocket-accept} the server must answer {@code key} with (§4.2.2). */
  static String acceptFor(String key) {
    try {
      MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
      byte[] digest = sha1.digest((key + GUID).getBytes(StandardCharsets.US_ASCII));
      return Base64.getEncoder().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-1", e);
    }
  }

  /** The fields of an HTTP/1.1 upgrade request (§4.1). */
  static Headers http1Request(String key, WebSocketOptions options) {
    Headers.Builder b =
        Headers.builder()
            .add("upgrade", "websocket")
            .add("connection", "upgrade")
            .add("sec-websocket-key", key);
    return common(b, options);
  }

  /** The fields of an HTTP/2 extended CONNECT (RFC 8441 §4-5): no key, no upgrade. */
  static Headers http2Request(WebSocketOptions options) {
    return common(Headers.builder().add(":protocol", "websocket"), options);
  }

  private static Headers common(Headers.Builder b, WebSocketOptions options) {
    b.add("sec-websocket-version", VERSION);
    if (!options.subprotocols().isEmpty()) {
      b.add("sec-websocket-protocol", String.join(", ", options.subprotocols()));
    }
    if (options.deflate() != null) {
      b.add("sec-websocket-extensions", options.deflate().offer());
    }
    Headers extra = options.headers();
    for (int i = 0; i < extra.size(); i++) {
      String name = extra.name(i).toLowerCase(Locale.ROOT);
      if (RESERVED.contains(name)) {
        throw new IllegalArgumentException(
            name + " is set by the WebSocket handshake and may not be given in headers");
      }
      b.add(extra.name(i), extra.value(i));
    }
    return b.build();
  }

  /**
   * Checks a 101 (HTTP/1.1, {@code key} given) or 2xx (HTTP/2, {@code key} null) response.
   *
   * @throws HandshakeException INVALID_RESPONSE, BAD_EXTENSION or BAD_SUBPROTOCOL
   */
  static Negotiated check(int status, Headers headers, String key, WebSocketOptions options)
      throws HandshakeException {
    HandshakeContext ctx = new HandshakeContext(status, headers);
    if (key != null) {
      checkUpgrade(headers, key, ctx);
    }
    return new Negotiated(subprotocol(headers, options, ctx), extensions(headers, options, ctx));
  }

  private static void checkUpgrade(Headers headers, String key, HandshakeContext ctx)
      throws HandshakeException {
    if (!hasToken(headers.getAll("upgrade"), "websocket")) {
      throw ctx.fail(
          HandshakeException.Reason.INVALID_RESPONSE,
          "101 without upgrade: websocket (RFC 6455 §4.1 step 2), got " + headers.get("upgrade"));
    }
    if (!hasToken(headers.getAll("connection"), "upgrade")) {
      throw ctx.fail(
          HandshakeException.Reason.INVALID_RESPONSE,
          "101 without connection: upgrade (RFC 6455 §4.1 step 3), got "
              + headers.get("connection"));
    }
    List<String> accepts = headers.getAll("sec-websocket-accept");
    String expected = acceptFor(key);
    if (accepts.size() != 1 || !accepts.get(0).trim().equals(expected)) {
      throw ctx.fail(
          HandshakeException.Reason.INVALID_RESPONSE,
          "sec-websocket-accept is " + accepts + ", expected " + expected + " (RFC 6455 §4.1)");
    }
  }

  private static String subprotocol(Headers headers, WebSocketOptions options, HandshakeContext ctx)
      throws HandshakeException {
    List<String> values = headers.getAll("sec-websocket-protocol");
    if (values.isEmpty()) {
      return null;
    }
    String chosen = values.get(0).trim();
    if (values.size() > 1 || !options.subprotocols().contains(chosen)) {
      throw ctx.fail(
          HandshakeException.Reason.BAD_SUBPROTOCOL,
          "the server chose subprotocol "
              + values
              + ", offered "
              + options.subprotocols()
              + " (RFC 6455 §4.1 step 6)");
    }
    return chosen;
  }

  private static PerMessageDeflate extensions(
      Headers headers, WebSocketOptions options, HandshakeContext ctx) throws HandshakeException {
    PerMessageDeflate deflate = null;
    for (String value : headers.getAll("sec-websocket-extensions")) {
      for (String element : value.split(",", -1)) {
        String[] parts = element.split(";", -1);
        String name = parts[0].trim();
        if (name.isEmpty() && parts.length == 1) {
          continue; // an empty list element (RFC 9110 §5.6.1)
        }
        if (!name.equalsIgnoreCase(PerMessageDeflate.NAME) || options.deflate() == null) {
          throw ctx.fail(
              HandshakeException.Reason.BAD_EXTENSION,
              "the server accepted extension " + name + ", which was not offered (§4.1 step 5)");
        }
        if (deflate != null) {
          throw ctx.fail(
              HandshakeException.Reason.BAD_EXTENSION,
              "permessage-deflate accepted twice (RFC 7692 §5)");
        }
        String[] params = new String[parts.length - 1];
        for (int i = 1; i < parts.length; i++) {
          params[i - 1] = unquote(parts[i].trim());
        }
        deflate = PerMessageDeflate.accept(params, options.deflate(), ctx);
      }
    }
    return deflate;
  }

  /** Removes quotes around a parameter's value ({@code name="value"}, RFC 6455 §9.1). */
  private static String unquote(String param) {
    int eq = param.indexOf('=');
    if (eq < 0) {
      return param;
    }
    String value = param.substring(eq + 1).trim();
    if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
      value = value.substring(1, value.length() - 1);
    }
    return param.substring(0, eq).trim() + "=" + value;
  }

  private static boolean hasToken(List<String> values, String token) {
    List<String> tokens = new ArrayList<>();
    for (String v : values) {
      for (String t : v.split(",", -1)) {
        tokens.add(t.trim());
      }
    }
    return tokens.stream().anyMatch(t -> t.equalsIgnoreCase(token));
  }
}
