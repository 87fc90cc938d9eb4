// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mint.Bytes;
import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.Http2Options;
import dev.mint.HttpException;
import dev.mint.RequestBody;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.spi.ApiAccess;
import dev.mint.spi.EngineContext;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * A scripted HTTP/2 server at the wire: it builds frames with the engine's own frame records (and
 * its own HPACK encoder), feeds their bytes to an engine whole, byte by byte or at random splits,
 * and decodes the frames the engine queued.
 */
final class Peer {
  /** The usual connection: https://example.com. */
  static final EngineContext CONTEXT =
      new EngineContext(Scheme.HTTPS, "example.com", 443, ConnectOptions.defaults());

  final Http2Engine engine;
  final Split split;
  private final Random random;

  /** The server's HPACK encoder, for response header blocks. */
  final TwitterHpackEncoder encoder = new TwitterHpackEncoder();

  /** The server's HPACK decoder, for our request header blocks. */
  final HpackDecoder decoder = new HpackDecoder(1 << 20);

  private byte[] unparsed = new byte[0];
  private boolean prefaceRead;

  Peer(Split split, EngineContext context, int firstStreamId) {
    this(split, new Http2Engine(context, firstStreamId));
  }

  private Peer(Split split, Http2Engine engine) {
    this.split = split;
    this.random = new Random(SeedReporter.SEED ^ split.ordinal());
    this.engine = engine;
  }

  /** The most bytes {@link #sent()} takes from the engine at once, as a shell's batch would. */
  private long takeLimit = Long.MAX_VALUE;

  /**
   * A peer that takes at most {@code outputLimit} bytes of the engine's output per {@link #sent()}.
   */
  static Peer withOutputLimit(Split split, long outputLimit) {
    Peer p = new Peer(split);
    p.takeLimit = outputLimit;
    return p;
  }

  Peer(Split split) {
    this(split, CONTEXT, 1);
  }

  /** A peer whose engine runs with {@code http2} options. */
  static Peer with(Split split, Http2Options http2) {
    return new Peer(
        split,
        new EngineContext(
            Scheme.HTTPS, "example.com", 443, ConnectOptions.builder().http2(http2).build()),
        1);
  }

  /**
   * A peer (no handshake yet) whose engine, push on, has a GET on stream 1 and a streaming POST on
   * stream 3, for the fuzz tests.
   */
  static Peer withTwoRequests() throws HttpException {
    Peer p =
        with(Split.WHOLE, new Http2Options(1 << 20, 1 << 20, 16_384, 1 << 16, 4096, true, 4, 32));
    p.engine.request("GET", "/", Headers.empty(), RequestBody.none());
    p.engine.request("POST", "/", Headers.empty(), RequestBody.streaming());
    p.sent();
    return p;
  }

  /** A peer past the handshake: server SETTINGS sent (with {@code settings}) and ours ACKed. */
  static Peer ready(Split split, SettingsFrame.Setting... settings) throws HttpException {
    Peer p = new Peer(split);
    p.handshake(settings);
    return p;
  }

  /** Sends the server preface with {@code settings} and the ACK of ours; drops what we sent. */
  void handshake(SettingsFrame.Setting... settings) throws HttpException {
    List<ResponsePart> parts =
        receive(new SettingsFrame(false, List.of(settings)), SettingsFrame.ACK);
    assertEquals(List.of(), parts);
    sent();
  }

  // ---- server to client ----

  /** Feeds the frames' bytes, split per {@link #split}, and returns the parts produced. */
  List<ResponsePart> receive(Frame... frames) throws HttpException {
    return receiveBytes(bytes(frames));
  }

  /** Feeds raw bytes, split per {@link #split}. */
  List<ResponsePart> receiveBytes(byte[] bytes) throws HttpException {
    List<ResponsePart> out = new ArrayList<>();
    try {
      feed(bytes, out);
    } catch (HttpException e) {
      ApiAccess.attachParts(e, out);
      throw e;
    }
    return out;
  }

