// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import static dev.mint.bench.report.ReportTable.format;
import static dev.mint.bench.report.ReportTable.ratio;

import dev.mint.bench.report.ReportTable.Row;
import dev.mint.bench.report.ReportTable.Section;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The report's "What bounds the figures" part, made of the same run's results: how far the
 * raw-socket floor got past the fastest Java peer (the most any JVM client could reach), how busy
 * the server's one worker was, where a sequential request's time went, and how much of Mint's
 * allocation over TLS was made inside the JDK's {@code SSLEngine}. Pure formatting: it runs
 * nothing.
 */
final class Bounds {
  /** The goal for bytes allocated per small HTTP/1.1 request on a warm connection. */
  static final long H1_ALLOCATION_GOAL = 1024;

  /** The goal for bytes allocated per small HTTP/2 request on a warm connection. */
  static final long H2_ALLOCATION_GOAL = 2048;

  /**
   * A client whose requests per second pass the floor's by more than this factor outran it: the
   * run's noise, not a bound (a client cannot do less than the floor).
   */
  static final double OUTRUN = 1.05;

  /** The goal for the sequential workload: this many times the fastest Java peer's rate. */
  static final double SEQUENTIAL_GOAL = 1.1;

  /** Above this share of the measured phase the server's worker is called saturated. */
  static final double SATURATED = 0.9;

  private Bounds() {}

  /** One bullet per workload with a floor or a known server CPU time; empty when none. */
  static String ceilings(List<Section> sections) {
    List<String> bullets = new ArrayList<>();
    for (Section s : sections) {
      String bullet = ceiling(s);
      if (!bullet.isEmpty()) {
        bullets.add("- **" + s.workload().title() + "**: " + bullet + "\n");
      }
    }
    return String.join("", bullets);
  }

  private static String ceiling(Section s) {
    Row mint = s.mint();
    Row floor = s.floor();
    Row fastest = s.fastestPeer();
    List<String> parts = new ArrayList<>();
    if (floor != null && fastest != null) {
      double floorRate = floor.result().requestsPerSecond();
      String reach = ratio(floorRate, fastest.result().requestsPerSecond());
      boolean mintOk = mint != null && mint.result().failure() == null;
      double mintRate = mintOk ? mint.result().requestsPerSecond() : 0;
      if (floorRate * OUTRUN < Math.max(mintRate, fastest.result().requestsPerSecond())) {
        parts.add(
            "a client outran the raw-socket floor (which made "
                + reach
                + " times "
                + fastest.client()
                + "'s requests per second): the CPUs were shared unevenly between the runs, so"
                + " here the floor bounds nothing; read the CPU per request instead");
      } else {
        parts.add(
            "the raw-socket floor (no HTTP client at all) made "
                + reach
                + " times "
                + fastest.client()
                + "'s requests per second: about the most a JVM client can reach against this"
                + " server on this machine");
        if (mintOk) {
          parts.add("Mint made " + ratio(mintRate, floorRate) + " of the floor's");
        }
      }
    }
    String median = medianRoundTrip(s);
    if (!median.isEmpty()) {
      parts.add(median);
    }
    String paired = pairedRounds(s);
    if (!paired.isEmpty()) {
      parts.add(paired);
    }
    String bound = sequentialBound(s);
    if (!bound.isEmpty()) {
      parts.add(bound);
    }
    if (mint != null && mint.result().failure() == null && busy(mint.result()) >= 0) {
      double busy = busy(mint.result());
      parts.add(
          String.format(
              Locale.ROOT,
              "while Mint ran, the server's one worker was on its CPU %.0f %% of the time%s",
              100 * busy,
              busy >= SATURATED ? " (saturated: the server, not the client, set the pace)" : ""));
    }
    return String.join("; ", parts) + (parts.isEmpty() ? "" : ".");
  }

