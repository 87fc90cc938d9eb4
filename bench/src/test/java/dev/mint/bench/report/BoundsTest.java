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
    long requests = Math.round(1e6 / wall);
    return new RunResult(
            requests,
            requests * Workload.SMALL_BODY,
            1_000_000_000L,
            (long) wall,
            (long) wall * 2,
            Math.round(requests * clientCpu * 1e3),
            0,
            0,
            null)
        .withServerCpu(Math.round(requests * serverCpu * 1e3));
  }

  /** A sequential run with its CPU split: {@code user} µs of the client's CPU in user space. */
  private static RunResult split(double wall, double clientCpu, double user, double serverCpu) {
    RunResult r = sequential(wall, clientCpu, serverCpu);
    return r.withUserCpu(Math.round(r.requests() * user * 1e3));
  }

  /** Netty at 80 µs a request (1.1 times its rate allows 72.7 µs), Mint and the floor given. */
  private static ReportTable.Section boundSection(RunResult mint, RunResult floor) {
    List<ReportTable.Row> rows = new java.util.ArrayList<>();
    rows.add(new ReportTable.Row("Mint", ReportTable.Role.MINT, mint));
    rows.add(new ReportTable.Row("Netty", ReportTable.Role.JAVA_PEER, split(80, 32, 12, 38)));
    if (floor != null) {
      rows.add(new ReportTable.Row("floor", ReportTable.Role.FLOOR, floor));
    }
    rows.add(new ReportTable.Row("wrk", ReportTable.Role.TOOL, split(75, 28, 2, 36)));
    return new ReportTable.Section(Workload.H1_SEQUENTIAL, rows);
  }

  private static final RunResult FLOOR = split(70, 25, 1.5, 35);

  @Test
  void whenTheGoalLeavesMintNoMoreUserTimeThanTheFloorSpendsItsKernelAndIdleTimeAreNamed() {
    // Mint's 84 µs: 6 µs its user time, the other 78 (26 kernel, 40 server, 12 neither), so
    // 1.1 x Netty (72.7 µs) would need -5.3 µs of user time, below the floor's 1.5; the floor
    // itself (70 µs) is within 72.7, so the goal is not out of reach of every client.
    String line = Bounds.sequentialBound(boundSection(split(84, 32, 6, 40), FLOOR));
    assertEquals(
        "1.1 times Netty's rate allows 72.7 µs per request; of Mint's 84.0 µs, 78.0 µs were not"
            + " its user time (its kernel time 26.0 µs, the server's CPU 40.0 µs, the time neither"
            + " ran 12.0 µs); with those as they were, 1.1 times needs Mint's user time (6.0 µs) at"
            + " or below -5.3 µs, where a client that only calls write and read (the raw-socket"
            + " floor) spent 1.5 µs: Mint's code alone cannot close the gap; its time outside user"
            + " space would have to fall (its kernel time 26.0 µs and the time neither ran 12.0 µs,"
            + " against the floor's 23.5 µs and 10.0 µs)",
        line);
    assertTrue(
        Bounds.ceilings(List.of(boundSection(split(84, 32, 6, 40), FLOOR))).contains(line),
        "the sequential bullet carries it");
  }

  @Test
  void theSequentialGoalIsOutOfReachOnlyWhenTheFloorItselfMissesIt() {
    // The floor at 75 µs a request, slower than the 72.7 µs 1.1 x Netty allows.
    String line =
        Bounds.sequentialBound(boundSection(split(84, 32, 6, 40), split(75, 25, 1.5, 38)));
    assertTrue(
        line.endsWith(
            "spent 1.5 µs: the floor itself took 75.0 µs per request: out of reach of any JVM"
                + " client in this run, bounded by the kernel and the server"),
        line);
  }

  @Test
  void aMintThatMetTheGoalIsWithinItWhateverTheFloorDid() {
    // Mint at 72 µs within the 72.7 µs allowed, its 1.0 µs of user time under the floor's 2.0 µs
    // (the tick split is coarse): within it, not "its code alone cannot close the gap".
    String belowFloor =
        Bounds.sequentialBound(boundSection(split(72, 25, 1, 34), split(70, 25, 2, 35)));
    assertTrue(belowFloor.endsWith(": Mint's user time is within it"), belowFloor);
    // The floor slower than the goal in this run while Mint met it: within it, not "out of reach".
    String floorSlower =
        Bounds.sequentialBound(boundSection(split(72, 27, 4, 34), split(74, 25, 1.5, 38)));
    assertTrue(floorSlower.endsWith(": Mint's user time is within it"), floorSlower);
  }

  @Test
  void pairedRoundsGiveEachRoundsRatioAndTheirMedian() {
    RunResult mint1 = split(80, 30, 6, 35);
    RunResult mint2 = split(100, 30, 6, 35);
    RunResult mint3 = split(90, 30, 6, 35);
    List<ReportTable.Row> rows =
        List.of(
            new ReportTable.Row("Mint", ReportTable.Role.MINT, mint3, List.of(mint1, mint2, mint3)),
            new ReportTable.Row(
                "Netty",
                ReportTable.Role.JAVA_PEER,
                split(88, 32, 12, 38),
                List.of(split(88, 32, 12, 38), split(95, 32, 12, 38), split(90, 32, 12, 38))),
            new ReportTable.Row("floor", ReportTable.Role.FLOOR, FLOOR, List.of(FLOOR, FLOOR)));
    ReportTable.Section section = new ReportTable.Section(Workload.H1_SEQUENTIAL, rows);
    // Mint against Netty round by round: 88/80, 95/100, 90/90; the floor ran two rounds, not three
    String line = Bounds.pairedRounds(section);
    assertEquals(
        "round by round, requests per second over Netty's in the same round: Mint 1.10, 0.95,"
            + " 1.00 (median 1.00)",
        line);
    assertTrue(Bounds.ceilings(List.of(section)).contains(line), "the sequential bullet has it");
    assertEquals("", Bounds.pairedRounds(boundSection(mint1, FLOOR)), "one round: nothing to pair");
  }

  @Test
  void theSequentialGoalWithinReachSaysHowFarMintsUserTimeIsFromIt() {
    // Mint's 74 µs, 6 of them its user time: 1.1 x Netty needs it at or below 72.7 - 68.0 = 4.7
    String far = Bounds.sequentialBound(boundSection(split(74, 28, 6, 34), FLOOR));
    assertTrue(
        far.contains("needs Mint's user time (6.0 µs) at or below 4.7 µs, where a client"), far);
    assertTrue(
        far.endsWith(
            "spent 1.5 µs: within reach; Mint's user time would have to fall by 1.3 µs (21 %)"),
        far);
    // 72 µs, 4 of them user time: at or below 4.7, the goal holds
    String within = Bounds.sequentialBound(boundSection(split(72, 27, 4, 34), FLOOR));
    assertTrue(within.contains("needs Mint's user time (4.0 µs) at or below 4.7 µs"), within);
    assertTrue(within.endsWith(": Mint's user time is within it"), within);
  }

  @Test
  void withoutTheServersCpuTheRestOfTheRoundTripIsNotSplit() {
    RunResult mint =
        new RunResult(11905, 0, 1_000_000_000L, 84, 168, 11905L * 32_000, 0, 0, null)
            .withUserCpu(11905L * 6_000);
    String line = Bounds.sequentialBound(boundSection(mint, FLOOR));
    assertTrue(
        line.contains(
            "78.0 µs were not its user time (its kernel time 26.0 µs and 52.0 µs of the round trip"
                + " it spent off its CPU)"),
        line);
  }

  @Test
  void noSequentialBoundWithoutTheDataItNeeds() {
    RunResult mint = split(84, 32, 6, 40);
    assertEquals("", Bounds.sequentialBound(boundSection(mint, null)), "no floor");
    assertEquals(
        "",
        Bounds.sequentialBound(boundSection(mint, sequential(70, 25, 35))),
        "the floor's CPU not split");
    assertEquals(
        "",
        Bounds.sequentialBound(boundSection(sequential(84, 32, 40), FLOOR)),
        "Mint's CPU not split (no /proc)");
    assertEquals(
        "", Bounds.sequentialBound(boundSection(RunResult.failed("boom"), FLOOR)), "Mint failed");
    assertEquals("", Bounds.sequentialBound(ReportTableTest.section()), "no floor, no peer split");
    ReportTable.Section concurrent =
        new ReportTable.Section(Workload.H1_16_CONNECTIONS, boundSection(mint, FLOOR).rows());
    assertEquals("", Bounds.sequentialBound(concurrent), "not the sequential workload");
    String bullet = Bounds.ceilings(List.of(boundSection(sequential(84, 32, 40), FLOOR)));
    assertTrue(!bullet.contains("user time"), bullet);
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
    // Mint: 3,000 requests in 1 s = 333.3 µs each, 20 µs client, 10 µs server, 303.3 neither;
    // its CPU not split into user and kernel time.
    assertEquals("| Mint | 333.3 | 20.0 | – | – | 10.0 | 303.3 |", lines.get(2));
    assertTrue(lines.get(0).contains("| client CPU µs | of it user µs | of it kernel µs |"), md);
    assertTrue(lines.get(6).startsWith("| wrk (C) |"), lines.get(6));
    ReportTable.Section concurrent =
        new ReportTable.Section(
            Workload.H1_16_CONNECTIONS, ReportTableTest.sectionWithFloor().rows());
    assertEquals("", Bounds.roundTrip(concurrent));
    assertEquals("", Bounds.roundTrip(ReportTableTest.section()), "no server CPU");
  }

  @Test
  void roundTripGivesTheClientsUserAndKernelTimeWhenSplit() {
    String md = Bounds.roundTrip(boundSection(split(84, 32, 6, 40), FLOOR));
    ReportTableTest.assertWellFormed(md);
    List<String> lines = md.lines().toList();
    assertEquals("| Mint | 84.0 | 32.0 | 6.0 | 26.0 | 40.0 | 12.0 |", lines.get(2));
    assertEquals("| floor | 70.0 | 25.0 | 1.5 | 23.5 | 35.0 | 10.0 |", lines.get(4));
    assertEquals("| wrk (C) | 75.0 | 28.0 | 2.0 | 26.0 | 36.0 | 11.0 |", lines.get(5));
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
