// SPDX-License-Identifier: Apache-2.0
package dev.mint.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Serves HTTP/1.1 (RFC 9112) on one connection: reads a request, records it, writes its response,
 * and again while the connection stays persistent. Requests are read whole before the response is
 * chosen, so a pipelining client gets its responses in order.
 *
 * <p>Reading is strict about framing and bounded ({@link MockServer.Limits}); a request the server
 * cannot read is answered with 400, 413, 431 or 505 and the connection is closed.
 */
final class Http1Connection {
  private final MockServer server;
  private final Wire wire;
  private final MockServer.Limits limits;
  private int sequence;

  Http1Connection(MockServer server, Wire wire) {
    this.server = server;
    this.wire = wire;
    this.limits = server.limits();
  }

  void serve() throws IOException {
    while (!server.isClosed()) {
      Http1Request request;
      try {
        request = Http1Request.read(wire.in(), wire.out(), limits);
      } catch (Http1Request.BadRequest e) {
        server.reportClientError(wire, e.getMessage());
        writeResponse(
            MockResponse.builder(e.status())
                .header("connection", "close")
                .body("mint-testing: " + e.getMessage() + "\n")
                .build(),
            false);
        return;
      }
      if (request == null) {
        return; // the client closed between requests
      }
      RecordedRequest recorded =
          new RecordedRequest(
              request.method(),
              request.target(),
              request.header("host"),
              request.headers(),
              request.headBytes(),
              request.body(),
              request.trailers(),
              "http/1.1",
              wire.tls(),
              wire.index(),
              sequence++,
              0);
      MockResponse response = server.respond(recorded);
      if (!answer(response, request.method().equals("HEAD")) || request.closes()) {
        return;
      }
    }
  }

  /** Writes {@code response}; whether the connection stays open. */
  private boolean answer(MockResponse response, boolean head) throws IOException {
    Pacing.sleep(response.headersDelay());
    writeInterims(response);
    Fault fault = response.fault().orElse(null);
    if (fault instanceof Fault.ResetConnection || fault instanceof Fault.ResetStream) {
      wire.reset(); // no stream to reset on HTTP/1.1: the connection is the stream
      return false;
    }
    if (fault instanceof Fault.NoResponse || fault instanceof Fault.GoAway) {
      wire.close();
      return false;
    }
    if (fault instanceof Fault.TruncateBody t) {
      writeHead(response, false);
      Pacing.write(wire.out(), response, 0, t.bytes());
      wire.out().flush();
      wire.close();
      return false;
    }
    return writeResponse(response, head);
  }

  private boolean writeResponse(MockResponse response, boolean head) throws IOException {
    boolean chunked = chunked(response);
    writeHead(response, chunked);
    OutputStream out = wire.out();
    if (!head && allowsBody(response.status())) {
      if (chunked) {
        writeChunks(response);
      } else {
        Pacing.write(out, response, 0, response.bodyLength());
      }
    }
    out.flush();
    return response.headers().stream()
        .noneMatch(h -> h.named("connection") && h.value().equalsIgnoreCase("close"));
  }

  private void writeInterims(MockResponse response) throws IOException {
    for (MockResponse.Interim interim : response.interims()) {
      StringBuilder head = new StringBuilder();
      head.append("HTTP/1.1 ")
          .append(interim.status())
          .append(' ')
          .append(ReasonPhrases.of(interim.status()))
          .append("\r\n");
      appendFields(head, interim.headers());
      head.append("\r\n");
      wire.out().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      wire.out().flush();
    }
  }

  private void writeHead(MockResponse response, boolean chunked) throws IOException {
    StringBuilder head = new StringBuilder();
    head.append("HTTP/1.1 ")
        .append(response.status())
        .append(' ')
        .append(response.reason())
        .append("\r\n");
    appendFields(head, response.headers());
    boolean framed =
        response.headers().stream()
            .anyMatch(h -> h.named("content-length") || h.named("transfer-encoding"));
    if (!framed && allowsBody(response.status())) {
      head.append(
              chunked ? "transfer-encoding: chunked" : "content-length: " + response.bodyLength())
          .append("\r\n");
    }
    head.append("\r\n");
    wire.out().write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    wire.out().flush();
  }

