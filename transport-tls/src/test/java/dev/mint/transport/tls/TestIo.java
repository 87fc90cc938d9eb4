// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import static org.junit.jupiter.api.Assertions.fail;

import dev.mint.ConnectOptions;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import dev.mint.spi.Deadline;
import dev.mint.spi.Transport;
import dev.mint.spi.TransportContext;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;

/** Client-side helpers: open a TLS transport over a {@link ChannelTransport}, move bytes. */
final class TestIo {
  /** One provider for every test, as in production: its context cache is shared. */
  static final TlsTransportProvider PROVIDER = new TlsTransportProvider();

  static final List<String> H2_AND_H1 = List.of("h2", "http/1.1");
  static final Duration TIMEOUT = Duration.ofSeconds(10);

  private TestIo() {}

  /** TLS trusting the test CA through its trust store. */
  static TlsOptions trustingTestCa() throws Exception {
    return TlsOptions.defaults().withTrustStore(TestCerts.store("truststore"));
  }

  static TlsTransport open(int port, String serverName, TlsOptions tls, List<String> alpn)
      throws Exception {
    return open(ChannelTransport.connect(port), port, serverName, tls, alpn, TIMEOUT);
  }

  static TlsTransport open(
      ChannelTransport inner,
      int port,
      String serverName,
      TlsOptions tls,
      List<String> alpn,
      Duration connectTimeout)
      throws Exception {
    ConnectOptions options =
        ConnectOptions.builder().tls(tls).connectTimeout(connectTimeout).build();
    TransportContext context =
        new TransportContext(
            Scheme.HTTPS,
            "127.0.0.1",
            port,
            serverName,
            options,
            Deadline.after(connectTimeout),
            Optional.of(inner),
            alpn);
    return (TlsTransport) PROVIDER.open(context);
  }

  /** Writes all of {@code data}, waiting for writability; flushes held ciphertext. */
  static void writeAll(Transport t, byte[] data) throws Exception {
    Deadline deadline = Deadline.after(TIMEOUT);
    ByteBuffer[] src = {ByteBuffer.wrap(data)};
    while (src[0].hasRemaining() || t.hasPendingOutput()) {
      t.write(src);
      if (t.hasPendingOutput()) {
        t.flush();
      }
      if (src[0].hasRemaining() || t.hasPendingOutput()) {
        awaitOrFail(t, SelectionKey.OP_WRITE, deadline);
      }
    }
  }

  /** Reads exactly {@code n} bytes in reads of at most {@code chunk}. */
  static byte[] readExactly(Transport t, int n, int chunk) throws Exception {
    Deadline deadline = Deadline.after(TIMEOUT);
    ByteArrayOutputStream out = new ByteArrayOutputStream(n);
    ByteBuffer buf = ByteBuffer.allocate(chunk);
    while (out.size() < n) {
      buf.clear().limit(Math.min(chunk, n - out.size()));
      int r = t.read(buf);
      if (r < 0) {
        fail("end of stream after " + out.size() + " of " + n + " bytes");
      }
      out.write(buf.array(), 0, r);
      if (r == 0 && !t.hasBufferedInput()) {
        awaitOrFail(t, SelectionKey.OP_READ, deadline);
      }
    }
    return out.toByteArray();
  }

  /** Reads until -1. */
  static byte[] readToEnd(Transport t, int chunk) throws Exception {
    Deadline deadline = Deadline.after(TIMEOUT);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(chunk);
    while (true) {
      buf.clear();
      int r = t.read(buf);
      if (r < 0) {
        return out.toByteArray();
      }
      out.write(buf.array(), 0, r);
      if (r == 0 && !t.hasBufferedInput()) {
        awaitOrFail(t, SelectionKey.OP_READ, deadline);
      }
    }
  }

  static void awaitOrFail(Transport t, int ops, Deadline deadline) throws Exception {
    if (deadline.isExpired() || t.awaitReady(ops, deadline.remaining()) == 0) {
      if (deadline.isExpired()) {
        fail("timed out waiting for " + (ops == SelectionKey.OP_READ ? "input" : "output"));
      }
    }
  }

  /** Server side: reads exactly {@code n} bytes. */
  static byte[] readExactly(InputStream in, int n) throws Exception {
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      fail("server got " + b.length + " of " + n + " bytes");
    }
    return b;
  }

  static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }
}
