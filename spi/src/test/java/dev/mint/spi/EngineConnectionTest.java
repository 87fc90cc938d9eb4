// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Bytes;
import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.HttpException;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.TransportException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The connection shell over an in-memory transport and a scripted line engine. */
class EngineConnectionTest {
  private static final ConnectOptions ACTIVE = ConnectOptions.defaults();
  private static final ConnectOptions PASSIVE =
      ConnectOptions.builder().mode(Mode.PASSIVE).writeTimeout(Duration.ofMillis(100)).build();

  private final FakeTransport transport = new FakeTransport();
  private final ScriptedEngine engine = new ScriptedEngine();

  private EngineConnection connection(ConnectOptions options) {
    return new EngineConnection(transport, engine, Scheme.HTTP, "example.test", 80, options);
  }

  private static RequestRef get(HttpConnection c, String target) throws MintException {
    return c.request("GET", target, Headers.empty(), RequestBody.none());
  }

  // ---- happy paths ----

  @Test
  void activeRequestAndResponse() throws Exception {
    EngineConnection c = connection(ACTIVE);
    RequestRef ref = get(c, "/a");
    assertEquals("REQ GET /a\n", transport.written());
    assertEquals(1, c.openRequestCount());
    assertEquals(java.nio.channels.SelectionKey.OP_READ, c.interestOps());

    assertEquals(List.of(), c.stream(), "nothing arrived yet");
    transport.peerSends("S 200\nD hel").peerSends("lo\nE\n");
    List<ResponsePart> parts = c.stream();
    assertEquals(
        List.of(
            new ResponsePart.Status(ref, 200),
            new ResponsePart.Data(ref, dev.mint.Bytes.utf8("hello")),
            new ResponsePart.Done(ref)),
        parts);
    assertEquals(0, c.openRequestCount());
    assertTrue(c.isOpen());
  }

  @Test
  void answersQueuedWhileReceivingAreWrittenInTheSameCall() throws Exception {
    EngineConnection c = connection(ACTIVE);
    transport.peerSends("P\n");
    c.stream();
    assertEquals("ACK\n", transport.written());
  }

  // ---- failures carry the parts before them ----

  @Test
  void peerErrorCarriesPartsBeforeItAndLaterCallsFailClosed() throws Exception {
    EngineConnection c = connection(ACTIVE);
    RequestRef ref = get(c, "/");
    transport.peerSends("S 200\nD one\nX broken status\nS 201\n");
    HttpException e = assertThrows(HttpException.class, c::stream);
    assertEquals(HttpException.Reason.INVALID_STATUS_LINE, e.reason());
    assertEquals(
        List.of(
            new ResponsePart.Status(ref, 200),
            new ResponsePart.Data(ref, dev.mint.Bytes.utf8("one"))),
        e.partsBeforeFailure());
    assertFalse(c.isOpen());
    assertEquals(1, transport.closeCount);
    assertEquals(0, c.interestOps());

    for (var call :
        List.<org.junit.jupiter.api.function.Executable>of(
            c::stream,
            () -> c.recv(Duration.ofMillis(10)),
            () -> get(c, "/again"),
            () -> c.streamRequestBody(ref, ByteBuffer.allocate(1)),
            () -> c.endRequestBody(ref))) {
      TransportException later = assertThrows(TransportException.class, call);
      assertEquals(TransportException.Reason.CLOSED, later.reason());
      assertTrue(later.getMessage().contains("broken status"), later.getMessage());
      assertSame(e, later.getCause(), "the first failure is the cause");
    }
    c.close(); // still idempotent and quiet
    assertEquals(1, transport.closeCount);
  }

  @Test
  void passiveRecvFailureCarriesParts() throws Exception {
    EngineConnection c = connection(PASSIVE);
    RequestRef ref = get(c, "/");
    transport.duringNextWait(() -> transport.peerSends("S 200\nX bad\n"));
    HttpException e = assertThrows(HttpException.class, () -> c.recv(Duration.ofSeconds(2)));
    assertEquals(List.of(new ResponsePart.Status(ref, 200)), e.partsBeforeFailure());
    assertFalse(c.isOpen());
  }

