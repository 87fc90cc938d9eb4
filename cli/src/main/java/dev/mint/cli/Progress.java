// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * A download progress line on a terminal, redrawn in place with a carriage return.
 *
 * <p>Throttled: nothing is drawn during the first {@link #QUIET_NANOS} (short downloads stay
 * silent), then at most once per {@link #REDRAW_NANOS}, so a fast download does not spend its time
 * writing to the terminal.
 */
final class Progress {
  /** How long a download runs before the line first appears: half a second. */
  static final long QUIET_NANOS = 500_000_000L;

  /** The least time between two redraws: a fifth of a second. */
  static final long REDRAW_NANOS = 200_000_000L;

  private final PrintStream err;
  private final LongSupplier clock;
  private final long start;
  private long total = -1;
  private long received;
  private long lastDrawn = Long.MIN_VALUE;

  /**
   * A progress line on {@code err}.
   *
   * @param clock nanoseconds, as {@link System#nanoTime()}
   */
  Progress(PrintStream err, LongSupplier clock) {
    this.err = err;
    this.clock = clock;
    this.start = clock.getAsLong();
  }

  /** Sets the expected size, from {@code content-length}; -1 when unknown. */
  void expect(long totalBytes) {
    this.total = totalBytes;
  }

  /** Counts {@code bytes} more received, and redraws when the throttle allows. */
  void add(long bytes) {
    received += bytes;
    long now = clock.getAsLong();
    if (now - start < QUIET_NANOS) {
      return;
    }
    if (lastDrawn != Long.MIN_VALUE && now - lastDrawn < REDRAW_NANOS) {
      return;
    }
    lastDrawn = now;
    err.print("\r" + line(now));
    err.flush();
  }

  /** Ends the line if one was drawn, leaving the final count visible. */
  void finish() {
    if (lastDrawn != Long.MIN_VALUE) {
      err.print("\r" + line(clock.getAsLong()) + "\n");
      err.flush();
    }
  }

  private String line(long now) {
    double seconds = Math.max(now - start, 1) / 1e9;
    String rate = size((long) (received / seconds)) + "/s";
    if (total >= 0) {
      long percent = total == 0 ? 100 : received * 100 / total;
      return String.format(
          Locale.ROOT, "%s of %s (%d%%), %s   ", size(received), size(total), percent, rate);
    }
    return String.format(Locale.ROOT, "%s, %s   ", size(received), rate);
  }

  /** A byte count in B, KiB, MiB or GiB with one decimal. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }
}
