// SPDX-License-Identifier: Apache-2.0
package dev.mint.testing;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link MockServer} sends for one request: status, headers, body and trailers, interim (1xx)
 * responses before them, how the bytes are paced, and a {@link Fault} when the response should go
 * wrong. Immutable and thread-safe; one instance may answer many requests.
 *
 * <p>On HTTP/1.1 the server adds {@code content-length} when the headers name neither it nor {@code
 * transfer-encoding}; a chunked response or one with trailers is sent with {@code
 * transfer-encoding: chunked}. On HTTP/2 the server adds nothing (HTTP/2 has no chunked coding) and
 * the body goes in DATA frames as large as the client's flow-control windows and frame size allow.
 */
public final class MockResponse {
  /** The largest body a response holds: 64 MiB, so that a mistaken test fails rather than OOMs. */
  public static final int MAX_BODY_BYTES = 64 * 1024 * 1024;

  private final int status;
  private final String reason;
  private final List<Header> headers;
  private final byte[] body;
  private final List<Header> trailers;
  private final int chunkSize;
  private final List<Interim> interims;
  private final Duration headersDelay;
  private final Throttle throttle;
  private final Fault fault;

  private MockResponse(Builder b) {
    this.status = b.status;
    this.reason = b.reason;
    this.headers = List.copyOf(b.headers);
    this.body = b.body;
    this.trailers = List.copyOf(b.trailers);
    this.chunkSize = b.chunkSize;
    this.interims = List.copyOf(b.interims);
    this.headersDelay = b.headersDelay;
    this.throttle = b.throttle;
    this.fault = b.fault;
  }

  /** A builder of a response with {@code status} (200 to 599), no headers and an empty body. */
  public static Builder builder(int status) {
    return new Builder(status);
  }

  /** A response with {@code status} and a UTF-8 text body (no {@code content-type}). */
  public static MockResponse of(int status, String body) {
    return builder(status).body(body).build();
  }

  /** The status code. */
  public int status() {
    return status;
  }

  /** The HTTP/1.1 reason phrase: the one given, or the usual one for the status, or "". */
  public String reason() {
    return reason != null ? reason : ReasonPhrases.of(status);
  }

  /** The header fields, in order. */
  public List<Header> headers() {
    return headers;
  }

  /** A copy of the body. */
  public byte[] body() {
    return body.clone();
  }

  /** The body's length in bytes. */
  public int bodyLength() {
    return body.length;
  }

  /** The trailer fields, in order; empty for none. */
  public List<Header> trailers() {
    return trailers;
  }

  /** The HTTP/1.1 chunk size of a chunked body, or 0 when the body is not chunked. */
  public int chunkSize() {
    return chunkSize;
  }

  /** The interim (1xx) responses sent before this one, in order. */
  public List<Interim> interims() {
    return interims;
  }

  /** How long the server waits before it sends anything of this response. */
  public Duration headersDelay() {
    return headersDelay;
  }

  /** How the body is paced, if it is. */
  public Optional<Throttle> throttle() {
    return Optional.ofNullable(throttle);
  }

  /** How this response goes wrong, if it does. */
  public Optional<Fault> fault() {
    return Optional.ofNullable(fault);
  }

  /** The body bytes from {@code from}, {@code length} of them, without a copy of the rest. */
  byte[] bodyRange(int from, int length) {
    byte[] part = new byte[length];
    System.arraycopy(body, from, part, 0, length);
    return part;
  }

  @Override
  public String toString() {
    return "MockResponse["
        + status
        + ", "
        + body.length
        + " body bytes"
        + (fault == null ? "" : ", " + fault)
        + "]";
  }

  /**
   * An interim response (RFC 9110 §15.2), such as 103 Early Hints.
   *
   * @param status 100 to 199 (101 excepted: switching protocols is not an interim answer here)
   * @param headers its header fields
   */
  public record Interim(int status, List<Header> headers) {
    /** Checks the status and copies the headers. */
    public Interim {
      if (status < 100 || status > 199 || status == 101) {
        throw new IllegalArgumentException("not an interim status: " + status);
      }
      headers = List.copyOf(headers);
    }
  }