  @Test
  void transportFailureCarriesParts() throws Exception {
    EngineConnection c = connection(ACTIVE);
    RequestRef ref = get(c, "/");
    transport
        .peerSends("S 200\n")
        .readFails(new TransportException(TransportException.Reason.IO_ERROR, "cable cut"));
    TransportException e = assertThrows(TransportException.class, c::stream);
    assertEquals(TransportException.Reason.IO_ERROR, e.reason());
    assertEquals(List.of(new ResponsePart.Status(ref, 200)), e.partsBeforeFailure());
    TransportException later = assertThrows(TransportException.class, c::stream);
    assertTrue(later.getMessage().contains("cable cut"), later.getMessage());
  }

  @Test
  void prematureCloseCarriesParts() throws Exception {
    EngineConnection c = connection(ACTIVE);
    RequestRef ref = get(c, "/");
    transport.peerSends("S 200\nD par").peerCloses();
    HttpException e = assertThrows(HttpException.class, c::stream);
    assertEquals(HttpException.Reason.PREMATURE_CLOSE, e.reason());
    assertEquals(List.of(new ResponsePart.Status(ref, 200)), e.partsBeforeFailure());
  }

  @Test
  void theEngineLearnsWhetherThePeerClosedCleanly() throws Exception {
    EngineConnection c = connection(ACTIVE);
    get(c, "/");
    transport.peerSends("S 200\nE\n").peerCloses().endsUncleanly();
    c.stream();
    assertEquals(Boolean.FALSE, engine.endClean, "what the transport said reaches the engine");
  }

  @Test
  void cleanPeerCloseEndsTheConnection() throws Exception {
    EngineConnection c = connection(ACTIVE);
    RequestRef ref = get(c, "/");
    transport.peerSends("S 204\nE\n").peerCloses();
    assertEquals(2, c.stream().size());
    assertEquals(Boolean.TRUE, engine.endClean, "a transport without alerts ends cleanly");
    assertFalse(c.isOpen());
    assertEquals(1, transport.closeCount, "the finished engine closed the transport");
    TransportException e = assertThrows(TransportException.class, c::stream);
    assertEquals(TransportException.Reason.CLOSED, e.reason());
    assertNull(e.getCause());
    assertTrue(ref.sequence() > 0);
  }

  // ---- requests: caller errors ----

  @Test
  void requestScopedCallerErrorLeavesTheConnectionOpen() throws Exception {
    EngineConnection c = connection(ACTIVE);
    HttpException e =
        assertThrows(
            HttpException.class, () -> c.request("BAD", "/", Headers.empty(), RequestBody.none()));
    assertEquals(HttpException.Scope.REQUEST, e.scope());
    assertTrue(c.isOpen());
    get(c, "/ok");
    assertEquals("REQ GET /ok\n", transport.written());
  }

  @Test
  void connectionScopedErrorFromRequestClosesTheConnection() throws Exception {
    EngineConnection c = connection(ACTIVE);
    HttpException e =
        assertThrows(
            HttpException.class,
            () -> c.request("FATAL", "/", Headers.empty(), RequestBody.none()));
    assertEquals(HttpException.Scope.CONNECTION, e.scope());
    assertFalse(c.isOpen());
    assertEquals(1, transport.closeCount);
    TransportException later = assertThrows(TransportException.class, () -> get(c, "/"));
    assertSame(e, later.getCause());
  }

  // ---- writes ----

