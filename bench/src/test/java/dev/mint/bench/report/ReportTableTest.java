// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class ReportTableTest {
  private static RunResult result(double requestsPerSecond, double cpuMicros) {
    long requests = (long) requestsPerSecond;
    return new RunResult(
        requests,
        requests * Workload.SMALL_BODY,
        1_000_000_000L,
        100,
        900,
        (long) (cpuMicros * 1000 * requests),
        requests * 1500,
        0,
        null);
  }

  static ReportTable.Section section() {
    return new ReportTable.Section(
        Workload.H1_SEQUENTIAL,
        List.of(
            new ReportTable.Row("Mint", ReportTable.Role.MINT, result(3000, 20)),
            new ReportTable.Row("Netty", ReportTable.Role.JAVA_PEER, result(2000, 40)),
            new ReportTable.Row("Jetty", ReportTable.Role.JAVA_PEER, result(1500, 30)),
            new ReportTable.Row("JDK", ReportTable.Role.JAVA_PEER, RunResult.failed("boom | x")),
            new ReportTable.Row("wrk", ReportTable.Role.TOOL, result(6000, 10))));
  }

  /**
   * The section above with a floor row (the fastest of all, the cheapest, a p50 of 80 µs against
   * everyone's 100) and server CPU.
   */
  static ReportTable.Section sectionWithFloor() {
    List<ReportTable.Row> rows = new java.util.ArrayList<>();
    for (ReportTable.Row r : section().rows()) {
      RunResult withServer =
          r.result().failure() == null
              ? r.result().withServerCpu(r.result().requests() * 10_000L)
              : r.result();
      rows.add(new ReportTable.Row(r.client(), r.role(), withServer));
    }
    rows.add(
        rows.size() - 1,
        new ReportTable.Row(
            "floor: raw socket, no HTTP",
            ReportTable.Role.FLOOR,
            new RunResult(
                    3300,
                    3300 * Workload.SMALL_BODY,
                    1_000_000_000L,
                    80,
                    700,
                    3300 * 5_000L,
                    0,
                    0,
                    null)
                .withServerCpu(3300 * 10_000L)));
    return new ReportTable.Section(Workload.H1_SEQUENTIAL, rows);
  }

  @Test
  void summaryHasMintsRatiosToTheFastestAndCheapestPeerAndTheTool() {
    String md = ReportTable.summary(List.of(section()));
    List<String> lines = md.lines().toList();
    assertEquals(3, lines.size(), md);
    String row = lines.get(2);
    assertTrue(row.contains("| 1.50 (Netty) |"), row);
    assertTrue(row.contains("| 0.50 (wrk) |"), row);
    assertTrue(row.contains("| 0.67 (Jetty) |"), row);
    assertTrue(row.endsWith("| – |"), "no floor: " + row);
    assertWellFormed(md);
  }

  @Test
  void theFloorIsNoPeerAndGivesItsOwnRatioToTheFastestPeer() {
    ReportTable.Section s = sectionWithFloor();
    assertEquals("Netty", s.fastestPeer().client());
    assertEquals("Jetty", s.cheapestPeer().client(), "the floor is cheaper but no peer");
    assertEquals("wrk", s.tool().client(), "the floor is no C tool");
    String row = ReportTable.summary(List.of(s)).lines().toList().get(2);
    assertTrue(row.endsWith("| 0.67 (Jetty) | 1.65 |"), row);
  }

  @Test
  void sectionShowsTheFloorInItalicsAndTheServersCpu() {
    String md = ReportTable.section(sectionWithFloor());
    assertWellFormed(md);
    List<String> lines = md.lines().toList();
    assertTrue(lines.get(0).contains("| server CPU µs per request |"), lines.get(0));
    assertTrue(lines.get(2).contains("| 20.0 | 10.0 | 1,500 |"), lines.get(2));
    assertTrue(lines.get(6).startsWith("| *floor: raw socket, no HTTP* | 3,300 |"), lines.get(6));
    assertTrue(lines.get(7).startsWith("| wrk (C) |"), lines.get(7));
  }

  @Test
  void sectionHasARowPerClientAndShowsFailures() {
    String md = ReportTable.section(section());
    List<String> lines = md.lines().toList();
    assertEquals(2 + 5, lines.size(), md);
    assertTrue(lines.get(2).startsWith("| **Mint** | 3,000 |"), lines.get(2));
    assertTrue(lines.get(5).contains("failed: boom \\| x"), lines.get(5));
    assertTrue(lines.get(6).startsWith("| wrk (C) |"), lines.get(6));
    assertTrue(lines.get(3).endsWith("| 0.67 |"), lines.get(3));
    assertWellFormed(md);
  }

  @Test
  void idleTableShowsBytesPerConnectionAndFailures() {
    String md =
        BenchmarkReport.idleTable(
            List.of("HTTP/1.1 cleartext|10000|2200|1500", "HTTP/1.1 over TLS|failed: boom"));
    String table = md.substring(md.indexOf("| connections"));
    assertWellFormed(table);
    assertTrue(
        table.contains("| HTTP/1.1 cleartext | 10,000 | 2,200 | 1,500 | 3,700 | 4,096 |"), md);
    assertTrue(table.contains("| HTTP/1.1 over TLS | failed: boom | | | | 16,384 |"), md);
  }

  /** Every line of a Markdown table has as many cells as its header. */
  static void assertWellFormed(String table) {
    List<String> lines = table.lines().toList();
    assertTrue(lines.size() >= 3, table);
    assertTrue(lines.get(1).matches("\\|(-+:?\\|)+|\\|(---\\|)(--:\\|)+"), lines.get(1));
    int cells = cells(lines.get(0));
    for (String line : lines) {
      assertTrue(line.startsWith("| ") || line.startsWith("|-"), line);
      assertEquals(cells, cells(line), line);
    }
  }

  private static int cells(String line) {
    return line.replace("\\|", "").split("\\|", -1).length - 2;
  }
}
