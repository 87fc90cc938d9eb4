// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import dev.mint.Bytes;
import dev.mint.Headers;
import java.util.Objects;

/**
 * A complete response, its body held in memory (at most {@link PoolConfig#maxResponseBodyBytes()}).
 * Immutable and safe to share.
 *
 * @param status the final status code
 * @param headers the response header fields (lower-case names)
 * @param body the body; empty when there was none
 * @param trailers the trailer fields; empty when there were none
 * @param attempts how many times the request was sent (1 unless it was retried)
 */
public record Response(int status, Headers headers, Bytes body, Headers trailers, int attempts) {

  /** Rejects nulls. */
  public Response {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(trailers, "trailers");
  }
}
