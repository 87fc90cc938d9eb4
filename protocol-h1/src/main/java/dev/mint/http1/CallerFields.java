// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import dev.mint.Headers;
import dev.mint.HttpException;
import dev.mint.HttpException.Reason;
import dev.mint.spi.FieldRules;

/**
 * What a caller's request header fields say, found in one pass that also validates every name and
 * value: the fields the engine manages ({@code host}, {@code user-agent}, {@code content-length},
 * {@code transfer-encoding}, {@code connection}, {@code upgrade}) and the bytes the fields take on
 * the wire. What they mean for the body is {@link RequestWriter}'s to decide.
 *
 * @param hasHost whether the caller set {@code host}
 * @param hasUserAgent whether the caller set {@code user-agent}
 * @param upgrade the request offers to switch protocols (RFC 9110 §7.8)
 * @param close {@code connection: close}: the last request on the connection (RFC 9112 §9.6)
 * @param contentLength the caller's {@code content-length} (RFC 9110 §8.6), or -1 for none
 * @param transferEncoding the caller's {@code transfer-encoding} fields joined into one list in
 *     order (RFC 9110 §5.3), or null
 * @param size bytes of the field lines as encoded: {@code name: value\r\n} each
 */
record CallerFields(
    boolean hasHost,
    boolean hasUserAgent,
    boolean upgrade,
    boolean close,
    long contentLength,
    String transferEncoding,
    long size) {
  /** What an empty field list holds: nothing the engine manages. */
  private static final CallerFields NONE =
      new CallerFields(false, false, false, false, -1, null, 0);

  /**
   * Validates every field and notes the managed ones.
   *
   * @throws HttpException {@code INVALID_HEADER_NAME}, {@code INVALID_HEADER_VALUE}, or {@code
   *     INVALID_REQUEST_HEADER} (two {@code host}, two {@code content-length}, a {@code
   *     content-length} that is not a valid length (RFC 9110 §8.6), or one together with {@code
   *     transfer-encoding})
   */
  static CallerFields scan(Headers fields) throws HttpException {
    if (fields.isEmpty()) {
      return NONE;
    }
    boolean hasHost = false;
    boolean hasUserAgent = false;
    boolean upgrade = false;
    boolean close = false;
    String transferEncoding = null;
    long size = 0;
    int n = fields.size();
    for (int i = 0; i < n; i++) {
      String name = fields.name(i);
      String value = fields.value(i);
      FieldRules.requireSendable("header", name, value);
      size += name.length() + 2L + value.length() + 2L;
      switch (name.length()) {
        case 7 -> upgrade |= name.equalsIgnoreCase("upgrade");
        case 4 -> {
          if (name.equalsIgnoreCase("host")) {
            if (hasHost) {
              throw HttpException.caller(
                  Reason.INVALID_REQUEST_HEADER, "more than one host header (RFC 9112 §3.2)");
            }
            hasHost = true;
          }
        }
        case 10 -> {
          if (name.equalsIgnoreCase("user-agent")) {
            hasUserAgent = true;
          } else if (name.equalsIgnoreCase("connection")) {
            close |= Grammar.listContains(value, "close");
          }
        }
        case 17 -> {
          if (name.equalsIgnoreCase("transfer-encoding")) {
            transferEncoding = transferEncoding == null ? value : transferEncoding + ", " + value;
          }
        }
        default -> {}
      }
    }
    long contentLength = FieldRules.declaredContentLength(fields); // one valid length at most
    if (contentLength >= 0 && transferEncoding != null) {
      throw HttpException.caller(
          Reason.INVALID_REQUEST_HEADER,
          "content-length and transfer-encoding together (RFC 9112 §6.2)");
    }
    return new CallerFields(
        hasHost, hasUserAgent, upgrade, close, contentLength, transferEncoding, size);
  }

  /**
   * Checks that the caller's {@code transfer-encoding} ends with one {@code chunked} (RFC 9112
   * §6.1: a client that applies any transfer coding to a request applies chunked last; §7.1: never
   * twice), the only framing the engine can apply for it. Each list element must be a coding: empty
   * elements are refused rather than sent, since a recipient that counts them differently would see
   * another last coding.
   *
   * @throws HttpException {@code INVALID_REQUEST_HEADER} otherwise
   */
  static void checkEndsInChunked(String codings) throws HttpException {
    String[] elements = codings.split(",", -1);
    int chunked = 0;
    for (String element : elements) {
      int semicolon = element.indexOf(';');
      String name = (semicolon < 0 ? element : element.substring(0, semicolon)).strip();
      if (!FieldRules.isToken(name)) {
        throw HttpException.caller(
            Reason.INVALID_REQUEST_HEADER,
            "transfer-encoding '"
                + FieldRules.printable(codings)
                + "' holds an element that is not a transfer coding (RFC 9112 §6.1)");
      }
      if (name.equalsIgnoreCase("chunked")) {
        chunked++;
      }
    }
    if (chunked != 1 || !elements[elements.length - 1].strip().equalsIgnoreCase("chunked")) {
      throw HttpException.caller(
          Reason.INVALID_REQUEST_HEADER,
          "transfer-encoding '"
              + FieldRules.printable(codings)
              + "' must end with chunked, once and without parameters: a request's final transfer"
              + " coding is chunked (RFC 9112 §6.1, §7.1), which the engine applies");
    }
  }
}
