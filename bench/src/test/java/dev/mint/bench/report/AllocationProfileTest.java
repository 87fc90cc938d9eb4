// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.bench.report.ClientRun.Client;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS allocation profile end to end: Mint over HTTP/2 and TLS against the embedded server, its
 * engines counted in a short phase.
 */
class AllocationProfileTest {
  private static final long PHASE = TimeUnit.MILLISECONDS.toNanos(300);

  @Test
  void countsTheEngineOfAFreshMintClientAndOnlyWhileInstalled(@TempDir Path dir) throws Exception {
    ServerCertificate cert = ServerCertificate.create(dir);
    try (Servers servers = new JettyServers(cert)) {
      Workload w = Workload.H2_TLS_100_STREAMS;
      Target target = new Target("127.0.0.1", servers.port(w.wire()), w, cert.certificatePem());
      // The measured phase's client first, as in a run: its context is the JDK's, uncounted.
      RunResult measured = ClientRun.run(Client.MINT, target, PHASE, PHASE);
      assertTrue(measured.failure() == null, measured.failure());

      AllocationProfile p = AllocationProfile.measure(Client.MINT, target, PHASE, PHASE);
      assertTrue(p.counted(), "no engine call counted: " + p);
      assertTrue(p.requests() > 0, p.toString());
      assertTrue(p.insideTls() > 0 && p.insideTls() < p.allocated(), p.toString());
      assertEquals(
          "SunJSSE",
          SSLContext.getInstance("TLS").getProvider().getName(),
          "the counting provider is removed after the phase");
      try (var left = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
        assertTrue(
            left.noneMatch(f -> f.getFileName().toString().startsWith("mint-bench-ca-")),
            "the CA copy is deleted");
      }
    }
  }

  @Test
  void whileInstalledTheJdksTlsContextComesThroughTheCounter() throws Exception {
    TlsAllocationCounter.install();
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      assertEquals("MintBenchTlsAllocationCounter", context.getProvider().getName());
      context.init(null, null, null);
      assertEquals(0, TlsAllocationCounter.calls());
      javax.net.ssl.SSLEngine engine = context.createSSLEngine("localhost", 443);
      engine.setUseClientMode(true);
      java.nio.ByteBuffer out =
          java.nio.ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
      engine.wrap(java.nio.ByteBuffer.allocate(0), out); // the ClientHello
      assertTrue(out.position() > 0, "no ClientHello written");
      assertEquals(1, TlsAllocationCounter.calls());
      assertTrue(TlsAllocationCounter.bytes() > 0, "a ClientHello allocates");
    } finally {
      TlsAllocationCounter.uninstall();
    }
    assertEquals("SunJSSE", SSLContext.getInstance("TLS").getProvider().getName());
  }
}
