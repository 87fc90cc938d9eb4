// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The C load tools the Java clients are compared with: {@code wrk} for the HTTP/1.1 workloads and
 * {@code h2load} (nghttp2) for the HTTP/2 ones, each with the workload's connections and requests
 * in flight, for the measured time, on the clients' CPU. Their CPU time is the children's time that
 * bash's {@code times} prints after the tool ends (user and system, each given, over the tool's
 * whole run). They allocate no Java heap: that column is empty.
 */
enum NativeTool {
  /** wrk, HTTP/1.1 (one thread; the latency distribution from {@code --latency}). */
  WRK("wrk"),
  /** h2load, HTTP/2 (one thread; latencies from its per-request log file). */
  H2LOAD("h2load");

  private final String program;

  NativeTool(String program) {
    this.program = program;
  }

  /** The program's name. */
  String program() {
    return program;
  }

  /** The tool that runs {@code workload}. */
  static NativeTool forWorkload(Workload workload) {
    return workload.wire().http2() ? H2LOAD : WRK;
  }

  /** The command line for {@code target}, running {@code seconds}. */
  List<String> command(Target target, int seconds, Path logFile) {
    Workload w = target.workload();
    String uri = target.uri().toString();
    return switch (this) {
      case WRK ->
          List.of(
              program,
              "-t1",
              "-c" + w.connections(),
              "-d" + seconds + "s",
              "--latency",
              "--timeout",
              "30s",
              uri);
      case H2LOAD ->
          List.of(
              program,
              "-t1",
              "-c" + w.connections(),
              "-m" + (w.inFlight() / w.connections()),
              "-D",
              Integer.toString(seconds),
              "--log-file=" + logFile,
              uri);
    };
  }

  /**
   * Runs the tool for {@code seconds} under bash (prefixed by {@code pin}, a taskset command or
   * nothing) and parses its output.
   */
  RunResult run(Target target, int seconds, List<String> pin, Path dir)
      throws IOException, InterruptedException {
    Path log = dir.resolve(program + "-" + target.workload().cliName() + ".log");
    Path out = dir.resolve(program + "-" + target.workload().cliName() + ".out");
    Files.deleteIfExists(log);
    List<String> command =
        new ArrayList<>(List.of("bash", "-c", "\"$@\"; s=$?; times; exit $s", "bash"));
    command.addAll(pin);
    command.addAll(command(target, seconds, log));
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(seconds + 60L, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      return RunResult.failed(program + " did not end within " + (seconds + 60) + " s");
    }
    String output = Files.readString(out, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      return RunResult.failed(program + " exited with " + p.exitValue() + ": " + lastLine(output));
    }
    long cpu = childCpuNanos(output);
    RunResult result =
        this == WRK
            ? parseWrk(output, target.workload(), cpu)
            : parseH2load(output, log, target.workload(), cpu);
    long user = childUserNanos(output);
    return result.failure() == null && user >= 0 && user <= cpu ? result.withUserCpu(user) : result;
  }

  private static String lastLine(String output) {
    String[] lines = output.trim().split("\n");
    return lines[lines.length - 1];
  }

  private static final Pattern TIMES = Pattern.compile("(\\d+)m([\\d.]+)s (\\d+)m([\\d.]+)s");

  /**
   * The children's user + system time from the last line of bash's {@code times}, or -1 when it
   * printed none.
   */
  static long childCpuNanos(String output) {
    long[] last = childTimes(output);
    return last == null ? -1 : last[0] + last[1];
  }

  /** The children's user time from the last line of bash's {@code times}, or -1. */
  static long childUserNanos(String output) {
    long[] last = childTimes(output);
    return last == null ? -1 : last[0];
  }

  /**
   * The user and system nanoseconds of the last line of bash's {@code times} (the shell's own line
   * comes first, its children's last), or {@code null}.
   */
  private static long[] childTimes(String output) {
    Matcher m = TIMES.matcher(output);
    long[] last = null;
    while (m.find()) {
      last =
          new long[] {
            nanos(m.group(1), m.group(2)), nanos(m.group(3), m.group(4)),
          };
    }
    return last;
  }

  private static long nanos(String minutes, String seconds) {
    return (long) ((Long.parseLong(minutes) * 60 + Double.parseDouble(seconds)) * 1e9);
  }