  private void writeChunks(MockResponse response) throws IOException {
    OutputStream out = wire.out();
    int size = response.chunkSize() > 0 ? response.chunkSize() : Math.max(1, response.bodyLength());
    for (int at = 0; at < response.bodyLength(); at += size) {
      int n = Math.min(size, response.bodyLength() - at);
      out.write((Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII));
      Pacing.write(out, response, at, n);
      out.write(CRLF);
    }
    StringBuilder last = new StringBuilder("0\r\n");
    appendFields(last, response.trailers());
    last.append("\r\n");
    out.write(last.toString().getBytes(StandardCharsets.ISO_8859_1));
  }

  private static boolean chunked(MockResponse response) {
    return response.chunkSize() > 0 || !response.trailers().isEmpty();
  }

  /** 204 and 304 never carry a body (RFC 9110 §15.3.5, §15.4.5). */
  private static boolean allowsBody(int status) {
    return status != 204 && status != 304;
  }

  private static void appendFields(StringBuilder head, List<Header> fields) {
    for (Header h : fields) {
      head.append(h.name()).append(": ").append(h.value()).append("\r\n");
    }
  }

  private static final byte[] CRLF = {'\r', '\n'};

  /** One HTTP/1.1 request, read whole. */
  record Http1Request(
      String method,
      String target,
      String version,
      List<Header> headers,
      int headBytes,
      byte[] body,
      List<Header> trailers) {

    /** The first value of {@code name}, or "". */
    String header(String name) {
      return headers.stream().filter(h -> h.named(name)).map(Header::value).findFirst().orElse("");
    }

    /** Whether the connection ends after this exchange (RFC 9112 §9.3). */
    boolean closes() {
      String connection = header("connection");
      return connection.equalsIgnoreCase("close")
          || (version.equals("HTTP/1.0") && !connection.equalsIgnoreCase("keep-alive"));
    }

    /** The next request, or null when the client closed before its first byte. */
    static Http1Request read(InputStream in, OutputStream out, MockServer.Limits limits)
        throws IOException, BadRequest {
      int[] budget = {limits.maxHeaderBytes()};
      String line = readLine(in, budget, true);
      if (line == null) {
        return null;
      }
      String[] parts = line.split(" ", -1);
      if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty()) {
        throw new BadRequest(400, "malformed request line: " + printable(line));
      }
      if (!parts[2].equals("HTTP/1.1") && !parts[2].equals("HTTP/1.0")) {
        throw new BadRequest(505, "unsupported version in request line: " + printable(line));
      }
      List<Header> headers = readFields(in, budget);
      Http1Request head =
          new Http1Request(
              parts[0],
              parts[1],
              parts[2],
              headers,
              limits.maxHeaderBytes() - budget[0],
              new byte[0],
              List.of());
      if (head.header("expect").equalsIgnoreCase("100-continue")) {
        out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        out.flush();
      }
      return head.withBody(in, limits);
    }

