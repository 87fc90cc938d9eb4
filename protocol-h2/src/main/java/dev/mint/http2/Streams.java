// SPDX-License-Identifier: Apache-2.0
package dev.mint.http2;

import dev.mint.RequestRef;
import java.util.Arrays;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The streams of one connection: the live ones by identifier and by reference, the identifiers used
 * so far, and a bounded memory of how recent streams closed, because RFC 9113 §5.1 ("closed")
 * treats a frame on a closed stream by how it closed ({@link Standing}; the errors are
 * STREAM_CLOSED).
 *
 * <p>It also counts the live streams by kind (active requests, pushes, requests awaiting their
 * response) as they change: a stream reports each change of its state to the table that holds it
 * ({@link Stream#heldBy}), so that no count walks the table.
 */
final class Streams {
  /** Where a stream identifier stands, from the client's point of view. */
  enum Standing {
    /** A live stream. */
    LIVE,
    /** Never used: above every identifier opened or promised so far. */
    IDLE,
    /** Reset by us, recently: frames are ignored ({@link Http2Limits#MAX_REMEMBERED_RESETS}). */
    RESET_BY_US,
    /** Ended by the peer with END_STREAM, recently: DATA or HEADERS is a connection error. */
    ENDED_BY_PEER,
    /** Reset by the peer, or closed too long ago to know how: a stream error. */
    CLOSED
  }

  /**
   * The live streams by identifier: an open-addressing table (linear probing, a power of two in
   * size, at most half full), so that a lookup boxes no identifier and a stream takes no entry
   * object. Its size follows the live streams, which the concurrency limits bound.
   */
  private Stream[] byId = new Stream[16];

  private final Map<RequestRef, Stream> byRef = new IdentityHashMap<>();

  /** Streams we reset, oldest first, with the bytes the peer may still send on each. */
  private final LinkedHashMap<Integer, Long> resetByUs = new LinkedHashMap<>();

  /**
   * Streams the peer ended, the last {@link Http2Limits#MAX_REMEMBERED_ENDED_STREAMS} in a ring of
   * plain ints (no entry or box per stream), grown by doubling from 16: {@code [0, endedCount)}
   * holds them, the oldest at {@link #endedNext} once the ring is full.
   */
  private int[] endedByPeer = new int[16];

  private int endedCount;
  private int endedNext;
  private long nextLocalId;
  private int highestPromisedId;
  private int highestAcceptedPushId;
  private int activeLocal;
  private int livePushes;
  private int openRequests;

  /** Streams numbered from {@code firstLocalId} (odd; 1 on a new connection). */
  Streams(int firstLocalId) {
    this.nextLocalId = firstLocalId;
  }

  /** Whether another request can get an identifier (RFC 9113 §5.1.1). */
  boolean hasLocalIds() {
    return nextLocalId <= Http2Limits.MAX_STREAM_ID;
  }

  int takeLocalId() {
    int id = (int) nextLocalId;
    nextLocalId += 2;
    return id;
  }

  /** The highest identifier the server promised so far. */
  int highestPromisedId() {
    return highestPromisedId;
  }

  void promised(int id) {
    highestPromisedId = id;
  }

  /** The highest pushed stream we accepted: the last stream id of a GOAWAY we send. */
  int highestAcceptedPushId() {
    return highestAcceptedPushId;
  }

  void add(Stream s) {
    if (2 * (byRef.size() + 1) > byId.length) {
      Stream[] old = byId;
      byId = new Stream[2 * old.length];
      for (Stream o : old) {
        if (o != null) {
          byId[probe(o.id)] = o;
        }
      }
    }
    byId[probe(s.id)] = s;
    byRef.put(s.ref, s);
    s.heldBy(this);
    if (s.pushed) {
      highestAcceptedPushId = Math.max(highestAcceptedPushId, s.id);
    }
  }

  Stream get(int id) {
    return byId[probe(id)];
  }

  Stream get(RequestRef ref) {
    return byRef.get(ref);
  }

  /**
   * The index of stream {@code id} in {@link #byId}, or of the empty slot where its probe ends; the
   * hash spreads consecutive identifiers.
   */
  private int probe(int id) {
    int h = id * 0x9E3779B9;
    int i = (h ^ h >>> 16) & (byId.length - 1);
    while (byId[i] != null && byId[i].id != id) {
      i = (i + 1) & (byId.length - 1);
    }
    return i;
  }

  /**
   * Forgets a stream that closed, remembering how: {@code reset} when we reset it, else whether the
   * peer had ended it.
   */
  void remove(Stream s, boolean reset) {
    int i = probe(s.id);
    byId[i] = null;
    // the entries after it in its run probed past it: put them back where a probe now ends
    for (int j = (i + 1) & (byId.length - 1); byId[j] != null; j = (j + 1) & (byId.length - 1)) {
      Stream moved = byId[j];
      byId[j] = null;
      byId[probe(moved.id)] = moved;
    }
    byRef.remove(s.ref);
    s.heldBy(null);
    if (reset) {
      rememberReset(s.id, s.recvWindow.available());
    } else if (s.receive() == ReceiveHalf.ENDED) {
      rememberEnded(s.id);
    }
  }

  /**
   * Remembers an identifier we reset, live or not (a refused push), and the flow-controlled bytes
   * the peer may still send on it before it sees our RST_STREAM.
   */
  void rememberReset(int id, long window) {
    resetByUs.put(id, Math.max(0, window));
    if (resetByUs.size() > Http2Limits.MAX_REMEMBERED_RESETS) {
      resetByUs.remove(resetByUs.keySet().iterator().next()); // the oldest
    }
  }

  /**
   * Takes {@code length} flow-controlled bytes that arrived on a stream we reset from what the peer
   * could still send on it (RFC 9113 §6.4: frames sent before our RST_STREAM arrived).
   *
   * @return whether they fitted; DATA beyond is not traffic the peer sent in good faith
   */
  boolean absorbAfterReset(int id, int length) {
    Long left = resetByUs.get(id);
    if (left == null || length == 0 || length > left) {
      return false;
    }
    resetByUs.put(id, left - length);
    return true;
  }

  Standing standing(int id) {
    if (get(id) != null) {
      return Standing.LIVE;
    }
    boolean local = (id & 1) == 1;
    if (local ? id >= nextLocalId : id > highestPromisedId) {
      return Standing.IDLE;
    }
    if (resetByUs.containsKey(id)) {
      return Standing.RESET_BY_US;
    }
    for (int i = 0; i < endedCount; i++) { // a scan, only for a frame on a stream not live
      if (endedByPeer[i] == id) {
        return Standing.ENDED_BY_PEER;
      }
    }
    return Standing.CLOSED;
  }

  /** Remembers a stream the peer ended, forgetting the oldest beyond the limit. */
  private void rememberEnded(int id) {
    int max = Http2Limits.MAX_REMEMBERED_ENDED_STREAMS;
    if (endedCount == endedByPeer.length && endedCount < max) {
      // full below the limit: a ring fills from 0 before it overwrites, so the oldest is at 0
      endedByPeer = Arrays.copyOf(endedByPeer, Math.min(2 * endedCount, max));
      endedNext = endedCount;
    }
    endedByPeer[endedNext] = id;
    endedNext = (endedNext + 1) % endedByPeer.length;
    endedCount = Math.min(endedCount + 1, endedByPeer.length);
  }

  /**
   * The live streams in the order they were opened; a copy, safe to change the table while used.
   */
  List<Stream> all() {
    return Arrays.stream(byId)
        .filter(Objects::nonNull)
        .sorted(Comparator.comparingLong(s -> s.ref.sequence()))
        .toList();
  }

  boolean isEmpty() {
    return byRef.isEmpty();
  }

  /**
   * Counts {@code s} in ({@code by} 1) or out ({@code by} -1) of the totals by what it is now:
   * called by the stream around each change of its state while this table holds it.
   */
  void count(Stream s, int by) {
    if (s.pushed) {
      livePushes += by;
      return;
    }
    if (s.state().isActive()) {
      activeLocal += by;
    }
    if (!s.receive().isDone()) {
      openRequests += by;
    }
  }

  /** Our requests counting against the server's SETTINGS_MAX_CONCURRENT_STREAMS. */
  int activeLocalCount() {
    return activeLocal;
  }

  /** Pushed streams promised or open. */
  int livePushCount() {
    return livePushes;
  }

  /** Our requests whose response has not completed. */
  int openRequestCount() {
    return openRequests;
  }
}
