// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.bench.report.ClientRun.Client;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tiny run of the report's machinery end to end, in this JVM: a fresh certificate, the embedded
 * server on its three ports, Mint and Netty (and the raw-socket floor on HTTP/1.1) for a fraction
 * of a second on the cleartext and TLS small-request workloads, and the tables made of their
 * results.
 */
class TinyRunTest {
  private static final long WARMUP = TimeUnit.MILLISECONDS.toNanos(200);
  private static final long MEASURE = TimeUnit.MILLISECONDS.toNanos(300);

  @Test
  void clientsRunAndTheTablesAreWellFormed(@TempDir Path dir) throws Exception {
    ServerCertificate cert = ServerCertificate.create(dir);
    List<ReportTable.Section> sections = new ArrayList<>();
    try (Servers servers = new JettyServers(cert)) {
      for (Workload w :
          List.of(
              Workload.H1_16_CONNECTIONS, Workload.H2C_100_STREAMS, Workload.H2_TLS_100_STREAMS)) {
        Target target = new Target("127.0.0.1", servers.port(w.wire()), w, cert.certificatePem());
        List<ReportTable.Row> rows = new ArrayList<>();
        for (Client client : List.of(Client.MINT, Client.NETTY, Client.FLOOR)) {
          if (!client.supports(w)) {
            continue;
          }
          RunResult r = ClientRun.run(client, target, WARMUP, MEASURE);
          assertNull(r.failure(), client + " on " + w + ": " + r.failure());
          assertTrue(r.requests() > 0, client + " on " + w + " completed nothing");
          assertTrue(r.p50Micros() > 0 && r.p99Micros() >= r.p50Micros(), r.toString());
          rows.add(new ReportTable.Row(client.label(), client.role(), r));
        }
        ReportTable.Section section = new ReportTable.Section(w, rows);
        ReportTableTest.assertWellFormed(ReportTable.section(section));
        sections.add(section);
      }
    }
    String summary = ReportTable.summary(sections);
    ReportTableTest.assertWellFormed(summary);
    assertTrue(summary.lines().count() == 2 + sections.size(), summary);
    assertTrue(summary.contains("(Netty)"), summary);
  }
}
