// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.h2;

import dev.mint.Headers;
import dev.mint.Http2Operations;
import dev.mint.HttpConnection;
import dev.mint.HttpException;
import dev.mint.MintException;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.TransportException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Gathers the response parts of the requests a test made, checking their order per request (RFC
 * 9113 §8.1 as {@link ResponsePart} documents it: informational status and headers, final status,
 * headers, data, optional trailers, then exactly one of done or request error). Parts for a request
 * never announced with {@link #expect} fail the test.
 *
 * <p>Bodies are counted and checksummed as they arrive; they are kept only when asked for, so a
 * gigabyte passes through a bounded heap.
 */
public final class Responses {
  private final boolean keepBodies;
  private final Map<RequestRef, Building> building = new HashMap<>();
  private final Map<RequestRef, Received> finished = new LinkedHashMap<>();
  private final Set<RequestRef> pongs = new HashSet<>();
  private final Set<RequestRef> pings = new HashSet<>();
  private int mostOpenStreams;

  /** A collector; {@code keepBodies} keeps every body byte (small bodies only). */
  public Responses(boolean keepBodies) {
    this.keepBodies = keepBodies;
  }

  /** Announces a request whose parts will arrive; returns it. */
  public RequestRef expect(RequestRef ref) {
    if (building.put(ref, new Building()) != null || finished.containsKey(ref)) {
      throw new AssertionError("the same reference twice: " + ref);
    }
    return ref;
  }

  /** Announces a ping whose {@link ResponsePart.Pong} will arrive; returns it. */
  public RequestRef expectPong(RequestRef ref) {
    pings.add(ref);
    return ref;
  }

  /** Takes parts in, in the order they were returned. */
  public void accept(List<ResponsePart> parts) {
    for (ResponsePart part : parts) {
      accept(part);
    }
  }

  private void accept(ResponsePart part) {
    if (part instanceof ResponsePart.Pong pong) {
      if (!pings.remove(pong.ref())) {
        throw new AssertionError("a pong for no ping of ours: " + pong);
      }
      pongs.add(pong.ref());
      return;
    }
    Building b = building.get(part.ref());
    if (b == null) {
      throw new AssertionError(
          (finished.containsKey(part.ref()) ? "a part after the end: " : "a part for no request: ")
              + part);
    }
    if (part instanceof ResponsePart.Status s) {
      b.require(part, Stage.STATUS);
      b.status = s.code();
      b.stage = Stage.HEADERS;
    } else if (part instanceof ResponsePart.Headers h) {
      b.require(part, Stage.HEADERS);
      if (b.status < 200) {
        b.stage = Stage.STATUS; // informational: the final status follows
      } else {
        b.headers = h.headers();
        b.stage = Stage.BODY;
      }
    } else if (part instanceof ResponsePart.Data d) {
      b.require(part, Stage.BODY);
      ByteBuffer bytes = d.bytes().asReadOnlyBuffer();
      if (!bytes.hasRemaining()) {
        throw new AssertionError("an empty Data part: " + part);
      }
      b.dataParts++;
      b.largestPart = Math.max(b.largestPart, bytes.remaining());
      b.length += bytes.remaining();
      if (b.body != null) {
        b.body.writeBytes(d.bytes().toByteArray());
      }
      b.crc.update(bytes);
    } else if (part instanceof ResponsePart.Trailers t) {
      b.require(part, Stage.BODY);
      b.trailers = t.trailers();
      b.stage = Stage.END;
    } else if (part instanceof ResponsePart.Done) {
      if (b.stage != Stage.BODY && b.stage != Stage.END) {
        throw new AssertionError("Done in stage " + b.stage + ": " + part);
      }
      finish(part.ref(), b, null);
    } else if (part instanceof ResponsePart.RequestError e) {
      finish(part.ref(), b, e.error());
    } else {
      throw new AssertionError("unexpected part " + part);
    }
  }

  private void finish(RequestRef ref, Building b, MintException error) {
    building.remove(ref);
    finished.put(
        ref,
        new Received(
            b.status,
            b.headers,
            b.body == null ? null : b.body.toByteArray(),
            b.length,
            b.crc.getValue(),
            b.dataParts,
            b.largestPart,
            b.trailers,
            error));
  }

  /** Whether every announced request has ended and every ping was answered. */
  public boolean allDone() {
    return building.isEmpty() && pings.isEmpty();
  }

  /** The number of requests that ended. */
  public int finishedCount() {
    return finished.size();
  }

  /** Whether {@code ref} has ended. */
  public boolean isFinished(RequestRef ref) {
    return finished.containsKey(ref);
  }

  /** The ended request {@code ref}. */
  public Received get(RequestRef ref) {
    Received r = finished.get(ref);
    if (r == null) {
      throw new AssertionError("not finished: " + ref);
    }
    return r;
  }

  /** The pings answered. */
  public Set<RequestRef> pongs() {
    return pongs;
  }

  /**
   * Passive mode: receives until every announced request ended and every ping was answered, for at
   * most {@code limit}.
   */
  public void awaitAll(HttpConnection conn, Duration limit) throws MintException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (!allDone()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "within "
                + limit
                + ": "
                + finished.size()
                + " finished, "
                + building.size()
                + " still open, "
                + pings.size()
                + " pings unanswered");
      }
      pump(conn, Duration.ofSeconds(1));
    }
  }

  /**
   * Passive mode: makes one request, receives as {@link #awaitAll} does, and returns its response;
   * fails when the request ended with an error.
   */
  public Received exchange(
      HttpConnection conn,
      String method,
      String target,
      Headers headers,
      RequestBody body,
      Duration limit)
      throws MintException {
    RequestRef ref = expect(conn.request(method, target, headers, body));
    awaitAll(conn, limit);
    return get(ref).ok();
  }

  /** Passive mode: one {@code recv} of at most {@code wait}; a quiet connection is no error. */
  public void pump(HttpConnection conn, Duration wait) throws MintException {
    try {
      accept(conn.recv(wait));
    } catch (TransportException e) {
      if (e.reason() != TransportException.Reason.TIMEOUT) {
        throw e;
      }
    }
  }

  /**
   * HTTP/2: receives until the server's first SETTINGS frame has arrived, so that its limits
   * (concurrent streams, windows, frame size) are known before requests are made.
   */
  public void awaitServerSettings(HttpConnection conn, Duration limit) throws MintException {
    Http2Operations h2 = conn.http2().orElseThrow(() -> new AssertionError("not HTTP/2: " + conn));
    long deadline = System.nanoTime() + limit.toNanos();
    while (!h2.serverSettingsReceived()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("no SETTINGS from the server within " + limit);
      }
      pump(conn, Duration.ofMillis(50));
    }
  }

  /**
   * Passive mode: streams {@code length} bytes of {@link BodyPattern} as the body of {@code ref} in
   * chunks of {@code chunk} bytes and ends it, receiving (and collecting) whatever arrives while
   * HTTP/2 flow control holds body bytes back: whenever more than {@code maxQueued} bytes wait
   * inside the connection, or a chunk is refused as {@link
   * HttpException.Reason#HTTP2_FLOW_CONTROL_BLOCKED}.
   *
   * @return the most body bytes seen waiting for window at once (0 over HTTP/1.1)
   */
  public long streamPattern(
      HttpConnection conn, RequestRef ref, long length, int chunk, long maxQueued, Duration limit)
      throws MintException {
    Http2Operations h2 = conn.http2().orElse(null);
    long deadline = System.nanoTime() + limit.toNanos();
    long mostQueued = 0;
    for (long sent = 0; sent < length; ) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("only " + sent + " of " + length + " body bytes within " + limit);
      }
      if (h2 != null && h2.queuedRequestBodyBytes() > maxQueued) {
        pump(conn, Duration.ofMillis(20));
        continue;
      }
      ByteBuffer piece = BodyPattern.slice(sent, (int) Math.min(chunk, length - sent));
      int n = piece.remaining();
      try {
        conn.streamRequestBody(ref, piece);
      } catch (HttpException e) {
        if (e.reason() != HttpException.Reason.HTTP2_FLOW_CONTROL_BLOCKED) {
          throw e;
        }
        pump(conn, Duration.ofMillis(20));
        continue;
      }
      sent += n;
      if (h2 != null) {
        mostQueued = Math.max(mostQueued, h2.queuedRequestBodyBytes());
      }
    }
    conn.endRequestBody(ref);
    return mostQueued;
  }

  /**
   * Passive mode, HTTP/2: one {@code GET} per target on one connection, never more streams open at
   * once than the server's SETTINGS_MAX_CONCURRENT_STREAMS (waits for its SETTINGS first), all
   * received within {@code limit}.
   *
   * @return the references in the order of {@code targets}
   */
  public List<RequestRef> getAll(HttpConnection conn, List<String> targets, Duration limit)
      throws MintException {
    awaitServerSettings(conn, limit);
    Http2Operations h2 = conn.http2().orElseThrow();
    long deadline = System.nanoTime() + limit.toNanos();
    List<RequestRef> refs = new ArrayList<>(targets.size());
    while (refs.size() < targets.size() || !allDone()) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError(
            "within " + limit + ": " + refs.size() + " sent, " + finished.size() + " finished");
      }
      while (refs.size() < targets.size() && h2.openStreamCount() < h2.maxConcurrentStreams()) {
        String target = targets.get(refs.size());
        refs.add(expect(conn.request("GET", target, Headers.empty(), RequestBody.none())));
        mostOpenStreams = Math.max(mostOpenStreams, h2.openStreamCount());
      }
      if (h2.openStreamCount() > h2.maxConcurrentStreams()) {
        throw new AssertionError(
            h2.openStreamCount() + " streams open, the server allows " + h2.maxConcurrentStreams());
      }
      pump(conn, Duration.ofSeconds(1));
    }
    return refs;
  }

  /** The most streams seen open at once by {@link #getAll}. */
  public int mostOpenStreams() {
    return mostOpenStreams;
  }

  /**
   * One finished response.
   *
   * @param status the final status
   * @param headers the final headers
   * @param body every body byte, or {@code null} when bodies are not kept
   * @param length the number of body bytes
   * @param crc32 the CRC-32 of the body
   * @param dataParts the number of {@code Data} parts
   * @param largestPart the largest {@code Data} part
   * @param trailers the trailers, empty when none came
   * @param error the request's error when it ended with {@code RequestError}, else {@code null}
   */
  public record Received(
      int status,
      Headers headers,
      byte[] body,
      long length,
      long crc32,
      int dataParts,
      int largestPart,
      Headers trailers,
      MintException error) {

    /** This response, or an assertion error when the request failed. */
    public Received ok() {
      if (error != null) {
        throw new AssertionError("the request failed: " + error, error);
      }
      return this;
    }

    /** The body as UTF-8. */
    public String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private enum Stage {
    STATUS,
    HEADERS,
    BODY,
    END
  }

  private final class Building {
    Stage stage = Stage.STATUS;
    int status;
    Headers headers = Headers.empty();
    Headers trailers = Headers.empty();
    final ByteArrayOutputStream body = keepBodies ? new ByteArrayOutputStream() : null;
    final CRC32 crc = new CRC32();
    long length;
    int dataParts;
    int largestPart;

    void require(ResponsePart part, Stage expected) {
      if (stage != expected) {
        throw new AssertionError("expected stage " + expected + " but was " + stage + ": " + part);
      }
    }
  }
}
