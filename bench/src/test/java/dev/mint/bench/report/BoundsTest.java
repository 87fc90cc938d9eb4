// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class BoundsTest {
  private static RunResult small(long requests, long allocatedPerRequest) {
    return new RunResult(
        requests,
        requests * Workload.SMALL_BODY,
        1_000_000_000L,
        100,
        900,
        requests * 10_000L,
        requests * allocatedPerRequest,
        0,
        null);
  }

  @Test
  void ceilingsGiveTheFloorsReachAndTheServersBusyShare() {
    String md = Bounds.ceilings(List.of(ReportTableTest.sectionWithFloor()));
    List<String> lines = md.lines().toList();
    assertEquals(1, lines.size(), md);
    String line = lines.get(0);
    assertTrue(line.startsWith("- **HTTP/1.1, 1 connection, sequential small GETs**: "), line);
    assertTrue(line.contains("made 1.65 times Netty's requests per second"), line);
    assertTrue(line.contains("Mint made 0.91 of the floor's"), line);
    assertTrue(
        line.contains(
            "by median round trip, steadier on a shared machine, the floor took 80 µs against"
                + " Netty's 100 µs and Mint's 100 µs: at most 1.25 times Netty's rate"),
        line);
    // 3,000 requests x 10 µs of server CPU in 1 s: on its CPU 3 % of the time
    assertTrue(line.contains("on its CPU 3 % of the time."), line);
  }

  @Test
  void aFloorOutrunByAClientBoundsNothing() {
    ReportTable.Section s =
        new ReportTable.Section(
            Workload.H1_SEQUENTIAL,
            List.of(
                new ReportTable.Row("Mint", ReportTable.Role.MINT, small(10_000, 1500)),
                new ReportTable.Row("Netty", ReportTable.Role.JAVA_PEER, small(2_000, 2500)),
                new ReportTable.Row("floor", ReportTable.Role.FLOOR, small(1_500, 40))));
    String line = Bounds.ceilings(List.of(s));
    assertTrue(line.contains("a client outran the raw-socket floor (which made 0.75 times"), line);
    assertTrue(line.contains("here the floor bounds nothing"), line);
    assertTrue(line.contains("the floor took 100 µs against Netty's 100 µs"), line);
    assertTrue(!line.contains("Mint made"), line);
  }

  /** One second of requests at {@code wall} µs each, client and server CPU given per request. */
  private static RunResult sequential(double wall, double clientCpu, double serverCpu) {
    return sequential(wall, clientCpu, serverCpu, 0);
  }

  private static RunResult sequential(
      double wall, double clientCpu, double serverCpu, long threads) {
    long requests = Math.round(1e6 / wall);
    return new RunResult(
            requests,
            requests * Workload.SMALL_BODY,
            1_000_000_000L,
            (long) wall,
            (long) wall * 2,
            Math.round(requests * clientCpu * 1e3),
            0,
            threads,
            null)
        .withServerCpu(Math.round(requests * serverCpu * 1e3));
  }

  private static ReportTable.Section sequentialSection(RunResult floor) {
    return new ReportTable.Section(
        Workload.H1_SEQUENTIAL,
        List.of(
            new ReportTable.Row("Mint", ReportTable.Role.MINT, sequential(84, 32, 40)),
            new ReportTable.Row("Netty", ReportTable.Role.JAVA_PEER, sequential(80, 32, 38)),
            // threads overlapping its waits: no idle time, so its server CPU is not counted
            new ReportTable.Row("Jetty", ReportTable.Role.JAVA_PEER, sequential(100, 75, 30)),
            // idle time left over, but from threads that overlap: not one-thread, not counted
            new ReportTable.Row("Apache", ReportTable.Role.JAVA_PEER, sequential(100, 68, 31, 2)),
            new ReportTable.Row("floor", ReportTable.Role.FLOOR, floor),
            new ReportTable.Row("wrk", ReportTable.Role.TOOL, sequential(75, 28, 36))));
  }

  @Test
  void theClientBudgetForTheSequentialGoalIsTheAllowedRoundTripLessTheLeastServerAndIdleTime() {
    // 1.1 x Netty's 80 µs allows 72.7 µs; the least server CPU is wrk's 36 (Jetty's 30 is not
    // counted), the least idle time is Netty's 10 (wrk's 11): 26.7 µs of client CPU are left.
    String line = Bounds.clientBudget(sequentialSection(sequential(82, 28, 42)));
    assertTrue(
        line.startsWith(
            "1.1 times Netty's rate allows 72.7 µs per request; the least server CPU (36.0 µs)"
                + " and the least time neither process ran (10.0 µs) any one-thread client saw"
                + " leave 26.7 µs of client CPU, where the raw-socket floor spent 28.0 µs,"
                + " Mint 32.0 µs: out of reach"),
        line);
    String reachable = Bounds.clientBudget(sequentialSection(sequential(82, 20, 42)));
    assertTrue(reachable.endsWith("within reach of a client as cheap as the floor"), reachable);
    assertTrue(Bounds.ceilings(List.of(sequentialSection(sequential(82, 28, 42)))).contains(line));
    assertEquals("", Bounds.clientBudget(ReportTableTest.section()), "no floor, no budget");
  }

  @Test
  void aSaturatedServerIsNamedAsTheBound() {
    RunResult mint = small(80_000, 1500).withServerCpu(950_000_000L);
    ReportTable.Section s =
        new ReportTable.Section(
            Workload.H1_16_CONNECTIONS,
            List.of(new ReportTable.Row("Mint", ReportTable.Role.MINT, mint)));
    String line = Bounds.ceilings(List.of(s));
    assertTrue(line.contains("95 % of the time (saturated"), line);
    assertTrue(!line.contains("floor") && !line.contains("median"), line);
  }

  @Test
  void noCeilingWithoutAFloorOrServerCpu() {
    assertEquals("", Bounds.ceilings(List.of(ReportTableTest.section())));
  }

  @Test
  void roundTripSplitsEachRequestsTimeForTheSequentialWorkloadOnly() {
    String md = Bounds.roundTrip(ReportTableTest.sectionWithFloor());
    ReportTableTest.assertWellFormed(md);
    List<String> lines = md.lines().toList();
    // Mint, Netty, Jetty, the floor and wrk have server CPU; the failed JDK row is left out.
    assertEquals(2 + 5, lines.size(), md);
    // Mint: 3,000 requests in 1 s = 333.3 µs each, 20 µs client, 10 µs server, 303.3 neither.
    assertEquals("| Mint | 333.3 | 20.0 | 10.0 | 303.3 |", lines.get(2));
    assertTrue(lines.get(6).startsWith("| wrk (C) |"), lines.get(6));
    ReportTable.Section concurrent =
        new ReportTable.Section(
            Workload.H1_16_CONNECTIONS, ReportTableTest.sectionWithFloor().rows());
    assertEquals("", Bounds.roundTrip(concurrent));
    assertEquals("", Bounds.roundTrip(ReportTableTest.section()), "no server CPU");
  }

  @Test
  void allocationShowsTheTlsShareOverTlsAndTheGoal() {
    RunResult tls =
        small(1000, 5000)
            .withAllocationProfile(new AllocationProfile(1000, 5_000_000, 3_000_000, 10));
    RunResult download =
        new RunResult(10, 10 * Workload.LARGE_BODY, 1_000_000_000L, 1, 2, 1, 740_000_000L, 0, null)
            .withAllocationProfile(new AllocationProfile(10, 740_000_000, 370_000_000, 10));
    String md =
        Bounds.allocation(
            List.of(
                new ReportTable.Section(
                    Workload.H1_SEQUENTIAL,
                    List.of(new ReportTable.Row("Mint", ReportTable.Role.MINT, small(10, 1700)))),
                new ReportTable.Section(
                    Workload.H2_TLS_100_STREAMS,
                    List.of(new ReportTable.Row("Mint", ReportTable.Role.MINT, tls))),
                new ReportTable.Section(
                    Workload.DOWNLOAD_H1_TLS,
                    List.of(new ReportTable.Row("Mint", ReportTable.Role.MINT, download))),
                new ReportTable.Section(
                    Workload.DOWNLOAD_H2_TLS,
                    List.of(
                        new ReportTable.Row(
                            "Mint", ReportTable.Role.MINT, RunResult.failed("boom"))))));
    ReportTableTest.assertWellFormed(md);
    List<String> lines = md.lines().toList();
    assertEquals(
        "| HTTP/1.1, 1 connection, sequential small GETs | 1,700 B | no TLS | 1,700 B | 1,024 B |",
        lines.get(2));
    assertEquals(
        "| HTTP/2 over TLS, 1 connection x 100 streams | 5,000 B | 3,000 B (60 %) | 2,000 B |"
            + " 2,048 B |",
        lines.get(3));
    assertEquals(
        "| 64 MiB downloads, HTTP/1.1 over TLS | 74.0 MB | 37.0 MB (50 %) | 37.0 MB |"
            + " about the body, 67.1 MB, or below |",
        lines.get(4));
    assertTrue(lines.get(5).contains("| failed |"), lines.get(5));
  }

  @Test
  void aTlsRunWithoutAProfileSaysSo() {
    String md =
        Bounds.allocation(
            List.of(
                new ReportTable.Section(
                    Workload.H2_TLS_100_STREAMS,
                    List.of(new ReportTable.Row("Mint", ReportTable.Role.MINT, small(10, 5000))))));
    assertTrue(md.contains("| 5,000 B | not profiled | – | 2,048 B |"), md);
  }
}
