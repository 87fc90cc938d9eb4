// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Headers;
import dev.mint.Http1Options;
import dev.mint.HttpException;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Jazzer target for the receive half: server bytes fed to an engine with one or several requests in
 * flight, split where the input says. The invariant: any bytes give parts, need-more, or a {@link
 * HttpException} the engine's Javadoc lists as a peer error with connection scope; never another
 * exception, unconsumed input, a part out of the documented order (none after a request's {@code
 * Done}, none for a cancelled request), a part for a request never made, parts or errors from a
 * closed engine, a caller error other than the documented ones, a failed engine that keeps its
 * buffers, or a run over one second.
 *
 * <p><b>Input</b>, readable so that seeds can be written by hand: a plan line, LF, then the
 * response bytes as the server sends them. The plan is words separated by spaces, unknown ones
 * ignored: request kinds {@code GET}, {@code HEAD}, {@code POST} (a streamed body, ended), {@code
 * OPEN} (a streamed body left open), {@code CLOSE} (with {@code connection: close}), {@code
 * UPGRADE} and {@code CONNECT} (at most {@value #MAX_REQUESTS}; one GET when the plan has none);
 * the caller's other calls, {@code send} (a streamed chunk, or tunnel bytes, for the last request),
 * {@code cancel} (the last request) and {@code close}; {@code end} (the server closes after the
 * bytes), {@code direct} (direct buffers), {@code small} (small limits: header section 256,
 * trailers 64, 2 interim responses); and numbers, the offsets where the response is split into
 * separate {@code receive} calls. A request or call word may end in {@code @n}: it is made just
 * before piece {@code n} of the response (counted from 0) rather than before the first.
 *
 * <p><b>Regression mode</b> (every {@code mvn verify}): replays the files in {@code
 * src/test/resources/dev/mint/http1/ResponseParserFuzzTestInputs/responseParser/}. <b>Fuzzing</b>:
 * {@code JAZZER_FUZZ=1 mvn -o test -pl protocol-h1 -am -Dtest=ResponseParserFuzzTest
 * -Dsurefire.failIfNoSpecifiedTests=false}; a finding is written to that folder as {@code
 * crash-<sha1>} and fails every build until fixed.
 */
class ResponseParserFuzzTest {
  static final int MAX_REQUESTS = 4;
  private static final int IDLE_BYTES = 1024;

  /** The reasons {@link Http1Engine}'s Javadoc lists as peer errors with connection scope. */
  private static final Set<String> PEER_REASONS = FuzzRun.documentedReasons("peer/connection");

  private static final Set<String> CALLER_REQUEST_REASONS =
      FuzzRun.documentedReasons("caller/request");
  private static final Set<String> CALLER_CONNECTION_REASONS =
      FuzzRun.documentedReasons("caller/connection");

  @com.code_intelligence.jazzer.junit.FuzzTest(maxDuration = "5m")
  void responseParser(byte[] input) throws Exception {
    FuzzRun.withinASecond(() -> run(Plan.parse(input)));
  }

  private static void run(Plan plan) throws Exception {
    Http1Options limits =
        plan.small
            ? Http1Options.defaults()
                .withMaxHeaderSectionSize(256)
                .withMaxTrailerSectionSize(64)
                .withMaxInterimResponses(2)
            : Http1Options.defaults();
    Script.Client c = Checks.client(limits);
    List<ResponsePart> out = new ArrayList<>();
    List<byte[]> pieces = plan.pieces();
    RequestRef cancelled = null;
    int partsAtCancel = 0;
    try {
      for (int i = 0; i <= pieces.size(); i++) {
        for (Plan.Call call : plan.calls) {
          if (call.before() == i || i == pieces.size() && call.before() > i) {
            if (call.word().equals("cancel") && cancelled == null && inFlight(c, out) != null) {
              cancelled = inFlight(c, out);
              partsAtCancel = out.size();
            }
            call(c, call.word(), out);
          }
        }
        if (i < pieces.size()) {
          ByteBuffer in = buffer(pieces.get(i), plan.direct);
          c.engine.receive(in, out);
          assertFalse(in.hasRemaining(), "receive left bytes unconsumed");
        }
      }
      if (plan.end) {
        c.engine.receiveEnd(true, out);
        assertTrue(c.engine.isClosed(), "the peer's close closes the engine");
      }
    } catch (HttpException e) {
      checkFailure(c, e, plan);
    }
    FuzzTest.checkOrder(out);
    Set<RequestRef> ended = new HashSet<>();
    for (int i = 0; i < out.size(); i++) {
      ResponsePart p = out.get(i);
      assertTrue(c.refs.contains(p.ref()), "a part for a request never made: " + p);
      assertFalse(i >= partsAtCancel && p.ref() == cancelled, "a part after cancelRequest: " + p);
      if (p instanceof ResponsePart.Done || p instanceof ResponsePart.RequestError) {
        ended.add(p.ref());
      }
    }
    if (!c.engine.isClosed()) {
      assertEquals(c.refs.size() - ended.size(), c.engine.openRequestCount(), "in flight");
    }
  }

  /** One caller call of the plan; refusals must be documented caller errors. */
  private static void call(Script.Client c, String word, List<ResponsePart> out) throws Exception {
    RequestRef last = c.refs.isEmpty() ? null : c.refs.get(c.refs.size() - 1);
    try {
      switch (word) {
        case "cancel" -> {
          if (last != null) {
            boolean wasInFlight = inFlight(c, out) != null;
            c.engine.cancelRequest(last, out);
            // HTTP/1.1 closes on a cancel; a finished reference is ignored (unless its body still
            // streams, which this check does not track)
            assertTrue(!wasInFlight || c.engine.isClosed(), "closed after cancelling");
          }
        }
        case "close" -> c.engine.close();
        case "send" -> {
          if (last != null) {
            c.engine.streamRequestBody(last, ByteBuffer.wrap(Script.bytes("x")));
          }
        }
        default -> {
          if (c.refs.size() < MAX_REQUESTS) {
            make(c, word);
          }
        }
      }
    } catch (HttpException refused) {
      checkRefused(c, refused);
    }
    c.sent();
  }

  /** The last request made, when the engine is open and no part has ended it yet; or null. */
  private static RequestRef inFlight(Script.Client c, List<ResponsePart> out) {
    if (c.refs.isEmpty() || c.engine.isClosed()) {
      return null;
    }
    RequestRef last = c.refs.get(c.refs.size() - 1);
    for (ResponsePart p : out) {
      if (p.ref() == last
          && (p instanceof ResponsePart.Done || p instanceof ResponsePart.RequestError)) {
        return null;
      }
    }
    return last;
  }

  /** A caller error: documented, of request scope, or of connection scope once closed. */
  private static void checkRefused(Script.Client c, HttpException e) {
    assertEquals(HttpException.Fault.CALLER, e.fault(), e.toString());
    boolean closed = c.engine.isClosed();
    assertEquals(
        closed ? HttpException.Scope.CONNECTION : HttpException.Scope.REQUEST,
        e.scope(),
        e.toString());
    Set<String> documented = closed ? CALLER_CONNECTION_REASONS : CALLER_REQUEST_REASONS;
    assertTrue(documented.contains(e.reason().name()), "undocumented " + e);
  }

  /** A connection error: documented, closed for good, nothing retained. */
  private static void checkFailure(Script.Client c, HttpException e, Plan plan) throws Exception {
    assertTrue(PEER_REASONS.contains(e.reason().name()), "undocumented: " + e);
    assertEquals(HttpException.Fault.PEER, e.fault(), e.toString());
    assertEquals(HttpException.Scope.CONNECTION, e.scope(), e.toString());
    assertTrue(c.engine.isClosed(), "closed after " + e);
    assertTrue(c.engine.retainedBytes() < IDLE_BYTES, "kept " + c.engine.retainedBytes());
    List<ResponsePart> later = new ArrayList<>();
    c.engine.receive(ByteBuffer.wrap(plan.response), later);
    c.engine.receiveEnd(true, later);
    assertEquals(List.of(), later, "a closed engine gives no parts");
  }

  private static void make(Script.Client c, String kind) throws HttpException {
    switch (kind) {
      case "GET" -> c.get("/");
      case "HEAD" -> c.request("HEAD", "/", null, null);
      case "CLOSE" -> c.request("GET", "/", Headers.of("connection", "close"), null);
      case "UPGRADE" ->
          c.request(
              "GET", "/ws", Headers.of("connection", "upgrade", "upgrade", "websocket"), null);
      case "CONNECT" -> c.request("CONNECT", "example.com:443", null, null);
      case "OPEN" -> c.request("POST", "/", null, RequestBody.streaming());
      default -> {
        RequestRef ref = c.request("POST", "/", null, RequestBody.streaming());
        c.engine.streamRequestBody(ref, ByteBuffer.wrap(Script.bytes("abc")));
        c.engine.endRequestBody(ref, null);
      }
    }
  }

  private static ByteBuffer buffer(byte[] piece, boolean direct) {
    if (!direct) {
      return ByteBuffer.wrap(piece);
    }
    ByteBuffer b = ByteBuffer.allocateDirect(piece.length);
    b.put(piece).flip();
    return b;
  }

  /** A decoded input: see the class Javadoc. */
  static final class Plan {
    /** A caller call made just before piece {@code before} of the response. */
    record Call(String word, int before) {}

    final List<Call> calls = new ArrayList<>();
    final TreeSet<Integer> splits = new TreeSet<>();
    boolean end;
    boolean direct;
    boolean small;
    byte[] response;

    static Plan parse(byte[] input) {
      Plan plan = new Plan();
      int lf = 0;
      while (lf < input.length && input[lf] != '\n') {
        lf++;
      }
      String line = new String(input, 0, lf, StandardCharsets.ISO_8859_1);
      plan.response = lf < input.length ? Arrays.copyOfRange(input, lf + 1, input.length) : input;
      if (lf == input.length) {
        line = "";
      }
      for (String word : line.split(" ")) {
        plan.word(word);
      }
      if (plan.calls.stream().noneMatch(call -> KINDS.contains(call.word()))) {
        plan.calls.add(0, new Call("GET", 0));
      }
      return plan;
    }

    private static final Set<String> KINDS =
        Set.of("GET", "HEAD", "POST", "OPEN", "CLOSE", "UPGRADE", "CONNECT");

    private void word(String word) {
      int at = word.indexOf('@');
      String name = at < 0 ? word : word.substring(0, at);
      String piece = at < 0 ? "0" : word.substring(at + 1);
      if ((KINDS.contains(name) || Set.of("send", "cancel", "close").contains(name))
          && isSmallNumber(piece)
          && calls.size() < 16) {
        calls.add(new Call(name, Integer.parseInt(piece)));
        return;
      }
      switch (word) {
        case "end" -> end = true;
        case "direct" -> direct = true;
        case "small" -> small = true;
        default -> {
          if (isSmallNumber(word)) {
            splits.add(Integer.parseInt(word));
          }
        }
      }
    }

    private static boolean isSmallNumber(String word) {
      return !word.isEmpty()
          && word.length() < 9
          && word.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }

    /** The response cut at the split offsets that fall inside it. */
    List<byte[]> pieces() {
      List<byte[]> pieces = new ArrayList<>();
      int from = 0;
      for (int at : splits) {
        if (at > from && at < response.length) {
          pieces.add(Arrays.copyOfRange(response, from, at));
          from = at;
        }
      }
      pieces.add(Arrays.copyOfRange(response, from, response.length));
      return pieces;
    }
  }
}
