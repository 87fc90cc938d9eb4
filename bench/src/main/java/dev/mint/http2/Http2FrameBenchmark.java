// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.Bytes;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Microbenchmarks of the HTTP/2 frame layer, no socket and no HPACK: cutting a byte stream into
 * frames and decoding them ({@link FrameReader}), and encoding frames to buffers ({@link
 * Frame#encode()}). It sits in the engine's package because the frame records and the reader are
 * the engine's internals, not public API; it runs from the benchmarks jar, where packages are not
 * sealed.
 *
 * <ul>
 *   <li>{@link #decodeResponse1KiB}: the frames of one small response as a server sends them
 *       (HEADERS with a 40-byte block, DATA of 1 KiB with END_STREAM, WINDOW_UPDATE), fed whole;
 *   <li>{@link #decodeData16KiB}: one DATA frame of 16 KiB (the default maximum frame size), fed
 *       whole, which is what a download is made of;
 *   <li>{@link #encodeRequestHeaders} and {@link #encodeData16KiB}: one HEADERS frame with a
 *       40-byte block, and one 16 KiB DATA frame, to buffers (the payload is not copied).
 * </ul>
 *
 * <p>With {@code -prof gc}, {@code gc.alloc.rate.norm} is the bytes allocated per operation: the
 * decoded payloads are copied out of the input once ({@link Bytes#copyOf}), so about the payload
 * size plus the records.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class Http2FrameBenchmark {
  private static final int MAX_FRAME = 16_384;
  private static final Bytes BLOCK = Bytes.of(new byte[40]);
  private static final Bytes DATA_16K = Bytes.of(new byte[MAX_FRAME]);

  private byte[] response1KiB;
  private byte[] data16KiB;
  private FrameReader reader;

  /** Makes the inputs, and a reader that has seen the server's preface (a SETTINGS frame). */
  @Setup
  public void setUp() throws Http2Error {
    response1KiB =
        concat(
            new HeadersFrame(1, BLOCK, false, true).toByteArray(),
            new DataFrame(1, Bytes.of(new byte[1024]), true).toByteArray(),
            new WindowUpdateFrame(0, 1024).toByteArray());
    data16KiB = new DataFrame(1, DATA_16K, false).toByteArray();
    reader = new FrameReader(MAX_FRAME, 1 << 16);
    Frame preface = reader.next(ByteBuffer.wrap(new SettingsFrame(false, List.of()).toByteArray()));
    if (!(preface instanceof SettingsFrame)) {
      throw new IllegalStateException("the preface did not decode: " + preface);
    }
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] p : parts) {
      length += p.length;
    }
    ByteBuffer all = ByteBuffer.allocate(length);
    for (byte[] p : parts) {
      all.put(p);
    }
    return all.array();
  }

  /** Decodes the three frames of one small response. */
  @Benchmark
  public void decodeResponse1KiB(Blackhole bh) throws Http2Error {
    ByteBuffer in = ByteBuffer.wrap(response1KiB);
    for (Frame f; (f = reader.next(in)) != null; ) {
      bh.consume(f);
    }
  }

  /** Decodes one 16 KiB DATA frame. */
  @Benchmark
  public Frame decodeData16KiB() throws Http2Error {
    return reader.next(ByteBuffer.wrap(data16KiB));
  }

  /** Encodes one HEADERS frame. */
  @Benchmark
  public ByteBuffer[] encodeRequestHeaders() {
    return new HeadersFrame(3, BLOCK, true, true).encode();
  }

  /** Encodes one 16 KiB DATA frame. */
  @Benchmark
  public ByteBuffer[] encodeData16KiB() {
    return new DataFrame(3, DATA_16K, false).encode();
  }
}
