// SPDX-License-Identifier: Apache-2.0
package dev.mint.it;

import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.MintException;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole response gathered from passive-mode {@code recv()}, for assertions.
 *
 * @param status the final status code
 * @param headers the final response headers
 * @param body every {@code Data} byte, in order
 * @param dataParts how many {@code Data} parts carried the body
 * @param trailers the trailers, empty when none came
 */
record CollectedResponse(
    int status, Headers headers, byte[] body, int dataParts, Headers trailers) {

  /** The body decoded as UTF-8. */
  String text() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** Receives until {@code ref} is done; fails on a {@code RequestError} or a silence of 10 s. */
  static CollectedResponse recv(HttpConnection conn, RequestRef ref) throws MintException {
    return recvAll(conn, List.of(ref)).get(ref);
  }

  /**
   * Receives until every request of {@code refs} is done.
   *
   * @return the responses in the order they completed
   */
  static Map<RequestRef, CollectedResponse> recvAll(HttpConnection conn, List<RequestRef> refs)
      throws MintException {
    Map<RequestRef, Builder> building = new HashMap<>();
    for (RequestRef ref : refs) {
      building.put(ref, new Builder());
    }
    Map<RequestRef, CollectedResponse> done = new LinkedHashMap<>();
    while (done.size() < refs.size()) {
      for (ResponsePart part : conn.recv(Duration.ofSeconds(10))) {
        Builder b = building.get(part.ref());
        if (b == null) {
          throw new AssertionError("a part for a request never made: " + part);
        }
        if (part instanceof ResponsePart.Status s) {
          b.status = s.code();
        } else if (part instanceof ResponsePart.Headers h) {
          if (b.status >= 200) {
            b.headers = h.headers();
          }
        } else if (part instanceof ResponsePart.Data d) {
          b.body.writeBytes(d.bytes().toByteArray());
          b.dataParts++;
        } else if (part instanceof ResponsePart.Trailers t) {
          b.trailers = t.trailers();
        } else if (part instanceof ResponsePart.Done) {
          done.put(
              part.ref(),
              new CollectedResponse(
                  b.status, b.headers, b.body.toByteArray(), b.dataParts, b.trailers));
        } else if (part instanceof ResponsePart.RequestError e) {
          throw e.error();
        } else {
          throw new AssertionError("unexpected part " + part);
        }
      }
    }
    return done;
  }

  private static final class Builder {
    int status;
    Headers headers = Headers.empty();
    final ByteArrayOutputStream body = new ByteArrayOutputStream();
    int dataParts;
    Headers trailers = Headers.empty();
  }
}
