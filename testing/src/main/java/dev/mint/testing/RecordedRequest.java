// SPDX-License-Identifier: Apache-2.0
package dev.mint.testing;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * One request as {@link MockServer} received it. Immutable and thread-safe.
 *
 * <p>The protocol is {@code "http/1.1"} (over TLS or not), {@code "h2c"} (HTTP/2 with prior
 * knowledge, cleartext) or {@code "h2"} (HTTP/2 negotiated by ALPN over TLS). On HTTP/2 the headers
 * hold the regular fields only: {@code :method} and {@code :path} are {@link #method()} and {@link
 * #target()}, {@code :authority} is {@link #authority()}.
 */
public final class RecordedRequest {
  private final String method;
  private final String target;
  private final String authority;
  private final List<Header> headers;
  private final int headBytes;
  private final byte[] body;
  private final List<Header> trailers;
  private final String protocol;
  private final boolean tls;
  private final int connectionIndex;
  private final int sequenceNumber;
  private final int streamId;

  RecordedRequest(
      String method,
      String target,
      String authority,
      List<Header> headers,
      int headBytes,
      byte[] body,
      List<Header> trailers,
      String protocol,
      boolean tls,
      int connectionIndex,
      int sequenceNumber,
      int streamId) {
    this.method = method;
    this.target = target;
    this.authority = authority;
    this.headers = List.copyOf(headers);
    this.headBytes = headBytes;
    this.body = body;
    this.trailers = List.copyOf(trailers);
    this.protocol = protocol;
    this.tls = tls;
    this.connectionIndex = connectionIndex;
    this.sequenceNumber = sequenceNumber;
    this.streamId = streamId;
  }

  /** The method, such as {@code GET}. */
  public String method() {
    return method;
  }

  /** The request target as sent, such as {@code /search?q=mint}. */
  public String target() {
    return target;
  }

  /** {@code :authority} on HTTP/2, the {@code host} header on HTTP/1.1; "" when absent. */
  public String authority() {
    return authority;
  }

  /** The header fields in the order they arrived. */
  public List<Header> headers() {
    return headers;
  }

  /** The first value of the header {@code name} (any case). */
  public Optional<String> header(String name) {
    return headers.stream().filter(h -> h.named(name)).map(Header::value).findFirst();
  }

  /** Every value of the header {@code name} (any case), in order. */
  public List<String> headerValues(String name) {
    return headers.stream().filter(h -> h.named(name)).map(Header::value).toList();
  }

  /**
   * The size of the request head as it crossed the wire: on HTTP/1.1 the request line, the field
   * lines and the empty line; on HTTP/2 the HPACK-encoded header block (HEADERS and CONTINUATION
   * payloads without padding).
   */
  public int headBytes() {
    return headBytes;
  }

  /** A copy of the body, de-chunked; empty when there was none. */
  public byte[] body() {
    return body.clone();
  }

  /** The body decoded as UTF-8. */
  public String bodyUtf8() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The trailer fields; empty for none. */
  public List<Header> trailers() {
    return trailers;
  }

  /** {@code "http/1.1"}, {@code "h2c"} or {@code "h2"}. */
  public String protocol() {
    return protocol;
  }

  /** Whether the request came over TLS. */
  public boolean tls() {
    return tls;
  }

  /** Which connection it came on: 0 for the server's first accepted connection, and so on. */
  public int connectionIndex() {
    return connectionIndex;
  }

  /** Its place on its connection: 0 for the connection's first request, and so on. */
  public int sequenceNumber() {
    return sequenceNumber;
  }

  /** The HTTP/2 stream identifier; 0 on HTTP/1.1. */
  public int streamId() {
    return streamId;
  }

  @Override
  public String toString() {
    return method
        + " "
        + target
        + " ("
        + protocol
        + (tls ? " over TLS" : "")
        + ", connection "
        + connectionIndex
        + " #"
        + sequenceNumber
        + ", "
        + body.length
        + " body bytes)";
  }
}
