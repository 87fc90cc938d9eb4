// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static dev.mint.http1.Checks.callerError;
import static dev.mint.http1.Checks.closedError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Headers;
import dev.mint.Http1Options;
import dev.mint.HttpException.Reason;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.TransportException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Persistence, pipelining, interim responses, tunnels, the peer's close, and cancellation. */
class ConnectionLifecycleTest {
  private static final String OK2 = "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n";
  private static final String CL2 = "Headers[content-length: 2]";

  private static Script.Step gets(int n) {
    return c -> {
      for (int i = 1; i <= n; i++) {
        c.get("/" + i);
      }
    };
  }

  // ---- persistence (RFC 9112 §9.3) ----

  @Test
  void http11IsPersistentByDefault() throws Exception {
    Script.of(OK2 + "ok")
        .run()
        .parts("status 1 200", "headers 1 " + CL2, "data 1 ok", "done 1")
        .closed(false)
        .canSend(true)
        .open(0);
  }

  @Test
  void connectionCloseEndsTheConnectionAndFailsTheRest() throws Exception {
    Script.Outcome o =
        Script.of("HTTP/1.1 200 OK\r\nConnection: Close\r\ncontent-length: 2\r\n\r\nok")
            .requests(gets(3))
            .run()
            .parts(
                "status 1 200",
                "headers 1 Headers[connection: Close, content-length: 2]",
                "data 1 ok",
                "done 1",
                "error 2 CLOSED",
                "error 3 CLOSED")
            .closed(true)
            .open(0)
            .canSend(false);
    ResponsePart.RequestError e = (ResponsePart.RequestError) o.raw.get(o.raw.size() - 1);
    assertTrue(e.error() instanceof TransportException);
    assertTrue(
        e.error().getMessage().contains("not answered: the server closed the connection"),
        e.error().getMessage());
  }

  @Test
  void closeTokenAmongOthers() throws Exception {
    Script.of("HTTP/1.1 204 OK\r\nconnection: keep-alive\r\nconnection: upgrade ,  CLOSE\r\n\r\n")
        .run()
        .parts(
            "status 1 204",
            "headers 1 Headers[connection: keep-alive, connection: upgrade ,  CLOSE]",
            "done 1")
        .closed(true);
  }

  @Test
  void connectionCloseIsKnownWhenTheHeadersArrive() throws Exception {
    Script.of("HTTP/1.1 200 OK\r\nconnection: close\r\ncontent-length: 5\r\n\r\nab")
        .run()
        .closed(false)
        .canSend(false)
        .open(1);
  }

  @Test
  void http10ClosesUnlessKeepAlive() throws Exception {
    Script.of("HTTP/1.0 204 OK\r\n\r\n").run().closed(true);
    Script.of("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\ncontent-length: 2\r\n\r\nok")
        .run()
        .parts(
            "status 1 200",
            "headers 1 Headers[connection: Keep-Alive, content-length: 2]",
            "data 1 ok",
            "done 1")
        .closed(false)
        .canSend(true);
    Script.of("HTTP/1.0 204 OK\r\nconnection: keep-alive, close\r\n\r\n").run().closed(true);
  }

  @Test
  void callerConnectionCloseClosesAfterItsResponse() throws Exception {
    Script.of(OK2 + "ok")
        .requests(c -> c.request("GET", "/", Headers.of("connection", "close"), null))
        .run()
        .parts("status 1 200", "headers 1 " + CL2, "data 1 ok", "done 1")
        .closed(true);
  }

  @Test
  void bytesAfterAClosingResponseAreDiscarded() throws Exception {
    Script.of("HTTP/1.1 204 OK\r\nconnection: close\r\n\r\nHTTP/1.1 200 OK\r\n\r\ngarbage")
        .requests(gets(2))
        .run()
        .parts("status 1 204", "headers 1 Headers[connection: close]", "done 1", "error 2 CLOSED")
        .closed(true);
  }

