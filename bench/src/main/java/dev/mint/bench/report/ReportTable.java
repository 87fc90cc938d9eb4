// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The Markdown of the report: for each workload a table of every client's figures, a summary of
 * Mint's ratios to the best Java peer and to the C tool, and what bounds them (the raw-socket
 * floor, the server's CPU, the allocation inside the JDK's SSLEngine). Pure formatting: it runs
 * nothing.
 */
final class ReportTable {
  /** What a row is to the comparison. */
  enum Role {
    /** Mint, the client measured. */
    MINT,
    /** A Java HTTP client Mint is compared with. */
    JAVA_PEER,
    /** The raw-socket floor: no HTTP client, the least work a JVM client can do. */
    FLOOR,
    /** A C load tool. */
    TOOL
  }

  /**
   * One client's row: the run it shows, and every run of it in round order (the shown one among
   * them) when the workload was measured in alternating rounds.
   */
  record Row(String client, Role role, RunResult result, List<RunResult> runs) {
    /** A row of one run. */
    Row(String client, Role role, RunResult result) {
      this(client, role, result, List.of(result));
    }

    /** Copies the runs. */
    Row {
      runs = List.copyOf(runs);
    }

    /** Whether it is Mint's row. */
    boolean mint() {
      return role == Role.MINT;
    }

    /** Whether it is a Java peer's row. */
    boolean javaPeer() {
      return role == Role.JAVA_PEER;
    }
  }

  /** One workload's rows, Mint's first. */
  record Section(Workload workload, List<Row> rows) {
    /** Mint's row, or null. */
    Row mint() {
      return rows.stream().filter(Row::mint).findFirst().orElse(null);
    }

    /** The Java peer with the most requests per second, among those that ran. */
    Row fastestPeer() {
      return ok(rows).stream()
          .filter(Row::javaPeer)
          .max(
              (a, b) ->
                  Double.compare(a.result().requestsPerSecond(), b.result().requestsPerSecond()))
          .orElse(null);
    }

    /** The Java peer with the least CPU per request, among those that ran. */
    Row cheapestPeer() {
      return ok(rows).stream()
          .filter(Row::javaPeer)
          .min(
              (a, b) ->
                  Double.compare(
                      a.result().cpuMicrosPerRequest(), b.result().cpuMicrosPerRequest()))
          .orElse(null);
    }

    /** The C tool's row, or null. */
    Row tool() {
      return ok(rows).stream().filter(r -> r.role() == Role.TOOL).findFirst().orElse(null);
    }

    /** The raw-socket floor's row, or null. */
    Row floor() {
      return ok(rows).stream().filter(r -> r.role() == Role.FLOOR).findFirst().orElse(null);
    }

    private static List<Row> ok(List<Row> rows) {
      List<Row> ok = new ArrayList<>();
      for (Row r : rows) {
        if (r.result().failure() == null) {
          ok.add(r);
        }
      }
      return ok;
    }
  }

  private ReportTable() {}

  /** The summary table: Mint's ratios per workload. */
  static String summary(List<Section> sections) {
    StringBuilder md = new StringBuilder();
    md.append(
        "| workload | Mint req/s (MiB/s) | Mint / fastest Java peer (req/s) | Mint / C tool (req/s) |"
            + " Mint client CPU / cheapest Java peer's | floor / fastest Java peer (req/s) |\n");
    md.append("|---|--:|--:|--:|--:|--:|\n");
    for (Section s : sections) {
      Row mint = s.mint();
      md.append("| ").append(s.workload().title()).append(" | ");
      if (mint == null || mint.result().failure() != null) {
        md.append("failed | | | | |\n");
        continue;
      }
      RunResult m = mint.result();
      Row fastest = s.fastestPeer();
      Row tool = s.tool();
      Row cheapest = s.cheapestPeer();
      md.append(
              s.workload().download()
                  ? format(m.requestsPerSecond(), 2) + " (" + format(m.mibPerSecond(), 0) + ")"
                  : format(m.requestsPerSecond(), 0))
          .append(" | ");
      md.append(
              fastest == null
                  ? "–"
                  : ratio(m.requestsPerSecond(), fastest.result().requestsPerSecond())
                      + " ("
                      + fastest.client()
                      + ")")
          .append(" | ");
      md.append(
              tool == null
                  ? "–"
                  : ratio(m.requestsPerSecond(), tool.result().requestsPerSecond())
                      + " ("
                      + tool.client()
                      + ")")
          .append(" | ");
      md.append(
              cheapest == null
                  ? "–"
                  : ratio(m.cpuMicrosPerRequest(), cheapest.result().cpuMicrosPerRequest())
                      + " ("
                      + cheapest.client()
                      + ")")
          .append(" | ");
      Row floor = s.floor();
      md.append(
              floor == null || fastest == null
                  ? "–"
                  : ratio(floor.result().requestsPerSecond(), fastest.result().requestsPerSecond()))
          .append(" |\n");
    }
    return md.toString();
  }