  /**
   * Feeds the frames expecting a connection error with {@code code}: checks the exception and the
   * GOAWAY queued, and returns the parts produced before the failure.
   */
  List<ResponsePart> expectConnectionError(ErrorCode code, Frame... frames) {
    return expectConnectionErrorBytes(code, bytes(frames));
  }

  List<ResponsePart> expectConnectionErrorBytes(ErrorCode code, byte[] bytes) {
    try {
      List<ResponsePart> parts = receiveBytes(bytes);
      fail("expected connection error " + code + " but got " + describe(parts));
      return parts;
    } catch (HttpException e) {
      assertEquals(HttpException.Reason.HTTP2_CONNECTION_ERROR, e.reason(), e.getMessage());
      assertEquals(HttpException.Scope.CONNECTION, e.scope());
      assertEquals(HttpException.Fault.PEER, e.fault());
      assertEquals(code.code(), e.http2ErrorCode(), e.getMessage());
      assertTrue(engine.isClosed(), "engine closed after a connection error");
      List<Frame> sent = sent();
      assertTrue(!sent.isEmpty(), "GOAWAY queued");
      GoAwayFrame goAway = assertInstanceOf(GoAwayFrame.class, sent.get(sent.size() - 1));
      assertEquals(code.code(), goAway.errorCode(), "GOAWAY code");
      return e.partsBeforeFailure();
    }
  }

  private void feed(byte[] bytes, List<ResponsePart> out) throws HttpException {
    switch (split) {
      case WHOLE -> deliver(bytes, 0, bytes.length, out);
      case BYTE_BY_BYTE -> {
        for (int i = 0; i < bytes.length; i++) {
          deliver(bytes, i, 1, out);
        }
      }
      case RANDOM -> {
        int at = 0;
        while (at < bytes.length) {
          int n = Math.min(bytes.length - at, 1 + random.nextInt(Math.max(1, bytes.length / 3)));
          deliver(bytes, at, n, out);
          at += n;
        }
      }
    }
  }

  private void deliver(byte[] bytes, int offset, int length, List<ResponsePart> out)
      throws HttpException {
    // the buffer starts at an offset inside a larger array, as a shell's read buffer may
    byte[] array = new byte[length + 7];
    System.arraycopy(bytes, offset, array, 3, length);
    ByteBuffer in = ByteBuffer.wrap(array, 3, length);
    engine.receive(in, out);
    assertEquals(3 + length, in.position(), "receive consumes all its input");
  }

