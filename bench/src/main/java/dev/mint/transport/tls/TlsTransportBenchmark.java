// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import dev.mint.bench.report.ServerCertificate;
import dev.mint.spi.Deadline;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Microbenchmarks of TLS record protection through {@link TlsTransport}, over an in-memory pair
 * ({@link LoopbackTlsPeer}: the server is a JDK {@link SSLEngine} on the same thread), TLS 1.3 with
 * the JDK's default cipher suite and an EC P-256 certificate made fresh by {@code keytool}:
 *
 * <ul>
 *   <li>{@link #wrap16KiB}: {@link TlsTransport#write} of 16 KiB of plaintext, one record (the
 *       records are dropped unread);
 *   <li>{@link #serverWrap16KiB}: the JDK server engine's wrap of 16 KiB alone (the records are
 *       dropped): the baseline to subtract from the next one;
 *   <li>{@link #serverWrapAndRead16KiB}: the server wraps 16 KiB and {@link TlsTransport#read}
 *       decrypts it into a 64 KiB buffer, as the connection shell reads; the unwrap cost is its
 *       time minus {@link #serverWrap16KiB}'s.
 * </ul>
 *
 * <p>It sits in the transport's package because {@link TlsTransport}'s constructor and handshake
 * are internal. With {@code -prof gc}, {@code gc.alloc.rate.norm} shows what our wrapping adds per
 * record. Each benchmark method gets a fresh pair (the state is per trial).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TlsTransportBenchmark {
  private static final int RECORD = 16_384;

  private final ByteBuffer plaintext = ByteBuffer.allocate(RECORD);
  private final ByteBuffer readBuffer = ByteBuffer.allocate(64 * 1024);
  private final ByteBuffer records = ByteBuffer.allocate(64 * 1024);
  private LoopbackTlsPeer peer;
  private TlsTransport client;
  private SSLEngine clientEngine;

  /** Makes a certificate, both engines, and runs the handshake. */
  @Setup
  public void setUp() throws Exception {
    Path dir = Files.createTempDirectory("mint-tls-bench-");
    ServerCertificate cert = ServerCertificate.create(dir);
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(cert.keyStore())) {
      keys.load(in, ServerCertificate.PASSWORD.toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, ServerCertificate.PASSWORD.toCharArray());
    SSLContext serverContext = SSLContext.getInstance("TLS");
    serverContext.init(kmf.getKeyManagers(), null, null);
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(keys);
    SSLContext clientContext = SSLContext.getInstance("TLS");
    clientContext.init(null, tmf.getTrustManagers(), null);

    SSLEngine server = serverContext.createSSLEngine();
    server.setUseClientMode(false);
    clientEngine = clientContext.createSSLEngine("localhost", 443);
    clientEngine.setUseClientMode(true);
    peer = new LoopbackTlsPeer(server);
    client = new TlsTransport(peer, clientEngine, "localhost:443");
    client.handshake(Deadline.after(Duration.ofSeconds(30)), Duration.ofSeconds(30));
    for (Path p : new Path[] {cert.keyStore(), cert.certificatePem(), cert.keyPem()}) {
      Files.deleteIfExists(p);
    }
    Files.deleteIfExists(dir.resolve("keytool.log"));
    Files.deleteIfExists(dir);
  }

  /** Encrypts one record through our transport. */
  @Benchmark
  public long wrap16KiB() throws Exception {
    peer.discardClientOutput();
    plaintext.clear();
    return client.write(new ByteBuffer[] {plaintext});
  }

  /** The JDK server engine encrypts one record, dropped. */
  @Benchmark
  public void serverWrap16KiB() throws Exception {
    plaintext.clear();
    peer.serverSend(plaintext);
    peer.discardServerOutput();
  }

  /** The server encrypts one record and our transport decrypts it. */
  @Benchmark
  public int serverWrapAndRead16KiB() throws Exception {
    plaintext.clear();
    peer.serverSend(plaintext);
    readBuffer.clear();
    int total = 0;
    for (int i = 0; i < 8 && total < RECORD; i++) { // bounded: one record arrives whole
      total += Math.max(0, client.read(readBuffer));
    }
    if (total != RECORD) {
      throw new IllegalStateException("read " + total + " bytes of " + RECORD);
    }
    return total;
  }

  /** The server encrypts one record and the client's JDK engine decrypts it, no transport. */
  @Benchmark
  public int serverWrapAndEngineUnwrap16KiB() throws Exception {
    plaintext.clear();
    peer.serverSend(plaintext);
    records.clear();
    peer.read(records);
    records.flip();
    readBuffer.clear();
    // Bounded: a post-handshake message (a TLS 1.3 NewSessionTicket) may come before the record.
    for (int i = 0; i < 4 && records.hasRemaining(); i++) {
      clientEngine.unwrap(records, readBuffer);
    }
    if (readBuffer.position() != RECORD) {
      throw new IllegalStateException("unwrapped " + readBuffer.position() + " of " + RECORD);
    }
    return readBuffer.position();
  }
}