  /**
   * Body pacing: {@code bytes} of the body, then a pause of {@code period}, and so on.
   *
   * @param bytes bytes per step; at least 1
   * @param period the pause after each step; not negative
   */
  public record Throttle(int bytes, Duration period) {
    /** Checks both values. */
    public Throttle {
      if (bytes < 1) {
        throw new IllegalArgumentException("throttle step of " + bytes + " bytes");
      }
      if (period.isNegative()) {
        throw new IllegalArgumentException("negative throttle period " + period);
      }
    }
  }

  /** Builds a {@link MockResponse}; not thread-safe. */
  public static final class Builder {
    private final int status;
    private String reason;
    private final List<Header> headers = new ArrayList<>();
    private byte[] body = new byte[0];
    private final List<Header> trailers = new ArrayList<>();
    private int chunkSize;
    private final List<Interim> interims = new ArrayList<>();
    private Duration headersDelay = Duration.ZERO;
    private Throttle throttle;
    private Fault fault;

    private Builder(int status) {
      if (status < 200 || status > 599) {
        throw new IllegalArgumentException("not a final status: " + status);
      }
      this.status = status;
    }

    /** The HTTP/1.1 reason phrase (HTTP/2 has none); default: the usual one for the status. */
    public Builder reason(String phrase) {
      new Header("reason", phrase); // the same CR/LF check
      this.reason = phrase;
      return this;
    }

    /** Adds a header field; repeated names are sent as repeated fields. */
    public Builder header(String name, String value) {
      headers.add(new Header(name, value));
      return this;
    }

    /** The body; at most {@link #MAX_BODY_BYTES}. */
    public Builder body(byte[] bytes) {
      if (bytes.length > MAX_BODY_BYTES) {
        throw new IllegalArgumentException(
            "body of " + bytes.length + " bytes exceeds MAX_BODY_BYTES " + MAX_BODY_BYTES);
      }
      this.body = bytes.clone();
      return this;
    }

    /** The body as UTF-8. */
    public Builder body(String text) {
      return body(text.getBytes(StandardCharsets.UTF_8));
    }

    /** Adds a trailer field, sent after the body (on HTTP/1.1 this makes the body chunked). */
    public Builder trailer(String name, String value) {
      trailers.add(new Header(name, value));
      return this;
    }

    /** Sends the HTTP/1.1 body in chunks of {@code size} bytes (at least 1). */
    public Builder chunked(int size) {
      if (size < 1) {
        throw new IllegalArgumentException("chunk size " + size);
      }
      this.chunkSize = size;
      return this;
    }

    /** Adds an interim response (status 100 to 199, 101 excepted) sent before this one. */
    public Builder interim(int status, Header... fields) {
      interims.add(new Interim(status, List.of(fields)));
      return this;
    }

    /** Waits this long before sending anything of the response (default: none). */
    public Builder headersDelay(Duration delay) {
      if (delay.isNegative()) {
        throw new IllegalArgumentException("negative delay " + delay);
      }
      this.headersDelay = delay;
      return this;
    }

    /** Sends the body {@code bytes} at a time with a pause of {@code period} after each step. */
    public Builder throttle(int bytes, Duration period) {
      this.throttle = new Throttle(bytes, period);
      return this;
    }

    /** Makes the response go wrong this way. */
    public Builder fault(Fault fault) {
      this.fault = Objects.requireNonNull(fault, "fault");
      return this;
    }

    /** The response; checks that a truncation leaves bytes out. */
    public MockResponse build() {
      if (fault instanceof Fault.TruncateBody t && t.bytes() >= body.length) {
        throw new IllegalStateException(
            "truncating at " + t.bytes() + " bytes leaves nothing out of a body of " + body.length);
      }
      return new MockResponse(this);
    }
  }
}