  /**
   * On a workload of one request at a time, the floor's median round trip against the fastest
   * peer's and Mint's: the median is what a request takes when nothing else took the CPU, so it
   * varies far less than requests per second on a shared machine. Empty elsewhere.
   */
  private static String medianRoundTrip(Section s) {
    Workload w = s.workload();
    Row floor = s.floor();
    Row fastest = s.fastestPeer();
    Row mint = s.mint();
    if (w.connections() != 1 || w.inFlight() != 1 || floor == null || fastest == null) {
      return "";
    }
    long floorP50 = floor.result().p50Micros();
    long peerP50 = fastest.result().p50Micros();
    if (floorP50 <= 0 || peerP50 <= 0) {
      return "";
    }
    String mintP50 =
        mint == null || mint.result().failure() != null
            ? ""
            : " and Mint's " + mint.result().p50Micros() + " µs";
    return "by median round trip, steadier on a shared machine, the floor took "
        + floorP50
        + " µs against "
        + fastest.client()
        + "'s "
        + peerP50
        + " µs"
        + mintP50
        + ": at most "
        + ratio(peerP50, floorP50)
        + " times "
        + fastest.client()
        + "'s rate by that measure";
  }

  /**
   * On a workload of one request at a time, what {@link #SEQUENTIAL_GOAL} times the fastest Java
   * peer's rate would take of Mint. That rate allows R µs per request. Of Mint's round trip M, its
   * user time U is its own code's; the rest (its kernel time, the server's CPU, the time neither
   * ran) is the system calls, the loopback, the server and the wake-ups, which a client's code
   * changes little. With that rest as it was, the goal needs U at or below U' = R - (M - U). Beside
   * it, the user time of the raw-socket floor, a client that only calls write and read (Uf). The
   * verdict, in order: U within U' (Mint met the goal); the floor itself slower than R (no JVM
   * client could reach the goal in this run); U' not above Uf (Mint's kernel and idle time, not its
   * code, would have to fall: they are compared with the floor's); else how far U is from U'. Empty
   * elsewhere, and when Mint's or the floor's CPU time is not split into user and kernel time.
   */
  static String sequentialBound(Section s) {
    Workload w = s.workload();
    Row fastest = s.fastestPeer();
    Row floor = s.floor();
    Row mint = s.mint();
    if (w.connections() != 1
        || w.inFlight() != 1
        || fastest == null
        || floor == null
        || mint == null
        || mint.result().failure() != null
        || mint.result().requests() == 0
        || floor.result().failure() != null
        || floor.result().requests() == 0) {
      return "";
    }
    RunResult m = mint.result();
    RunResult f = floor.result();
    double user = m.userCpuMicrosPerRequest();
    double floorUser = f.userCpuMicrosPerRequest();
    if (user < 0 || floorUser < 0) {
      return "";
    }
    double allowed = wallMicros(fastest.result()) / SEQUENTIAL_GOAL;
    double roundTrip = wallMicros(m);
    double others = roundTrip - user;
    double allowedUser = allowed - others;
    String verdict;
    if (user <= allowedUser) {
      verdict = "Mint's user time is within it"; // Mint met the goal: nothing else to say
    } else if (wallMicros(f) > allowed) {
      verdict =
          "the floor itself took "
              + format(wallMicros(f), 1)
              + " µs per request: out of reach of any JVM client in this run, bounded by the"
              + " kernel and the server";
    } else if (allowedUser <= floorUser) {
      verdict =
          "Mint's code alone cannot close the gap; its time outside user space would have to fall"
              + (splits(m) && splits(f)
                  ? String.format(
                      Locale.ROOT,
                      " (its kernel time %s µs and the time neither ran %s µs, against the"
                          + " floor's %s µs and %s µs)",
                      format(m.kernelCpuMicrosPerRequest(), 1),
                      format(Math.max(0, neitherMicros(m)), 1),
                      format(f.kernelCpuMicrosPerRequest(), 1),
                      format(Math.max(0, neitherMicros(f)), 1))
                  : "");
    } else {
      verdict =
          String.format(
              Locale.ROOT,
              "within reach; Mint's user time would have to fall by %s µs (%.0f %%)",
              format(user - allowedUser, 1),
              100 * (user - allowedUser) / user);
    }
    String rest =
        splits(m)
            ? String.format(
                Locale.ROOT,
                "its kernel time %s µs, the server's CPU %s µs, the time neither ran %s µs",
                format(m.kernelCpuMicrosPerRequest(), 1),
                format(m.serverCpuMicrosPerRequest(), 1),
                format(Math.max(0, neitherMicros(m)), 1))
            : String.format(
                Locale.ROOT,
                "its kernel time %s µs and %s µs of the round trip it spent off its CPU",
                format(m.kernelCpuMicrosPerRequest(), 1),
                format(roundTrip - m.cpuMicrosPerRequest(), 1));
    return String.format(
        Locale.ROOT,
        "%s times %s's rate allows %s µs per request; of Mint's %s µs, %s µs were not its user time"
            + " (%s); with those as they were, %s times needs Mint's user time (%s µs) at or below"
            + " %s µs, where a client that only calls write and read (the raw-socket floor) spent"
            + " %s µs: %s",
        format(SEQUENTIAL_GOAL, 1),
        fastest.client(),
        format(allowed, 1),
        format(roundTrip, 1),
        format(others, 1),
        rest,
        format(SEQUENTIAL_GOAL, 1),
        format(user, 1),
        String.format(Locale.ROOT, "%,.1f", allowedUser), // negative when even none is too much
        format(floorUser, 1),
        verdict);
  }

