// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.h2;

import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.MintException;
import dev.mint.RequestBody;
import java.time.Duration;
import org.junit.jupiter.api.Assertions;

/**
 * The documents every origin server of {@code .ci/servers.sh} serves: {@code /small.txt} and {@code
 * /big.bin}.
 */
public final class ServedDocuments {
  /** The body of {@code /small.txt}. */
  public static final String SMALL_TXT = "hello from the mint test server\n";

  /** The length of {@code /big.bin} (zeros). */
  public static final long BIG_BIN_LENGTH = 1L << 30;

  private ServedDocuments() {}

  /**
   * GETs {@code /small.txt} and checks that the answer is {@code 200} with the document that {@code
   * .ci/servers.sh} wrote.
   *
   * @return the response, for the caller's own checks
   */
  public static Responses.Received getSmallTxt(
      HttpConnection conn, Responses responses, Duration limit) throws MintException {
    Responses.Received r =
        responses.exchange(conn, "GET", "/small.txt", Headers.empty(), RequestBody.none(), limit);
    Assertions.assertEquals(200, r.status());
    Assertions.assertEquals(SMALL_TXT, r.text());
    return r;
  }
}