  // ---- pipelining ----

  @Test
  void pipelinedResponsesMatchRequestsInOrder() throws Exception {
    Script.of(
            OK2
                + "aa"
                + "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1\r\nb\r\n0\r\n\r\n"
                + "HTTP/1.1 200 OK\r\ncontent-length: 9\r\n\r\n"
                + "HTTP/1.1 404 Not Found\r\ncontent-length: 1\r\n\r\nd")
        .requests(
            c -> {
              c.get("/1");
              c.get("/2");
              c.request("HEAD", "/3", null, null);
              c.get("/4");
            })
        .run()
        .parts(
            "status 1 200",
            "headers 1 " + CL2,
            "data 1 aa",
            "done 1",
            "status 2 200",
            "headers 2 Headers[transfer-encoding: chunked]",
            "data 2 b",
            "done 2",
            "status 3 200",
            "headers 3 Headers[content-length: 9]",
            "done 3",
            "status 4 404",
            "headers 4 Headers[content-length: 1]",
            "data 4 d",
            "done 4")
        .open(0)
        .closed(false);
  }

  @Test
  void responsesInFlightAreCounted() throws Exception {
    Script.of(OK2 + "aa" + OK2).requests(gets(3)).run().open(2);
  }

  @Test
  void unansweredRequestsFailWhenABodyEndsWithTheClose() throws Exception {
    Script.of("HTTP/1.1 200 OK\r\n\r\nuntil close")
        .requests(gets(2))
        .thenClose()
        .run()
        .parts(
            "status 1 200", "headers 1 Headers[]", "data 1 until close", "done 1", "error 2 CLOSED")
        .closed(true);
  }

  // ---- unexpected bytes ----

  @Test
  void bytesWithNothingInFlightAreUnexpected() throws Exception {
    Script.of("HTTP/1.1 200 OK\r\n\r\n")
        .requests(c -> {})
        .run()
        .fails(Reason.UNEXPECTED_DATA)
        .message("0x48");
  }

  @Test
  void bytesBeyondTheLastResponseAreUnexpected() throws Exception {
    Script.of(OK2 + "okX")
        .run()
        .fails(Reason.UNEXPECTED_DATA, "status 1 200", "headers 1 " + CL2, "data 1 ok", "done 1");
  }

  // ---- interim responses (RFC 9110 §15.2) ----

  @Test
  void continueThenFinal() throws Exception {
    Script.of("HTTP/1.1 100 Continue\r\n\r\n" + OK2 + "ok")
        .requests(
            c -> c.request("PUT", "/", Headers.of("expect", "100-continue"), RequestBody.utf8("x")))
        .run()
        .parts(
            "status 1 100",
            "headers 1 Headers[]",
            "status 1 200",
            "headers 1 " + CL2,
            "data 1 ok",
            "done 1");
  }

  @Test
  void severalInterimResponsesIncludingEarlyHints() throws Exception {
    Script.of(
            "HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\r\nlink: </s.css>; rel=preload\r\n\r\n"
                + "HTTP/1.1 103 Early Hints\nlink: </t.js>\n\n"
                + OK2
                + "ok")
        .run()
        .parts(
            "status 1 100",
            "headers 1 Headers[]",
            "status 1 103",
            "headers 1 Headers[link: </s.css>; rel=preload]",
            "status 1 103",
            "headers 1 Headers[link: </t.js>]",
            "status 1 200",
            "headers 1 " + CL2,
            "data 1 ok",
            "done 1");
  }

  @Test
  void interimResponsesHaveNoBodyEvenWithALength() throws Exception {
    Script.of("HTTP/1.1 102 Processing\r\ncontent-length: 5\r\n\r\n" + OK2 + "ok")
        .run()
        .parts(
            "status 1 102",
            "headers 1 Headers[content-length: 5]",
            "status 1 200",
            "headers 1 " + CL2,
            "data 1 ok",
            "done 1");
  }

