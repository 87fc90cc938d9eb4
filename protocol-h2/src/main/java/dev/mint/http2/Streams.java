package dev.mint.http2;

import dev.mint.RequestRef;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * The streams of one connection: the live ones by identifier and by reference, the identifiers used
 * so far, and a bounded memory of the streams we reset (frames the peer sent before it saw our
 * RST_STREAM are ignored, RFC 9113 §5.1 "closed").
 */
final class Streams {
  /** Where a stream identifier stands, from the client's point of view. */
  enum Standing {
    /** A live stream. */
    LIVE,
    /** Never used: above every identifier opened or promised so far. */
    IDLE,
    /** Closed after we reset it, recently: frames for it are ignored. */
    RESET_BY_US,
    /** Closed normally, or reset by the peer. */
    CLOSED
  }

  private final Map<Integer, Stream> byId = new LinkedHashMap<>();
  private final Map<RequestRef, Stream> byRef = new IdentityHashMap<>();
  private final LinkedHashSet<Integer> resetByUs = new LinkedHashSet<>();
  private long nextLocalId;
  private int highestPromisedId;
  private int highestAcceptedPushId;

  /** Streams numbered from {@code firstLocalId} (odd; 1 on a new connection). */
  Streams(int firstLocalId) {
    this.nextLocalId = firstLocalId;
  }

  /** The identifier the next request gets; above {@link Http2Limits#MAX_STREAM_ID} when used up. */
  long nextLocalId() {
    return nextLocalId;
  }

  /** Whether another request can get an identifier (RFC 9113 §5.1.1). */
  boolean hasLocalIds() {
    return nextLocalId <= Http2Limits.MAX_STREAM_ID;
  }

  /** Takes the next request identifier. */
  int takeLocalId() {
    int id = (int) nextLocalId;
    nextLocalId += 2;
    return id;
  }

  /** The highest identifier the server promised so far. */
  int highestPromisedId() {
    return highestPromisedId;
  }

  /** Notes a promised identifier. */
  void promised(int id) {
    highestPromisedId = id;
  }

  /** The highest pushed stream we accepted: the last stream id of a GOAWAY we send. */
  int highestAcceptedPushId() {
    return highestAcceptedPushId;
  }

  void add(Stream s) {
    byId.put(s.id, s);
    byRef.put(s.ref, s);
    if (s.pushed) {
      highestAcceptedPushId = Math.max(highestAcceptedPushId, s.id);
    }
  }

  Stream get(int id) {
    return byId.get(id);
  }

  Stream get(RequestRef ref) {
    return byRef.get(ref);
  }

  /** Forgets a stream that closed; {@code reset} remembers that we reset it. */
  void remove(Stream s, boolean reset) {
    byId.remove(s.id);
    byRef.remove(s.ref);
    if (reset) {
      rememberReset(s.id);
    }
  }

  /** Remembers an identifier we reset without it ever being live (a refused push). */
  void rememberReset(int id) {
    resetByUs.add(id);
    if (resetByUs.size() > Http2Limits.MAX_REMEMBERED_RESETS) {
      Iterator<Integer> oldest = resetByUs.iterator();
      oldest.next();
      oldest.remove();
    }
  }

  /** Where {@code id} stands. */
  Standing standing(int id) {
    if (byId.containsKey(id)) {
      return Standing.LIVE;
    }
    boolean local = (id & 1) == 1;
    if (local ? id >= nextLocalId : id > highestPromisedId) {
      return Standing.IDLE;
    }
    return resetByUs.contains(id) ? Standing.RESET_BY_US : Standing.CLOSED;
  }

  /**
   * The live streams in the order they were opened; a copy, safe to change the table while used.
   */
  List<Stream> all() {
    return new ArrayList<>(byId.values());
  }

  /** Whether no stream is live. */
  boolean isEmpty() {
    return byId.isEmpty();
  }

  /** Our requests counting against the server's SETTINGS_MAX_CONCURRENT_STREAMS. */
  int activeLocalCount() {
    int n = 0;
    for (Stream s : byId.values()) {
      if (!s.pushed && s.state.isActive()) {
        n++;
      }
    }
    return n;
  }

  /** Pushed streams promised or open. */
  int livePushCount() {
    int n = 0;
    for (Stream s : byId.values()) {
      if (s.pushed) {
        n++;
      }
    }
    return n;
  }

  /** Our requests whose response has not completed. */
  int openRequestCount() {
    int n = 0;
    for (Stream s : byId.values()) {
      if (!s.pushed && !s.responseDone) {
        n++;
      }
    }
    return n;
  }
}
