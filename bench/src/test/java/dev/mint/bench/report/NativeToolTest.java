// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeToolTest {
  private static final String WRK =
      """
      Running 8s test @ http://127.0.0.1:20001/small
        1 threads and 1 connections
        Thread Stats   Avg      Stdev     Max   +/- Stdev
          Latency    52.13us   20.10us   1.20ms   95.00%
          Req/Sec    18.50k     1.20k   20.10k    80.00%
        Latency Distribution
           50%   48.00us
           75%   55.00us
           90%   60.00us
           99%    1.20ms
        148000 requests in 8.00s, 170.50MB read
      Requests/sec:  18500.00
      Transfer/sec:     21.31MB
      0m0.001s 0m0.002s
      0m1.500s 0m2.500s
      """;

  @Test
  void parsesWrk() {
    RunResult r = NativeTool.parseWrk(WRK, Workload.H1_SEQUENTIAL, NativeTool.childCpuNanos(WRK));
    assertNull(r.failure());
    assertEquals(148000, r.requests());
    assertEquals(8_000_000_000L, r.nanos());
    assertEquals(48, r.p50Micros());
    assertEquals(1200, r.p99Micros());
    assertEquals(4_000_000_000L, r.cpuNanos());
    // bash's times: the shell's own line, then its children's user and system time
    assertEquals(1_500_000_000L, NativeTool.childUserNanos(WRK));
    assertEquals(148000L * Workload.SMALL_BODY, r.bodyBytes());
  }

  @Test
  void noTimesLineLeavesTheCpuUnknown() {
    assertEquals(-1, NativeTool.childCpuNanos("148000 requests in 8.00s"));
    assertEquals(-1, NativeTool.childUserNanos("148000 requests in 8.00s"));
  }

  @Test
  void wrkErrorsFailTheRun() {
    RunResult r =
        NativeTool.parseWrk(
            WRK.replace("Requests/sec", "  Non-2xx or 3xx responses: 12\nRequests/sec"),
            Workload.H1_SEQUENTIAL,
            0);
    assertNotNull(r.failure());
  }

  @Test
  void parsesH2loadAndItsLog(@TempDir Path dir) throws Exception {
    String out =
        """
        finished in 2.00s, 1000.00 req/s, 1.05MB/s
        requests: 2000 total, 2000 started, 2000 done, 2000 succeeded, 0 failed, 0 errored, 0 timeout
        0m0.000s 0m0.000s
        0m0.300s 0m0.100s
        """;
    Path log = dir.resolve("log");
    StringBuilder rows = new StringBuilder();
    for (int i = 1; i <= 100; i++) {
      rows.append("1700000000000000\t200\t").append(i * 10).append('\n');
    }
    Files.writeString(log, rows);
    RunResult r =
        NativeTool.parseH2load(out, log, Workload.H2C_100_STREAMS, NativeTool.childCpuNanos(out));
    assertNull(r.failure());
    assertEquals(2000, r.requests());
    assertEquals(2_000_000_000L, r.nanos());
    assertEquals(500, r.p50Micros());
    assertEquals(990, r.p99Micros());
    assertEquals(400_000_000L, r.cpuNanos());
  }

  @Test
  void h2loadFailuresFailTheRun(@TempDir Path dir) throws Exception {
    String out =
        """
        finished in 2.00s, 1000.00 req/s, 1.05MB/s
        requests: 2000 total, 2000 started, 2000 done, 1990 succeeded, 10 failed, 0 errored, 0 timeout
        """;
    RunResult r = NativeTool.parseH2load(out, dir.resolve("none"), Workload.H2C_100_STREAMS, 0);
    assertNotNull(r.failure());
  }
}
