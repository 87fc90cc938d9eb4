// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import dev.mint.Bytes;
import dev.mint.Headers;
import dev.mint.http2.HpackCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * HPACK (RFC 7541) through the HTTP/2 engine's own decoder and encoder, no socket.
 *
 * <p>The responses are those of a typical nginx or CDN edge serving {@link #RESPONSES} resources:
 * twelve or thirteen fields each ({@code :status}, {@code date}, {@code content-type}, {@code
 * content-length}, {@code cache-control}, {@code etag}, {@code last-modified}, {@code server},
 * {@code vary}, {@code accept-ranges}, {@code x-cache}, {@code strict-transport-security}, and a
 * {@code set-cookie} on every other one), some values the same on every response and some different
 * per resource. They are encoded by the engine's encoder (Huffman where shorter, incremental
 * indexing), as a server's encoder would.
 *
 * <ul>
 *   <li>{@link #decodeWarm}: the blocks of a warm connection. The cycle of responses is encoded
 *       again and again until one pass gives the same bytes as the one before: then the dynamic
 *       table is in a steady state, and decoding that pass over and over (after the earlier passes
 *       primed the decoder) yields the same fields every time, as the setup checks. The cycle fits
 *       the 4096-byte table, so the steady pass is all table hits: the per-field cost of a warm
 *       connection that sees the same responses again.
 *   <li>{@link #decodeFirstBlock}: a new connection's decoder made and its first block decoded (all
 *       literals): the cost of the decoder's creation is included.
 *   <li>{@link #encodeWarm}: {@link #RESPONSES} request header lists (a browser-like {@code GET}
 *       with eight fields, the path and a cookie differing) encoded on one warm encoder.
 * </ul>
 *
 * <p>Run with {@code -prof gc}: {@code gc.alloc.rate.norm} is the bytes allocated per block.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class HpackBenchmark {
  /** Responses (and requests) in one cycle, each a different resource. */
  static final int RESPONSES = 8;

  /** The most encoding passes tried before the table must be in a steady state. */
  private static final int MAX_PASSES = 16;

  private final List<Headers> responses = responses();
  private final List<Headers> requests = requests();
  private List<Bytes> firstPass;
  private List<Bytes> steadyPass;
  private HpackCodec.Decoding warmDecoder;
  private HpackCodec.Encoding warmEncoder;

  /** Encodes the responses until the table is steady, and primes the warm decoder with it. */
  @Setup
  public void setUp() {
    HpackCodec.Encoding server = new HpackCodec.Encoding();
    warmDecoder = new HpackCodec.Decoding();
    firstPass = encodeAll(server, responses);
    decodeChecked(warmDecoder, firstPass);
    List<Bytes> previous = firstPass;
    for (int pass = 1; steadyPass == null; pass++) {
      if (pass == MAX_PASSES) {
        throw new IllegalStateException("no steady table after " + MAX_PASSES + " passes");
      }
      List<Bytes> next = encodeAll(server, responses);
      decodeChecked(warmDecoder, next);
      if (next.equals(previous)) {
        steadyPass = next;
      }
      previous = next;
    }
    decodeChecked(warmDecoder, steadyPass); // the steady pass decodes alike when repeated
    warmEncoder = new HpackCodec.Encoding();
    encodeAll(warmEncoder, requests);
  }

  private static List<Bytes> encodeAll(HpackCodec.Encoding encoder, List<Headers> lists) {
    List<Bytes> blocks = new ArrayList<>();
    for (Headers fields : lists) {
      blocks.add(encoder.encode(fields));
    }
    return blocks;
  }

  private void decodeChecked(HpackCodec.Decoding decoder, List<Bytes> blocks) {
    for (int i = 0; i < blocks.size(); i++) {
      Headers decoded = decoder.decode(blocks.get(i));
      if (!decoded.equals(responses.get(i))) {
        throw new IllegalStateException("block " + i + " decoded to " + decoded);
      }
    }
  }

  /** Decodes {@link #RESPONSES} blocks on a warm connection; the score is per block. */
  @Benchmark
  @OperationsPerInvocation(RESPONSES)
  public void decodeWarm(Blackhole bh) {
    for (int i = 0; i < RESPONSES; i++) {
      bh.consume(warmDecoder.decode(steadyPass.get(i)));
    }
  }

  /** Makes a new connection's decoder and decodes its first block. */
  @Benchmark
  public Headers decodeFirstBlock() {
    return new HpackCodec.Decoding().decode(firstPass.get(0));
  }

  /** Encodes {@link #RESPONSES} requests on a warm connection; the score is per block. */
  @Benchmark
  @OperationsPerInvocation(RESPONSES)
  public void encodeWarm(Blackhole bh) {
    for (int i = 0; i < RESPONSES; i++) {
      bh.consume(warmEncoder.encode(requests.get(i)));
    }
  }

  static List<Headers> responses() {
    String[] types = {"text/html; charset=utf-8", "application/json", "image/png", "text/css"};
    List<Headers> list = new ArrayList<>();
    for (int i = 0; i < RESPONSES; i++) {
      Headers.Builder b =
          Headers.builder()
              .add(":status", "200")
              .add("date", "Sat, 05 Dec 2026 17:3" + i / 4 + ":0" + i + " GMT")
              .add("content-type", types[i % types.length])
              .add("content-length", Integer.toString(1187 + 5113 * i))
              .add("cache-control", i % 2 == 0 ? "public, max-age=3600" : "no-cache")
              .add("etag", "\"65f1c2a" + i + "-" + Integer.toHexString(0x1b3d + 977 * i) + "\"")
              .add("last-modified", "Tue, 0" + (1 + i) + " Dec 2026 10:2" + i + ":00 GMT")
              .add("server", "nginx/1.24.0")
              .add("vary", "Accept-Encoding")
              .add("accept-ranges", "bytes")
              .add("x-cache", i % 3 == 0 ? "MISS" : "HIT")
              .add("strict-transport-security", "max-age=31536000; includeSubDomains");
      if (i % 2 == 0) {
        b.add(
            "set-cookie",
            "sid="
                + Long.toHexString(0x9e3779b97f4a7c15L * (i + 1))
                + "; Path=/;"
                + " Secure; HttpOnly; SameSite=Lax");
      }
      list.add(b.build());
    }
    return list;
  }

  static List<Headers> requests() {
    List<Headers> list = new ArrayList<>();
    for (int i = 0; i < RESPONSES; i++) {
      list.add(
          Headers.of(
              ":method", "GET",
              ":scheme", "https",
              ":authority", "www.example.com",
              ":path", "/assets/app-" + i + ".js?v=20261205",
              "user-agent",
                  "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
              "accept", "*/*",
              "accept-encoding", "gzip, deflate, br",
              "cookie", "sid=" + Long.toHexString(0x9e3779b97f4a7c15L * (i + 1))));
    }
    return list;
  }
}