  /**
   * On a workload measured in alternating rounds, Mint's and the floor's requests per second over
   * the fastest Java peer's, round by round, with their medians: a slow spell of the shared machine
   * slows every client of its round, so a ratio within a round is steadier than the ratio of two
   * median runs taken from different rounds. Empty with fewer than two rounds or when a run of the
   * three failed.
   */
  static String pairedRounds(Section s) {
    Row fastest = s.fastestPeer();
    if (fastest == null || fastest.runs().size() < 2) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    for (Row row : new Row[] {s.mint(), s.floor()}) {
      if (row == null || row.runs().size() != fastest.runs().size()) {
        continue;
      }
      List<Double> ratios = new ArrayList<>();
      for (int i = 0; i < row.runs().size(); i++) {
        RunResult a = row.runs().get(i);
        RunResult b = fastest.runs().get(i);
        if (a.failure() != null || b.failure() != null || b.requestsPerSecond() <= 0) {
          return "";
        }
        ratios.add(a.requestsPerSecond() / b.requestsPerSecond());
      }
      List<String> each = new ArrayList<>();
      ratios.forEach(r -> each.add(format(r, 2)));
      List<Double> sorted = new ArrayList<>(ratios);
      sorted.sort(null);
      parts.add(
          (row.mint() ? "Mint" : "the floor")
              + " "
              + String.join(", ", each)
              + " (median "
              + format(sorted.get((sorted.size() - 1) / 2), 2)
              + ")");
    }
    return parts.isEmpty()
        ? ""
        : "round by round, requests per second over "
            + fastest.client()
            + "'s in the same round: "
            + String.join("; ", parts);
  }

  private static double wallMicros(RunResult r) {
    return r.nanos() / 1e3 / r.requests();
  }

  /** Whether a run's time per request can be split: it succeeded and the server's CPU is known. */
  private static boolean splits(RunResult r) {
    return r.failure() == null && r.requests() > 0 && r.serverCpuNanos() >= 0;
  }

  /**
   * The time per request neither the client nor the server was on a CPU (the loopback, the
   * wake-ups); negative for a client whose threads ran while it waited.
   */
  private static double neitherMicros(RunResult r) {
    return wallMicros(r) - r.cpuMicrosPerRequest() - r.serverCpuMicrosPerRequest();
  }

  /** The share of the phase the server's worker was on a CPU, or -1 when unknown. */
  static double busy(RunResult r) {
    return r.serverCpuNanos() < 0 || r.nanos() <= 0 ? -1 : (double) r.serverCpuNanos() / r.nanos();
  }

