// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.h2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.MintException;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import java.time.Duration;
import java.util.Set;

/**
 * What {@link NginxH2Test} and {@link NghttpdH2Test} check alike on their server's HTTP/2 ports;
 * each test class adds what only its server does.
 */
final class OsServerH2Cases {
  /** How long one exchange may take. */
  static final Duration LIMIT = Duration.ofSeconds(30);

  private OsServerH2Cases() {}

  /** Two PINGs on a fresh connection: both are answered. */
  static void ping(OsH2Endpoint endpoint) throws MintException {
    try (HttpConnection conn = endpoint.connect()) {
      Responses responses = new Responses(true);
      RequestRef first = responses.expectPong(conn.http2().orElseThrow().ping());
      RequestRef second = responses.expectPong(conn.http2().orElseThrow().ping());
      responses.awaitAll(conn, LIMIT);
      assertEquals(Set.of(first, second), responses.pongs());
    }
  }

  /**
   * Streams {@code size} bytes of {@link BodyPattern} as the body of {@code method path}, 64 KiB at
   * a time with at most 1 MiB waiting in the connection, and checks that body bytes did wait for
   * window (so {@code size} must be beyond the server's windows).
   *
   * @return the response, which must not have failed
   */
  static Responses.Received streamThroughWindows(
      HttpConnection conn, Responses responses, String method, String path, long size)
      throws MintException {
    RequestRef ref =
        responses.expect(conn.request(method, path, Headers.empty(), RequestBody.streaming()));
    long mostQueued = responses.streamPattern(conn, ref, size, 64 * 1024, 1 << 20, LIMIT);
    responses.awaitAll(conn, LIMIT);
    assertTrue(mostQueued > 0, "body bytes waited for window");
    return responses.get(ref).ok();
  }
}