  /** One workload's table. */
  static String section(Section s) {
    boolean download = s.workload().download();
    StringBuilder md = new StringBuilder();
    md.append(
        download
            ? "| client | downloads/s | MiB/s | p50 ms | p99 ms | CPU ms per download |"
                + " server CPU ms per download | alloc MB per download | threads added |"
                + " req/s vs Mint |\n"
            : "| client | req/s | MiB/s | p50 µs | p99 µs | CPU µs per request |"
                + " server CPU µs per request | alloc B per request | threads added |"
                + " req/s vs Mint |\n");
    md.append("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|\n");
    Row mint = s.mint();
    double mintRate =
        mint == null || mint.result().failure() != null ? 0 : mint.result().requestsPerSecond();
    for (Row row : s.rows()) {
      RunResult r = row.result();
      String name =
          switch (row.role()) {
            case MINT -> "**" + row.client() + "**";
            case JAVA_PEER -> row.client();
            case FLOOR -> "*" + row.client() + "*";
            case TOOL -> row.client() + " (C)";
          };
      if (r.failure() != null) {
        md.append("| ")
            .append(name)
            .append(" | ")
            .append(escape(r.failure()))
            .append(" | | | | | | | | |\n");
        continue;
      }
      md.append("| ").append(name);
      md.append(" | ").append(format(r.requestsPerSecond(), download ? 2 : 0));
      md.append(" | ").append(format(r.mibPerSecond(), 1));
      if (download) {
        md.append(" | ").append(micros(r.p50Micros(), 1000.0, 1));
        md.append(" | ").append(micros(r.p99Micros(), 1000.0, 1));
        md.append(" | ").append(format(r.cpuMicrosPerRequest() / 1000, 1));
        md.append(" | ").append(format(r.serverCpuMicrosPerRequest() / 1000, 1));
        md.append(" | ")
            .append(r.allocatedPerRequest() < 0 ? "–" : format(r.allocatedPerRequest() / 1e6, 1));
      } else {
        md.append(" | ").append(micros(r.p50Micros(), 1.0, 0));
        md.append(" | ").append(micros(r.p99Micros(), 1.0, 0));
        md.append(" | ").append(format(r.cpuMicrosPerRequest(), 1));
        md.append(" | ").append(format(r.serverCpuMicrosPerRequest(), 1));
        md.append(" | ")
            .append(r.allocatedPerRequest() < 0 ? "–" : format(r.allocatedPerRequest(), 0));
      }
      md.append(" | ").append(r.threads() < 0 ? "–" : Long.toString(r.threads()));
      md.append(" | ")
          .append(mintRate == 0 ? "–" : ratio(r.requestsPerSecond(), mintRate))
          .append(" |\n");
    }
    return md.toString();
  }

  private static String micros(long micros, double divisor, int decimals) {
    return micros < 0 ? "–" : format(micros / divisor, decimals);
  }

  static String ratio(double a, double b) {
    return b <= 0 || a < 0 ? "–" : String.format(Locale.ROOT, "%.2f", a / b);
  }

  static String format(double value, int decimals) {
    return value < 0 ? "–" : String.format(Locale.ROOT, "%,." + decimals + "f", value);
  }

  private static String escape(String text) {
    String t = text.replace("|", "\\|").replace("\n", " ");
    return "failed: " + (t.length() > 160 ? t.substring(0, 160) + "…" : t);
  }
}
