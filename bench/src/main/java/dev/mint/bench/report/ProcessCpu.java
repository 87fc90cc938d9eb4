// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The CPU time of another process, from Linux's {@code /proc/PID/stat} ({@code proc(5)}): its user
 * and system time ({@code utime}, {@code stime}), in clock ticks ({@code AT_CLKTCK}: 100 per second
 * on Linux). The report reads the server worker's time before and after a phase to give the
 * server's CPU per request.
 */
final class ProcessCpu {
  /** Clock ticks per second when the auxiliary vector cannot say: Linux's USER_HZ. */
  private static final long DEFAULT_TICKS = 100;

  /** At most this many entries of {@code /proc} are looked at to find a child. */
  private static final int MAX_PROCESSES = 100_000;

  /** The auxiliary vector's entry for clock ticks per second ({@code getauxval(3)}). */
  private static final long AT_CLKTCK = 17;

  private static long ticksPerSecond;

  private ProcessCpu() {}

  /**
   * The process's user plus system CPU time in nanoseconds, or -1 when it cannot be read (no {@code
   * /proc}, the process ended).
   */
  static long cpuNanos(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      long ticks = statField(stat, 14) + statField(stat, 15);
      return ticks * TimeUnit.SECONDS.toNanos(1) / ticksPerSecond();
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * Field {@code n} (1-based, as {@code proc(5)} numbers them) of a {@code stat} line, {@code n} at
   * least 3. The second field, the command name in parentheses, may hold spaces and parentheses:
   * fields are counted from the last {@code ')'}.
   */
  static long statField(String stat, int n) {
    int close = stat.lastIndexOf(')');
    if (close < 0 || n < 3) {
      throw new IllegalArgumentException("not a /proc stat line, or field " + n + ": " + stat);
    }
    String[] rest = stat.substring(close + 1).trim().split(" +");
    if (rest.length <= n - 3) {
      throw new IllegalArgumentException("no field " + n + " in " + stat);
    }
    return Long.parseLong(rest[n - 3]);
  }

  /**
   * The first process whose parent is {@code parent} (nginx's one worker, child of its master), or
   * empty.
   */
  static OptionalLong childOf(long parent) {
    int seen = 0;
    try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
      for (Path p : procs) {
        if (++seen > MAX_PROCESSES) {
          break;
        }
        try {
          String stat = Files.readString(p.resolve("stat"), StandardCharsets.US_ASCII);
          if (statField(stat, 4) == parent) {
            return OptionalLong.of(Long.parseLong(p.getFileName().toString()));
          }
        } catch (IOException | RuntimeException e) {
          // a process that ended while we looked, or one we may not read: not the child
        }
      }
    } catch (IOException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  /**
   * Clock ticks per second: {@code AT_CLKTCK} from this process's auxiliary vector ({@code
   * /proc/self/auxv}, pairs of native-endian words; 64-bit JVMs only), else Linux's USER_HZ. Read
   * without starting a process, which would add the JDK's process-reaper thread to the client's.
   */
  static long ticksPerSecond() {
    if (ticksPerSecond == 0) {
      ticksPerSecond = DEFAULT_TICKS;
      try {
        ByteBuffer auxv =
            ByteBuffer.wrap(Files.readAllBytes(Path.of("/proc/self/auxv")))
                .order(ByteOrder.nativeOrder());
        while (auxv.remaining() >= 16) {
          long type = auxv.getLong();
          long value = auxv.getLong();
          if (type == AT_CLKTCK && value > 0) {
            ticksPerSecond = value;
            break;
          }
        }
      } catch (IOException | RuntimeException e) {
        // keep Linux's USER_HZ
      }
    }
    return ticksPerSecond;
  }
}
