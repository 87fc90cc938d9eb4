// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mint.Bytes;
import dev.mint.Headers;
import dev.mint.HttpException;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Coverage-guided fuzz targets (Jazzer), one invariant each: any input gives parts, need-more, or a
 * documented {@link dev.mint.MintException}; never another exception, a part after the end of its
 * request, unconsumed input, or a run over one second.
 *
 * <p>In a plain build each target replays its committed corpus, {@code
 * src/test/resources/dev/mint/http2/GuidedFuzzTestInputs/<method>/}. To fuzz one target (the
 * generated corpus goes to {@code .cifuzz-corpus/}, findings to the inputs directory):
 *
 * <pre>
 * JAZZER_FUZZ=1 mvn -o test -pl protocol-h2 -am -Dtest='GuidedFuzzTest#serverBytes' \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class GuidedFuzzTest {
  /** The most time one input may take while fuzzing. */
  private static final long BUDGET_NANOS = 1_000_000_000L;

  /**
   * The inputs a fuzzing JVM runs before the budget applies: the first ones pay for class loading,
   * Jazzer's instrumentation and the JIT (over a second for the first seed on a busy machine).
   */
  private static final int WARM_UP_INPUTS = 1000;

  /** The inputs this JVM ran so far. */
  private static int inputsRun;

  /** Whether Jazzer is fuzzing (rather than replaying the corpus). */
  private static final boolean FUZZING = !System.getenv().getOrDefault("JAZZER_FUZZ", "").isEmpty();

  /** Header names the request target often picks: those with rules of their own. */
  private static final String[] NAMES = {
    "cookie", "host", "te", "content-length", "user-agent", "connection", ":protocol", "x-a"
  };

  /** The table sizes the HPACK target picks from with its first byte. */
  private static final int[] TABLE_SIZES = {4096, 0, 256, 100, 65_536};

  /**
   * HPACK blocks into one decoder, in order (the dynamic table carries over). Input: one byte
   * choosing our table size and list limit, then blocks, each a length byte and that many bytes
   * (the last one takes what is left). Each block decodes, or is a connection error
   * COMPRESSION_ERROR or ENHANCE_YOUR_CALM, after which the connection would end. What decodes is
   * encoded again and decodes to the same fields.
   */
  @FuzzTest(maxDuration = "5m")
  void hpackBlocks(byte[] input) throws Http2Error {
    long start = System.nanoTime();
    if (input.length == 0) {
      return;
    }
    int choice = input[0] & 0xff;
    int tableSize = TABLE_SIZES[choice % TABLE_SIZES.length];
    int listLimit = (choice & 0x80) != 0 ? 200 : 1 << 20;
    HpackDecoder decoder = new HpackDecoder(listLimit);
    decoder.maxTableSize(tableSize);
    TwitterHpackEncoder encoder = new TwitterHpackEncoder();
    HpackDecoder again = new HpackDecoder(1 << 30);
    boolean first = true;
    for (int at = 1; at < input.length; ) {
      int length = Math.min(input[at] & 0xff, input.length - at - 1);
      Bytes block = Bytes.of(input, at + 1, length);
      at += 1 + length;
      if (first && tableSize < 4096) {
        block = sizeUpdateFirst(block, tableSize); // RFC 7541 §4.2: the server must signal it
      }
      first = false;
      Headers fields;
      try {
        fields = decoder.decode(block);
      } catch (Http2Error e) {
        assertTrue(e.isConnectionError(), e.getMessage());
        assertTrue(
            e.code() == ErrorCode.COMPRESSION_ERROR || e.code() == ErrorCode.ENHANCE_YOUR_CALM,
            e.code() + " " + e.getMessage());
        break;
      }
      assertEquals(fields, again.decode(Raw.block(encoder, fields)));
    }
    withinBudget(start);
  }

  private static Bytes sizeUpdateFirst(Bytes block, int size) {
    byte[] update = size < 31 ? new byte[] {(byte) (0x20 | size)} : integer(0x20, 5, size);
    byte[] joined = new byte[update.length + block.length()];
    System.arraycopy(update, 0, joined, 0, update.length);
    block.asReadOnlyBuffer().get(joined, update.length, block.length());
    return Bytes.of(joined);
  }

  /** An RFC 7541 §5.1 integer with a {@code prefix}-bit prefix under {@code flags}. */
  private static byte[] integer(int flags, int prefix, int value) {
    int max = (1 << prefix) - 1;
    ByteBuffer out = ByteBuffer.allocate(8);
    out.put((byte) (flags | max));
    int rest = value - max;
    while (rest >= 128) {
      out.put((byte) (rest & 0x7f | 0x80));
      rest >>>= 7;
    }
    out.put((byte) rest);
    return Bytes.of(out.array(), 0, out.position()).toByteArray();
  }

  /**
   * Server bytes into a fresh engine (push on, small header list) with a GET on stream 1 and a
   * streaming POST on stream 3. Input: one byte choosing the chunk size of each receive call (0:
   * all at once), then the server's bytes. Whatever the bytes: receive consumes all its input, each
   * request ends at most once and gets no part after its end, request errors have request scope,
   * the only exceptions are connection errors other than INTERNAL_ERROR (then the engine is closed
   * and GOAWAY queued) and PREMATURE_CLOSE at the end, and every byte the engine queued is a valid
   * frame.
   */
  @FuzzTest(maxDuration = "5m")
  void serverBytes(byte[] input) throws HttpException {
    long start = System.nanoTime();
    if (input.length == 0) {
      return;
    }
    int chunk = input[0] & 0xff;
    Peer p = Peer.withTwoRequests();
    Ends ends = new Ends();
    List<ResponsePart> out = new ArrayList<>();
    try {
      for (int at = 1; at < input.length; ) {
        int n = chunk == 0 ? input.length - at : Math.min(chunk, input.length - at);
        ByteBuffer in = ByteBuffer.wrap(input, at, n);
        p.engine.receive(in, out);
        assertEquals(at + n, in.position(), "receive consumes all its input");
        at += n;
        ends.check(out, false);
        out.clear();
        p.sent(); // every frame queued decodes
      }
      p.engine.receiveEnd(true, out);
      ends.check(out, true);
    } catch (HttpException e) {
      ends.check(out, false);
      checkConnectionFailure(p, e);
    }
    withinBudget(start);
  }

  private static void checkConnectionFailure(Peer p, HttpException e) {
    assertEquals(HttpException.Scope.CONNECTION, e.scope(), e.getMessage());
    assertEquals(HttpException.Fault.PEER, e.fault(), e.getMessage());
    assertTrue(p.engine.isClosed(), "closed after " + e.getMessage());
    if (e.reason() == HttpException.Reason.PREMATURE_CLOSE) {
      return;
    }
    assertEquals(HttpException.Reason.HTTP2_CONNECTION_ERROR, e.reason(), e.getMessage());
    assertNotEquals(ErrorCode.INTERNAL_ERROR.code(), e.http2ErrorCode(), e.getMessage());
    List<Frame> sent = p.sent();
    if (!sent.isEmpty()) {
      assertInstanceOf(GoAwayFrame.class, sent.get(sent.size() - 1), "GOAWAY last");
    }
  }

  /** The terminal parts seen per request: a part after one is a failure. */
  private static final class Ends {
    private final Map<RequestRef, ResponsePart> ended = new IdentityHashMap<>();

    /**
     * Checks {@code parts}; {@code closed} when they came from the server's close, which after a
     * GOAWAY ends each stream left open with PREMATURE_CLOSE of connection scope.
     */
    void check(List<ResponsePart> parts, boolean closed) {
      for (ResponsePart part : parts) {
        ResponsePart end = ended.get(part.ref());
        if (end != null) {
          throw new AssertionError(part + " after " + end);
        }
        if (part instanceof ResponsePart.RequestError error) {
          HttpException h = (HttpException) error.error();
          boolean cutByClose = closed && h.reason() == HttpException.Reason.PREMATURE_CLOSE;
          assertEquals(
              cutByClose ? HttpException.Scope.CONNECTION : HttpException.Scope.REQUEST,
              h.scope(),
              h.getMessage());
          ended.put(part.ref(), part);
        } else if (part instanceof ResponsePart.Done) {
          ended.put(part.ref(), part);
        }
      }
    }
  }

  /**
   * A request from the fuzzer (method, target, headers, a fixed or streamed body, trailers, the
   * server's frame size) on a ready connection: either a caller error that queues nothing, or
   * exactly one HEADERS (+ CONTINUATION) (+ DATA) sequence on one new stream, whose block decodes
   * to a well-formed request (RFC 9113 §8.3: pseudo-header fields first, :method as asked, names
   * lowercase, no connection-specific fields).
   */
  @DictionaryEntries({
    "cookie",
    "host",
    "te",
    "trailers",
    "content-length",
    "connection",
    "user-agent",
    ":protocol",
    "CONNECT",
    "OPTIONS",
    "HEAD",
    "POST",
    "*",
    "; "
  })
  @FuzzTest(maxDuration = "5m")
  void requests(FuzzedDataProvider data) throws HttpException {
    long start = System.nanoTime();
    int maxFrameSize = data.consumeBoolean() ? 16_384 : data.consumeInt(16_384, 20_000);
    Peer p = Peer.ready(Split.WHOLE, Peer.setting(SettingsFrame.MAX_FRAME_SIZE, maxFrameSize));
    String method = data.consumeString(12);
    String target = data.consumeString(40);
    Headers.Builder headers = Headers.builder();
    int count = data.consumeInt(0, 8);
    for (int i = 0; i < count; i++) {
      // a value repeated up to 2000 times makes blocks that need CONTINUATION frames
      String name = data.consumeBoolean() ? data.pickValue(NAMES) : data.consumeString(20);
      headers.add(name, data.consumeString(40).repeat(data.consumeInt(1, 2000)));
    }
    int bodyKind = data.consumeInt(0, 2);
    byte[] body = data.consumeBytes(data.consumeInt(0, 70_000));
    RequestBody requestBody =
        switch (bodyKind) {
          case 0 -> RequestBody.none();
          case 1 -> RequestBody.of(body);
          default -> RequestBody.streaming();
        };
    RequestRef ref;
    try {
      ref = p.engine.request(method, target, headers.build(), requestBody);
    } catch (HttpException e) {
      assertEquals(HttpException.Fault.CALLER, e.fault(), e.getMessage());
      assertEquals(HttpException.Scope.REQUEST, e.scope(), e.getMessage());
      assertEquals(false, p.engine.hasOutput(), "a refused request queues nothing");
      withinBudget(start);
      return;
    }
    assertTrue(ref != null);
    RequestCheck check = new RequestCheck(p, maxFrameSize, method);
    check.frames(p.sent(), true);
    if (bodyKind == 2) {
      streamBody(p, ref, body, data.consumeString(30), check);
    }
    if (bodyKind != 0) {
      // the server's initial windows are 65535 bytes: the rest waits for WINDOW_UPDATE
      assertEquals(Math.min(body.length, 65_535), check.dataBytes(), "DATA sent");
    }
    withinBudget(start);
  }

  /** Streams {@code body} in two chunks, then ends it with one trailer field. */
  private static void streamBody(
      Peer p, RequestRef ref, byte[] body, String trailerValue, RequestCheck check)
      throws HttpException {
    int half = body.length / 2;
    p.engine.streamRequestBody(ref, ByteBuffer.wrap(body, 0, half));
    p.engine.streamRequestBody(ref, ByteBuffer.wrap(body, half, body.length - half));
    check.frames(p.sent(), false);
    try {
      p.engine.endRequestBody(ref, Headers.of("x-trailer", trailerValue));
    } catch (HttpException e) {
      // a tunnel takes no trailers, nor a value with forbidden bytes: nothing is queued
      assertEquals(HttpException.Fault.CALLER, e.fault(), e.getMessage());
      assertEquals(false, p.engine.hasOutput(), "a refused end queues nothing");
      return;
    }
    check.frames(p.sent(), false);
  }

  private static void withinBudget(long start) {
    long elapsed = System.nanoTime() - start;
    if (FUZZING && ++inputsRun > WARM_UP_INPUTS && elapsed > BUDGET_NANOS) {
      throw new AssertionError("one input took " + elapsed / 1_000_000 + " ms");
    }
  }
}