  @Test
  void activePartialWritesStayQueuedAndAskForWriteReadiness() throws Exception {
    EngineConnection c = connection(ACTIVE);
    transport.acceptWrites(4);
    RequestRef ref = c.request("PUT", "/up", Headers.empty(), RequestBody.streaming());
    assertEquals("REQ ", transport.written());
    int rw = java.nio.channels.SelectionKey.OP_READ | java.nio.channels.SelectionKey.OP_WRITE;
    assertEquals(rw, c.interestOps());

    ByteBuffer chunk = ByteBuffer.wrap("0123456789".getBytes(StandardCharsets.UTF_8));
    c.streamRequestBody(ref, chunk);
    assertFalse(chunk.hasRemaining(), "the chunk is consumed (copied) at once");
    chunk.clear().put("XXXXXXXXXX".getBytes(StandardCharsets.UTF_8)); // caller reuses its buffer
    c.endRequestBody(ref);
    assertEquals("REQ ", transport.written(), "the socket is still full");
    assertEquals(rw, c.interestOps());

    transport.acceptWrites(5);
    assertEquals(List.of(), c.stream());
    assertEquals("REQ PUT /", transport.written());
    assertEquals(rw, c.interestOps());

    transport.acceptWrites(Long.MAX_VALUE);
    c.stream();
    assertEquals("REQ PUT /up\n0123456789END\n", transport.written());
    assertEquals(java.nio.channels.SelectionKey.OP_READ, c.interestOps());
    assertTrue(c.isOpen());
  }

  private static final String BODY = "0123456789".repeat(5);

  private EngineConnection withSmallQueue(ConnectOptions options) {
    return withSmallQueue(options, false);
  }