  @Test
  void interimResponseOnAPipelinedRequest() throws Exception {
    Script.of(OK2 + "aa" + "HTTP/1.1 100 Continue\r\n\r\n" + OK2 + "bb")
        .requests(gets(2))
        .run()
        .parts(
            "status 1 200",
            "headers 1 " + CL2,
            "data 1 aa",
            "done 1",
            "status 2 100",
            "headers 2 Headers[]",
            "status 2 200",
            "headers 2 " + CL2,
            "data 2 bb",
            "done 2");
  }

  private static final String EARLY_HINTS = "HTTP/1.1 103 Early Hints\r\nlink: </a>\r\n\r\n";
  private static final String HINTS = "headers 1 Headers[link: </a>]";

  @Test
  void interimResponsesUpToTheLimitAreAccepted() throws Exception {
    Script.of(EARLY_HINTS.repeat(2) + OK2 + "ok" + EARLY_HINTS.repeat(2) + OK2 + "ok")
        .http1(Http1Options.defaults().withMaxInterimResponses(2))
        .requests(gets(2))
        .run()
        .parts(
            "status 1 103",
            HINTS,
            "status 1 103",
            HINTS,
            "status 1 200",
            "headers 1 " + CL2,
            "data 1 ok",
            "done 1",
            "status 2 103",
            HINTS.replace(" 1 ", " 2 "),
            "status 2 103",
            HINTS.replace(" 1 ", " 2 "),
            "status 2 200",
            "headers 2 " + CL2,
            "data 2 ok",
            "done 2");
  }

  /**
   * A server sending 1xx for ever would make parts for ever without ending the request; HTTP/1.1
   * cannot skip the rest of a response, so the connection ends, with the interim parts kept.
   */
  @Test
  void interimResponsesPastTheLimitFailTheConnection() throws Exception {
    Script.of(EARLY_HINTS.repeat(3) + OK2 + "ok")
        .http1(Http1Options.defaults().withMaxInterimResponses(2))
        .requests(gets(2))
        .run()
        .fails(Reason.TOO_MANY_INTERIM_RESPONSES, "status 1 103", HINTS, "status 1 103", HINTS)
        .message("maxInterimResponses")
        .open(0)
        .canSend(false);
  }

  @Test
  void defaultLimitIs32InterimResponses() throws Exception {
    String continues = "HTTP/1.1 100 Continue\r\n\r\n";
    Script.Outcome ok = Script.of(continues.repeat(32) + OK2 + "ok").once();
    assertEquals(null, ok.error);
    assertEquals(32 * 2 + 4, ok.parts.size());
    Script.Outcome flood = Script.of(continues.repeat(10_000) + OK2 + "ok").once();
    assertEquals(Reason.TOO_MANY_INTERIM_RESPONSES, flood.error.reason());
    assertEquals(Http1Options.DEFAULT_MAX_INTERIM_RESPONSES * 2, flood.parts.size());
  }

  // ---- tunnels: 101 and CONNECT (RFC 9110 §15.2.2, §9.3.6) ----

  private static final String SWITCHING =
      "HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: upgrade\r\n\r\n";

  /** A request offering an upgrade, which a 101 may answer (RFC 9110 §7.8). */
  private static final Script.Step UPGRADE =
      c -> c.request("GET", "/ws", Headers.of("upgrade", "websocket"), null);

  @Test
  void switchingProtocolsOpensATunnel() throws Exception {
    Script.of(SWITCHING + "\u0081\u0002hi")
        .requests(c -> c.request("GET", "/ws", Headers.of("upgrade", "websocket"), null))
        .thenClose()
        .run()
        .parts(
            "status 1 101",
            "headers 1 Headers[upgrade: websocket, connection: upgrade]",
            "data 1 \u0081\u0002hi",
            "done 1")
        .closed(true)
        .open(0);
  }