    private Http1Request withBody(InputStream in, MockServer.Limits limits)
        throws IOException, BadRequest {
      List<String> codings =
          headers.stream().filter(h -> h.named("transfer-encoding")).map(Header::value).toList();
      if (!codings.isEmpty()) {
        String last = codings.get(codings.size() - 1).trim().toLowerCase(java.util.Locale.ROOT);
        if (!last.endsWith("chunked")) {
          throw new BadRequest(400, "transfer-encoding without chunked last: " + codings);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        List<Header> trailers = readChunks(in, body, limits);
        return new Http1Request(
            method, target, version, headers, headBytes, body.toByteArray(), trailers);
      }
      long length = contentLength();
      if (length > limits.maxRequestBodyBytes()) {
        throw new BadRequest(
            413,
            "content-length "
                + length
                + " exceeds maxRequestBodyBytes "
                + limits.maxRequestBodyBytes());
      }
      byte[] body = in.readNBytes((int) length);
      if (body.length < length) {
        throw new IOException(
            "client closed after " + body.length + " of " + length + " body bytes");
      }
      return new Http1Request(method, target, version, headers, headBytes, body, List.of());
    }

    private long contentLength() throws BadRequest {
      List<String> values =
          headers.stream()
              .filter(h -> h.named("content-length"))
              .map(h -> h.value().trim())
              .distinct()
              .toList();
      if (values.isEmpty()) {
        return 0;
      }
      if (values.size() > 1 || !values.get(0).matches("[0-9]{1,18}")) {
        throw new BadRequest(400, "invalid content-length " + values);
      }
      return Long.parseLong(values.get(0));
    }

    private static List<Header> readChunks(
        InputStream in, ByteArrayOutputStream body, MockServer.Limits limits)
        throws IOException, BadRequest {
      int[] budget = {limits.maxHeaderBytes()};
      while (true) {
        String line = readLine(in, budget, false);
        String size = line.split(";", 2)[0].trim();
        if (!size.matches("[0-9a-fA-F]{1,8}")) {
          throw new BadRequest(400, "invalid chunk size line: " + printable(line));
        }
        long n = Long.parseLong(size, 16);
        if (n == 0) {
          return readFields(in, budget);
        }
        if (body.size() + n > limits.maxRequestBodyBytes()) {
          throw new BadRequest(
              413, "chunked body exceeds maxRequestBodyBytes " + limits.maxRequestBodyBytes());
        }
        byte[] chunk = in.readNBytes((int) n);
        if (chunk.length < n) {
          throw new IOException("client closed inside a chunk");
        }
        body.write(chunk);
        if (!readLine(in, budget, false).isEmpty()) {
          throw new BadRequest(400, "chunk of " + n + " bytes not followed by CRLF");
        }
      }
    }

    private static List<Header> readFields(InputStream in, int[] budget)
        throws IOException, BadRequest {
      List<Header> fields = new ArrayList<>();
      for (String line = readLine(in, budget, false);
          !line.isEmpty();
          line = readLine(in, budget, false)) {
        int colon = line.indexOf(':');
        if (colon <= 0
            || line.charAt(0) == ' '
            || line.charAt(0) == '\t'
            || line.substring(0, colon).contains(" ")) {
          throw new BadRequest(400, "malformed field line: " + printable(line));
        }
        fields.add(new Header(line.substring(0, colon), line.substring(colon + 1).strip()));
      }
      return fields;
    }

    /**
     * One line without its CRLF (a bare LF is accepted), counted against {@code budget}; null when
     * {@code mayEnd} and the stream ends before the line's first byte.
     */
    private static String readLine(InputStream in, int[] budget, boolean mayEnd)
        throws IOException, BadRequest {
      StringBuilder line = new StringBuilder();
      while (true) {
        int b = in.read();
        if (b < 0) {
          if (mayEnd && line.length() == 0) {
            return null;
          }
          throw new IOException("client closed in the middle of a line");
        }
        if (--budget[0] < 0) {
          throw new BadRequest(431, "request head exceeds maxHeaderBytes");
        }
        if (b == '\n') {
          int end = line.length();
          return end > 0 && line.charAt(end - 1) == '\r'
              ? line.substring(0, end - 1)
              : line.toString();
        }
        if (b == 0) {
          throw new BadRequest(400, "NUL byte in the request head");
        }
        line.append((char) b);
      }
    }

    private static String printable(String line) {
      String cut = line.length() > 200 ? line.substring(0, 200) + "..." : line;
      return "\"" + cut.replace("\r", "\\r") + "\"";
    }

    /** A request the server cannot read, and the status that says why. */
    static final class BadRequest extends Exception {
      private static final long serialVersionUID = 1L;
      private final int status;

      BadRequest(int status, String message) {
        super(message);
        this.status = status;
      }

      int status() {
        return status;
      }
    }
  }
}
