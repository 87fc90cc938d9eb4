// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Headers;
import dev.mint.HttpException;
import dev.mint.HttpException.Reason;
import dev.mint.spi.ApiAccess;
import dev.mint.spi.FieldRules;
import java.util.Set;

/**
 * The HTTP/2 rules for header fields (RFC 9113 §8.2, §8.3): building a request's field list from
 * what the caller gave (refusing what cannot be sent as caller errors), and checking the server's
 * responses, trailers and pushed requests (a malformed message is a stream error PROTOCOL_ERROR,
 * §8.1.1). Names, values, {@code content-length}, connection-specific fields and the fields that
 * cannot be trailers follow {@link FieldRules}, the rule set HTTP/1.1 shares; what is HTTP/2's own
 * is here: pseudo-header fields, lower-case names, cookie crumbs.
 */
final class HeaderRules {
  /** Methods whose requests have no content by nature: an empty fixed body sends no length. */
  private static final Set<String> BODYLESS_METHODS =
      Set.of("GET", "HEAD", "DELETE", "OPTIONS", "TRACE", "CONNECT");

  private HeaderRules() {}

  /**
   * Builds a request's fields (RFC 9113 §8.3.1, §8.5; RFC 8441 §4 for {@code :protocol}) into one
   * array of the exact size: a request's fields are made once, with no builder or list.
   *
   * @param fixedLength the length of a fixed body, or -1 for none or streaming
   * @return the fields to encode, pseudo-header fields first
   * @throws HttpException a caller error: each {@link Reason} constant's {@code HTTP/2:} line says
   *     when this engine gives it
   */
  static Headers request(
      String method,
      String target,
      Headers headers,
      String scheme,
      String defaultAuthority,
      String userAgent,
      boolean extendedConnectEnabled,
      long fixedLength)
      throws HttpException {
    validateMethodAndTarget(method, target);
    CallerFields caller = CallerFields.check(headers, defaultAuthority, userAgent);
    long declared = contentLength(FieldRules.declaredContentLength(headers), fixedLength, method);
    boolean connect = method.equals("CONNECT");
    checkPseudoHeaders(method, target, caller.protocol, connect, extendedConnectEnabled);
    // RFC 9113 §8.5: a CONNECT without :protocol has only :method and :authority (host:port)
    boolean bare = connect && caller.protocol == null;
    int pseudo = bare ? 2 : caller.protocol == null ? 4 : 5;
    int count = pseudo + caller.regular + (caller.addUserAgent ? 1 : 0) + (declared >= 0 ? 1 : 0);
    String[] fields = new String[2 * count];
    int at = put(fields, 0, ":method", method);
    if (bare) {
      at = put(fields, at, ":authority", target);
    } else {
      at = put(fields, at, ":scheme", scheme);
      at = put(fields, at, ":authority", caller.authority);
      at = put(fields, at, ":path", target);
      if (caller.protocol != null) {
        at = put(fields, at, ":protocol", caller.protocol);
      }
    }
    at = CallerFields.copy(headers, fields, at);
    if (caller.addUserAgent) {
      at = put(fields, at, "user-agent", userAgent);
    }
    if (declared >= 0) {
      put(fields, at, "content-length", Long.toString(declared));
    }
    return ApiAccess.headersOver(fields);
  }

  private static int put(String[] fields, int at, String name, String value) {
    fields[at] = name;
    fields[at + 1] = value;
    return at + 2;
  }

  private static void validateMethodAndTarget(String method, String target) throws HttpException {
    if (method == null || !FieldRules.isToken(method)) {
      throw HttpException.caller(Reason.INVALID_METHOD, "method is not a token: " + method);
    }
    if (target == null || target.isEmpty()) {
      throw HttpException.caller(Reason.INVALID_TARGET, "empty request target");
    }
    for (int i = 0; i < target.length(); i++) {
      char c = target.charAt(i);
      if (c <= 0x20 || c >= 0x7f) {
        throw HttpException.caller(
            Reason.INVALID_TARGET,
            String.format("request target contains byte 0x%02x at %d", (int) c, i));
      }
    }
  }