  @Test
  void tunnelBytesAreNeverParsedAsHttp() throws Exception {
    Script.of(SWITCHING + "HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
        .requests(UPGRADE)
        .run()
        .parts(
            "status 1 101",
            "headers 1 Headers[upgrade: websocket, connection: upgrade]",
            "data 1 HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
        .closed(false)
        .canSend(false)
        .open(1);
  }

  @Test
  void tunnelSendsRawBytesAndRefusesRequests() throws Exception {
    Script.of(SWITCHING)
        .requests(UPGRADE)
        .after(
            c -> {
              c.stream(1, "raw \r\n bytes");
              c.engine.streamRequestBody(c.ref(1), ByteBuffer.allocate(0));
              callerError(Reason.INVALID_STATE, () -> c.get("/more"));
            })
        .run()
        .output("raw \r\n bytes")
        .canSend(false);
  }

  @Test
  void tunnelOutputCanBeEndedButCarriesNoTrailers() throws Exception {
    Script.of(SWITCHING)
        .requests(UPGRADE)
        .after(
            c -> {
              callerError(
                  Reason.INVALID_REQUEST_HEADER,
                  () -> c.engine.endRequestBody(c.ref(1), Headers.of("x", "1")));
              c.engine.endRequestBody(c.ref(1), Headers.empty());
              callerError(
                  Reason.BODY_NOT_STREAMING,
                  () -> c.engine.streamRequestBody(c.ref(1), ByteBuffer.allocate(1)));
            })
        .run()
        .output("");
  }

  @Test
  void upgradeBehindPipelinedRequestsSwitchesAfterTheirResponses() throws Exception {
    // Nothing may follow the upgrade request (RequestFormsTest), but it may follow others.
    Script.of(OK2 + "okHTTP/1.1 100 Continue\r\n\r\n" + SWITCHING + "x")
        .requests(
            c -> {
              c.get("/1");
              UPGRADE.run(c);
              callerError(Reason.INVALID_STATE, () -> c.get("/3"));
            })
        .run()
        .parts(
            "status 1 200",
            "headers 1 " + CL2,
            "data 1 ok",
            "done 1",
            "status 2 100",
            "headers 2 Headers[]",
            "status 2 101",
            "headers 2 Headers[upgrade: websocket, connection: upgrade]",
            "data 2 x")
        .open(1)
        .canSend(false);
  }

  @Test
  void connectSuccessOpensATunnelWhateverItsFields() throws Exception {
    Script.of(
            "HTTP/1.1 200 Connection Established\r\ncontent-length: 3\r\n\r\n\u0016\u0003\u0001abcdef")
        .requests(c -> c.request("CONNECT", "example.com:443", null, null))
        .thenClose()
        .run()
        .parts(
            "status 1 200",
            "headers 1 Headers[content-length: 3]",
            "data 1 \u0016\u0003\u0001abcdef",
            "done 1")
        .closed(true);
  }

  @Test
  void connectTunnelCarriesCallerBytes() throws Exception {
    Script.of("HTTP/1.1 200 OK\r\n\r\n")
        .requests(c -> c.request("CONNECT", "example.com:443", null, null))
        .after(c -> c.stream(1, "\u0016\u0003\u0003"))
        .run()
        .parts("status 1 200", "headers 1 Headers[]")
        .output("\u0016\u0003\u0003")
        .canSend(false)
        .closed(false);
  }

  @Test
  void upgradeOnTheLastRequestStillOpensATunnel() throws Exception {
    Script.of(SWITCHING + "x")
        .requests(
            c ->
                c.request(
                    "GET",
                    "/",
                    Headers.of("connection", "upgrade, close", "upgrade", "websocket"),
                    null))
        .run()
        .parts(
            "status 1 101",
            "headers 1 Headers[upgrade: websocket, connection: upgrade]",
            "data 1 x")
        .closed(false)
        .canSend(false);
  }

  @Test
  void partsStayValidWhenTheInputBufferIsReused() throws Exception {
    Script.Client c = Checks.client();
    c.get("/");
    byte[] wire = Script.bytes(OK2 + "ok");
    ByteBuffer in = ByteBuffer.wrap(wire);
    List<ResponsePart> out = new ArrayList<>();
    c.engine.receive(in, out);
    java.util.Arrays.fill(wire, (byte) 'Z');
    assertEquals(
        List.of("status 1 200", "headers 1 " + CL2, "data 1 ok", "done 1"), Script.normalize(out));
  }

  @Test
  void connectStreamingBeforeTheTunnelIsRefused() throws Exception {
    Script.Client c = Checks.client();
    RequestRef ref = c.request("CONNECT", "example.com:443", null, null);
    callerError(Reason.BODY_NOT_STREAMING, () -> c.stream(1, "early"));
    assertEquals(1, ref.sequence());
  }

  @Test
  void connectRefusalIsAnOrdinaryResponse() throws Exception {
    Script.of("HTTP/1.1 407 Proxy Authentication Required\r\ncontent-length: 2\r\n\r\nno")
        .requests(c -> c.request("CONNECT", "example.com:443", null, null))
        .run()
        .parts("status 1 407", "headers 1 " + CL2, "data 1 no", "done 1")
        .closed(false)
        .canSend(true);
  }

  @Test
  void twoHundredToAnythingButConnectIsNoTunnel() throws Exception {
    Script.of(OK2 + "ok").run().canSend(true);
  }

  // ---- the peer's close ----

  @Test
  void closeWithNothingInFlightJustCloses() throws Exception {
    Script.of("").requests(c -> {}).thenClose().run().parts().closed(true);
  }

  @Test
  void closeAfterACompleteResponseJustCloses() throws Exception {
    Script.of(OK2 + "ok")
        .thenClose()
        .run()
        .parts("status 1 200", "headers 1 " + CL2, "data 1 ok", "done 1")
        .closed(true);
  }

  @Test
  void closeBeforeAnyResponseFailsTheRequestsWithoutThrowing() throws Exception {
    Script.Outcome o =
        Script.of("")
            .requests(gets(2))
            .thenClose()
            .run()
            .parts("error 1 CLOSED", "error 2 CLOSED")
            .closed(true)
            .open(0);
    ResponsePart.RequestError e = (ResponsePart.RequestError) o.raw.get(0);
    assertTrue(e.error().getMessage().contains("not answered"), e.error().getMessage());
  }

  @Test
  void anEndWithoutCloseNotifyCompletesWhatItWouldCompleteButABodyUntilClose() throws Exception {
    // RFC 9112 §9.8 leaves every message with its own framing complete; only a body delimited by
    // the close needs the closure alert, and requests never answered are failed either way.
    Script.of("").requests(c -> {}).thenCloseWithoutCloseNotify().run().parts().closed(true);
    Script.of(OK2 + "ok")
        .requests(gets(2))
        .thenCloseWithoutCloseNotify()
        .run()
        .parts("status 1 200", "headers 1 " + CL2, "data 1 ok", "done 1", "error 2 CLOSED")
        .closed(true);
    // A tunnel's bytes belong to another protocol, which finds its own truncations.
    Script.of(SWITCHING + "\u0081\u0002hi")
        .requests(c -> c.request("GET", "/ws", Headers.of("upgrade", "websocket"), null))
        .thenCloseWithoutCloseNotify()
        .run()
        .parts(
            "status 1 101",
            "headers 1 Headers[upgrade: websocket, connection: upgrade]",
            "data 1 \u0081\u0002hi",
            "done 1");
    Script.of("HTTP/1.1 200 OK\r\n\r\nuntil close")
        .requests(gets(2))
        .thenCloseWithoutCloseNotify()
        .run()
        .fails(
            Reason.TRUNCATED_RESPONSE, "status 1 200", "headers 1 Headers[]", "data 1 until close")
        .open(0);
  }

  @Test
  void closeInsideTheStatusLineIsPremature() throws Exception {
    Script.of("HTTP/1.1 20").thenClose().run().fails(Reason.PREMATURE_CLOSE).open(0);
  }

  @Test
  void closeAfterAnInterimResponseIsPremature() throws Exception {
    Script.of("HTTP/1.1 100 Continue\r\n\r\n")
        .thenClose()
        .run()
        .fails(Reason.PREMATURE_CLOSE, "status 1 100", "headers 1 Headers[]");
  }

  @Test
  void closeInsideTheHeadersIsPremature() throws Exception {
    Script.of("HTTP/1.1 200 OK\r\ncontent-le").thenClose().run().fails(Reason.PREMATURE_CLOSE);
  }

  @Test
  void closeInsideAContentLengthBodyIsPrematureButKeepsTheData() throws Exception {
    Script.of("HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc")
        .thenClose()
        .run()
        .fails(
            Reason.PREMATURE_CLOSE,
            "status 1 200",
            "headers 1 Headers[content-length: 10]",
            "data 1 abc")
        .message("7 bytes");
  }

  @Test
  void closeInsideAChunkedBodyIsPremature() throws Exception {
    String head = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n";
    String h = "headers 1 Headers[transfer-encoding: chunked]";
    Script.of(head + "5").thenClose().run().fails(Reason.PREMATURE_CLOSE, "status 1 200", h);
    Script.of(head + "5\r\nab")
        .thenClose()
        .run()
        .fails(Reason.PREMATURE_CLOSE, "status 1 200", h, "data 1 ab");
    Script.of(head + "2\r\nab")
        .thenClose()
        .run()
        .fails(Reason.PREMATURE_CLOSE, "status 1 200", h, "data 1 ab");
    Script.of(head + "2\r\nab\r")
        .thenClose()
        .run()
        .fails(Reason.PREMATURE_CLOSE, "status 1 200", h, "data 1 ab");
    Script.of(head + "0\r\n").thenClose().run().fails(Reason.PREMATURE_CLOSE, "status 1 200", h);
    Script.of(head + "0\r\nx-t: 1\r\n")
        .thenClose()
        .run()
        .fails(Reason.PREMATURE_CLOSE, "status 1 200", h);
  }

  @Test
  void receiveEndTwiceIsHarmless() throws Exception {
    Script.of("")
        .thenClose()
        .after(c -> c.engine.receiveEnd(true, new ArrayList<>()))
        .run()
        .closed(true);
  }

  // ---- cancellation ----

  @Test
  void cancelClosesAndFailsTheOtherRequests() throws Exception {
    Script.Client c = Checks.client();
    RequestRef a = c.get("/a");
    RequestRef b = c.get("/b");
    RequestRef d = c.get("/d");
    List<ResponsePart> out = new ArrayList<>();
    c.engine.cancelRequest(b, out);
    assertEquals(List.of("error 1 CLOSED", "error 3 CLOSED"), Script.normalize(out));
    assertTrue(out.get(0).ref() == a && out.get(1).ref() == d);
    assertTrue(
        ((ResponsePart.RequestError) out.get(0)).error().getMessage().contains("cancelRequest"));
    assertTrue(c.engine.isClosed());
    assertEquals(0, c.engine.openRequestCount());
    assertEquals("", c.sent(), "queued bytes are dropped");
    closedError(() -> c.get("/"));
  }

  @Test
  void cancelMidResponseStopsParsing() throws Exception {
    Script.of("HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc")
        .after(
            c -> {
              List<ResponsePart> out = new ArrayList<>();
              c.engine.cancelRequest(c.ref(1), out);
              assertEquals(List.of(), out);
              c.engine.receive(ByteBuffer.wrap(Script.bytes("defghijHTTP/1.1 200")), out);
              assertEquals(List.of(), out);
              c.engine.receiveEnd(true, out);
              assertEquals(List.of(), out);
            })
        .run()
        .closed(true);
  }

  @Test
  void cancelOfAnUnknownRefIsIgnored() throws Exception {
    Script.Client other = Checks.client();
    RequestRef foreign = other.get("/");
    Script.Client c = Checks.client();
    c.get("/");
    List<ResponsePart> out = new ArrayList<>();
    c.engine.cancelRequest(foreign, out);
    assertEquals(List.of(), out);
    assertFalse(c.engine.isClosed());
    assertEquals(1, c.engine.openRequestCount());
  }

  @Test
  void cancelOfAFinishedRequestIsIgnored() throws Exception {
    Script.of(OK2 + "ok")
        .after(
            c -> {
              List<ResponsePart> out = new ArrayList<>();
              c.engine.cancelRequest(c.ref(1), out);
              assertEquals(List.of(), out);
            })
        .run()
        .closed(false);
  }

  @Test
  void cancelOfARequestStillStreamingItsBodyCloses() throws Exception {
    Script.of(OK2 + "ok")
        .requests(c -> c.request("POST", "/", null, RequestBody.streaming()))
        .after(c -> c.engine.cancelRequest(c.ref(1), new ArrayList<>()))
        .run()
        .closed(true);
  }

  @Test
  void cancelAfterCloseIsIgnored() throws Exception {
    Script.Client c = Checks.client();
    RequestRef a = c.get("/");
    c.engine.close();
    List<ResponsePart> out = new ArrayList<>();
    c.engine.cancelRequest(a, out);
    assertEquals(List.of(), out);
  }

  // ---- the engine after it closed ----

  @Test
  void closedEngineDiscardsBytes() throws Exception {
    Script.of(OK2 + "ok").after(c -> c.engine.close()).requests(gets(1)).run().closed(true);
    Script.Client c = Checks.client();
    c.get("/");
    c.engine.close();
    List<ResponsePart> out = new ArrayList<>();
    ByteBuffer in = ByteBuffer.wrap(Script.bytes(OK2 + "ok"));
    c.engine.receive(in, out);
    assertFalse(in.hasRemaining());
    assertEquals(List.of(), out);
    c.engine.receiveEnd(true, out);
    assertEquals(List.of(), out);
    assertEquals(0, c.engine.openRequestCount());
  }

  /**
   * However the engine closed (a closing response, the peer's close before or inside a response, a
   * peer error), using it afterwards is the same caller error with connection scope.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTP/1.1 204 No Content\r\nconnection: close\r\n\r\n",
        "",
        "HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nab",
        "HTTP/1.1 200 OK\r\nbad line\r\n\r\n"
      })
  void everyWayOfClosingRefusesLaterCallsAlike(String response) throws Exception {
    Script.of(response)
        .thenClose()
        .after(
            c -> {
              assertTrue(c.engine.isClosed());
              closedError(() -> c.get("/again"));
              closedError(() -> c.engine.streamRequestBody(c.ref(1), ByteBuffer.allocate(1)));
              closedError(() -> c.engine.endRequestBody(c.ref(1), null));
              List<ResponsePart> out = new ArrayList<>();
              c.engine.cancelRequest(c.ref(1), out);
              c.engine.receive(ByteBuffer.wrap(Script.bytes("HTTP/1.1 200 OK\r\n")), out);
              c.engine.receiveEnd(true, out);
              assertEquals(List.of(), out);
            })
        .run()
        .open(0)
        .canSend(false);
  }

  @Test
  void afterAPeerErrorNewRequestsAreRefusedWithConnectionScope() throws Exception {
    Script.of("garbage\r\n")
        .after(c -> closedError(() -> c.get("/again")))
        .run()
        .fails(Reason.INVALID_STATUS_LINE)
        .open(0)
        .canSend(false);
  }

  @Test
  void engineDescribesItself() throws Exception {
    Script.Client c = Checks.client();
    c.get("/");
    String s = c.engine.toString();
    assertTrue(s.contains("OPEN") && s.contains("1 in flight"), s);
  }
}
