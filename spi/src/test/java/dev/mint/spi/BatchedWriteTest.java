// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.TransportException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Batched writes: with {@link ConnectOptions#autoFlush()} off, the requests made between two calls
 * that write leave in one write call; with it on (the default), each request is written at once.
 */
class BatchedWriteTest {
  private static final ConnectOptions ACTIVE_BATCHED =
      ConnectOptions.builder().autoFlush(false).build();
  private static final ConnectOptions PASSIVE_BATCHED =
      ConnectOptions.builder()
          .mode(Mode.PASSIVE)
          .autoFlush(false)
          .writeTimeout(Duration.ofMillis(100))
          .build();

  private static final String THREE = "REQ GET /1\nREQ GET /2\nREQ GET /3\n";

  private final FakeTransport transport = new FakeTransport();

  private EngineConnection connection(ConnectOptions options) {
    return connection(options, new ScriptedEngine());
  }

  private EngineConnection connection(ConnectOptions options, ScriptedEngine engine) {
    return new EngineConnection(transport, engine, Scheme.HTTP, "example.test", 80, options);
  }

  private static RequestRef get(HttpConnection c, String target) throws MintException {
    return c.request("GET", target, Headers.empty(), RequestBody.none());
  }

  private static void getThree(HttpConnection c) throws MintException {
    for (int i = 1; i <= 3; i++) {
      get(c, "/" + i);
    }
  }

  @Test
  void autoFlushIsOnByDefaultAndWritesEachRequestAtOnce() throws Exception {
    assertTrue(ConnectOptions.defaults().autoFlush());
    EngineConnection c = connection(ConnectOptions.defaults());
    getThree(c);
    assertEquals(THREE, transport.written());
    assertEquals(3, transport.writeCalls);
    int calls = transport.writeCalls;
    c.flush();
    assertEquals(calls, transport.writeCalls, "nothing was left to flush");
  }