  /**
   * What the caller's fields bring, once checked: {@code :protocol} and {@code host} are taken out
   * (they become pseudo-header fields), {@code content-length} is left for {@link #contentLength},
   * cookies are split into crumbs, and the default user agent is added when the caller set none.
   *
   * @param regular how many regular fields the caller's become (cookie crumbs counted)
   */
  private record CallerFields(
      int regular, String authority, String protocol, boolean addUserAgent) {

    /** Checks the caller's fields and counts what they become. */
    static CallerFields check(Headers headers, String defaultAuthority, String userAgent)
        throws HttpException {
      String protocol = null;
      String authority = defaultAuthority;
      boolean hasUserAgent = false;
      int regular = 0;
      for (int i = 0; i < headers.size(); i++) {
        String name = FieldRules.lowerCaseName(headers.name(i));
        String value = headers.value(i);
        if (name.equals(":protocol")) {
          try {
            FieldRules.checkValue("header", name, value);
          } catch (FieldRules.Violation v) {
            throw v.toCallerError();
          }
          protocol = value;
          continue;
        }
        FieldRules.requireSendable("header", name, value);
        if (FieldRules.isForbiddenInHttp2Request(name, value)) {
          throw HttpException.caller(
              Reason.INVALID_REQUEST_HEADER,
              name.equals("te")
                  ? "te may only be \"trailers\" in HTTP/2 (RFC 9113 §8.2.2), got " + value
                  : name + " is connection-specific and not allowed in HTTP/2 (RFC 9113 §8.2.2)");
        }
        switch (name) {
          case "host" -> authority = value; // RFC 9113 §8.3.1: :authority replaces host
          case "content-length" -> {} // checked by FieldRules, sent once by contentLength
          case "cookie" -> regular += cookieCrumbs(value, null, 0) / 2;
          default -> {
            hasUserAgent |= name.equals("user-agent");
            regular++;
          }
        }
      }
      return new CallerFields(regular, authority, protocol, !hasUserAgent && userAgent != null);
    }

    /** Copies the caller's regular fields, checked by {@link #check}, into {@code fields}. */
    static int copy(Headers headers, String[] fields, int at) {
      for (int i = 0; i < headers.size(); i++) {
        String name = FieldRules.lowerCaseName(headers.name(i));
        switch (name) {
          case ":protocol", "host", "content-length" -> {}
          case "cookie" -> at = cookieCrumbs(headers.value(i), fields, at);
          default -> at = put(fields, at, name, headers.value(i));
        }
      }
      return at;
    }
  }

  /** The content-length to send, or -1: the fixed body's own, which a declared one must match. */
  private static long contentLength(long declared, long fixedLength, String method)
      throws HttpException {
    if (fixedLength < 0) {
      return declared;
    }
    if (declared >= 0 && declared != fixedLength) {
      throw HttpException.caller(
          Reason.BODY_LENGTH_MISMATCH,
          "content-length " + declared + " but the body has " + fixedLength + " bytes");
    }
    return fixedLength > 0 || !BODYLESS_METHODS.contains(method) ? fixedLength : declared;
  }

  /** Checks what the pseudo-header fields will be (RFC 9113 §8.3.1, §8.5; RFC 8441). */
  private static void checkPseudoHeaders(
      String method, String target, String protocol, boolean connect, boolean extendedConnect)
      throws HttpException {
    if (connect && protocol == null) {
      if (target.indexOf('/') >= 0 || target.indexOf('@') >= 0) {
        throw HttpException.caller(
            Reason.INVALID_TARGET, "CONNECT takes host:port as its target, got " + target);
      }
      return;
    }
    if (protocol != null) {
      if (!connect) {
        throw HttpException.caller(
            Reason.INVALID_HEADER_NAME, ":protocol is only allowed with CONNECT (RFC 8441)");
      }
      if (!extendedConnect) {
        throw HttpException.caller(
            Reason.INVALID_STATE,
            "the server did not send SETTINGS_ENABLE_CONNECT_PROTOCOL=1 (RFC 8441 §3)");
      }
    }
    if (!target.startsWith("/") && !(target.equals("*") && method.equals("OPTIONS"))) {
      throw HttpException.caller(
          Reason.INVALID_TARGET,
          "HTTP/2 request targets are paths starting with '/' (or '*' for OPTIONS), got " + target);
    }
  }

