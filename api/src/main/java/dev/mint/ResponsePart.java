// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.util.Objects;

/**
 * One piece of a response, as returned by {@link HttpConnection#stream()} and {@link
 * HttpConnection#recv(java.time.Duration)}. Every part names the request it belongs to.
 *
 * <p>Order for one request: zero or more informational responses (a 1xx {@link Status} followed by
 * its {@link Headers}), then the final {@link Status}, its {@link Headers}, zero or more {@link
 * Data}, optionally {@link Trailers}, and finally exactly one of {@link Done} or {@link
 * RequestError}. Parts of different HTTP/2 requests may interleave; HTTP/1.1 parts arrive in
 * request order.
 *
 * <p>Tunnels: when a request becomes a byte tunnel (a 2xx answer to {@code CONNECT}, a {@code 101
 * Switching Protocols}, or an HTTP/2 extended CONNECT), the bytes the peer sends after the final
 * {@link Headers} arrive as {@link Data} parts, the caller sends bytes with {@link
 * HttpConnection#streamRequestBody}, and {@link Done} marks the peer closing the tunnel.
 *
 * <p>Parts are immutable values: they stay valid forever and may be shared between threads. The one
 * exception is asked for by name: with {@link ConnectOptions#borrowBodies()} on, the bytes of a
 * {@link Data} may be borrowed, valid only until the thread's next receiving call.
 */
public sealed interface ResponsePart
    permits ResponsePart.Status,
        ResponsePart.Headers,
        ResponsePart.Data,
        ResponsePart.Trailers,
        ResponsePart.Done,
        ResponsePart.RequestError,
        ResponsePart.Pong,
        ResponsePart.PushPromise {

  /** The request this part belongs to. */
  RequestRef ref();

  /**
   * A status code: informational (1xx) or final.
   *
   * @param reason the reason phrase of an HTTP/1.1 status line (RFC 9112 §4) as the server sent it,
   *     bytes read as ISO-8859-1; empty when the server sent none, and always over HTTP/2, which
   *     has no reason phrase (RFC 9113 §8.3.2). Informative only: a client must not act on it (RFC
   *     9110 §15)
   */
  record Status(RequestRef ref, int code, String reason) implements ResponsePart {
    /** Checks the code is a three-digit status code. */
    public Status {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(reason, "reason");
      if (code < 100 || code > 999) {
        throw new IllegalArgumentException("status code out of range: " + code);
      }
    }

    /** A status without a reason phrase. */
    public Status(RequestRef ref, int code) {
      this(ref, code, "");
    }

    /** Whether this is an informational (1xx) status. */
    public boolean isInformational() {
      return code < 200;
    }
  }

  /** The header fields following a {@link Status}; response header names are lower-case. */
  record Headers(RequestRef ref, dev.mint.Headers headers) implements ResponsePart {
    /** Rejects nulls. */
    public Headers {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(headers, "headers");
    }
  }

  /**
   * A piece of the response body (or of a tunnel's byte stream). Never empty. Its bytes are the
   * caller's to keep, except on a connection opened with {@link ConnectOptions#borrowBodies()} on:
   * there they may be valid only until the thread's next receiving call (see "Borrowed body bytes"
   * in {@link HttpConnection}).
   */
  record Data(RequestRef ref, Bytes bytes) implements ResponsePart {
    /** Rejects nulls. */
    public Data {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(bytes, "bytes");
    }
  }

  /** Trailer fields sent after the body; names are lower-case. */
  record Trailers(RequestRef ref, dev.mint.Headers trailers) implements ResponsePart {
    /** Rejects nulls. */
    public Trailers {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(trailers, "trailers");
    }
  }

  /** The response is complete; no more parts follow for this request. */
  record Done(RequestRef ref) implements ResponsePart {
    /** Rejects a null reference. */
    public Done {
      Objects.requireNonNull(ref, "ref");
    }
  }

  /**
   * The request failed and no more parts follow for it; the connection may still be usable (check
   * {@link HttpConnection#isOpen()}). For example an HTTP/2 stream reset by the server, or a
   * request the server did not process before a GOAWAY ({@link HttpException#isRetrySafe()}).
   */
  record RequestError(RequestRef ref, MintException error) implements ResponsePart {
    /** Rejects nulls. */
    public RequestError {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(error, "error");
    }
  }

  /**
   * The answer to an HTTP/2 PING sent with {@code ping()}; {@code ref} is the ping's, and {@code
   * payload} the 8 bytes of opaque data the server echoed (RFC 9113 §6.7).
   */
  record Pong(RequestRef ref, Bytes payload) implements ResponsePart {
    private static final Bytes NO_PAYLOAD = Bytes.of(new byte[8]);

    /** Rejects nulls. */
    public Pong {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(payload, "payload");
    }

    /** A pong whose payload is eight zero bytes. */
    public Pong(RequestRef ref) {
      this(ref, NO_PAYLOAD);
    }
  }

  /**
   * An HTTP/2 server push promised in response to {@code ref}: the pushed response's parts follow
   * under {@code promisedRef}. Only sent when push is enabled.
   */
  record PushPromise(RequestRef ref, RequestRef promisedRef, dev.mint.Headers requestHeaders)
      implements ResponsePart {
    /** Rejects nulls. */
    public PushPromise {
      Objects.requireNonNull(ref, "ref");
      Objects.requireNonNull(promisedRef, "promisedRef");
      Objects.requireNonNull(requestHeaders, "requestHeaders");
    }
  }
}
