// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import dev.mint.Headers;
import dev.mint.ProxyResponse;
import dev.mint.TransportException;
import dev.mint.TransportException.Reason;
import dev.mint.spi.FieldRules;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * The HTTP {@code CONNECT} handshake (RFC 9110 §9.3.6), sans-I/O: the request to send, and a parser
 * of the proxy's reply head.
 *
 * <p><b>Theory of operation.</b> The request is encoded once, at construction: {@code CONNECT
 * host:port HTTP/1.1}, {@code host} equal to that authority (IPv6 literals bracketed, a zone id
 * never sent, RFC 6874 §4), then the proxy fields (caller's headers, {@code proxy-authorization},
 * {@code user-agent}). The reply is consumed line by line, each line accumulated until its LF (RFC
 * 9112 §2.2: a bare LF also ends a line; a bare CR is refused). The parser tracks three states:
 *
 * <pre>
 *   STATUS_LINE --status line--&gt; FIELDS --empty line--&gt; 1xx (not 101): STATUS_LINE again
 *                                                      2xx: DONE (the input stops here)
 *                                                      other: refused, with the reply
 * </pre>
 *
 * Interim responses are skipped (RFC 9110 §15.2), except 101, which cannot answer a CONNECT that
 * asked for no upgrade. A 2xx's {@code content-length} and {@code transfer-encoding} are ignored:
 * the tunnel starts right after the empty line (RFC 9110 §9.3.6). A refusal's body is never read.
 *
 * <p><b>Bounds.</b> The whole reply head, interim responses included, is at most {@code
 * maxReplySize} bytes, so a proxy cannot make the client buffer without bound or loop forever on
 * 1xx responses.
 *
 * <p>Errors: {@link Reason#PROXY_AUTH_REQUIRED} (407) and {@link Reason#PROXY_REFUSED} (any other
 * non-2xx final status), both carrying the {@link ProxyResponse.Http}; {@link
 * Reason#PROXY_BAD_REPLY} for a reply that is not HTTP/1.0 or 1.1, a malformed status line or field
 * line, obs-fold (RFC 9112 §5.2), a 101, or more than {@code maxReplySize} bytes; {@link
 * Reason#PROXY_CLOSED} from {@link #receiveEnd()}. Left out: reading a refusal's body, proxy
 * authentication schemes other than Basic (the caller may send any {@code proxy-authorization} it
 * computes), and HTTP/2 CONNECT to the proxy.
 */
final class ConnectHandshake implements Handshake {
  private enum State {
    STATUS_LINE,
    FIELDS,
    DONE,
    FAILED
  }

  private final ByteBuffer request;
  private final int maxReplySize;
  private final String what;

  private State state = State.STATUS_LINE;
  private byte[] line = new byte[128];
  private int lineLength;
  private int replyBytes;
  private int status;
  private String reasonPhrase;
  private Headers.Builder fields;
  private ProxyResponse.Http response;

  /**
   * @param host the origin's host, a name or IP literal (with or without brackets)
   * @param port the origin's port
   * @param proxyFields the fields for the proxy, in order
   * @param maxReplySize the most bytes of reply head accepted
   * @param what the proxy, for messages, such as {@code "the HTTP proxy p:3128"}
   */
  ConnectHandshake(String host, int port, Headers proxyFields, int maxReplySize, String what) {
    String authority = authority(host, port);
    this.what = "CONNECT " + authority + " through " + what;
    this.maxReplySize = maxReplySize;
    StringBuilder b = new StringBuilder(256);
    b.append("CONNECT ").append(authority).append(" HTTP/1.1\r\n");
    b.append("host: ").append(authority).append("\r\n");
    for (int i = 0; i < proxyFields.size(); i++) {
      b.append(proxyFields.name(i)).append(": ").append(proxyFields.value(i)).append("\r\n");
    }
    b.append("\r\n");
    // Field values are Latin-1 at most (ProxyOptions checks them): one byte per char.
    this.request = ByteBuffer.wrap(b.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  /** The authority-form target (RFC 9112 §3.2.3): {@code host:port}, IPv6 literals bracketed. */
  static String authority(String host, int port) {
    String bare = Hosts.stripBrackets(host);
    int zone = bare.indexOf('%');
    if (zone >= 0 && bare.indexOf(':') >= 0) {
      bare = bare.substring(0, zone); // a zone id means nothing beyond this machine (RFC 6874 §4)
    }
    return (bare.indexOf(':') >= 0 ? "[" + bare + "]" : bare) + ":" + port;
  }

  @Override
  public ByteBuffer output() {
    return request;
  }

  @Override
  public Progress receive(ByteBuffer in) throws TransportException {
    while (in.hasRemaining()) {
      if (state != State.STATUS_LINE && state != State.FIELDS) {
        throw new IllegalStateException("receive after the handshake ended: " + state);
      }
      byte b = in.get();
      if (++replyBytes > maxReplySize) {
        throw fail("the reply head is larger than " + maxReplySize + " bytes");
      }
      if (b != '\n') {
        append(b);
        continue;
      }
      String text = endLine();
      if (state == State.STATUS_LINE) {
        statusLine(text);
      } else if (!text.isEmpty()) {
        fieldLine(text);
      } else if (endOfHead()) {
        return Progress.DONE;
      }
    }
    return Progress.NEED_MORE;
  }

  @Override
  public void receiveEnd() throws TransportException {
    state = State.FAILED;
    throw new TransportException(
        Reason.PROXY_CLOSED,
        what
            + ": the proxy closed the connection "
            + (replyBytes == 0 ? "without answering" : "after " + replyBytes + " bytes of reply"));
  }

  @Override
  public ProxyResponse response() {
    return state == State.DONE ? response : null;
  }

  /** The handshake and the proxy, as messages name them. */
  @Override
  public String toString() {
    return what;
  }

  // ---- lines ----

  private void append(byte b) {
    if (lineLength == line.length) {
      line = Arrays.copyOf(line, Math.min(line.length * 2, maxReplySize)); // maxReplySize bounds it
    }
    line[lineLength++] = b;
  }

  /** The line just ended, without its CR; refuses a bare CR and NUL within it. */
  private String endLine() throws TransportException {
    int end = lineLength > 0 && line[lineLength - 1] == '\r' ? lineLength - 1 : lineLength;
    for (int i = 0; i < end; i++) {
      if (line[i] == '\r' || line[i] == 0) {
        throw fail("a bare CR or NUL in the reply head (RFC 9112 §2.2)");
      }
    }
    lineLength = 0;
    return new String(line, 0, end, StandardCharsets.ISO_8859_1);
  }

  /**
   * {@code HTTP/1.x SP 3DIGIT SP reason-phrase} (RFC 9112 §4); the SP before an empty reason may be
   * missing.
   */
  private void statusLine(String text) throws TransportException {
    if (text.length() < 12
        || !(text.startsWith("HTTP/1.1 ") || text.startsWith("HTTP/1.0 "))
        || !isDigits(text, 9, 12)
        || text.length() > 12 && text.charAt(12) != ' ') {
      throw fail("not an HTTP/1.x status line: '" + printable(text) + "'");
    }
    status = Integer.parseInt(text.substring(9, 12));
    if (status < 100) {
      throw fail("status " + status + " is not in 100..999 (RFC 9110 §15)");
    }
    reasonPhrase = text.length() > 13 ? text.substring(13) : "";
    if (FieldRules.invalidValueIndex(reasonPhrase) >= 0) {
      throw fail("a control character in the reason phrase");
    }
    fields = Headers.builder();
    state = State.FIELDS;
  }

  /** {@code field-name ":" OWS field-value OWS} (RFC 9112 §5). */
  private void fieldLine(String text) throws TransportException {
    char first = text.charAt(0);
    if (first == ' ' || first == '\t') {
      throw fail("obs-fold in the reply head (RFC 9112 §5.2)");
    }
    int colon = text.indexOf(':');
    if (colon <= 0 || !FieldRules.isToken(text.substring(0, colon))) {
      // Also refuses whitespace before the colon (RFC 9112 §5.1).
      throw fail("a malformed field line: '" + printable(text) + "'");
    }
    String value = text.substring(colon + 1).strip();
    if (FieldRules.invalidValueIndex(value) >= 0) {
      throw fail("a control character in the value of " + text.substring(0, colon));
    }
    fields.add(text.substring(0, colon).toLowerCase(Locale.ROOT), value);
  }

  /**
   * The empty line after a response head: skips an interim response, opens the tunnel on 2xx, or
   * refuses.
   *
   * @return whether the tunnel is open
   */
  private boolean endOfHead() throws TransportException {
    if (status / 100 == 1) {
      if (status == 101) {
        throw fail("101 Switching Protocols, but CONNECT asked for no upgrade");
      }
      state = State.STATUS_LINE; // an interim response: the final one follows (RFC 9110 §15.2)
      return false;
    }
    response = new ProxyResponse.Http(status, reasonPhrase, fields.build());
    if (status / 100 == 2) {
      // Content-Length and Transfer-Encoding of a 2xx are ignored (RFC 9110 §9.3.6).
      state = State.DONE;
      return true;
    }
    state = State.FAILED;
    String message = what + " refused: " + status + " " + reasonPhrase;
    if (status == 407) {
      String schemes = String.join(", ", response.headers().getAll("proxy-authenticate"));
      throw new TransportException(
          Reason.PROXY_AUTH_REQUIRED,
          message + (schemes.isEmpty() ? "" : " (proxy-authenticate: " + schemes + ")"),
          response);
    }
    throw new TransportException(Reason.PROXY_REFUSED, message, response);
  }

  private TransportException fail(String why) {
    state = State.FAILED;
    return new TransportException(Reason.PROXY_BAD_REPLY, what + ": " + why);
  }

  private static boolean isDigits(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  /** Control characters other than HTAB (RFC 9110 §5.5). */
  private static String printable(String s) {
    StringBuilder b = new StringBuilder(Math.min(s.length(), 80));
    for (int i = 0; i < s.length() && i < 80; i++) {
      char c = s.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return s.length() > 80 ? b + "..." : b.toString();
  }
}
