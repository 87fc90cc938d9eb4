// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import dev.mint.Bytes;
import dev.mint.Headers;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A request for the pool: where it goes, what it says, and how it may be retried. Immutable and
 * safe to share. The body is held in full (a pool may have to send it again on another connection).
 *
 * @param method the method, such as {@code GET}
 * @param origin where it goes
 * @param target the request target, such as {@code /path?q=1}
 * @param headers the header fields; {@code host} is added by the connection
 * @param body the body; {@code null} for none
 * @param timeout the request timeout, or {@code null} for the origin's {@link
 *     PoolConfig#requestTimeout()}
 * @param retryPolicy what else may be retried beyond what is known to be safe
 */
public record Request(
    String method,
    Origin origin,
    String target,
    Headers headers,
    Bytes body,
    Duration timeout,
    RetryPolicy retryPolicy) {

  /** The idempotent methods of RFC 9110 §9.2.2. */
  private static final Set<String> IDEMPOTENT =
      Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

  /** Checks the fields. */
  public Request {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(retryPolicy, "retryPolicy");
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
  }

  /** A request with no body, the origin's timeout and {@link RetryPolicy#safeOnly()}. */
  public static Request of(String method, URI uri, Headers headers) {
    return new Request(
        method, Origin.of(uri), target(uri), headers, null, null, RetryPolicy.safeOnly());
  }

  /** {@code GET} of an absolute URI. */
  public static Request get(URI uri) {
    return of("GET", uri, Headers.empty());
  }

  /** {@code GET} of an absolute URI. */
  public static Request get(String uri) {
    return get(URI.create(uri));
  }

  /** {@code POST} of {@code body} to an absolute URI. */
  public static Request post(URI uri, Bytes body) {
    return of("POST", uri, Headers.empty()).withBody(body);
  }

  /** A copy with this body ({@code null}: none). */
  public Request withBody(Bytes newBody) {
    return new Request(method, origin, target, headers, newBody, timeout, retryPolicy);
  }

  /** A copy with one more header field. */
  public Request withHeader(String name, String value) {
    return new Request(
        method, origin, target, headers.with(name, value), body, timeout, retryPolicy);
  }

  /** A copy with this request timeout. */
  public Request withTimeout(Duration newTimeout) {
    return new Request(method, origin, target, headers, body, newTimeout, retryPolicy);
  }

  /** A copy with this retry policy. */
  public Request withRetryPolicy(RetryPolicy policy) {
    return new Request(method, origin, target, headers, body, timeout, policy);
  }

  /** The body, when there is one. */
  public Optional<Bytes> optionalBody() {
    return Optional.ofNullable(body);
  }

  /**
   * Whether the method is idempotent (RFC 9110 §9.2.2): sending it twice has the effect of once.
   */
  public boolean isIdempotent() {
    return IDEMPOTENT.contains(method);
  }

  private static String target(URI uri) {
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    return uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
  }
}