  @Test
  void requestsBetweenTwoFlushesLeaveInOneWrite() throws Exception {
    EngineConnection c = connection(ACTIVE_BATCHED);
    getThree(c);
    assertEquals("", transport.written(), "nothing is written before the flush");
    assertEquals(0, transport.writeCalls);
    assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE, c.interestOps());
    c.flush();
    assertEquals(THREE, transport.written());
    assertEquals(1, transport.writeCalls);
    assertEquals(SelectionKey.OP_READ, c.interestOps());
  }

  @Test
  void hundredsOfRequestsLeaveInOneGatheringWrite() throws Exception {
    EngineConnection c = connection(ACTIVE_BATCHED);
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 500; i++) {
      get(c, "/" + i);
      expected.append("REQ GET /").append(i).append('\n');
    }
    c.flush();
    assertEquals(expected.toString(), transport.written());
    assertEquals(1, transport.writeCalls, "one buffer a request, 500 in one gathering write");
  }

  @Test
  void streamWritesWhatWasQueuedInOneWriteBeforeReading() throws Exception {
    EngineConnection c = connection(ACTIVE_BATCHED);
    getThree(c);
    transport.peerSends("S 200\n");
    assertEquals(1, c.stream().size(), "the status read after the write");
    assertEquals(1, transport.writeCalls);
    assertEquals(THREE, transport.written());
  }

  @Test
  void activeFlushWritesWhatFitsAndAsksForWriteReadinessForTheRest() throws Exception {
    EngineConnection c = connection(ACTIVE_BATCHED);
    getThree(c);
    transport.acceptWrites(5);
    c.flush();
    assertEquals("REQ G", transport.written());
    assertEquals(SelectionKey.OP_READ | SelectionKey.OP_WRITE, c.interestOps());
    transport.acceptWrites(Long.MAX_VALUE);
    assertEquals(List.of(), c.stream(), "write readiness: the caller calls stream()");
    assertEquals(THREE, transport.written());
    assertEquals(SelectionKey.OP_READ, c.interestOps());
  }

  @Test
  void passiveRecvWritesTheQueuedRequestsBeforeItWaits() throws Exception {
    EngineConnection c = connection(PASSIVE_BATCHED);
    RequestRef first = get(c, "/1");
    get(c, "/2");
    assertEquals("", transport.written());
    transport.duringNextWait(
        () -> {
          assertEquals("REQ GET /1\nREQ GET /2\n", transport.written(), "written before the wait");
          transport.peerSends("S 204\nE\n");
        });
    List<ResponsePart> parts = c.recv(Duration.ofSeconds(2));
    assertEquals(List.of(new ResponsePart.Status(first, 204), new ResponsePart.Done(first)), parts);
    assertEquals(1, transport.writeCalls);
  }

  @Test
  void passiveRecvKeepsWritingAsTheSocketDrainsWhileItWaits() throws Exception {
    EngineConnection c = connection(PASSIVE_BATCHED);
    RequestRef first = get(c, "/1");
    get(c, "/2");
    get(c, "/3");
    transport.acceptWrites(4);
    transport.duringNextWait(() -> transport.acceptWrites(Long.MAX_VALUE));
    transport.duringNextWait(() -> transport.peerSends("S 200\n"));
    List<ResponsePart> parts = c.recv(Duration.ofSeconds(2));
    assertEquals(List.of(new ResponsePart.Status(first, 200)), parts);
    assertEquals(THREE, transport.written());
  }

  @Test
  void passiveFlushBlocksUntilEveryByteIsWritten() throws Exception {
    transport.acceptWrites(3);
    transport.duringNextWait(() -> transport.acceptWrites(10));
    EngineConnection c = connection(PASSIVE_BATCHED);
    getThree(c);
    transport.duringNextWait(() -> transport.acceptWrites(Long.MAX_VALUE));
    c.flush();
    assertEquals(THREE, transport.written());
    assertEquals(2, transport.awaitCalls);
  }

  @Test
  void passiveFlushFailsWhenTheSocketTakesNothingWithinTheWriteTimeout() throws Exception {
    EngineConnection c = connection(PASSIVE_BATCHED);
    getThree(c);
    transport.acceptWrites(0);
    TransportException e = assertThrows(TransportException.class, c::flush);
    assertEquals(TransportException.Reason.WRITE_TIMEOUT, e.reason());
    assertTrue(e.getMessage().contains("could not write 33 bytes"), e.getMessage());
    assertFalse(c.isOpen());
  }

  @Test
  void flushOnAClosedConnectionFailsClosed() {
    EngineConnection c = connection(ACTIVE_BATCHED);
    c.close();
    TransportException e = assertThrows(TransportException.class, c::flush);
    assertEquals(TransportException.Reason.CLOSED, e.reason());
  }

  @Test
  void closeWritesTheQueuedRequestsBeforeTheGoodbye() throws Exception {
    EngineConnection c = connection(ACTIVE_BATCHED);
    getThree(c);
    c.close();
    assertEquals(THREE + "BYE\n", transport.written());
  }

  @Test
  void aStreamedChunkRefusedForRoomIsTriedAgainOnceTheQueueIsWritten() throws Exception {
    EngineConnection c = connection(PASSIVE_BATCHED, new ScriptedEngine(Protocol.HTTP1, 16));
    RequestRef ref =
        c.request("POST", "/", Headers.empty(), RequestBody.streaming()); // 12 bytes queued
    c.streamRequestBody(ref, ByteBuffer.wrap("0123456789".getBytes(StandardCharsets.UTF_8)));
    assertEquals("REQ POST /\n", transport.written(), "the head went out to make room");
    c.endRequestBody(ref);
    c.flush();
    assertEquals("REQ POST /\n0123456789END\n", transport.written());
  }

  @Test
  void aRefusalWithNothingQueuedIsReportedAsIs() throws Exception {
    EngineConnection c = connection(PASSIVE_BATCHED, new ScriptedEngine(Protocol.HTTP1, 16));
    RequestRef ref = c.request("POST", "/", Headers.empty(), RequestBody.streaming());
    c.flush();
    dev.mint.HttpException e =
        assertThrows(
            dev.mint.HttpException.class, () -> c.streamRequestBody(ref, ByteBuffer.allocate(17)));
    assertEquals(dev.mint.HttpException.Reason.OUTPUT_QUEUE_FULL, e.reason());
    assertTrue(c.isOpen(), "a caller error leaves the connection as it was");
  }
}
