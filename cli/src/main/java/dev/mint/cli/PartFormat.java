// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import dev.mint.Bytes;
import dev.mint.Headers;
import dev.mint.HttpException;
import dev.mint.MintException;
import dev.mint.Protocol;
import dev.mint.ResponsePart;
import java.util.List;
import java.util.Locale;

/** Turns response parts and errors into the short lines the command prints. */
final class PartFormat {
  /** The most body bytes quoted in a one-line description of a {@code Data} part. */
  private static final int QUOTED_BYTES = 40;

  /** The error codes of RFC 9113 §7, by value. */
  private static final List<String> HTTP2_ERROR_NAMES =
      List.of(
          "NO_ERROR",
          "PROTOCOL_ERROR",
          "INTERNAL_ERROR",
          "FLOW_CONTROL_ERROR",
          "SETTINGS_TIMEOUT",
          "STREAM_CLOSED",
          "FRAME_SIZE_ERROR",
          "REFUSED_STREAM",
          "CANCEL",
          "COMPRESSION_ERROR",
          "CONNECT_ERROR",
          "ENHANCE_YOUR_CALM",
          "INADEQUATE_SECURITY",
          "HTTP_1_1_REQUIRED");

  /** An exception class name, qualified or not, and the colon after it. */
  private static final java.util.regex.Pattern CLASS_NAME =
      java.util.regex.Pattern.compile(
          "(?:[a-z_][a-z0-9_]*\\.)*[A-Z][A-Za-z0-9_$]*(?:Exception|Error)\\b(?::\\s*)?");

  private PartFormat() {}

  /**
   * One line describing {@code part}: {@code Status 200}, {@code Data 31 bytes "Hello..."}, and so
   * on. Header fields are listed inline.
   */
  static String describe(ResponsePart part) {
    if (part instanceof ResponsePart.Status s) {
      return ("Status " + s.code() + " " + s.reason()).stripTrailing();
    } else if (part instanceof ResponsePart.Headers h) {
      return "Headers " + fields(h.headers());
    } else if (part instanceof ResponsePart.Data d) {
      return "Data " + d.bytes().length() + " bytes " + quote(d.bytes());
    } else if (part instanceof ResponsePart.Trailers t) {
      return "Trailers " + fields(t.trailers());
    } else if (part instanceof ResponsePart.Done) {
      return "Done";
    } else if (part instanceof ResponsePart.RequestError e) {
      return "RequestError " + errorLine(e.error());
    } else if (part instanceof ResponsePart.Pong) {
      return "Pong";
    } else if (part instanceof ResponsePart.PushPromise p) {
      return "PushPromise " + p.promisedRef() + " " + fields(p.requestHeaders());
    }
    throw new IllegalArgumentException("unknown part " + part);
  }

  /** {@code [name: value, name: value]}. */
  static String fields(Headers headers) {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i < headers.size(); i++) {
      if (i > 0) {
        sb.append(", ");
      }
      sb.append(headers.name(i)).append(": ").append(headers.value(i));
    }
    return sb.append(']').toString();
  }

  /**
   * The status line as curl shows it: {@code HTTP/1.1 200 OK}, the reason phrase only when the
   * server sent one (never over HTTP/2, which has none).
   */
  static String statusLine(Protocol protocol, int code, String reason) {
    String line = (protocol == Protocol.HTTP2 ? "HTTP/2 " : "HTTP/1.1 ") + code;
    return reason.isEmpty() ? line : line + " " + reason;
  }

  /**
   * The one-line form of an error: the exception's message (which starts with its reason) and, for
   * protocol errors, who was at fault, what it ended, the HTTP/2 error code when there is one, and
   * whether the request may be sent again.
   */
  static String errorLine(MintException e) {
    if (e instanceof HttpException h) {
      StringBuilder sb =
          new StringBuilder(withoutClassNames(h.getMessage()))
              .append(" (")
              .append(h.fault().name().toLowerCase(Locale.ROOT))
              .append(" fault, ")
              .append(h.scope().name().toLowerCase(Locale.ROOT))
              .append(" scope");
      if (h.http2ErrorCode() >= 0) {
        sb.append(", HTTP/2 error ").append(http2ErrorName(h.http2ErrorCode()));
      }
      if (h.isRetrySafe()) {
        sb.append(", safe to retry");
      }
      return sb.append(')').toString();
    }
    return withoutClassNames(e.getMessage());
  }

  /**
   * {@code text} without the Java exception class names a cause's message may carry ({@code
   * sun.security...SunCertPathBuilderException: }): the user reads what happened, not which class
   * said it.
   */
  static String withoutClassNames(String text) {
    return text == null ? "" : CLASS_NAME.matcher(text).replaceAll("");
  }

  /**
   * The name of an HTTP/2 error code (RFC 9113 §7) and its value, {@code REFUSED_STREAM (0x7)}; a
   * code the RFC does not list is shown as its value alone.
   */
  static String http2ErrorName(long code) {
    String hex = "0x" + Long.toHexString(code);
    return code >= 0 && code < HTTP2_ERROR_NAMES.size()
        ? HTTP2_ERROR_NAMES.get((int) code) + " (" + hex + ")"
        : hex;
  }

  /** The first bytes of {@code bytes} in quotes, non-printable ones escaped. */
  private static String quote(Bytes bytes) {
    StringBuilder sb = new StringBuilder("\"");
    int n = Math.min(bytes.length(), QUOTED_BYTES);
    for (int i = 0; i < n; i++) {
      int c = bytes.byteAt(i) & 0xff;
      if (c == '\n') {
        sb.append("\\n");
      } else if (c == '\r') {
        sb.append("\\r");
      } else if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
        sb.append((char) c);
      } else {
        sb.append(String.format("\\x%02x", c));
      }
    }
    sb.append('"');
    return bytes.length() > n ? sb.append("...").toString() : sb.toString();
  }
}
