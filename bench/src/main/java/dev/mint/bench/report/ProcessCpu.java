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
    Ticks t = ticks(pid);
    return t == null
        ? -1
        : (t.user() + t.system()) * TimeUnit.SECONDS.toNanos(1) / ticksPerSecond();
  }

  /**
   * A process's user and system time in clock ticks ({@code utime} and {@code stime}, fields 14 and
   * 15 of {@code proc(5)}).
   *
   * @param user clock ticks in user space
   * @param system clock ticks in the kernel on the process's behalf
   */
  record Ticks(long user, long system) {}

  /** The process's user and system clock ticks, or {@code null} when they cannot be read. */
  static Ticks ticks(long pid) {
    return ticks(Path.of("/proc", Long.toString(pid), "stat"));
  }

  /** This process's user and system clock ticks ({@code /proc/self}), or {@code null}. */
  static Ticks selfTicks() {
    return ticks(Path.of("/proc/self/stat"));
  }

  private static Ticks ticks(Path statFile) {
    try {
      String stat = Files.readString(statFile);
      return new Ticks(statField(stat, 14), statField(stat, 15));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /**
   * The user-space part of {@code cpuNanos}, an exact CPU time over a phase, split in the
   * proportion of the user and system ticks counted over the same phase ({@code before} to {@code
   * after}). Ticks are coarse (10 ms each at 100 Hz) but their proportion over thousands of them is
   * not; the total stays exact. -1 when either reading is missing, no tick was counted, or a
   * counter went backwards.
   */
  static long userPart(long cpuNanos, Ticks before, Ticks after) {
    if (cpuNanos < 0 || before == null || after == null) {
      return -1;
    }
    long user = after.user() - before.user();
    long system = after.system() - before.system();
    if (user < 0 || system < 0 || user + system == 0) {
      return -1;
    }
    return Math.round((double) cpuNanos * user / (user + system));
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
