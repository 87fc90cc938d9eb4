// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import static dev.mint.transport.tls.TestIo.H2_AND_H1;
import static dev.mint.transport.tls.TestIo.trustingTestCa;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mint.ConnectOptions;
import dev.mint.Scheme;
import dev.mint.TransportException;
import dev.mint.spi.Deadline;
import dev.mint.spi.Transport;
import dev.mint.spi.TransportContext;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A gathering write of many small buffers (the frames of many requests) leaves as few TLS records
 * as the 16 KiB plaintext limit allows (RFC 8446 §5.1), not one record per buffer, and each record
 * goes to the inner transport in one write.
 */
class TlsRecordBatchTest {
  /** The most plaintext one record carries (RFC 8446 §5.1, RFC 5246 §6.2.1). */
  private static final int MAX_PLAINTEXT = 16_384;

  /** Records every write the TLS transport makes to the socket, as the ciphertext it gave. */
  private static final class RecordingTransport implements Transport {
    private final ChannelTransport inner;
    final List<byte[]> writes = new ArrayList<>();

    RecordingTransport(ChannelTransport inner) {
      this.inner = inner;
    }

    @Override
    public int read(ByteBuffer dst) throws TransportException {
      return inner.read(dst);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws TransportException {
      List<ByteBuffer> before = new ArrayList<>();
      for (ByteBuffer b : srcs) {
        before.add(b.duplicate());
      }
      long n = inner.write(srcs);
      ByteArrayOutputStream taken = new ByteArrayOutputStream();
      for (ByteBuffer b : before) {
        int k = (int) Math.min(b.remaining(), n - taken.size());
        byte[] part = new byte[k];
        b.get(part);
        taken.write(part, 0, k);
      }
      if (n > 0) {
        writes.add(taken.toByteArray());
      }
      return n;
    }

    @Override
    public int awaitReady(int ops, Duration timeout) throws TransportException {
      return inner.awaitReady(ops, timeout);
    }

    @Override
    public Optional<SelectableChannel> selectableChannel() {
      return inner.selectableChannel();
    }

    @Override
    public boolean isOpen() {
      return inner.isOpen();
    }

    @Override
    public void close() {
      inner.close();
    }
  }

  /** The lengths of the TLS records in {@code ciphertext}, which must hold whole records. */
  private static List<Integer> recordLengths(byte[] ciphertext) {
    List<Integer> lengths = new ArrayList<>();
    int at = 0;
    while (at < ciphertext.length) {
      int length = (ciphertext[at + 3] & 0xFF) << 8 | ciphertext[at + 4] & 0xFF;
      lengths.add(length);
      at += 5 + length;
    }
    assertEquals(ciphertext.length, at, "whole records");
    return lengths;
  }

  @ParameterizedTest(name = "{0}: {1} buffers of {2} bytes")
  @CsvSource({"TLSv1.3, 100, 40", "TLSv1.3, 500, 100", "TLSv1.2, 100, 40", "TLSv1.2, 500, 100"})
  void manySmallBuffersLeaveInRecordsAsFullAsTheLimitAllows(String version, int buffers, int size)
      throws Exception {
    BlockingQueue<byte[]> received = new ArrayBlockingQueue<>(1);
    int total = buffers * size;
    try (TlsTestServer server =
        TlsTestServer.presenting("server")
            .handler((tls, raw) -> received.add(TestIo.readExactly(tls.getInputStream(), total)))
            .start()) {
      RecordingTransport socket = new RecordingTransport(ChannelTransport.connect(server.port()));
      TlsTransport t = open(socket, server.port(), version);
      socket.writes.clear(); // the handshake's

      ByteBuffer[] srcs = new ByteBuffer[buffers];
      byte[] expected = new byte[total];
      for (int i = 0; i < buffers; i++) {
        byte[] b = new byte[size];
        java.util.Arrays.fill(b, (byte) ('a' + i % 26));
        System.arraycopy(b, 0, expected, i * size, size);
        srcs[i] = ByteBuffer.wrap(b);
      }
      Deadline deadline = Deadline.after(TestIo.TIMEOUT);
      long written = 0;
      while (written < total || t.hasPendingOutput()) {
        written += t.write(srcs);
        if (written < total || t.hasPendingOutput()) {
          TestIo.awaitOrFail(t, SelectionKey.OP_WRITE, deadline);
        }
      }
      assertArrayEquals(expected, received.poll(10, TimeUnit.SECONDS));

      int records = (total + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT;
      List<Integer> lengths = new ArrayList<>();
      for (byte[] w : socket.writes) {
        List<Integer> inWrite = recordLengths(w);
        assertEquals(1, inWrite.size(), "one record a write: " + inWrite);
        lengths.addAll(inWrite);
      }
      assertEquals(records, lengths.size(), "records " + lengths + " for " + total + " bytes");
      t.close();
    }
  }

  private static TlsTransport open(Transport inner, int port, String version) throws Exception {
    ConnectOptions options =
        ConnectOptions.builder()
            .tls(trustingTestCa().withProtocols(List.of(version)))
            .connectTimeout(TestIo.TIMEOUT)
            .build();
    TransportContext context =
        new TransportContext(
            Scheme.HTTPS,
            "127.0.0.1",
            port,
            "localhost",
            options,
            Deadline.after(TestIo.TIMEOUT),
            Optional.of(inner),
            H2_AND_H1);
    return (TlsTransport) TestIo.PROVIDER.open(context);
  }
}