  /**
   * An engine whose queue holds 16 bytes; with {@code held}, it queues fixed bodies by reference
   * outside the bound ({@link OutputQueue#addHeld}) instead of refilling the queue as it drains.
   */
  private EngineConnection withSmallQueue(ConnectOptions options, boolean held) {
    ScriptedEngine small = new ScriptedEngine(dev.mint.Protocol.HTTP1, 16);
    small.holdFixedBodies = held;
    return new EngineConnection(transport, small, Scheme.HTTP, "x", 80, options);
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void bytesPastTheBoundGoOutAsTheQueueDrains(boolean held) throws Exception {
    EngineConnection c = withSmallQueue(ACTIVE, held);
    c.request("PUT", "/", Headers.empty(), RequestBody.of(BODY.getBytes(StandardCharsets.UTF_8)));
    assertEquals("REQ PUT /\n" + BODY, transport.written(), "a socket that takes all gets all");
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void bytesPastTheBoundGoOutWithWriteReadinessAlone(boolean held) throws Exception {
    EngineConnection c = withSmallQueue(ACTIVE, held);
    transport.acceptWrites(12);
    c.request("PUT", "/", Headers.empty(), RequestBody.of(BODY.getBytes(StandardCharsets.UTF_8)));
    assertEquals("REQ PUT /\n01", transport.written());
    int rw = java.nio.channels.SelectionKey.OP_READ | java.nio.channels.SelectionKey.OP_WRITE;
    assertEquals(rw, c.interestOps());
    transport.acceptWrites(20);
    assertEquals(List.of(), c.stream(), "nothing was received, yet the body went on");
    assertEquals(32, transport.written().length());
    assertEquals(rw, c.interestOps());
    transport.acceptWrites(Long.MAX_VALUE);
    assertEquals(List.of(), c.stream());
    assertEquals("REQ PUT /\n" + BODY, transport.written());
    assertEquals(java.nio.channels.SelectionKey.OP_READ, c.interestOps());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void writeInterestEndsWithTheLastByteEvenWhenTheSocketIsThenFull(boolean held) throws Exception {
    EngineConnection c = withSmallQueue(ACTIVE, held);
    String all = "REQ PUT /\n" + BODY;
    transport.acceptWrites(all.length()); // exactly the request: the socket takes no more after it
    c.request("PUT", "/", Headers.empty(), RequestBody.of(BODY.getBytes(StandardCharsets.UTF_8)));
    assertEquals(all, transport.written());
    int read = java.nio.channels.SelectionKey.OP_READ;
    assertEquals(read, c.interestOps(), "every byte was written: no write readiness is wanted");
    int calls = transport.writeCalls;
    assertEquals(List.of(), c.stream());
    assertEquals(calls, transport.writeCalls, "a round with nothing to write makes no write call");
    assertEquals(read, c.interestOps());
  }

  @ParameterizedTest
  @ValueSource(booleans = {false, true})
  void passiveWritesBytesPastTheBoundBeforeReturning(boolean held) throws Exception {
    EngineConnection c = withSmallQueue(PASSIVE, held);
    transport.acceptWrites(5);
    transport.duringNextWait(() -> transport.acceptWrites(30));
    transport.duringNextWait(() -> transport.acceptWrites(Long.MAX_VALUE));
    c.request("PUT", "/", Headers.empty(), RequestBody.of(BODY.getBytes(StandardCharsets.UTF_8)));
    assertEquals("REQ PUT /\n" + BODY, transport.written());
    assertEquals(2, transport.awaitCalls);
  }

  @Test
  void thePassiveWriteTimeoutBoundsEachWaitNotTheWholeBody() throws Exception {
    // writeTimeout 100 ms; the socket takes 10 bytes every 30 ms: 180 ms in all, yet never stuck
    EngineConnection c = withSmallQueue(PASSIVE);
    transport.acceptWrites(0);
    for (int i = 0; i < 6; i++) {
      transport.duringNextWait(
          () -> {
            try {
              Thread.sleep(30);
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
            }
            transport.acceptWrites(10);
          });
    }
    transport.duringNextWait(() -> transport.acceptWrites(Long.MAX_VALUE));
    c.request("PUT", "/", Headers.empty(), RequestBody.of(BODY.getBytes(StandardCharsets.UTF_8)));
    assertEquals("REQ PUT /\n" + BODY, transport.written());
  }

  @Test
  void passiveWriteWaitsForTheSocket() throws Exception {
    EngineConnection c = connection(PASSIVE);
    transport.acceptWrites(3);
    transport.duringNextWait(() -> transport.acceptWrites(4));
    transport.duringNextWait(() -> transport.acceptWrites(100));
    get(c, "/abc");
    assertEquals("REQ GET /abc\n", transport.written());
    assertEquals(2, transport.awaitCalls);
  }

  @Test
  void passiveWriteTimeoutClosesTheConnection() throws Exception {
    EngineConnection c = connection(PASSIVE);
    transport.acceptWrites(2);
    TransportException e = assertThrows(TransportException.class, () -> get(c, "/"));
    assertEquals(TransportException.Reason.WRITE_TIMEOUT, e.reason());
    assertFalse(c.isOpen());
    assertEquals(0, engine.output().size(), "queued bytes are dropped with the connection");
  }

  // ---- passive receive ----

  @Test
  void passiveRecvTimeoutLeavesTheConnectionOpenAndUsable() throws Exception {
    EngineConnection c = connection(PASSIVE);
    RequestRef ref = get(c, "/slow");
    long start = System.nanoTime();
    TransportException e =
        assertThrows(TransportException.class, () -> c.recv(Duration.ofMillis(50)));
    assertEquals(TransportException.Reason.TIMEOUT, e.reason());
    assertTrue(System.nanoTime() - start >= 45_000_000L, "waited out the timeout");
    assertTrue(e.partsBeforeFailure().isEmpty());
    assertTrue(c.isOpen());
    assertEquals(0, transport.closeCount);

    transport.duringNextWait(() -> transport.peerSends("S 200\nE\n"));
    assertEquals(
        List.of(new ResponsePart.Status(ref, 200), new ResponsePart.Done(ref)),
        c.recv(Duration.ofSeconds(2)));
  }

  @Test
  void passiveRecvReturnsWhatIsAlreadyReadableWithoutWaiting() throws Exception {
    EngineConnection c = connection(PASSIVE);
    RequestRef ref = get(c, "/");
    transport.peerSends("S 200\n");
    assertEquals(List.of(new ResponsePart.Status(ref, 200)), c.recv(Duration.ofSeconds(2)));
    assertEquals(0, transport.awaitCalls);
  }

  @Test
  void passiveRecvAfterPeerCloseWithNothingOpenIsClosed() throws Exception {
    EngineConnection c = connection(PASSIVE);
    transport.peerCloses();
    TransportException e =
        assertThrows(TransportException.class, () -> c.recv(Duration.ofSeconds(1)));
    assertEquals(TransportException.Reason.CLOSED, e.reason());
    assertFalse(c.isOpen(HttpConnection.Direction.READ));
  }

  // ---- passive receive that returns on progress ----

  @Test
  void recvOnceReturnsAfterInputThatMakesNoPart() throws Exception {
    EngineConnection c = connection(PASSIVE);
    RequestRef ref = get(c, "/");
    transport.duringNextWait(() -> transport.peerSends("P\n")); // a ping: an answer, no part
    assertEquals(List.of(), c.recvOnce(Duration.ofSeconds(2)));
    assertEquals(1, transport.awaitCalls, "one wait, ended by the ping");
    assertTrue(transport.written().endsWith("ACK\n"), "the answer went out before returning");

    transport.duringNextWait(() -> transport.peerSends("S 2")); // half a line
    assertEquals(List.of(), c.recvOnce(Duration.ofSeconds(2)));
    transport.duringNextWait(() -> transport.peerSends("00\n"));
    assertEquals(List.of(new ResponsePart.Status(ref, 200)), c.recvOnce(Duration.ofSeconds(2)));
    assertEquals(3, transport.awaitCalls);
  }

  @Test
  void recvOnceReturnsWhatIsAlreadyReadableWithoutWaiting() throws Exception {
    EngineConnection c = connection(PASSIVE);
    RequestRef ref = get(c, "/");
    transport.peerSends("S 200\nD hi\n");
    assertEquals(
        List.of(new ResponsePart.Status(ref, 200), new ResponsePart.Data(ref, Bytes.utf8("hi"))),
        c.recvOnce(Duration.ofSeconds(2)));
    assertEquals(0, transport.awaitCalls);
  }

  @Test
  void recvOnceReturnsPartsFromACancelWithoutReading() throws Exception {
    EngineConnection c = connection(PASSIVE);
    RequestRef ref = get(c, "/");
    c.cancelRequest(ref);
    List<ResponsePart> parts = c.recvOnce(Duration.ofSeconds(2));
    assertEquals(1, parts.size());
    assertInstanceOf(ResponsePart.RequestError.class, parts.get(0));
    assertEquals(0, transport.awaitCalls);
  }

  @Test
  void recvOnceTimeoutLeavesTheConnectionOpen() throws Exception {
    EngineConnection c = connection(PASSIVE);
    RequestRef ref = get(c, "/slow");
    TransportException e =
        assertThrows(TransportException.class, () -> c.recvOnce(Duration.ofMillis(20)));
    assertEquals(TransportException.Reason.TIMEOUT, e.reason());
    assertTrue(c.isOpen());
    transport.peerSends("E\n");
    assertEquals(List.of(new ResponsePart.Done(ref)), c.recvOnce(Duration.ofSeconds(2)));
  }

  @Test
  void recvOnceAfterPeerCloseWithNothingOpenIsClosed() throws Exception {
    EngineConnection c = connection(PASSIVE);
    transport.peerCloses();
    TransportException e =
        assertThrows(TransportException.class, () -> c.recvOnce(Duration.ofSeconds(1)));
    assertEquals(TransportException.Reason.CLOSED, e.reason());
    assertFalse(c.isOpen(HttpConnection.Direction.READ));
  }

  @Test
  void recvOnceFailureCarriesParts() throws Exception {
    EngineConnection c = connection(PASSIVE);
    RequestRef ref = get(c, "/");
    transport.duringNextWait(() -> transport.peerSends("S 200\nX broken\n"));
    HttpException e = assertThrows(HttpException.class, () -> c.recvOnce(Duration.ofSeconds(2)));
    assertEquals(List.of(new ResponsePart.Status(ref, 200)), e.partsBeforeFailure());
    assertFalse(c.isOpen());
  }

  // ---- cancel ----

  @Test
  void partsFromCancelAreReturnedByTheNextStream() throws Exception {
    EngineConnection c = connection(ACTIVE);
    RequestRef a = get(c, "/a");
    RequestRef b = get(c, "/b");
    c.cancelRequest(a);
    assertTrue(c.hasBufferedInput(), "parts are waiting: call stream() without the selector");
    transport.peerSends("S 200\n");
    List<ResponsePart> parts = c.stream();
    assertEquals(3 - 1, parts.size());
    ResponsePart.RequestError error =
        assertInstanceOf(ResponsePart.RequestError.class, parts.get(0));
    assertSame(a, error.ref());
    assertEquals(new ResponsePart.Status(b, 200), parts.get(1));
    assertFalse(c.hasBufferedInput());
    assertEquals(List.of(), c.stream(), "handed out once");
  }

  @Test
  void partsFromACancelThatClosesAreStillReturned() throws Exception {
    engine.closeOnCancel = true;
    EngineConnection c = connection(ACTIVE);
    RequestRef a = get(c, "/a");
    c.cancelRequest(a);
    assertFalse(c.isOpen());
    assertTrue(c.hasBufferedInput(), "the parts must not be stranded by the close");
    List<ResponsePart> parts = c.recv(Duration.ofSeconds(1));
    assertEquals(1, parts.size());
    assertSame(a, parts.get(0).ref());
    assertEquals(
        TransportException.Reason.CLOSED,
        assertThrows(TransportException.class, c::stream).reason());
    c.cancelRequest(a); // ignored once closed
  }

  // ---- budget, buffered input, private data, close ----

  @Test
  void oneCallReadsAtMostTheReadBudget() throws Exception {
    EngineConnection c = connection(ACTIVE);
    get(c, "/big");
    String line = "D " + "x".repeat(1021) + "\n"; // 1 KiB
    byte[] mib = line.repeat(1024).getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < 3; i++) {
      transport.peerSends(mib);
    }
    long total = 3L * mib.length;
    int calls = 0;
    long parts = 0;
    while (engine.bytesReceived < total && calls < 10) {
      long before = engine.bytesReceived;
      parts += c.stream().size();
      calls++;
      long read = engine.bytesReceived - before;
      assertTrue(read <= EngineConnection.READ_BUDGET + 64 * 1024, "read " + read + " in one call");
    }
    assertTrue(calls >= 3, "needed " + calls + " calls");
    assertEquals(3 * 1024, parts);
  }

  @Test
  void bufferedInputOfTheTransportIsReported() {
    EngineConnection c = connection(ACTIVE);
    assertFalse(c.hasBufferedInput());
    transport.bufferedInput(true);
    assertTrue(c.hasBufferedInput());
  }

  @Test
  void privateDataIsKeptPerKey() {
    EngineConnection c = connection(ACTIVE);
    Object pool = new Object();
    assertNull(c.getPrivate("pool"));
    c.putPrivate("pool", pool);
    c.putPrivate("n", 3);
    assertSame(pool, c.getPrivate("pool"));
    assertEquals(3, c.getPrivate("n"));
    c.putPrivate("pool", null);
    assertNull(c.getPrivate("pool"));
    assertEquals(3, c.getPrivate("n"));
    c.close();
    assertEquals(3, c.getPrivate("n"), "private data outlives the connection");
  }

  @Test
  void closeSendsGoodbyeBestEffortAndIsIdempotent() throws Exception {
    EngineConnection c = connection(ACTIVE);
    get(c, "/");
    c.close();
    c.close();
    assertEquals("REQ GET /\nBYE\n", transport.written());
    assertEquals(1, transport.closeCount);
    assertFalse(c.isOpen());
    assertFalse(c.isOpen(HttpConnection.Direction.WRITE));
    assertEquals(0, c.interestOps());
    assertTrue(c.toString().contains("closed"), c.toString());
  }

  @Test
  void peerAskingToCloseClosesOnceTheOutputIsFlushed() throws Exception {
    EngineConnection c = connection(ACTIVE);
    get(c, "/");
    transport.acceptWrites(0);
    transport.peerSends("P\nC\n"); // an answer is queued, then the engine finishes
    c.stream();
    assertTrue(transport.isOpen(), "the answer is still queued");
    transport.acceptWrites(100);
    c.stream();
    assertTrue(transport.written().endsWith("ACK\n"), transport.written());
    assertFalse(transport.isOpen());
  }
}
