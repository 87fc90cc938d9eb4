// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import static dev.mint.cli.CommandRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code mint load} against the tour's embedded servers, with small counts. */
@Timeout(60)
class LoadTest {
  private static TourServer h1;
  private static TourH2Server h2;

  @BeforeAll
  static void start() throws Exception {
    h1 = TourServer.start();
    h2 = TourH2Server.start();
  }

  @AfterAll
  static void stop() {
    h1.close();
    h2.close();
  }

  @Test
  void http11WithPipelinedRequests() {
    String url = "http://" + h1.host() + ":" + h1.port() + "/hello";
    CommandRun r = run("load", "--http1.1", "-c", "2", "-m", "3", "-n", "30", url);
    assertEquals(0, r.exit(), r.err() + r.out());
    assertTrue(
        r.out().contains(" over http/1.1, 2 connections, 3 in flight each, 30 requests"), r.out());
    assertTrue(
        r.out()
            .contains("requests: 30 total, 30 started, 30 done, 30 succeeded, 0 failed, 0 errored"),
        r.out());
    assertTrue(r.out().contains("status codes: 30 2xx, 0 3xx, 0 4xx, 0 5xx (200: 30)"), r.out());
    long body = 30L * TourServer.HELLO.length();
    assertTrue(r.out().contains("(" + body + ") of bodies"), r.out());
    assertTrue(r.err().contains("progress: 100% done"), r.err());
    assertLatencyLine(r.out());
  }

  @Test
  void h2cWithManyStreamsPerConnection() {
    String url = "http://" + h2.host() + ":" + h2.port() + "/items/1";
    CommandRun r =
        run(
            "load",
            "--http2-prior-knowledge",
            "-H",
            "accept: text/plain",
            "--timeout",
            "5",
            "-c",
            "2",
            "-m",
            "8",
            "-n",
            "64",
            url);
    assertEquals(0, r.exit(), r.err() + r.out());
    assertTrue(r.out().contains(" over h2, 2 connections, 8 in flight each"), r.out());
    assertTrue(r.out().contains("64 done, 64 succeeded"), r.out());
    assertTrue(r.out().contains("(200: 64)"), r.out());
    assertLatencyLine(r.out());
  }

  @Test
  void aDurationBoundsTheRun() {
    String url = "http://" + h2.host() + ":" + h2.port() + "/hello";
    long start = System.nanoTime();
    CommandRun r = run("load", "--http2-prior-knowledge", "-m", "2", "-D", "0.5", url);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(0, r.exit(), r.err() + r.out());
    Matcher m = Pattern.compile("(\\d+) done, (\\d+) succeeded").matcher(r.out());
    assertTrue(m.find(), r.out());
    assertTrue(Long.parseLong(m.group(1)) > 0, r.out());
    assertTrue(millis < 10_000, millis + " ms");
  }

  @Test
  void badOptionsAreUsageErrors() {
    assertEquals(ExitStatus.USAGE, run("load", "-c", "0", "http://h/").exit());
    assertEquals(ExitStatus.USAGE, run("load", "-n", "5", "-D", "1", "http://h/").exit());
    assertEquals(ExitStatus.USAGE, run("load", "-D", "7200", "http://h/").exit());
    assertEquals(ExitStatus.USAGE, run("load").exit());
    assertEquals(ExitStatus.COULD_NOT_CONNECT, run("load", "http://127.0.0.1:1/").exit());
  }

  private static void assertLatencyLine(String out) {
    assertTrue(
        Pattern.compile(
                "(?m)^latency: min [0-9.]+ ms, mean [0-9.]+ ms, p50 [0-9.]+ ms, p90 [0-9.]+ ms,"
                    + " p99 [0-9.]+ ms, p99\\.9 [0-9.]+ ms, max [0-9.]+ ms$")
            .matcher(out)
            .find(),
        out);
    assertTrue(
        Pattern.compile("(?m)^finished in [0-9.]+ s, [0-9.]+ req/s, [0-9.]+ MiB/s$")
            .matcher(out)
            .find(),
        out);
  }
}
