// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import dev.mint.Bytes;
import dev.mint.Headers;
import dev.mint.Http1Options;
import dev.mint.HttpException;
import dev.mint.HttpException.Reason;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.spi.ApiAccess;
import dev.mint.spi.FieldRules;
import dev.mint.spi.OutputQueue;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The send half of the HTTP/1.1 engine: validates requests and encodes them into the output queue.
 *
 * <p><b>Theory of operation.</b> A request is checked completely before anything changes: the
 * connection state and the request order ({@link #checkCanSend}), the method, the target ({@link
 * RequestTarget}), every field ({@link FieldRules}) and the ones the engine manages ({@link
 * CallerFields}). Since CR and LF can never reach the wire from a name, value or target, header
 * injection and request splitting are impossible; since the engine alone frames the body (below),
 * no body bytes can end the message early either: one {@link #request} call is always exactly one
 * request on the wire. Only then is the request line plus header section encoded into one buffer of
 * the exact size and queued, if it fits the queue's bound ({@link OutputQueue#add}, the first
 * change a request makes). A fixed body is queued after it by reference ({@link
 * OutputQueue#addHeld}): its {@link Bytes} never change, so it is neither copied nor counted
 * against the queue's bound, and goes out as the transport takes it however large it is; only the
 * header section and streamed bytes can make a request {@link Reason#OUTPUT_QUEUE_FULL}.
 *
 * <p>Framing of the body (RFC 9112 §6), always the engine's:
 *
 * <ul>
 *   <li>fixed body: {@code content-length} (a caller-set one must match); a caller {@code
 *       transfer-encoding} is refused ({@link Reason#INVALID_REQUEST_HEADER}), because the body's
 *       bytes would then say where the message ends ({@code 0\r\n\r\nGET /x HTTP/1.1} in it would
 *       be a second request);
 *   <li>no body: {@code content-length: 0} for POST, PUT and PATCH, whose servers expect a length,
 *       nothing otherwise; a caller {@code transfer-encoding}, or a {@code content-length} other
 *       than zero, is refused;
 *   <li>streamed body: chunked by the engine (RFC 9112 §7.1). The caller may set {@code
 *       content-length} instead (raw bytes, counted: more or fewer than declared is {@link
 *       Reason#BODY_LENGTH_MISMATCH}), or its own {@code transfer-encoding} when the list ends with
 *       one {@code chunked} (RFC 9112 §6.1), such as {@code gzip, chunked}: the caller streams
 *       bytes it coded with the codings before {@code chunked}, and the engine still applies the
 *       chunked framing itself. Any other {@code transfer-encoding} is refused. Trailers are
 *       written only when the engine chunks.
 *   <li>tunnel: after 101 or a 2xx answer to CONNECT, bytes for that request go out raw: HTTP is
 *       over on the connection.
 * </ul>
 *
 * Engine-added field names are lower-case, or canonically capitalized ({@code Host}, {@code
 * Content-Length}) when {@link Http1Options#preserveHeaderCase()} asks for the caller's case.
 *
 * <p>Left out: {@code expect: 100-continue} handling is the caller's (RFC 9110 §10.1.1). The engine
 * sends the header like any other and never waits: a fixed body goes out at once with the header
 * section (which the RFC allows); to wait, use a streaming body and stream only once a 100, or a
 * final status, arrived. A final status before the body is complete does not end the request's
 * body: the caller ends it (a chunked body can stop short with {@code endRequestBody}) or cancels
 * the request, which closes the connection.
 */
final class RequestWriter {
  private static final Logger LOG = LoggerFactory.getLogger(RequestWriter.class);

  private static final byte[] VERSION_CRLF = " HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] CRLF = "\r\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LAST_CHUNK = "0\r\n".getBytes(StandardCharsets.US_ASCII);

  private final Pipeline pipeline;
  private final OutputQueue output;
  private final Http1Options options;
  private final boolean preserveCase;

  /** {@code host: authority}, or null when the authority cannot be sent as a value. */
  private final Field hostField;

  private final String authority;

  /** {@code user-agent: ...}, or null when none is sent (or it cannot be sent). */
  private final Field userAgentField;

  private final String userAgent;
  private final String hostName;
  private final String contentLengthName;
  private final String transferEncodingName;
  private long sequence;

  RequestWriter(
      Pipeline pipeline,
      OutputQueue output,
      Http1Options options,
      String authority,
      String userAgent) {
    this.pipeline = pipeline;
    this.output = output;
    this.options = options;
    this.preserveCase = options.preserveHeaderCase();
    this.authority = RequestTarget.withoutZone(authority);
    this.userAgent = userAgent;
    this.hostName = preserveCase ? "Host" : "host";
    this.hostField =
        FieldRules.isValidValue(this.authority) && !this.authority.isEmpty()
            ? new Field(hostName, this.authority)
            : null;
    this.userAgentField =
        userAgent != null && FieldRules.isValidValue(userAgent)
            ? new Field(preserveCase ? "User-Agent" : "user-agent", userAgent)
            : null;
    this.contentLengthName = preserveCase ? "Content-Length" : "content-length";
    this.transferEncodingName = preserveCase ? "Transfer-Encoding" : "transfer-encoding";
  }

  // ---- requests ----

  RequestRef request(String method, String target, Headers headers, RequestBody body)
      throws HttpException {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(target, "target");
    Headers fields = headers == null ? Headers.empty() : headers;
    boolean connect = method.equals("CONNECT");
    RequestBody content = validate(method, target, body == null ? RequestBody.none() : body);
    CallerFields caller = CallerFields.scan(fields);
    Field host = caller.hasHost() ? null : defaultHost(target, connect);
    Field agent = caller.hasUserAgent() ? null : defaultUserAgent();
    Framing framing = framing(method, content, caller);
    long size = encode(method, target, host, agent, fields, caller, framing);
    // The fields sent are made only if asked for (mint -v): most requests never are.
    Field added = framing.added;
    RequestRef ref =
        ApiAccess.newRequestRef(++sequence, method, () -> sentFields(host, agent, fields, added));
    Exchange exchange =
        new Exchange(ref, method.equals("HEAD"), connect, caller.upgrade(), caller.close());
    exchange.bodyMode = framing.mode;
    exchange.bodyRemaining = framing.remaining;
    pipeline.add(exchange);
    if (LOG.isDebugEnabled()) {
      LOG.debug(
          "queued {} {} as {} ({} bytes of header section, body {}{})",
          method,
          target,
          ref,
          size,
          framing.mode,
          framing.fixed == null ? "" : ", " + framing.fixed.length() + " fixed bytes");
    }
    return ref;
  }

  /**
   * Checks what needs no field scan: the connection's state, the method, the target, and a
   * CONNECT's body; returns the body to frame (none for a CONNECT, whose streaming means tunnel
   * bytes).
   */
  private RequestBody validate(String method, String target, RequestBody content)
      throws HttpException {
    checkCanSend();
    if (!FieldRules.isToken(method)) {
      throw HttpException.caller(
          Reason.INVALID_METHOD, "method '" + FieldRules.printable(method) + "' is not a token");
    }
    boolean connect = method.equals("CONNECT");
    RequestTarget.check(method, target, connect, options.validateTarget());
    if (!connect) {
      return content;
    }
    if (content instanceof RequestBody.Fixed) {
      throw HttpException.caller(
          Reason.INVALID_STATE,
          "a CONNECT request has no content (RFC 9110 §9.3.6); send tunnel bytes with"
              + " streamRequestBody after the 2xx, with RequestBody.streaming() or none");
    }
    return RequestBody.none(); // streaming means tunnel bytes, which the 2xx opens
  }

  /** Queues the header section, then a fixed body (class comment); returns the section's bytes. */
  private long encode(
      String method,
      String target,
      Field host,
      Field agent,
      Headers fields,
      CallerFields caller,
      Framing framing)
      throws HttpException {
    long size = method.length() + 1L + target.length() + VERSION_CRLF.length + CRLF.length;
    size += caller.size() + Field.size(host) + Field.size(agent) + Field.size(framing.added);
    byte[] b = sectionArray(size, "header"); // RFC 9112 §3, §5
    int at = putAscii(b, 0, method, false);
    b[at++] = Grammar.SP;
    at = putAscii(b, at, target, false);
    at = put(b, at, VERSION_CRLF);
    at = putField(b, at, host);
    at = putField(b, at, agent);
    at = putFields(b, at, fields);
    at = putField(b, at, framing.added);
    put(b, at, CRLF);
    output.add(ByteBuffer.wrap(b));
    if (framing.fixed != null) {
      output.addHeld(framing.fixed); // leaves with the header section in one gathering write
    }
    return size;
  }

  /**
   * How a request's body goes out (RFC 9112 §6): the field the engine adds for it, if any, the mode
   * of a streamed body, and the bytes of a fixed one.
   */
  private record Framing(Field added, Exchange.BodyMode mode, long remaining, Bytes fixed) {
    static final Framing NONE = new Framing(null, Exchange.BodyMode.ENDED, 0, null);
  }

  /** A field the engine adds: {@code host}, {@code user-agent}, or one that frames the body. */
  private record Field(String name, String value) {
    /** Bytes of the field line {@code name: value\r\n}, or 0 for none. */
    static long size(Field f) {
      return f == null ? 0 : f.name.length() + 2L + f.value.length() + 2L;
    }
  }

  /** Decides the framing; refuses managed fields that contradict the body (class Javadoc). */
  private Framing framing(String method, RequestBody content, CallerFields caller)
      throws HttpException {
    long contentLength = caller.contentLength();
    if (content instanceof RequestBody.Fixed f) {
      Bytes fixed = f.bytes();
      if (caller.transferEncoding() != null) {
        throw HttpException.caller(
            Reason.INVALID_REQUEST_HEADER,
            "transfer-encoding set on a request with a fixed body, whose framing is the engine's"
                + " (content-length); to send a transfer coding, use RequestBody.streaming()");
      }
      if (contentLength >= 0 && contentLength != fixed.length()) {
        throw HttpException.caller(
            Reason.INVALID_REQUEST_HEADER,
            "content-length %s does not match the fixed body of %s bytes"
                .formatted(contentLength, fixed.length()));
      }
      Field added =
          contentLength < 0 ? new Field(contentLengthName, Integer.toString(fixed.length())) : null;
      return new Framing(added, Exchange.BodyMode.ENDED, 0, fixed);
    }
    if (content instanceof RequestBody.Streaming) {
      if (contentLength >= 0) {
        return new Framing(null, Exchange.BodyMode.COUNTED, contentLength, null);
      }
      if (caller.transferEncoding() != null) {
        CallerFields.checkEndsInChunked(caller.transferEncoding());
        // the caller's codings, then the engine's chunks
        return new Framing(null, Exchange.BodyMode.CHUNKED, 0, null);
      }
      return new Framing(
          new Field(transferEncodingName, "chunked"), Exchange.BodyMode.CHUNKED, 0, null);
    }
    if (caller.transferEncoding() != null) {
      throw HttpException.caller(
          Reason.INVALID_REQUEST_HEADER,
          "transfer-encoding set on a request without a body; use RequestBody.streaming()");
    }
    if (contentLength > 0) {
      throw HttpException.caller(
          Reason.INVALID_REQUEST_HEADER,
          "content-length " + contentLength + " on a request without a body");
    }
    boolean expectsLength = method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    if (contentLength < 0 && expectsLength) { // content by nature: a length says there is none
      return new Framing(new Field(contentLengthName, "0"), Exchange.BodyMode.ENDED, 0, null);
    }
    return Framing.NONE;
  }

  /**
   * The {@code host} line the engine sends when the caller sets none. RFC 9112 §3.2: host is
   * identical to the target URI's authority, without userinfo; for absolute-form (to a forward
   * proxy) and authority-form that is not the connection's own.
   */
  private Field defaultHost(String target, boolean connect) throws HttpException {
    String targetAuthority = RequestTarget.authority(target, connect);
    if (targetAuthority != null) {
      if (!FieldRules.isValidValue(targetAuthority)) {
        throw HttpException.caller(
            Reason.INVALID_TARGET,
            "the authority '"
                + FieldRules.printable(targetAuthority)
                + "' of the request target cannot be sent in a host header; set host");
      }
      return new Field(hostName, targetAuthority);
    }
    if (hostField == null) {
      throw HttpException.caller(
          Reason.INVALID_HEADER_VALUE,
          "the authority '"
              + FieldRules.printable(authority)
              + "' cannot be sent in a host header");
    }
    return hostField;
  }

  /** The {@code user-agent} line the engine sends when the caller sets none, or null. */
  private Field defaultUserAgent() throws HttpException {
    if (userAgent != null && userAgentField == null) {
      throw HttpException.caller(
          Reason.INVALID_HEADER_VALUE,
          "the user agent '" + FieldRules.printable(userAgent) + "' cannot be sent in a header");
    }
    return userAgentField;
  }

  /** The fields {@link #encode} writes, in its order, for {@link RequestRef#sentHeaders()}. */
  private static Headers sentFields(Field host, Field agent, Headers fields, Field added) {
    Headers.Builder sent = Headers.builder();
    add(sent, host);
    add(sent, agent);
    fields.forEach(sent::add);
    add(sent, added);
    return sent.build();
  }

  private static void add(Headers.Builder sent, Field f) {
    if (f != null) {
      sent.add(f.name, f.value);
    }
  }

  /** An array for a header or trailer section of {@code size} bytes, which must fit one. */
  private static byte[] sectionArray(long size, String section) throws HttpException {
    if (size > Integer.MAX_VALUE) {
      throw HttpException.caller(
          Reason.INVALID_REQUEST_HEADER,
          "the " + section + " section of " + size + " bytes is too large");
    }
    return new byte[(int) size];
  }

  /** Copies {@code src} into {@code b} at {@code at}; returns the new end. */
  private static int put(byte[] b, int at, byte[] src) {
    System.arraycopy(src, 0, b, at, src.length);
    return at + src.length;
  }

  /**
   * What a caller's request header fields say, found in one pass that also validates every name and
   * value: the fields the engine manages ({@code host}, {@code user-agent}, {@code content-length},
   * {@code transfer-encoding}, {@code connection}, {@code upgrade}) and the bytes the fields take
   * on the wire. What they mean for the body is {@link RequestWriter#framing}'s to decide.
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
  private record CallerFields(
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
        // equalsIgnoreCase compares lengths first: most names are refused at once
        if (name.equalsIgnoreCase("host")) {
          if (hasHost) {
            throw HttpException.caller(
                Reason.INVALID_REQUEST_HEADER, "more than one host header (RFC 9112 §3.2)");
          }
          hasHost = true;
        }
        hasUserAgent |= name.equalsIgnoreCase("user-agent");
        upgrade |= name.equalsIgnoreCase("upgrade");
        close |= name.equalsIgnoreCase("connection") && Grammar.listContains(value, "close");
        if (name.equalsIgnoreCase("transfer-encoding")) {
          transferEncoding = transferEncoding == null ? value : transferEncoding + ", " + value;
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
     * §6.1: a client that applies any transfer coding to a request applies chunked last; §7.1:
     * never twice), the only framing the engine can apply for it. Each list element must be a
     * coding: empty elements are refused rather than sent, since a recipient that counts them
     * differently would see another last coding.
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

  // ---- streamed bodies ----

  void streamBody(RequestRef ref, ByteBuffer chunk) throws HttpException {
    Exchange e = streamingExchange(ref);
    int n = chunk.remaining();
    if (n == 0) {
      return; // nothing to send; an empty chunk would even be the last chunk (RFC 9112 §7.1)
    }
    switch (e.bodyMode) {
      case CHUNKED -> {
        int hex = Grammar.hexLength(n);
        byte[] b = new byte[hex + 2 + n + 2];
        int at = put(b, Grammar.putHex(b, 0, n), CRLF);
        chunk.duplicate().get(b, at, n); // the caller's buffer moves only once the chunk is queued
        put(b, at + n, CRLF);
        output.add(ByteBuffer.wrap(b));
        chunk.position(chunk.limit());
      }
      case COUNTED -> {
        if (n > e.bodyRemaining) {
          throw HttpException.caller(
              Reason.BODY_LENGTH_MISMATCH,
              "%s more body bytes, but content-length leaves only %s for %s"
                  .formatted(n, e.bodyRemaining, ref));
        }
        output.addCopy(chunk);
        e.bodyRemaining -= n;
      }
      case TUNNEL -> output.addCopy(chunk);
      case ENDED -> throw notStreaming(ref);
    }
  }

  void endBody(RequestRef ref, Headers trailers) throws HttpException {
    Exchange e = streamingExchange(ref);
    Headers t = trailers == null ? Headers.empty() : trailers;
    if (e.bodyMode == Exchange.BodyMode.CHUNKED) {
      long size = LAST_CHUNK.length + CRLF.length;
      for (int i = 0; i < t.size(); i++) {
        FieldRules.requireSendableTrailer(t.name(i), t.value(i));
        size += t.name(i).length() + 2L + t.value(i).length() + 2L;
      }
      byte[] b = sectionArray(size, "trailer");
      put(b, putFields(b, put(b, 0, LAST_CHUNK), t), CRLF);
      output.add(ByteBuffer.wrap(b));
    } else {
      if (!t.isEmpty()) {
        throw HttpException.caller(
            Reason.INVALID_REQUEST_HEADER,
            "trailers need a chunked body, but "
                + ref
                + " is sent "
                + (e.bodyMode == Exchange.BodyMode.COUNTED
                    ? "with a content-length"
                    : "as tunnel bytes"));
      }
      if (e.bodyMode == Exchange.BodyMode.COUNTED && e.bodyRemaining != 0) {
        throw HttpException.caller(
            Reason.BODY_LENGTH_MISMATCH,
            "the body of " + ref + " ended " + e.bodyRemaining + " bytes short of content-length");
      }
    }
    e.bodyMode = Exchange.BodyMode.ENDED;
    pipeline.streaming(null);
  }

  // ---- checks ----

  private void checkCanSend() throws HttpException {
    switch (pipeline.state()) {
      case OPEN -> {}
      case CLOSED -> throw closed();
      case DRAINING ->
          throw HttpException.caller(
              Reason.INVALID_STATE,
              "no more requests on this connection: it closes after the responses in flight"
                  + " (connection: close)");
      case TUNNEL ->
          throw HttpException.caller(
              Reason.INVALID_STATE, "no more requests on this connection: it is a tunnel now");
    }
    Exchange open = pipeline.streaming();
    if (open != null) {
      throw HttpException.caller(
          Reason.INVALID_STATE,
          "the body of "
              + open.ref
              + " is still streaming; end it first (HTTP/1.1 sends requests in order)");
    }
    Exchange last = pipeline.tail();
    if (last != null && (last.connect || last.upgrade)) {
      throw HttpException.caller(
          Reason.INVALID_STATE,
          "wait for the response to "
              + last.ref
              + ": it "
              + (last.connect ? "is a CONNECT" : "offers an upgrade")
              + ", and if the server accepts, bytes sent behind it belong to the tunnel"
              + " (RFC 9110 §9.3.6, §7.8)");
    }
    if (pipeline.size() >= options.maxPipelinedRequests()) {
      throw HttpException.caller(
          Reason.PEER_LIMIT_REACHED,
          pipeline.size()
              + " requests in flight, the limit (maxPipelinedRequests) is "
              + options.maxPipelinedRequests());
    }
  }

  /** The exchange {@code ref} may stream into, or the caller error saying why not. */
  private Exchange streamingExchange(RequestRef ref) throws HttpException {
    if (pipeline.isClosed()) {
      throw closed();
    }
    Exchange e = pipeline.streaming();
    if (e != null && e.ref == ref) {
      return e;
    }
    if (pipeline.holds(ref)) {
      throw notStreaming(ref);
    }
    throw HttpException.caller(
        Reason.UNKNOWN_REQUEST, ref + " is not a request in flight on this connection");
  }

  private static HttpException closed() {
    return new HttpException(
        Reason.INVALID_STATE,
        HttpException.Fault.CALLER,
        HttpException.Scope.CONNECTION,
        "the connection is closed");
  }

  private static HttpException notStreaming(RequestRef ref) {
    return HttpException.caller(
        Reason.BODY_NOT_STREAMING, "the body of " + ref + " is not streaming or has ended");
  }

  // ---- encoding ----

  private int putFields(byte[] b, int at, Headers fields) {
    int n = fields.size();
    for (int i = 0; i < n; i++) {
      at = putField(b, at, fields.name(i), fields.value(i), !preserveCase);
    }
    return at;
  }

  private static int putField(byte[] b, int at, String name, String value, boolean lower) {
    at = putAscii(b, at, name, lower);
    b[at++] = ':';
    b[at++] = Grammar.SP;
    at = putAscii(b, at, value, false);
    b[at++] = Grammar.CR;
    b[at++] = Grammar.LF;
    return at;
  }

  /** Writes validated one-byte characters; lower-cases ASCII letters when asked. */
  @SuppressWarnings("deprecation") // getBytes copies each char's low byte: all of a one-byte char
  private static int putAscii(byte[] b, int at, String s, boolean lower) {
    s.getBytes(0, s.length(), b, at);
    for (int i = at; lower && i < at + s.length(); i++) {
      b[i] = (byte) (b[i] >= 'A' && b[i] <= 'Z' ? b[i] + 32 : b[i]);
    }
    return at + s.length();
  }

  /** Writes an engine-added field line, if any; returns the new end. */
  private static int putField(byte[] b, int at, Field f) {
    return f == null ? at : putField(b, at, f.name, f.value, false);
  }
}
