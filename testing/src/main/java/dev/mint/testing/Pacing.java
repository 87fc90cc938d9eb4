// SPDX-License-Identifier: Apache-2.0
package dev.mint.testing;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.time.Duration;

/** The delays and the throttled body writes of a {@link MockResponse}, interrupted by close. */
final class Pacing {
  private Pacing() {}

  /** Sleeps {@code delay}; an interrupt (the server closing) ends it with an exception. */
  static void sleep(Duration delay) throws InterruptedIOException {
    if (delay.isZero()) {
      return;
    }
    try {
      Thread.sleep(delay.toMillis(), delay.toNanosPart() % 1_000_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("server closing");
    }
  }

  /** Writes body bytes {@code [from, from + n)}, in throttled steps when the response says so. */
  static void write(OutputStream out, MockResponse response, int from, int n) throws IOException {
    if (response.throttle().isEmpty()) {
      out.write(response.bodyRange(from, n));
      return;
    }
    MockResponse.Throttle throttle = response.throttle().get();
    for (int at = from; at < from + n; at += throttle.bytes()) {
      out.write(response.bodyRange(at, Math.min(throttle.bytes(), from + n - at)));
      out.flush();
      sleep(throttle.period());
    }
  }
}