  static byte[] bytes(Frame... frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Frame f : frames) {
      out.writeBytes(f.toByteArray());
    }
    return out.toByteArray();
  }

  // ---- frame builders ----

  /** A HEADERS frame with END_HEADERS, its block encoded by the server's encoder. */
  HeadersFrame headers(int streamId, boolean endStream, String... fields) {
    return new HeadersFrame(streamId, block(fields), endStream, true);
  }

  /** A header block of alternating names and values, encoded by the server's encoder. */
  Bytes block(String... fields) {
    return Raw.block(encoder, Headers.of(fields));
  }

  static DataFrame data(int streamId, String text, boolean endStream) {
    return new DataFrame(streamId, Bytes.utf8(text), endStream);
  }

  static SettingsFrame settings(SettingsFrame.Setting... settings) {
    return new SettingsFrame(false, List.of(settings));
  }

  static SettingsFrame.Setting setting(int id, long value) {
    return new SettingsFrame.Setting(id, value);
  }

  // ---- client to server ----

  /**
   * The frames the engine queued since the last call (the preface checked and dropped), taken as
   * the shell takes them.
   */
  List<Frame> sent() {
    List<ByteBuffer> taken = new ArrayList<>();
    long n = engine.takeOutput(takeLimit, taken);
    ByteBuffer drained = ByteBuffer.allocate((int) n);
    taken.forEach(drained::put);
    drained.flip();
    byte[] all = Arrays.copyOf(unparsed, unparsed.length + drained.remaining());
    drained.get(all, unparsed.length, drained.remaining());
    ByteBuffer in = ByteBuffer.wrap(all);
    if (!prefaceRead) {
      byte[] preface = new byte[Http2Engine.PREFACE.length];
      in.get(preface);
      assertEquals(new String(Http2Engine.PREFACE), new String(preface), "client preface");
      prefaceRead = true;
    }
    List<Frame> frames = new ArrayList<>();
    while (in.remaining() >= FrameHeader.SIZE) {
      int start = in.position();
      FrameHeader h = FrameHeader.decode(in);
      if (in.remaining() < h.length()) {
        in.position(start);
        break;
      }
      try {
        frames.add(Frame.decode(h, Bytes.copyOf(in, h.length())));
      } catch (Http2Error e) {
        throw new AssertionError("the engine sent an invalid frame: " + e.getMessage(), e);
      }
    }
    unparsed = Arrays.copyOfRange(all, in.position(), all.length);
    return frames;
  }

  /** The frames sent, without the given types (e.g. WINDOW_UPDATE refills). */
  static List<Frame> without(List<Frame> frames, Class<?>... types) {
    List<Frame> out = new ArrayList<>();
    outer:
    for (Frame f : frames) {
      for (Class<?> t : types) {
        if (t.isInstance(f)) {
          continue outer;
        }
      }
      out.add(f);
    }
    return out;
  }

  /**
   * Decodes the header block of HEADERS (+ CONTINUATION) frames at {@code index} of {@code sent}.
   */
  Headers requestHeaders(List<Frame> sent, int index) {
    HeadersFrame h = assertInstanceOf(HeadersFrame.class, sent.get(index));
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    block.writeBytes(h.fragment().toByteArray());
    boolean end = h.endHeaders();
    for (int i = index + 1; !end; i++) {
      ContinuationFrame c = assertInstanceOf(ContinuationFrame.class, sent.get(i));
      assertEquals(h.streamId(), c.streamId());
      block.writeBytes(c.fragment().toByteArray());
      end = c.endHeaders();
    }
    try {
      return decoder.decode(Bytes.of(block.toByteArray()));
    } catch (Http2Error e) {
      throw new AssertionError("our header block does not decode: " + e.getMessage(), e);
    }
  }

  // ---- parts ----

  /** A compact description of parts: "#seq kind detail". */
  static List<String> describe(List<ResponsePart> parts) {
    List<String> out = new ArrayList<>();
    for (ResponsePart p : parts) {
      String prefix = "#" + p.ref().sequence() + " ";
      if (p instanceof ResponsePart.Status s) {
        out.add(prefix + "status " + s.code());
      } else if (p instanceof ResponsePart.Headers h) {
        out.add(prefix + "headers " + h.headers());
      } else if (p instanceof ResponsePart.Data d) {
        out.add(prefix + "data " + d.bytes().utf8());
      } else if (p instanceof ResponsePart.Trailers t) {
        out.add(prefix + "trailers " + t.trailers());
      } else if (p instanceof ResponsePart.Done) {
        out.add(prefix + "done");
      } else if (p instanceof ResponsePart.RequestError e) {
        HttpException h = (HttpException) e.error();
        out.add(
            prefix
                + "error "
                + h.reason()
                + " "
                + ErrorCode.describe(h.http2ErrorCode())
                + (h.isRetrySafe() ? " retry-safe" : ""));
      } else if (p instanceof ResponsePart.Pong) {
        out.add(prefix + "pong");
      } else if (p instanceof ResponsePart.PushPromise pp) {
        out.add(prefix + "push #" + pp.promisedRef().sequence() + " " + pp.requestHeaders());
      }
    }
    return out;
  }
}
