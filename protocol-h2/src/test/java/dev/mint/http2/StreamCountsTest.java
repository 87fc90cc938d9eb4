// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Headers;
import dev.mint.Http2Options;
import dev.mint.HttpException;
import dev.mint.RequestBody;
import dev.mint.ResponsePart;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;

/**
 * The live-stream counts {@link Streams} keeps on each state change agree with a walk over the live
 * streams, through thousands of random opens, responses, ends, resets, cancels and pushes.
 */
class StreamCountsTest {
  private static final String[] PUSHED_GET = {
    ":method", "GET", ":scheme", "https", ":authority", "example.com", ":path", "/pushed"
  };
  private static final int STEPS = 4000;

  private final Random random = new Random(20_261_205);
  private final List<ResponsePart> parts = new ArrayList<>();
  private int nextPush = 2;
  private final int[] seen = new int[4]; // streams opened, closed, reset by the peer, cancelled

  @Test
  void countsFollowEveryTransition() throws HttpException {
    Peer p =
        Peer.with(
            Split.WHOLE, new Http2Options(1 << 20, 1 << 20, 16_384, 1 << 20, 4096, true, 4, 32));
    p.handshake();
    for (int step = 0; step < STEPS; step++) {
      int before = p.engine.streams().all().size();
      act(p);
      p.sent();
      if (p.engine.streams().all().size() < before) {
        seen[1]++;
      }
      assertCountsAgree(p.engine.streams(), "after step " + step);
    }
    assertTrue(seen[0] > 500 && seen[1] > 500 && seen[2] > 50 && seen[3] > 50, "coverage");
    assertTrue(p.engine.streams().livePushCount() >= 0);
  }

  private void act(Peer p) throws HttpException {
    List<Stream> live = p.engine.streams().all();
    int choice = random.nextInt(10);
    if (live.isEmpty() || choice < 2 && live.size() < 40) {
      boolean streaming = random.nextBoolean();
      p.engine.request(
          streaming ? "POST" : "GET",
          "/",
          Headers.empty(),
          streaming ? RequestBody.streaming() : RequestBody.none());
      seen[0]++;
      return;
    }
    Stream s = live.get(random.nextInt(live.size()));
    switch (choice) {
      case 2 -> {
        p.receive(new RstStreamFrame(s.id, ErrorCode.CANCEL));
        seen[2]++;
      }
      case 3 -> {
        p.engine.cancelRequest(s.ref, parts);
        seen[3]++;
      }
      case 4 -> {
        if (!s.pushed && s.send().acceptsBody()) {
          p.engine.endRequestBody(s.ref, Headers.empty());
        }
      }
      case 5 -> {
        boolean parentOpen =
            s.state() == StreamState.OPEN || s.state() == StreamState.HALF_CLOSED_LOCAL;
        if (!s.pushed && parentOpen) {
          p.receive(new PushPromiseFrame(s.id, nextPush, p.block(PUSHED_GET), true, -1));
          nextPush += 2;
        }
      }
      default -> respond(p, s);
    }
  }

  /** The next response frame the server may send on {@code s}, if any. */
  private void respond(Peer p, Stream s) throws HttpException {
    boolean remoteOpen =
        s.state() == StreamState.OPEN
            || s.state() == StreamState.HALF_CLOSED_LOCAL
            || s.state() == StreamState.RESERVED_REMOTE;
    if (!remoteOpen) {
      return;
    }
    boolean end = random.nextInt(3) == 0;
    if (s.receive().awaitsResponse()) {
      boolean interim = !s.pushed && random.nextInt(4) == 0;
      parts.addAll(p.receive(p.headers(s.id, end && !interim, ":status", interim ? "103" : "200")));
    } else {
      parts.addAll(p.receive(Peer.data(s.id, "x", end)));
    }
  }

  private static void assertCountsAgree(Streams streams, String when) {
    assertEquals(
        walk(streams, s -> !s.pushed && s.state().isActive()),
        streams.activeLocalCount(),
        "active " + when);
    assertEquals(walk(streams, s -> s.pushed), streams.livePushCount(), "pushes " + when);
    assertEquals(
        walk(streams, s -> !s.pushed && !s.receive().isDone()),
        streams.openRequestCount(),
        "open requests " + when);
  }

  private static int walk(Streams streams, Predicate<Stream> which) {
    return (int) streams.all().stream().filter(which).count();
  }
}