  /**
   * Puts a cookie as crumbs into {@code fields} from {@code at} (RFC 9113 §8.2.3: they compress
   * better; the server joins them again), or only counts them when {@code fields} is null. Each
   * crumb is trimmed, since no field value may start or end with whitespace (§8.2.1), and empty
   * ones are left out; a value without any cookie-pair goes as it is.
   *
   * @return {@code at} moved past the crumbs (two slots each)
   */
  private static int cookieCrumbs(String value, String[] fields, int at) {
    int start = at;
    for (String crumb : value.split(";", -1)) {
      String trimmed = FieldRules.trimWhitespace(crumb);
      if (!trimmed.isEmpty()) {
        at = fields == null ? at + 2 : put(fields, at, "cookie", trimmed);
      }
    }
    if (at == start) {
      at = fields == null ? at + 2 : put(fields, at, "cookie", value);
    }
    return at;
  }

  /**
   * Checks and lower-cases trailers the caller sends.
   *
   * @throws HttpException caller errors as for request headers; pseudo-header fields are refused,
   *     and so are fields that cannot be trailers (INVALID_REQUEST_HEADER, RFC 9110 §6.5.1)
   */
  static Headers requestTrailers(Headers trailers) throws HttpException {
    Headers.Builder out = Headers.builder();
    for (int i = 0; i < trailers.size(); i++) {
      String name = FieldRules.lowerCaseName(trailers.name(i));
      String value = trailers.value(i);
      // Every connection-specific field (RFC 9113 §8.2.2) is one that cannot be a trailer.
      FieldRules.requireSendableTrailer(name, value);
      out.add(name, value);
    }
    return out.build();
  }

  /**
   * Checks that {@code fields} fit the server's SETTINGS_MAX_HEADER_LIST_SIZE, {@code max}, counted
   * as RFC 9113 §6.5.2 counts them.
   *
   * @param what the fields, for the message: {@code "request header list"}, {@code "trailer list"}
   * @throws HttpException caller error PEER_LIMIT_REACHED when they do not
   */
  static void requireWithin(Headers fields, long max, String what) throws HttpException {
    long size = 0;
    for (int i = 0; i < fields.size(); i++) {
      size += fields.name(i).length() + fields.value(i).length() + 32;
    }
    if (size > max) {
      throw HttpException.caller(
          Reason.PEER_LIMIT_REACHED,
          what
              + " of "
              + size
              + " bytes exceeds the server's SETTINGS_MAX_HEADER_LIST_SIZE "
              + max);
    }
  }

  // ---- received messages ----

  /**
   * A response header block, checked.
   *
   * @param status the {@code :status}
   * @param headers the regular fields, cookies joined
   * @param contentLength the content-length, or -1
   */
  record ResponseHead(int status, Headers headers, long contentLength) {}

  /** Checks a response header block (RFC 9113 §8.3.2, §8.2). */
  static ResponseHead response(Headers fields, int streamId) throws Http2Error {
    int status = -1;
    int first = 0; // the first regular field: pseudo-header fields come before them all (§8.3)
    for (; first < fields.size() && fields.name(first).startsWith(":"); first++) {
      String name = fields.name(first);
      String value = fields.value(first);
      checkReceived(name, value, streamId);
      if (!name.equals(":status")) {
        throw malformed(streamId, "pseudo-header " + name + " in a response");
      }
      if (status >= 0) {
        throw malformed(streamId, "repeated :status");
      }
      if (value.length() != 3
          || !Character.isDigit(value.charAt(0))
          || !Character.isDigit(value.charAt(1))
          || !Character.isDigit(value.charAt(2))
          || value.charAt(0) == '0') {
        throw malformed(streamId, ":status is not a three-digit code: " + value);
      }
      status = Integer.parseInt(value);
    }
    checkRegular(fields, first, streamId, " after regular fields");
    if (status < 0) {
      throw malformed(streamId, "response without :status");
    }
    Headers headers = joinCookies(fields, first);
    try {
      return new ResponseHead(status, headers, FieldRules.contentLength(headers));
    } catch (FieldRules.Violation v) {
      throw malformed(streamId, v.getMessage());
    }
  }