  private static final Pattern WRK_TOTAL =
      Pattern.compile("(\\d+) requests in ([\\d.]+)(us|ms|s|m)\\b");
  private static final Pattern WRK_PERCENTILE =
      Pattern.compile("^\\s+(50|99)(?:\\.0+)?%\\s+([\\d.]+)(us|ms|s)\\s*$", Pattern.MULTILINE);
  private static final Pattern WRK_ERRORS =
      Pattern.compile("Non-2xx or 3xx responses: (\\d+)|Socket errors: (.*)");

  /** Parses wrk's report. */
  static RunResult parseWrk(String output, Workload workload, long cpuNanos) {
    Matcher errors = WRK_ERRORS.matcher(output);
    if (errors.find()) {
      return RunResult.failed("wrk: " + errors.group().trim());
    }
    Matcher total = WRK_TOTAL.matcher(output);
    if (!total.find()) {
      return RunResult.failed("wrk printed no total: " + lastLine(output));
    }
    long requests = Long.parseLong(total.group(1));
    long nanos = toNanos(Double.parseDouble(total.group(2)), total.group(3));
    long p50 = -1;
    long p99 = -1;
    Matcher pm = WRK_PERCENTILE.matcher(output);
    while (pm.find()) {
      long micros = toNanos(Double.parseDouble(pm.group(2)), pm.group(3)) / 1000;
      if (pm.group(1).equals("50")) {
        p50 = micros;
      } else {
        p99 = micros;
      }
    }
    return new RunResult(
        requests, requests * workload.bodySize(), nanos, p50, p99, cpuNanos, -1, 1, null);
  }

  private static long toNanos(double value, String unit) {
    double factor =
        switch (unit) {
          case "us" -> 1e3;
          case "ms" -> 1e6;
          case "s" -> 1e9;
          case "m" -> 60e9;
          default -> throw new IllegalArgumentException("unit " + unit);
        };
    return (long) (value * factor);
  }

  private static final Pattern H2LOAD_FINISHED = Pattern.compile("finished in ([\\d.]+)(us|ms|s)");
  private static final Pattern H2LOAD_REQUESTS =
      Pattern.compile(
          "requests: \\d+ total, \\d+ started, (\\d+) done, (\\d+) succeeded, (\\d+) failed, (\\d+) errored");

  /** Parses h2load's report and its per-request log (tab-separated; the third column µs). */
  static RunResult parseH2load(String output, Path log, Workload workload, long cpuNanos)
      throws IOException {
    Matcher finished = H2LOAD_FINISHED.matcher(output);
    Matcher requests = H2LOAD_REQUESTS.matcher(output);
    if (!finished.find() || !requests.find()) {
      return RunResult.failed("h2load printed no summary: " + lastLine(output));
    }
    long succeeded = Long.parseLong(requests.group(2));
    long failed = Long.parseLong(requests.group(3)) + Long.parseLong(requests.group(4));
    if (failed > 0 || succeeded == 0) {
      return RunResult.failed("h2load: " + succeeded + " succeeded, " + failed + " failed");
    }
    long nanos = toNanos(Double.parseDouble(finished.group(1)), finished.group(2));
    long[] latencies =
        Files.exists(log)
            ? Files.readAllLines(log, StandardCharsets.US_ASCII).stream()
                .map(line -> line.split("\t"))
                .filter(cols -> cols.length >= 3)
                .mapToLong(cols -> Long.parseLong(cols[2].trim()))
                .sorted()
                .toArray()
            : new long[0];
    return new RunResult(
        succeeded,
        succeeded * workload.bodySize(),
        nanos,
        quantile(latencies, 0.50),
        quantile(latencies, 0.99),
        cpuNanos,
        -1,
        1,
        null);
  }

  private static long quantile(long[] sorted, double q) {
    if (sorted.length == 0) {
      return -1;
    }
    int rank = (int) Math.max(1, Math.ceil(q * sorted.length));
    return sorted[rank - 1];
  }

  /** A label like "wrk 4.1.0" for the report, from the tool's version output. */
  String version() {
    try {
      Process p =
          new ProcessBuilder(program, this == WRK ? "-v" : "--version")
              .redirectErrorStream(true)
              .start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      p.waitFor(10, TimeUnit.SECONDS);
      return Arrays.stream(out.split("\n"))
          .filter(l -> l.toLowerCase(Locale.ROOT).contains(this == WRK ? "wrk" : "nghttp2"))
          .findFirst()
          .orElse(program)
          .trim();
    } catch (IOException e) {
      return program;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return program;
    }
  }
}
