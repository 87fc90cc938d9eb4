// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProgressTest {
  private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
  private final PrintStream err = new PrintStream(sink, true, StandardCharsets.UTF_8);
  private long now = 1_000_000_000L;

  private String printed() {
    return sink.toString(StandardCharsets.UTF_8);
  }

  @Test
  void shortDownloadsPrintNothing() {
    Progress progress = new Progress(err, () -> now);
    progress.expect(100);
    now += Progress.QUIET_NANOS - 1;
    progress.add(100);
    progress.finish();
    assertEquals("", printed());
  }

  @Test
  void redrawsAtMostOncePerInterval() {
    Progress progress = new Progress(err, () -> now);
    progress.expect(4 * 1024 * 1024);
    now += Progress.QUIET_NANOS;
    progress.add(1024 * 1024); // drawn
    now += Progress.REDRAW_NANOS - 1;
    progress.add(1024 * 1024); // too soon
    now += 1;
    progress.add(1024 * 1024); // drawn
    String[] lines = printed().split("\r", -1);
    assertEquals(3, lines.length, printed()); // "", first draw, second draw
    assertTrue(lines[1].startsWith("1.0 MiB of 4.0 MiB (25%)"), lines[1]);
    assertTrue(lines[2].startsWith("3.0 MiB of 4.0 MiB (75%)"), lines[2]);

    progress.finish();
    assertTrue(printed().endsWith("\n"));
  }

  @Test
  void unknownTotalShowsCountAndRate() {
    Progress progress = new Progress(err, () -> now);
    now += 1_000_000_000L;
    progress.add(2048);
    assertTrue(printed().startsWith("\r2.0 KiB, 2.0 KiB/s"), printed());
  }

  @Test
  void sizes() {
    assertEquals("0 B", Progress.size(0));
    assertEquals("1023 B", Progress.size(1023));
    assertEquals("1.0 KiB", Progress.size(1024));
    assertEquals("1.5 MiB", Progress.size(3 * 512 * 1024));
    assertEquals("1.0 GiB", Progress.size(1L << 30));
  }
}
