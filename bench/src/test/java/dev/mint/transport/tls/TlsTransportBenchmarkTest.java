// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Each operation of {@link TlsTransportBenchmark} does what it says, a few times in a row. */
class TlsTransportBenchmarkTest {
  @Test
  void everyOperationMovesOneWholeRecord() throws Exception {
    TlsTransportBenchmark b = new TlsTransportBenchmark();
    b.setUp();
    for (int i = 0; i < 3; i++) {
      assertEquals(16_384, b.serverWrapAndRead16KiB());
      assertEquals(16_384, b.wrap16KiB());
    }
    TlsTransportBenchmark raw = new TlsTransportBenchmark();
    raw.setUp();
    for (int i = 0; i < 3; i++) {
      assertEquals(16_384, raw.serverWrapAndEngineUnwrap16KiB());
    }
  }
}