  /** Checks a trailer block: regular fields only (RFC 9113 §8.1). */
  static Headers trailers(Headers fields, int streamId) throws Http2Error {
    checkRegular(fields, 0, streamId, " in trailers");
    return joinCookies(fields, 0);
  }

  /**
   * Checks a pushed request (RFC 9113 §8.4.1): {@code :method} safe and cacheable (GET or HEAD),
   * {@code :scheme}, {@code :authority} and {@code :path} present, no {@code :status}.
   */
  static Headers pushRequest(Headers fields, int promisedId) throws Http2Error {
    String method = null;
    boolean scheme = false;
    boolean authority = false;
    boolean path = false;
    int first = 0;
    for (; first < fields.size() && fields.name(first).startsWith(":"); first++) {
      String name = fields.name(first);
      checkReceived(name, fields.value(first), promisedId);
      switch (name) {
        case ":method" -> method = fields.value(first);
        case ":scheme" -> scheme = true;
        case ":authority" -> authority = true;
        case ":path" -> path = !fields.value(first).isEmpty();
        default -> throw malformed(promisedId, "pseudo-header " + name + " in a pushed request");
      }
    }
    checkRegular(fields, first, promisedId, " after regular fields");
    if (!"GET".equals(method) && !"HEAD".equals(method)) {
      throw malformed(promisedId, "pushed request method must be GET or HEAD, got " + method);
    }
    if (!scheme || !authority || !path) {
      throw malformed(promisedId, "pushed request lacks :scheme, :authority or :path");
    }
    return joinCookies(fields, 0);
  }

  /** Checks the fields from {@code first} on, which are regular: a pseudo-header is malformed. */
  private static void checkRegular(Headers fields, int first, int streamId, String where)
      throws Http2Error {
    for (int i = first; i < fields.size(); i++) {
      String name = fields.name(i);
      checkReceived(name, fields.value(i), streamId);
      if (name.startsWith(":")) {
        throw malformed(streamId, "pseudo-header " + name + where);
      }
    }
  }

  /**
   * The fields of {@code fields} from index {@code first} on, in one array made for them, with the
   * {@code cookie} crumbs joined into one field with "; " (RFC 9113 §8.2.3); {@code fields} itself
   * when that changes nothing.
   */
  private static Headers joinCookies(Headers fields, int first) {
    int cookies = 0;
    for (int i = first; i < fields.size(); i++) {
      cookies += fields.name(i).equals("cookie") ? 1 : 0;
    }
    if (first == 0 && cookies < 2) {
      return fields;
    }
    String[] out = new String[2 * (fields.size() - first - Math.max(0, cookies - 1))];
    int at = 0;
    boolean joined = false;
    for (int i = first; i < fields.size(); i++) {
      String name = fields.name(i);
      if (cookies < 2 || !name.equals("cookie")) {
        at = put(out, at, name, fields.value(i));
      } else if (!joined) {
        at = put(out, at, name, String.join("; ", fields.getAll("cookie")));
        joined = true;
      }
    }
    return ApiAccess.headersOver(out);
  }

  // ---- character rules ----

  /**
   * A received field (RFC 9113 §8.2.1): a lower-case token name (or a pseudo-header's), no
   * connection-specific field (§8.2.2), and a value by {@link FieldRules}.
   */
  private static void checkReceived(String name, String value, int streamId) throws Http2Error {
    int start = name.startsWith(":") ? 1 : 0;
    if (name.length() == start) {
      throw malformed(streamId, "empty field name");
    }
    for (int i = start; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c > 0xff || !FieldRules.isTokenByte(c) || c >= 'A' && c <= 'Z') {
        throw malformed(streamId, String.format("field name '%s' contains 0x%02x", name, (int) c));
      }
    }
    if (start == 0 && FieldRules.isConnectionSpecific(name)) {
      throw malformed(streamId, "connection-specific field " + name + " (RFC 9113 §8.2.2)");
    }
    try {
      FieldRules.checkValue("field", name, value);
    } catch (FieldRules.Violation v) {
      throw malformed(streamId, v.getMessage());
    }
  }

  private static Http2Error malformed(int streamId, String message) {
    return Http2Error.stream(streamId, ErrorCode.PROTOCOL_ERROR, "malformed message: " + message);
  }
}
