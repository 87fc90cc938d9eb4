// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

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
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * How the shell ends a round of reads: on a read that returns 0 or -1, or, in {@link
 * EngineConnection#stream()}, earlier on a read the transport reports as having drained its input
 * ({@link Transport#lastReadDrained()}), and in neither case with input left unread.
 */
class DrainedReadsTest {
  private static final ConnectOptions ACTIVE = ConnectOptions.defaults();
  private static final ConnectOptions PASSIVE = ConnectOptions.builder().mode(Mode.PASSIVE).build();

  private final FakeTransport transport = new FakeTransport();
  private final ScriptedEngine engine = new ScriptedEngine();

  private EngineConnection connection(ConnectOptions options) {
    return new EngineConnection(transport, engine, Scheme.HTTP, "example.test", 80, options);
  }

  private static RequestRef get(HttpConnection c) throws MintException {
    return c.request("GET", "/", Headers.empty(), RequestBody.none());
  }

  private static List<ResponsePart> response(RequestRef ref) {
    return List.of(
        new ResponsePart.Status(ref, 200),
        new ResponsePart.Data(ref, Bytes.utf8("hello")),
        new ResponsePart.Done(ref));
  }

  /**
   * A drained read ends the round at once; without the signal (the default) the round reads on
   * until a read returns 0.
   */
  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aDrainedReadEndsTheRoundWithoutAnEmptyRead(boolean drained) throws Exception {
    if (drained) {
      transport.reportsDrainedReads();
    }
    EngineConnection c = connection(ACTIVE);
    RequestRef ref = get(c);
    transport.peerSends("S 200\nD hello\nE\n");
    assertEquals(response(ref), c.stream());
    assertEquals(drained ? 1 : 2, transport.readCalls, "an empty read only without the signal");
  }

  @Test
  void inputLeftAfterAShortReadIsReadInTheSameRound() throws Exception {
    transport.reportsDrainedReads();
    EngineConnection c = connection(ACTIVE);
    RequestRef ref = get(c);
    // Three reads' worth: each short of the room, but more is held after the first two.
    transport.peerSends("S 200\n").peerSends("D hello\n").peerSends("E\n");
    assertEquals(response(ref), c.stream());
    assertEquals(3, transport.readCalls);
  }

  @Test
  void anEndOfStreamAfterADrainedReadIsSeenByTheNextStream() throws Exception {
    transport.reportsDrainedReads();
    EngineConnection c = connection(ACTIVE);
    RequestRef ref = get(c);
    transport.peerSends("S 200\nD par").peerCloses();
    assertEquals(List.of(new ResponsePart.Status(ref, 200)), c.stream());
    HttpException e = assertThrows(HttpException.class, c::stream);
    assertEquals(HttpException.Reason.PREMATURE_CLOSE, e.reason());
    assertFalse(c.isOpen());
  }

  /**
   * A passive receive reads on past a drained read to the 0 or -1: a peer's last bytes and its
   * close, both arrived, come back from one call, the failure with the parts before it.
   */
  @Test
  void aPassiveReceiveReadsOnToTheEndSoThePartsComeWithTheFailure() throws Exception {
    transport.reportsDrainedReads();
    EngineConnection c = connection(PASSIVE);
    RequestRef ref = get(c);
    transport.peerSends("S 200\nD par").peerCloses();
    HttpException e = assertThrows(HttpException.class, () -> c.recv(Duration.ofSeconds(30)));
    assertEquals(HttpException.Reason.PREMATURE_CLOSE, e.reason());
    assertEquals(List.of(new ResponsePart.Status(ref, 200)), e.partsBeforeFailure());
    assertEquals(0, transport.awaitCalls, "no wait: the end was there");
  }

  @Test
  void aPassiveReceiveReadsUntilNothingIsLeft() throws Exception {
    transport.reportsDrainedReads();
    EngineConnection c = connection(PASSIVE);
    RequestRef ref = get(c);
    transport.peerSends("S 200\nD hello\nE\n");
    assertEquals(response(ref), c.recv(Duration.ofSeconds(30)));
    assertEquals(2, transport.readCalls, "the bytes, then the read that found nothing");
  }

  @Test
  void borrowedBodiesStillStopWhereTheDrainedReadEnds() throws Exception {
    transport.reportsDrainedReads();
    engine.rawBodies = true;
    EngineConnection c =
        connection(ConnectOptions.builder().mode(Mode.ACTIVE).borrowBodies(true).build());
    RequestRef ref = get(c);
    transport.peerSends("abc");
    assertEquals(List.of(new ResponsePart.Data(ref, Bytes.utf8("abc"))), c.stream());
    assertEquals(1, transport.readCalls);
    transport.peerSends("def");
    assertEquals(List.of(new ResponsePart.Data(ref, Bytes.utf8("def"))), c.stream());
    assertEquals(2, transport.readCalls);
  }
}
