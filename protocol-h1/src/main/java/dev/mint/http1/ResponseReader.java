// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import dev.mint.Headers;
import dev.mint.Http1Options;
import dev.mint.HttpException;
import dev.mint.HttpException.Reason;
import dev.mint.ResponsePart;
import dev.mint.spi.FieldRules;
import dev.mint.spi.ReadBuffers;
import java.nio.ByteBuffer;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The receive half of the HTTP/1.1 engine: parses response bytes into {@link ResponsePart}s.
 *
 * <p><b>Theory of operation.</b> One state machine ({@link ReadState}, one {@code switch} in {@link
 * #receive}) walks the message grammar of RFC 9112 while the connection speaks HTTP; TUNNEL and
 * CLOSED below are the connection's states, which the {@link Pipeline} alone owns:
 *
 * <pre>
 *   STATUS_LINE ─▶ HEADER_LINE ─┬─ 1xx (not 101) ───────────────────────▶ STATUS_LINE (same request)
 *                               ├─ 101, 2xx to CONNECT ─────────────────▶ TUNNEL, read UNTIL_CLOSE
 *                               ├─ HEAD, 204, 304, content-length: 0 ──▶ Done ─▶ STATUS_LINE
 *                               ├─ content-length ─▶ FIXED_BODY ───────▶ Done ─▶ STATUS_LINE
 *                               ├─ chunked ─▶ CHUNK_SIZE ◀─▶ CHUNK_DATA ─▶ CHUNK_DATA_CR ─▶ CHUNK_DATA_LF
 *                               │              └─ size 0 ─▶ TRAILER_LINE ─▶ Done ─▶ STATUS_LINE
 *                               └─ neither ─▶ UNTIL_CLOSE ─▶ Done at a clean close ─▶ CLOSED
 *   any connection-scoped error, a closing response completed, cancel, close ─▶ CLOSED
 * </pre>
 *
 * <p>Lines are scanned in the received buffer itself; only a line split across two {@code receive}
 * calls is copied, into one line buffer bounded by the limit of its section ({@link #nextLine}).
 * Body bytes leave as soon as they arrive ({@link ReadBuffers#bodyChunk}): a chunk is never held
 * back until it is complete.
 *
 * <p>Framing follows RFC 9112 §6.3 strictly ({@link #bodyFraming}), because a lenient reading is
 * how responses get smuggled. Where the RFCs leave a choice, the choice is commented where it is
 * made (a 101 answers only an upgrade, no empty line before a status line, codes 600 to 999 passed
 * on). Trailer fields are reported as sent, never merged into the headers (RFC 9110 §6.5.2), so
 * fields that cannot be trailers ({@code content-length}, {@code transfer-encoding}, {@code
 * connection}) are neither refused nor acted on: they cannot change any framing (§6.5.1 lets a
 * recipient ignore them).
 *
 * <p>Left out: leniency switches; chunk extensions are checked and ignored ({@link
 * Grammar#chunkSize}).
 */
final class ResponseReader {
  private static final Logger LOG = LoggerFactory.getLogger(ResponseReader.class);

  /**
   * The most bytes a chunk-size line may take, extensions and terminator included: 4 KiB. Sizes
   * need at most 16 hex digits; the bound stops a peer from streaming endless extensions.
   */
  static final int MAX_CHUNK_LINE = 4096;

  /**
   * The largest line buffer kept once its line is parsed: a single long header line (up to the
   * section limit) should not pin its buffer to the connection for as long as the connection lives.
   */
  private static final int MAX_KEPT_LINE = 8192;

  /** Where the parser is in the response grammar: the states of the class comment's diagram. */
  enum ReadState {
    STATUS_LINE,
    HEADER_LINE,
    FIXED_BODY,
    CHUNK_SIZE,
    CHUNK_DATA,
    CHUNK_DATA_CR,
    CHUNK_DATA_LF,
    TRAILER_LINE,
    UNTIL_CLOSE
  }

  private final Pipeline pipeline;
  private final Http1Options options;
  private final FieldParser fields = new FieldParser();

  private ReadState state = ReadState.STATUS_LINE;

  /** The start of a line received in an earlier call; bounded by the section's limit. */
  private byte[] line = new byte[256];

  private int lineLength;

  /** Bounds of the line {@link #nextLine} returned, terminator removed. */
  private int lineStart;

  private int lineEnd;

  /** Bytes the line {@link #nextLine} returned took, terminator included. */
  private int lineBytes;

  /** Bytes of the current header or trailer section taken by complete lines; 0 between them. */
  private int sectionBytes;

  /** The response being parsed. */
  private Exchange exchange;

  private int status;

  /** Interim (1xx) responses received for {@link #exchange} so far. */
  private int interimResponses;

  private String reason = "";
  private boolean http10;
  private boolean closeAfter;

  /** Body bytes still expected: of a fixed-length body, or of the current chunk. */
  private long remaining;

  ResponseReader(Pipeline pipeline, Http1Options options) {
    this.pipeline = pipeline;
    this.options = options;
  }

  ReadState state() {
    return state;
  }

  /** Bytes held between calls: the line buffer and what the field parser keeps. */
  long retainedBytes() {
    return line.length + fields.retainedBytes();
  }

  /** Parses all of {@code in}, appending parts to {@code out}. */
  void receive(ByteBuffer in, List<ResponsePart> out) throws HttpException {
    try {
      while (in.hasRemaining() && !pipeline.isClosed()) {
        parse(in, out);
      }
    } catch (HttpException e) {
      throw fail(e);
    }
    if (in.hasRemaining()) {
      // A closing response completed (or the caller closed): RFC 9112 §9.6 says nothing more
      // follows; whatever the peer sent anyway has no request to belong to.
      if (LOG.isDebugEnabled()) {
        LOG.debug("discarding {} bytes received after close", in.remaining());
      }
      in.position(in.limit());
    }
  }

  /** One step of the response grammar, or of a tunnel's bytes (UNTIL_CLOSE). */
  private void parse(ByteBuffer in, List<ResponsePart> out) throws HttpException {
    switch (state) {
      case STATUS_LINE -> statusLine(in);
      case HEADER_LINE -> fieldLine(in, out, false);
      case FIXED_BODY, CHUNK_DATA -> {
        int n = (int) Math.min(remaining, in.remaining());
        out.add(new ResponsePart.Data(exchange.ref, ReadBuffers.bodyChunk(in, n)));
        remaining -= n;
        if (remaining == 0 && state == ReadState.FIXED_BODY) {
          complete(out);
        } else if (remaining == 0) {
          state = ReadState.CHUNK_DATA_CR;
        }
      }
      case CHUNK_SIZE -> chunkSize(in);
      case CHUNK_DATA_CR -> {
        expectAfterChunk(in.get(), Grammar.CR);
        state = ReadState.CHUNK_DATA_LF;
      }
      case CHUNK_DATA_LF -> {
        expectAfterChunk(in.get(), Grammar.LF);
        state = ReadState.CHUNK_SIZE;
      }
      case TRAILER_LINE -> fieldLine(in, out, true);
      case UNTIL_CLOSE ->
          out.add(new ResponsePart.Data(exchange.ref, ReadBuffers.bodyChunk(in, in.remaining())));
    }
  }

  /**
   * The peer closed: completes a body read until close or a tunnel, tells unanswered requests, and
   * throws {@link Reason#PREMATURE_CLOSE} when a response was cut short, or {@link
   * Reason#TRUNCATED_RESPONSE} when a body only the close delimits ends without the closure alert
   * that would confirm it ({@code clean} false) and {@link
   * Http1Options#acceptCloseWithoutCloseNotify()} is off.
   */
  void receiveEnd(boolean clean, List<ResponsePart> out) throws HttpException {
    if (pipeline.isClosed()) {
      return;
    }
    switch (state) {
      case STATUS_LINE -> {
        Exchange head = pipeline.head();
        if (head != null && (lineLength > 0 || interimResponses > 0)) { // a response began
          throw premature("in the status line of the response to " + head.ref);
        }
        pipeline.close(
            out, null, "request not answered: the server closed the connection before responding");
      }
      case HEADER_LINE ->
          throw premature("in the header section of the response to " + exchange.ref);
      case FIXED_BODY ->
          throw premature(
              "with %s bytes of the content-length body of the response to %s missing"
                  .formatted(remaining, exchange.ref));
      case CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_CR, CHUNK_DATA_LF, TRAILER_LINE ->
          throw premature("in the chunked body of the response to " + exchange.ref);
      case UNTIL_CLOSE -> {
        // RFC 9112 §6.3 item 8: the close ends the body; §9.8: if it is a clean one. A tunnelled
        // protocol finds its own truncations.
        boolean tunnel = pipeline.state() == Pipeline.ConnectionState.TUNNEL;
        if (!clean && !tunnel && !options.acceptCloseWithoutCloseNotify()) {
          throw fail(
              HttpException.peer(
                  Reason.TRUNCATED_RESPONSE,
                  "the connection ended without a TLS close_notify alert, so the body of the"
                      + " response to "
                      + exchange.ref
                      + ", which only the close delimits, may be truncated (RFC 9112 §9.8); "
                      + "Http1Options.acceptCloseWithoutCloseNotify accepts such an end"));
        }
        complete(out);
      }
    }
  }

  /**
   * Nothing will be parsed again (a failure, a cancel, the caller's close; the pipeline owns the
   * connection's state): drops the partial line and fields, up to a section's limit.
   */
  void closed() {
    line = new byte[0];
    lineLength = 0;
    fields.release();
  }

  // ---- status line and header section ----

  private void statusLine(ByteBuffer in) throws HttpException {
    if (exchange == null) {
      exchange = pipeline.head();
      if (exchange == null) {
        throw HttpException.peer(
            Reason.UNEXPECTED_DATA,
            "%s bytes arrived while no request was in flight, starting with byte %s"
                .formatted(in.remaining(), Grammar.hexByte(in.get(in.position()))));
      }
    }
    ByteBuffer b = nextLine(in);
    if (b == null) {
      return;
    }
    parseStatusLine(b, lineStart, lineEnd);
    if (status < 200 && status != 101 && ++interimResponses > options.maxInterimResponses()) {
      // RFC 9110 §15.2 sets no bound on interim responses: the limit's comment says why one
      throw HttpException.peer(
          Reason.TOO_MANY_INTERIM_RESPONSES,
          "more than %s interim (1xx) responses to %s (maxInterimResponses)"
              .formatted(options.maxInterimResponses(), exchange.ref));
    }
    sectionBytes += lineBytes;
    state = ReadState.HEADER_LINE;
  }

  /**
   * RFC 9112 §4: {@code HTTP-version SP status-code SP [ reason-phrase ]}. The space and reason are
   * optional here because many servers end the line right after the code. The code is exactly three
   * digits from 100; codes from 600 to 999 fit the grammar but not RFC 9110 §15, which asks a
   * client to treat them as 5xx: they are framed like any final response and passed on as sent, for
   * the caller to judge.
   */
  private void parseStatusLine(ByteBuffer b, int s, int e) throws HttpException {
    if (s == e) {
      // RFC 9112 §2.2 lets a server skip empty lines before a request line; nothing lets a
      // client skip them before a status line, and one here usually means the previous
      // response's body was framed differently by the server than by us.
      throw HttpException.peer(
          Reason.INVALID_STATUS_LINE,
          "empty line where the status line of the response to " + exchange.ref + " belongs");
    }
    expectStatus(b, s, e, 0, "HTTP/d.d");
    int major = b.get(s + 5) - '0';
    int minor = b.get(s + 7) - '0';
    if (major != 1 || minor > 1) {
      throw HttpException.peer(
          Reason.UNSUPPORTED_VERSION,
          "HTTP/" + major + "." + minor + " response; this engine speaks HTTP/1.1 and HTTP/1.0");
    }
    expectStatus(b, s, e, 8, " ddd");
    int code = (b.get(s + 9) - '0') * 100 + (b.get(s + 10) - '0') * 10 + b.get(s + 11) - '0';
    if (code < 100) {
      throw HttpException.peer(
          Reason.INVALID_STATUS_LINE, "status code " + code + " is below 100 (RFC 9110 §15)");
    }
    String phrase = "";
    if (s + 12 < e) {
      expectStatus(b, s, e, 12, " ");
      phrase = reasonPhrase(b, s, e);
    }
    status = code;
    reason = phrase;
    http10 = minor == 0;
  }

  /**
   * The reason phrase after the status code of the line {@code b[s, e)}, checked byte by byte
   * (HTAB, SP, VCHAR, obs-text). Trailing spaces a server left before the line end are not part of
   * it. The previous response's phrase is used again when it is the same: a server sends few
   * different ones.
   */
  private String reasonPhrase(ByteBuffer b, int s, int e) throws HttpException {
    for (int i = s + 13; i < e; i++) {
      if (!FieldRules.isFieldValueByte(b.get(i))) {
        throw HttpException.peer(
            Reason.INVALID_STATUS_LINE,
            "invalid byte " + Grammar.hexByte(b.get(i)) + " in reason phrase at offset " + (i - s));
      }
    }
    return FieldParser.decode(reason, b, s + 13, Grammar.trimOws(b, s + 13, e), false);
  }

  /**
   * Checks the status line {@code b[s, e)} from offset {@code at} against {@code pattern}, in which
   * {@code d} stands for any digit and every other character for itself.
   */
  private static void expectStatus(ByteBuffer b, int s, int e, int at, String pattern)
      throws HttpException {
    for (int i = at; i < at + pattern.length(); i++) {
      if (s + i >= e) {
        throw HttpException.peer(
            Reason.INVALID_STATUS_LINE, "status line ends early at offset " + i);
      }
      byte c = b.get(s + i);
      char expected = pattern.charAt(i - at);
      if (expected == 'd' ? c < '0' || c > '9' : c != expected) {
        throw HttpException.peer(
            Reason.INVALID_STATUS_LINE,
            "invalid byte "
                + Grammar.hexByte(c)
                + " in status line at offset "
                + i
                + (expected == 'd' ? "" : ", expected '" + expected + "'"));
      }
    }
  }

  /** A header or trailer field line, or the empty line that ends the section. */
  private void fieldLine(ByteBuffer in, List<ResponsePart> out, boolean trailer)
      throws HttpException {
    ByteBuffer b = nextLine(in);
    if (b == null) {
      return;
    }
    int offset = sectionBytes;
    sectionBytes += lineBytes;
    if (lineStart < lineEnd) {
      fields.parseLine(b, lineStart, lineEnd, offset, trailer ? "trailer" : "header");
    } else if (!trailer) {
      headerSectionEnd(out);
    } else {
      if (!fields.isEmpty()) {
        out.add(new ResponsePart.Trailers(exchange.ref, fields.toHeaders()));
      }
      fields.clear();
      complete(out);
    }
  }

  /** The header section is complete: emit it and frame the body (RFC 9112 §6.3). */
  private void headerSectionEnd(List<ResponsePart> out) throws HttpException {
    Headers headers = fields.toHeaders();
    fields.clear();
    sectionBytes = 0;
    if (status == 101 && !exchange.upgrade) {
      // RFC 9110 §7.8: a server MUST NOT switch to a protocol the request did not offer in
      // upgrade; the bytes after this 101 would be a protocol nobody asked for.
      throw HttpException.peer(
          Reason.INVALID_STATUS_LINE,
          "status 101 answers "
              + exchange.ref
              + ", which offered no upgrade (RFC 9110 §7.8, §15.2.2)");
    }
    boolean interim = status < 200 && status != 101; // RFC 9110 §15.2: another status follows
    boolean tunnel = status == 101 || exchange.connect && status / 100 == 2; // §15.2.2, §9.3.6
    ReadState body = interim || tunnel ? null : bodyFraming(headers);
    out.add(new ResponsePart.Status(exchange.ref, status, reason));
    out.add(new ResponsePart.Headers(exchange.ref, headers));
    if (interim) {
      state = ReadState.STATUS_LINE;
    } else if (tunnel) {
      if (LOG.isDebugEnabled()) {
        LOG.debug("{} opened a tunnel with status {}", exchange.ref, status);
      }
      pipeline.tunnel(
          exchange,
          out,
          "request not answered: the connection became a tunnel for " + exchange.ref);
      state = ReadState.UNTIL_CLOSE; // raw bytes now, which only the close ends
    } else {
      if (closeAfter) {
        pipeline.moveTo(Pipeline.ConnectionState.DRAINING);
      }
      if (body == null) {
        complete(out);
      } else {
        state = body;
      }
    }
  }

  /**
   * How the body of a final response is delimited (RFC 9112 §6.3), and whether the connection ends
   * after it; null when the response has no content.
   */
  private ReadState bodyFraming(Headers headers) throws HttpException {
    boolean close = false;
    boolean keepAlive = false;
    String transferEncoding = null;
    int transferEncodings = 0;
    for (int i = 0; i < headers.size(); i++) {
      String name = headers.name(i);
      if (name.equals("connection")) {
        close |= Grammar.listContains(headers.value(i), "close");
        keepAlive |= http10 && Grammar.listContains(headers.value(i), "keep-alive");
      } else if (name.equals("transfer-encoding")) {
        transferEncoding = headers.value(i);
        transferEncodings++;
      }
    }
    // RFC 9112 §9.3: HTTP/1.1 persists unless closed, HTTP/1.0 only with keep-alive
    closeAfter = exchange.closeRequested || close || http10 && !keepAlive;
    if (exchange.head || status == 204 || status == 304) {
      return null; // RFC 9112 §6.3 item 1: never content, whatever the fields say
    }
    if (transferEncodings > 0) {
      if (headers.contains("content-length")) {
        throw HttpException.peer(
            Reason.TRANSFER_ENCODING_WITH_CONTENT_LENGTH,
            "response has both transfer-encoding and content-length (RFC 9112 §6.3)");
      }
      if (transferEncodings > 1 || !transferEncoding.equalsIgnoreCase("chunked")) {
        throw HttpException.peer(
            Reason.UNSUPPORTED_TRANSFER_ENCODING,
            "transfer-encoding '"
                + FieldRules.printable(transferEncoding)
                + "'"
                + (transferEncodings > 1 ? " in " + transferEncodings + " fields" : "")
                + "; only a lone chunked is supported");
      }
      closeAfter |= http10; // RFC 9112 §6.1: a chunked HTTP/1.0 message cannot be trusted further
      return ReadState.CHUNK_SIZE;
    }
    try {
      remaining = FieldRules.contentLength(headers); // RFC 9110 §8.6, as HTTP/2 reads it
    } catch (FieldRules.Violation v) {
      throw v.toPeerError();
    }
    if (remaining < 0) {
      closeAfter = true; // RFC 9112 §6.3 item 8: only the close ends this body
      return ReadState.UNTIL_CLOSE;
    }
    return remaining == 0 ? null : ReadState.FIXED_BODY;
  }

  // ---- chunked body (RFC 9112 §7.1) ----

  private void chunkSize(ByteBuffer in) throws HttpException {
    ByteBuffer b = nextLine(in);
    if (b == null) {
      return;
    }
    long size = Grammar.chunkSize(b, lineStart, lineEnd);
    if (size == 0) {
      state = ReadState.TRAILER_LINE; // last-chunk: the trailer section follows (RFC 9112 §7.1.2)
    } else {
      remaining = size;
      state = ReadState.CHUNK_DATA;
    }
  }

  private static void expectAfterChunk(byte got, byte expected) throws HttpException {
    if (got != expected) {
      throw HttpException.peer(
          Reason.INVALID_CHUNK_FRAMING,
          "invalid byte %s after chunk data, expected %s (chunk data ends with CRLF, RFC 9112 §7.1)"
              .formatted(Grammar.hexByte(got), Grammar.hexByte(expected)));
    }
  }

  // ---- completion and failure ----

  /** The response is complete: Done, then the next response or the close it asked for. */
  private void complete(List<ResponsePart> out) {
    Exchange done = exchange;
    out.add(new ResponsePart.Done(done.ref));
    pipeline.removeHead();
    exchange = null;
    interimResponses = 0;
    sectionBytes = 0;
    if (closeAfter || pipeline.state() == Pipeline.ConnectionState.TUNNEL) {
      pipeline.close(
          out,
          null,
          "request not answered: the server closed the connection after the response to "
              + done.ref);
    } else {
      state = ReadState.STATUS_LINE;
    }
    closeAfter = false;
  }

  private HttpException premature(String where) {
    return fail(
        HttpException.peer(Reason.PREMATURE_CLOSE, "the server closed the connection " + where));
  }

  /** Ends the connection for the connection error {@code e}, which it returns to be thrown. */
  private HttpException fail(HttpException e) {
    if (LOG.isDebugEnabled()) {
      LOG.debug("http/1.1 connection failed: {}", e.getMessage());
    }
    closed();
    pipeline.abandon();
    return e;
  }

  // ---- lines ----

  /**
   * The next complete line, in {@code in} itself or in the line buffer, with its bounds in {@link
   * #lineStart} and {@link #lineEnd}; or null when it is not complete yet (its start is kept). A
   * line may take, terminator included, what its section has left of {@link #lineLimit}.
   */
  private ByteBuffer nextLine(ByteBuffer in) throws HttpException {
    int pos = in.position();
    int lim = in.limit();
    int lf = Grammar.indexOf(in, pos, lim, Grammar.LF);
    int n = lf - pos;
    // The line needs at least its bytes so far and an LF: refuse it as soon as that cannot fit.
    if ((long) sectionBytes + lineLength + n + 1 > lineLimit()) {
      throw lineTooLong();
    }
    if (lf == lim) {
      append(in, pos, n);
      in.position(lim);
      return null;
    }
    in.position(lf + 1);
    lineBytes = lineLength + n + 1;
    ByteBuffer b;
    if (lineLength == 0) {
      b = in;
      lineStart = pos;
      lineEnd = lf;
    } else {
      append(in, pos, n);
      b = ByteBuffer.wrap(line, 0, lineLength);
      lineStart = 0;
      lineEnd = lineLength;
      lineLength = 0;
      if (line.length > MAX_KEPT_LINE) {
        line = new byte[256]; // b keeps the long line; an idle connection need not
      }
    }
    if (lineEnd > lineStart && b.get(lineEnd - 1) == Grammar.CR) {
      lineEnd--; // CRLF; a bare LF is accepted too (RFC 9112 §2.2)
    }
    return b;
  }

  private void append(ByteBuffer in, int pos, int n) {
    if (lineLength + n > line.length) {
      byte[] bigger = new byte[Math.max(lineLength + n, line.length * 2)];
      System.arraycopy(line, 0, bigger, 0, lineLength);
      line = bigger;
    }
    in.get(pos, line, lineLength, n);
    lineLength += n;
  }

  /**
   * The limit of the line's section ({@link #sectionBytes} took part); a chunk-size line is one.
   */
  private int lineLimit() {
    return switch (state) {
      case TRAILER_LINE -> options.maxTrailerSectionSize();
      case CHUNK_SIZE -> MAX_CHUNK_LINE;
      default -> options.maxHeaderSectionSize();
    };
  }

  private HttpException lineTooLong() {
    String exceeds = " exceeds " + lineLimit() + " bytes";
    return switch (state) {
      case TRAILER_LINE ->
          HttpException.peer(Reason.TRAILER_SECTION_TOO_LARGE, "trailer section" + exceeds);
      case CHUNK_SIZE -> HttpException.peer(Reason.INVALID_CHUNK_SIZE, "chunk-size line" + exceeds);
      default -> HttpException.peer(Reason.HEADER_SECTION_TOO_LARGE, "header section" + exceeds);
    };
  }
}
