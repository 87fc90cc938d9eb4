// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.Http1Options;
import dev.mint.HttpException;
import dev.mint.MintException;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.TransportException;
import dev.mint.spi.EngineContext;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A scripted exchange with a fake server at the wire: requests made on a fresh engine, response
 * bytes fed to it, optionally the server's close, then checks. {@link #run()} plays the script with
 * the response whole, one byte at a time, and at {@link #SPLIT_SEEDS} seeded random sets of split
 * points (alternating heap buffers with a non-zero array offset and direct buffers), and asserts
 * that every mode gives the same parts (adjacent data of one request merged), the same error reason
 * and the same final engine state.
 */
final class Script {
  static final int SPLIT_SEEDS = 20;

  /** Makes requests (or anything else) on a fresh engine. */
  interface Step {
    void run(Client client) throws Exception;
  }

  private ConnectOptions options = ConnectOptions.builder().userAgent(null).build();
  private Scheme scheme = Scheme.HTTP;
  private String host = "example.com";
  private int port = 80;
  private Step setup = c -> c.get("/");
  private byte[] response = new byte[0];
  private boolean end;
  private boolean cleanEnd;
  private Step after = c -> {};

  static Script of(String response) {
    return new Script().respond(response);
  }

  static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  static String text(ByteBuffer b) {
    byte[] a = new byte[b.remaining()];
    b.get(a);
    return new String(a, StandardCharsets.ISO_8859_1);
  }

  Script options(ConnectOptions value) {
    options = value;
    return this;
  }

  Script http1(Http1Options value) {
    options = options.toBuilder().http1(value).build();
    return this;
  }

  Script requests(Step value) {
    setup = value;
    return this;
  }

  Script respond(String value) {
    response = bytes(value);
    return this;
  }

  Script respond(byte[] value) {
    response = value.clone();
    return this;
  }

  /** The server closes after sending the response (a TCP close, or TLS with close_notify). */
  Script thenClose() {
    end = true;
    cleanEnd = true;
    return this;
  }

  /**
   * The connection ends after the response without the TLS close_notify that would confirm it (RFC
   * 9112 §9.8): the transport reports the end as not clean.
   */
  Script thenCloseWithoutCloseNotify() {
    end = true;
    cleanEnd = false;
    return this;
  }

  /** Runs after the bytes (and the close) in every mode; its effects join the comparison. */
  Script after(Step value) {
    after = value;
    return this;
  }

  /** A fresh client as the setup would see it. */
  Client client() {
    return new Client(new Http1Engine(new EngineContext(scheme, host, port, options)));
  }

  /** Plays every mode, asserts they agree, and returns the whole-input outcome. */
  Outcome run() throws Exception {
    Outcome whole = play(List.of(response), false, "whole");
    List<byte[]> single = new ArrayList<>();
    for (byte b : response) {
      single.add(new byte[] {b});
    }
    same(whole, play(single, true, "one byte at a time"));
    for (int seed = 1; seed <= SPLIT_SEEDS; seed++) {
      same(whole, play(split(response, seed), seed % 2 == 1, "random split, seed " + seed));
    }
    return whole;
  }

  /** Plays the whole-input mode only; for tests that look at one run. */
  Outcome once() throws Exception {
    return play(List.of(response), false, "whole");
  }

  private static List<byte[]> split(byte[] all, long seed) {
    Random random = new Random(seed);
    List<byte[]> pieces = new ArrayList<>();
    int at = 0;
    while (at < all.length) {
      int n = 1 + random.nextInt(Math.max(1, Math.min(all.length - at, 1 + all.length / 4)));
      byte[] piece = new byte[Math.min(n, all.length - at)];
      System.arraycopy(all, at, piece, 0, piece.length);
      pieces.add(piece);
      at += piece.length;
    }
    return pieces;
  }

  private Outcome play(List<byte[]> pieces, boolean direct, String mode) throws Exception {
    Client c = client();
    setup.run(c);
    String sent = c.sent();
    List<ResponsePart> out = new ArrayList<>();
    HttpException error = null;
    try {
      for (byte[] piece : pieces) {
        ByteBuffer in = buffer(piece, direct);
        c.engine.receive(in, out);
        assertFalse(in.hasRemaining(), mode + ": receive left bytes unconsumed");
      }
      if (end) {
        c.engine.receiveEnd(cleanEnd, out);
      }
    } catch (HttpException e) {
      error = e;
      assertTrue(c.engine.isClosed(), mode + ": a connection error must close the engine");
      assertEquals(HttpException.Scope.CONNECTION, e.scope(), mode + ": " + e);
      assertEquals(HttpException.Fault.PEER, e.fault(), mode + ": " + e);
    }
    after.run(c);
    return new Outcome(mode, c, sent, out, normalize(out), error);
  }

  private static ByteBuffer buffer(byte[] piece, boolean direct) {
    if (direct) {
      ByteBuffer b = ByteBuffer.allocateDirect(piece.length);
      b.put(piece).flip();
      return b;
    }
    byte[] padded = new byte[piece.length + 6];
    System.arraycopy(piece, 0, padded, 3, piece.length);
    return ByteBuffer.wrap(padded, 3, piece.length).slice(); // array offset 3
  }

  private static void same(Outcome expected, Outcome actual) {
    String where = actual.mode + " (the whole input gave " + expected.describe() + ")";
    assertEquals(expected.parts, actual.parts, where);
    assertEquals(reasons(expected.raw), reasons(actual.raw), where + ": reason phrases");
    assertEquals(
        expected.error == null ? null : expected.error.reason(),
        actual.error == null ? null : actual.error.reason(),
        where + ": " + actual.error);
    assertEquals(expected.closed, actual.closed, where + ": isClosed");
    assertEquals(expected.open, actual.open, where + ": openRequestCount");
    assertEquals(expected.canSend, actual.canSend, where + ": canSendRequests");
    assertEquals(expected.output, actual.output, where + ": output after");
  }

  /** Parts as comparable text, adjacent data of one request merged. */
  static List<String> normalize(List<ResponsePart> parts) {
    List<String> out = new ArrayList<>();
    StringBuilder data = null;
    long dataRef = -1;
    for (ResponsePart p : parts) {
      if (p instanceof ResponsePart.Data d && data != null && d.ref().sequence() == dataRef) {
        data.append(d.bytes().toString(StandardCharsets.ISO_8859_1));
        continue;
      }
      if (data != null) {
        out.add("data " + dataRef + " " + data);
        data = null;
      }
      long ref = p.ref().sequence();
      if (p instanceof ResponsePart.Status s) {
        out.add("status " + ref + " " + s.code());
      } else if (p instanceof ResponsePart.Headers h) {
        out.add("headers " + ref + " " + h.headers());
      } else if (p instanceof ResponsePart.Data d) {
        assertFalse(d.bytes().isEmpty(), "empty data part");
        data = new StringBuilder(d.bytes().toString(StandardCharsets.ISO_8859_1));
        dataRef = ref;
      } else if (p instanceof ResponsePart.Trailers t) {
        out.add("trailers " + ref + " " + t.trailers());
      } else if (p instanceof ResponsePart.Done) {
        out.add("done " + ref);
      } else if (p instanceof ResponsePart.RequestError e) {
        out.add("error " + ref + " " + reason(e.error()));
      } else {
        out.add(p.toString());
      }
    }
    if (data != null) {
      out.add("data " + dataRef + " " + data);
    }
    return out;
  }

  /** The reason phrases of the status parts, in order. */
  static List<String> reasons(List<ResponsePart> parts) {
    List<String> out = new ArrayList<>();
    for (ResponsePart p : parts) {
      if (p instanceof ResponsePart.Status s) {
        out.add(s.reason());
      }
    }
    return out;
  }

  static String reason(MintException e) {
    if (e instanceof TransportException t) {
      return t.reason().toString();
    }
    return ((HttpException) e).reason().toString();
  }

  /** An engine and the requests made on it. */
  static final class Client {
    final Http1Engine engine;
    final List<RequestRef> refs = new ArrayList<>();

    Client(Http1Engine engine) {
      this.engine = engine;
    }

    RequestRef request(String method, String target, Headers headers, RequestBody body)
        throws HttpException {
      RequestRef ref = engine.request(method, target, headers, body);
      refs.add(ref);
      return ref;
    }

    RequestRef get(String target) throws HttpException {
      return request("GET", target, Headers.empty(), RequestBody.none());
    }

    /** The request with this sequence number (1 is the first). */
    RequestRef ref(int sequence) {
      return refs.get(sequence - 1);
    }

    void stream(int sequence, String chunk) throws HttpException {
      engine.streamRequestBody(ref(sequence), ByteBuffer.wrap(bytes(chunk)));
    }

    /** Takes (as the shell does) and returns the bytes queued so far. */
    String sent() {
      java.util.List<ByteBuffer> taken = new java.util.ArrayList<>();
      long n = engine.takeOutput(Long.MAX_VALUE, taken);
      ByteBuffer all = ByteBuffer.allocate((int) n);
      taken.forEach(all::put);
      return text(all.flip());
    }
  }

  /** What one mode produced. */
  static final class Outcome {
    final String mode;
    final Client client;
    final String sent;
    final List<ResponsePart> raw;
    final List<String> parts;
    final HttpException error;
    final boolean closed;
    final int open;
    final boolean canSend;
    final String output;

    Outcome(
        String mode,
        Client client,
        String sent,
        List<ResponsePart> raw,
        List<String> parts,
        HttpException error) {
      this.mode = mode;
      this.client = client;
      this.sent = sent;
      this.raw = raw;
      this.parts = parts;
      this.error = error;
      this.closed = client.engine.isClosed();
      this.open = client.engine.openRequestCount();
      this.canSend = client.engine.canSendRequests();
      this.output = client.sent();
    }

    /** The header sections received, in order. */
    List<Headers> headers() {
      return raw.stream()
          .filter(p -> p instanceof ResponsePart.Headers)
          .map(p -> ((ResponsePart.Headers) p).headers())
          .toList();
    }

    /** Asserts success with exactly these parts. */
    Outcome parts(String... expected) {
      assertEquals(null, error, "unexpected error");
      assertEquals(List.of(expected), parts);
      return this;
    }

    /** Asserts a connection error with this reason, after exactly these parts. */
    Outcome fails(HttpException.Reason reason, String... before) {
      assertNotNull(error, "expected " + reason + ", got parts " + parts);
      assertEquals(reason, error.reason(), error.getMessage());
      assertEquals(List.of(before), parts);
      assertTrue(closed, "closed after error");
      return this;
    }

    /** Asserts the status parts carried exactly these reason phrases. */
    Outcome reasons(String... expected) {
      assertEquals(List.of(expected), Script.reasons(raw));
      return this;
    }

    /** Asserts the error message contains {@code fragment}. */
    Outcome message(String fragment) {
      assertNotNull(error);
      assertTrue(
          error.getMessage().contains(fragment),
          "message '" + error.getMessage() + "' lacks '" + fragment + "'");
      return this;
    }

    Outcome closed(boolean expected) {
      assertEquals(expected, closed, "isClosed");
      return this;
    }

    Outcome open(int expected) {
      assertEquals(expected, open, "openRequestCount");
      return this;
    }

    Outcome canSend(boolean expected) {
      assertEquals(expected, canSend, "canSendRequests");
      return this;
    }

    Outcome output(String expected) {
      assertEquals(expected, output, "bytes queued by the after step");
      return this;
    }

    String describe() {
      return parts + (error == null ? "" : " then " + error.reason());
    }
  }
}
