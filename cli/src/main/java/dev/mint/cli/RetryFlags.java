// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import java.time.Duration;

/**
 * {@code --retry N} and its companions, as curl reads them: a transient failure (a timeout, a name
 * that did not resolve, or the statuses 408, 429, 500, 502, 503, 504) is tried again up to {@code
 * count} times, first after {@code delay} (or one second) and then after twice the previous wait,
 * at most {@link #MAX_BACKOFF}; a {@code retry-after} field of the response sets the wait instead.
 *
 * @param count {@code --retry}: the most retries; 0 for none
 * @param delay {@code --retry-delay}: a fixed wait between tries, or {@code null} for the doubling
 *     one
 * @param maxTime {@code --retry-max-time}: no retry starts after this long since the first try, or
 *     {@code null} for no such bound
 * @param connectionRefused {@code --retry-connrefused}: a refused connection is transient too
 */
record RetryFlags(int count, Duration delay, Duration maxTime, boolean connectionRefused) {
  /** No retry. */
  static final RetryFlags NONE = new RetryFlags(0, null, null, false);

  /** The first wait of the doubling backoff. */
  static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

  /** The longest wait of the doubling backoff (curl's ten minutes). */
  static final Duration MAX_BACKOFF = Duration.ofMinutes(10);

  /** Whether a response with this status is tried again (curl's transient statuses). */
  static boolean transientStatus(int status) {
    return switch (status) {
      case 408, 429, 500, 502, 503, 504 -> true;
      default -> false;
    };
  }

  /** Whether a failure with curl's exit status {@code exit} is tried again. */
  boolean transientFailure(int exit) {
    return exit == ExitStatus.COULD_NOT_RESOLVE_HOST
        || exit == ExitStatus.TIMED_OUT
        || exit == ExitStatus.COULD_NOT_RESOLVE_PROXY
        || (connectionRefused && exit == ExitStatus.COULD_NOT_CONNECT);
  }

  /**
   * The wait before retry number {@code retry} (1 for the first).
   *
   * @param retryAfter the server's {@code retry-after} in seconds, or -1
   */
  Duration wait(int retry, long retryAfter) {
    if (retryAfter >= 0) {
      return Duration.ofSeconds(retryAfter);
    }
    if (delay != null) {
      return delay;
    }
    Duration wait = FIRST_BACKOFF;
    for (int i = 1; i < retry && wait.compareTo(MAX_BACKOFF) < 0; i++) {
      wait = wait.multipliedBy(2);
    }
    return wait.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : wait;
  }
}
