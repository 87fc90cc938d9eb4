// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.ResponsePart.RequestError;
import dev.mint.TransportException;
import java.util.ArrayDeque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What both engine halves share: the requests in flight, in the order they were sent (HTTP/1.1
 * answers them in that order, RFC 9112 §9.3.2), the request whose body is still being streamed, and
 * the connection's lifecycle state with its transitions.
 *
 * <pre>
 *   OPEN ─── connection: close sent, or a closing response began ───────────▶ DRAINING
 *   OPEN, DRAINING ─── 101, or 2xx to CONNECT ──────────────────────────────▶ TUNNEL
 *   OPEN, DRAINING, TUNNEL ─── closing response done, peer closed, cancel,
 *                              connection error, close() ───────────────────▶ CLOSED
 * </pre>
 */
final class Pipeline {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  /** The connection's lifecycle. */
  enum ConnectionState {
    /** Requests may be sent; responses are parsed as they come. */
    OPEN,
    /** No more requests may be sent; the responses in flight are still being read. */
    DRAINING,
    /** The connection carries raw bytes for one request; HTTP is over on it. */
    TUNNEL,
    /** Finished; the shell closes the transport once the output is written. */
    CLOSED
  }

  private final ArrayDeque<Exchange> inFlight = new ArrayDeque<>();
  private ConnectionState state = ConnectionState.OPEN;

  /** The request whose streamed body (or tunnel output) is still open, or null. */
  private Exchange streaming;

  ConnectionState state() {
    return state;
  }

  /**
   * The only place the connection state changes. Every (state, next) pair is listed; a pair not
   * allowed is a bug in the engine, not something a peer or caller can cause.
   */
  void moveTo(ConnectionState next) {
    boolean allowed =
        switch (state) {
          case OPEN -> true;
          case DRAINING -> next != ConnectionState.OPEN;
          case TUNNEL -> next == ConnectionState.TUNNEL || next == ConnectionState.CLOSED;
          case CLOSED -> next == ConnectionState.CLOSED;
        };
    if (!allowed) {
      throw new IllegalStateException("no connection transition from " + state + " to " + next);
    }
    if (state != next && LOG.isDebugEnabled()) {
      LOG.debug("http/1.1 connection {} -> {}", state, next);
    }
    state = next;
  }

  /** Whether a new request may be sent now. */
  boolean canSend() {
    return state == ConnectionState.OPEN;
  }

  boolean isClosed() {
    return state == ConnectionState.CLOSED;
  }

  int size() {
    return inFlight.size();
  }

  /** The request sent last that is still in flight, or null. */
  Exchange tail() {
    return inFlight.peekLast();
  }

  /** The request the next response answers, or null. */
  Exchange head() {
    return inFlight.peekFirst();
  }

  /**
   * Puts a queued request in flight: its body streams next unless it ended, and a {@code
   * connection: close} request is the last (RFC 9112 §9.6).
   */
  void add(Exchange exchange) {
    inFlight.addLast(exchange);
    if (exchange.bodyMode != Exchange.BodyMode.ENDED) {
      streaming = exchange;
    }
    if (exchange.closeRequested) {
      moveTo(ConnectionState.DRAINING);
    }
  }

  /** Forgets the request whose response just completed. */
  void removeHead() {
    inFlight.pollFirst();
  }

  Exchange streaming() {
    return streaming;
  }

  void streaming(Exchange exchange) {
    streaming = exchange;
  }

  /** Whether {@code ref} is in flight, or still streams its body after its response completed. */
  boolean holds(RequestRef ref) {
    return streaming != null && streaming.ref == ref
        || inFlight.stream().anyMatch(e -> e.ref == ref);
  }

  /**
   * Closes the connection: every request still in flight except {@code spared} gets a {@link
   * ResponsePart.RequestError} with {@link TransportException.Reason#CLOSED} and {@code message}.
   */
  void close(List<ResponsePart> out, RequestRef spared, String message) {
    dropAllBut(spared, out, message);
    abandon();
  }

  /**
   * The connection becomes a tunnel for {@code kept}, whose bytes now go out raw: every other
   * request in flight is dropped as {@link #close} drops them, since its response can never come.
   */
  void tunnel(Exchange kept, List<ResponsePart> out, String message) {
    moveTo(ConnectionState.TUNNEL);
    dropAllBut(kept.ref, out, message);
    inFlight.add(kept);
    kept.bodyMode = Exchange.BodyMode.TUNNEL;
    streaming = kept;
  }

  private void dropAllBut(RequestRef spared, List<ResponsePart> out, String message) {
    TransportException.Reason closed = TransportException.Reason.CLOSED;
    inFlight.stream()
        .filter(e -> e.ref != spared)
        .forEach(e -> out.add(new RequestError(e.ref, new TransportException(closed, message))));
    inFlight.clear();
  }

  /** Closes without telling the requests in flight (a caller's close, or a connection error). */
  void abandon() {
    moveTo(ConnectionState.CLOSED);
    inFlight.clear();
    streaming = null;
  }
}