  /**
   * Where a request's time went on a workload with one request in flight per connection: per
   * client, the wall time per request (the phase over the requests, times the connections), the
   * client's CPU and its user and kernel parts (a dash when not split), the server's CPU, and what
   * is left, the time neither process was on a CPU for it (the loopback and the wake-ups of a
   * waiting thread). Empty when the server's CPU is unknown.
   */
  static String roundTrip(Section s) {
    Workload w = s.workload();
    if (w.inFlight() != w.connections() || w.connections() != 1 || w.download()) {
      return "";
    }
    StringBuilder md = new StringBuilder();
    md.append(
        "| client | µs per request | client CPU µs | of it user µs | of it kernel µs |"
            + " server CPU µs | neither on a CPU µs |\n");
    md.append("|---|--:|--:|--:|--:|--:|--:|\n");
    int rows = 0;
    for (Row row : s.rows()) {
      RunResult r = row.result();
      if (!splits(r)) {
        continue;
      }
      md.append("| ")
          .append(row.role() == ReportTable.Role.TOOL ? row.client() + " (C)" : row.client());
      md.append(" | ").append(format(wallMicros(r), 1));
      md.append(" | ").append(format(r.cpuMicrosPerRequest(), 1));
      md.append(" | ").append(orDash(r.userCpuMicrosPerRequest()));
      md.append(" | ").append(orDash(r.kernelCpuMicrosPerRequest()));
      md.append(" | ").append(format(r.serverCpuMicrosPerRequest(), 1));
      md.append(" | ").append(format(Math.max(0, neitherMicros(r)), 1)).append(" |\n");
      rows++;
    }
    return rows == 0 ? "" : md.toString();
  }

  /** A figure to one decimal, or a dash when unknown (negative). */
  private static String orDash(double value) {
    return value < 0 ? "–" : format(value, 1);
  }

  /**
   * Mint's allocation per request on each workload against the goal and, over TLS, the part the
   * JDK's {@code SSLEngine} made (from the allocation profile: its bytes per request, and their
   * share of that phase's allocation); outside it is the measured phase's figure minus that part.
   */
  static String allocation(List<Section> sections) {
    StringBuilder md = new StringBuilder();
    md.append(
        "| workload | Mint alloc per request | of which inside the JDK's SSLEngine (share) |"
            + " outside it | goal |\n");
    md.append("|---|--:|--:|--:|--:|\n");
    for (Section s : sections) {
      Row mint = s.mint();
      Workload w = s.workload();
      md.append("| ").append(w.title()).append(" | ");
      if (mint == null || mint.result().failure() != null) {
        md.append("failed | | | ").append(goal(w)).append(" |\n");
        continue;
      }
      RunResult r = mint.result();
      double total = r.allocatedPerRequest();
      double tls = r.tlsAllocatedPerRequest();
      md.append(bytes(total, w)).append(" | ");
      if (!w.wire().tls()) {
        md.append("no TLS | ").append(bytes(total, w));
      } else if (tls < 0) {
        md.append("not profiled | –");
      } else {
        md.append(bytes(tls, w))
            .append(String.format(Locale.ROOT, " (%.0f %%)", 100 * r.tlsAllocationShare()))
            .append(" | ")
            .append(bytes(total - tls, w));
      }
      md.append(" | ").append(goal(w)).append(" |\n");
    }
    return md.toString();
  }

  private static String bytes(double value, Workload w) {
    return w.download() ? format(value / 1e6, 1) + " MB" : format(value, 0) + " B";
  }

  /** The goal for the workload's allocation per request. */
  static String goal(Workload w) {
    if (w.download()) {
      return "about the body, " + format(w.bodySize() / 1e6, 1) + " MB, or below";
    }
    return format(w.wire().http2() ? H2_ALLOCATION_GOAL : H1_ALLOCATION_GOAL, 0) + " B";
  }
}
