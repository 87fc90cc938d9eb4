// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import dev.mint.ConnectOptions;
import dev.mint.HttpConnection;
import dev.mint.HttpException;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.TransportException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections and waiting requests of one origin, and the rules that route requests to them.
 * Confined to the pool's thread.
 *
 * <p>Routing: a waiting request goes to an HTTP/2 connection with a free stream, else to the idle
 * HTTP/1.1 connection used last (checked without blocking first: a reused connection the server
 * closed while idle is dropped); when none has room, connections are opened up to the origin's
 * limit: HTTP/1.1 as many as requests wait, HTTP/2 one more once every open one is full. Until the
 * first connection tells the protocol (ALPN), only one is opened.
 *
 * <p>Retries follow {@link RetryPolicy}'s rules; a failed connect is retried after a backoff that
 * doubles, while requests wait within their timeouts.
 */
final class OriginPool {
  private static final Logger LOG = LoggerFactory.getLogger(Pool.class);

  /**
   * How long an HTTP/2 connection may go without the server's SETTINGS, its connection preface (RFC
   * 9113 §3.4), before the pool gives up on it: 10 s. A server that accepted the connection but
   * never started HTTP/2 on it (one stopping as it accepted) would otherwise hold every request
   * sent there until its request timeout; closed, the connection's requests are retried or failed
   * as after any close.
   */
  static final Duration SERVER_PREFACE_TIMEOUT = Duration.ofSeconds(10);

  /** Connect failures that waiting may cure: the server is down, restarting, or slow. */
  private static final Set<TransportException.Reason> TRANSIENT =
      Set.of(
          TransportException.Reason.CONNECTION_REFUSED,
          TransportException.Reason.CONNECT_TIMEOUT,
          TransportException.Reason.CLOSED,
          TransportException.Reason.IO_ERROR,
          TransportException.Reason.TIMEOUT,
          TransportException.Reason.WRITE_TIMEOUT,
          TransportException.Reason.PROXY_TIMEOUT,
          TransportException.Reason.PROXY_CLOSED);

  final Origin origin;
  final PoolConfig config;
  final OriginCounters counters;
  private final Pool pool;
  private final ConnectOptions connectOptions;
  private final ArrayDeque<Exchange> pending = new ArrayDeque<>();
  private final List<PooledConnection> connections = new ArrayList<>();
  private int connecting;

  /** The protocol the origin speaks: known up front when only one is allowed, else by ALPN. */
  private Protocol protocol;

  private int connectFailures;
  private long nextConnectAt;
  private Exception lastConnectError;

  OriginPool(Pool pool, Origin origin, PoolConfig config, OriginCounters counters) {
    this.pool = pool;
    this.origin = origin;
    this.config = config;
    this.counters = counters;
    // Handlers may keep the body bytes they are given past the pool's next read: never borrowed.
    ConnectOptions.Builder b =
        config.connectOptions().toBuilder().mode(Mode.ACTIVE).borrowBodies(false);
    if (origin.proxy() != null) {
      b.proxy(origin.proxy());
    }
    this.connectOptions = b.build();
    List<Protocol> allowed = connectOptions.protocols();
    this.protocol = allowed.size() == 1 ? allowed.get(0) : null;
  }

  // ---- queue ----

  void enqueue(Exchange ex, long now, boolean first) {
    ex.backToQueue(now + config.checkoutTimeout().toNanos());
    if (first) {
      pending.addFirst(ex);
    } else {
      pending.addLast(ex);
    }
  }

  boolean isIdle() {
    if (!pending.isEmpty()) {
      return false;
    }
    for (PooledConnection c : connections) {
      if (!c.inFlight.isEmpty()) {
        return false;
      }
    }
    return true;
  }

  /** Sends what waits to connections with room, opening connections when none has. */
  void dispatch(long now) {
    while (!pending.isEmpty()) {
      Exchange ex = pending.peekFirst();
      PooledConnection c = checkout(ex, now);
      if (c == null) {
        openConnections(ex, now);
        return;
      }
      pending.pollFirst();
      send(c, ex, now);
    }
  }

  /**
   * The connection for {@code ex}: an HTTP/2 one with a free stream, else the idle HTTP/1.1 one
   * used last, checked first; only one opened after {@link Exchange#freshAfter} for a request
   * retried because the server closed its connection.
   */
  private PooledConnection checkout(Exchange ex, long now) {
    while (true) {
      PooledConnection best = null;
      for (PooledConnection c : connections) {
        if (!ex.mayUseConnectionOpenedAt(c.openedAt)
            || c.freeSlots(config.maxStreamsPerConnection()) <= 0) {
          continue;
        }
        if (c.isMultiplexed()) {
          return c;
        }
        if (best == null || c.lastUsedAt > best.lastUsedAt) {
          best = c;
        }
      }
      if (best == null || best.requestsStarted == 0 || healthy(best, now)) {
        return best;
      }
      close(best, "found closed before reuse", now);
    }
  }

  /**
   * Checks an idle connection without blocking: reads what is there (an end of stream, unexpected
   * bytes) and reports whether it can still carry a request.
   */
  private boolean healthy(PooledConnection c, long now) {
    if (!c.conn.isOpen()) {
      return false;
    }
    try {
      List<ResponsePart> parts = c.conn.stream();
      if (!parts.isEmpty()) {
        onParts(c, parts, now);
      }
    } catch (MintException e) {
      LOG.debug("{} {} failed its check before reuse: {}", origin, c, e.toString());
      return false;
    }
    return c.conn.isOpen() && c.inFlight.isEmpty();
  }

  private void send(PooledConnection c, Exchange ex, long now) {
    Request r = ex.request;
    RequestBody body = r.body() == null ? RequestBody.none() : RequestBody.of(r.body());
    RequestRef ref;
    try {
      ref = c.conn.request(r.method(), r.target(), r.headers(), body);
    } catch (HttpException e) {
      if (e.fault() == HttpException.Fault.CALLER && e.scope() == HttpException.Scope.REQUEST) {
        refused(c, ex, e, now);
      } else {
        ex.sentOn(c, null);
        failed(c, e, ex, now);
      }
      return;
    } catch (MintException e) {
      ex.sentOn(c, null);
      failed(c, e, ex, now);
      return;
    }
    ex.sentOn(c, ref);
    c.inFlight.put(ref, ex);
    c.requestsStarted++;
    c.lastUsedAt = now;
    if (c.requestsStarted >= config.maxRequestsPerConnection()) {
      c.draining = true;
    }
    pool.releaseQueueSlot(ex);
    c.updateInterest();
  }

  /** The connection refused a request before sending anything. */
  private void refused(PooledConnection c, Exchange ex, HttpException e, long now) {
    switch (e.reason()) {
      case INVALID_STATE -> {
        // It takes no more requests (GOAWAY received, connection: close): nothing was sent.
        goneAway(c, now);
        pending.addFirst(ex);
      }
      case PEER_LIMIT_REACHED -> {
        c.limitBlocked = true;
        pending.addFirst(ex);
      }
      default ->
          pool.fail(
              this,
              ex,
              new PoolException(
                  PoolException.Reason.INVALID_REQUEST, e.getMessage(), ex.maybeProcessed, e));
    }
    if (c.draining && c.inFlight.isEmpty()) {
      close(c, "takes no more requests", now);
    }
  }

  // ---- connections ----

  private void openConnections(Exchange head, long now) {
    if (now < nextConnectAt || (connectFailures > 0 && connecting > 0)) {
      return;
    }
    if (protocol == null) {
      if (usable() + connecting == 0) {
        startConnect();
      }
      return;
    }
    boolean http2 = Protocol.HTTP2.equals(protocol);
    int max = http2 ? config.maxHttp2Connections() : config.maxHttp1Connections();
    if (head.needsNewConnection() && usable() + connecting >= max) {
      makeRoom(head, now);
    }
    int usable = usable();
    if (http2) {
      if (connecting == 0 && usable < max) {
        startConnect();
      }
      return;
    }
    int wanted = Math.min(pending.size() - connecting, max - usable - connecting);
    if (connectFailures > 0) {
      wanted = Math.min(wanted, 1);
    }
    for (int i = 0; i < wanted; i++) {
      startConnect();
    }
  }

  private int usable() {
    int usable = 0;
    for (PooledConnection c : connections) {
      if (!c.draining) {
        usable++;
      }
    }
    return usable;
  }

  /**
   * Frees a place for a new connection for a request that must not go on an older one: closes an
   * idle older connection, or (HTTP/2) lets the least busy older one drain.
   */
  private void makeRoom(Exchange head, long now) {
    PooledConnection victim = null;
    for (PooledConnection c : connections) {
      if (c.draining || head.mayUseConnectionOpenedAt(c.openedAt)) {
        continue;
      }
      if (c.inFlight.isEmpty()) {
        close(c, "closed to make room for a new connection", now);
        return;
      }
      if (c.isMultiplexed() && (victim == null || c.inFlight.size() < victim.inFlight.size())) {
        victim = c;
      }
    }
    if (victim != null) {
      victim.draining = true;
    }
  }

  private void startConnect() {
    connecting++;
    LOG.debug(
        "{} opening a connection ({} open, {} opening)", origin, connections.size(), connecting);
    pool.open(this, connectOptions);
  }

  /** A connect finished (on any thread; run on the pool's thread through the inbox). */
  void connected(HttpConnection conn, Exception error, long now) {
    connecting--;
    if (error != null) {
      connectFailed(error, now);
      return;
    }
    if (pool.isClosed()) {
      conn.close();
      return;
    }
    // The failures in a row end when the connection answers (a server going down may accept a
    // connection and close it unanswered); the next connect need not wait meanwhile.
    nextConnectAt = 0;
    PooledConnection c = new PooledConnection(conn, this, now);
    SelectableChannel channel = conn.selectableChannel().orElse(null);
    if (channel == null) {
      conn.close();
      failPending(
          new PoolException(
              PoolException.Reason.CONNECT_FAILED,
              "the transport of " + origin + " is not selectable; the pool needs one that is",
              false,
              null));
      return;
    }
    try {
      c.key = pool.register(channel, conn.interestOps(), c);
    } catch (ClosedChannelException e) {
      conn.close();
      connectFailed(new TransportException(TransportException.Reason.CLOSED, "closed", e), now);
      return;
    }
    protocol = conn.protocol();
    connections.add(c);
    counters.opened.incrementAndGet();
    LOG.debug("{} {} open, {}", origin, conn.id(), protocol);
    pool.listener().connectionOpened(origin, conn.id(), protocol);
    if (conn.hasBufferedInput()) {
      drive(c, now);
    }
  }

  private void connectFailed(Exception error, long now) {
    connectFailures++;
    lastConnectError = error;
    counters.connectFailures.incrementAndGet();
    long first = config.connectBackoff().toNanos();
    long backoff = first << Math.min(20, connectFailures - 1);
    backoff = Math.min(backoff, config.maxConnectBackoff().toNanos());
    nextConnectAt = now + backoff;
    LOG.debug(
        "{} connect failed ({} in a row), next in {} ms: {}",
        origin,
        connectFailures,
        backoff / 1_000_000,
        error.toString());
    pool.listener().connectFailed(origin, error);
    boolean curable =
        error instanceof TransportException t && TRANSIENT.contains(t.reason())
            || error instanceof HttpException;
    if (!curable) {
      failPending(
          new PoolException(
              PoolException.Reason.CONNECT_FAILED,
              "cannot connect to " + origin + ": " + error.getMessage(),
              false,
              error));
    }
  }

  private void failPending(PoolException error) {
    while (!pending.isEmpty()) {
      Exchange ex = pending.pollFirst();
      pool.fail(
          this,
          ex,
          new PoolException(
              error.reason(), error.getMessage(), ex.maybeProcessed, error.getCause()));
    }
  }

  /** Reads and handles what a connection has, after its key was selected. */
  void drive(PooledConnection c, long now) {
    try {
      do {
        List<ResponsePart> parts = c.conn.stream();
        onParts(c, parts, now);
      } while (c.conn.isOpen(HttpConnection.Direction.READ) && c.conn.hasBufferedInput());
    } catch (MintException e) {
      failed(c, e, null, now);
      return;
    }
    afterActivity(c, now);
  }

  /**
   * After a call on a connection: closed when it can no longer read; drained when it can no longer
   * send (the server's GOAWAY: the requests the server took may still be answered); closed once a
   * draining connection carries no request.
   */
  private void afterActivity(PooledConnection c, long now) {
    if (!connections.contains(c)) {
      return;
    }
    if (!c.conn.isOpen(HttpConnection.Direction.READ)) {
      close(c, "closed by the server", now);
      return;
    }
    if (!c.conn.isOpen(HttpConnection.Direction.WRITE)) {
      goneAway(c, now);
    }
    if (c.draining && c.inFlight.isEmpty()) {
      close(c, "drained", now);
      return;
    }
    c.updateInterest();
  }

  /**
   * The server takes no new request on {@code c} (GOAWAY, RFC 9113 §6.8): it is still read for the
   * requests the server took, for {@link PoolConfig#drainTimeout()} at most.
   */
  private void goneAway(PooledConnection c, long now) {
    if (c.goneAway(now + config.drainTimeout().toNanos())) {
      LOG.debug(
          "{} {} takes no new request: draining {} for {} at most",
          origin,
          c,
          c.inFlight.size(),
          config.drainTimeout());
    }
  }

  /**
   * A connection failed: the parts parsed before the failure are handled first, then every request
   * still on it fails (or is retried) with the error; {@code unsent}, when not null, is a request
   * whose sending failed.
   */
  private void failed(PooledConnection c, MintException e, Exchange unsent, long now) {
    onParts(c, e.partsBeforeFailure(), now);
    LOG.debug("{} {} failed: {}", origin, c, e.toString());
    List<Exchange> orphans = detach(c, "failed: " + e.getMessage());
    if (unsent != null) {
      orphans.add(unsent);
    }
    diedUnanswered(c, orphans, e, now);
    for (Exchange ex : orphans) {
      requestError(ex, e, now);
    }
  }

  /** Closes a connection; requests still on it are retried or failed as after a close. */
  void close(PooledConnection c, String why, long now) {
    List<Exchange> orphans = detach(c, why);
    TransportException closed =
        new TransportException(TransportException.Reason.CLOSED, c + " " + why);
    diedUnanswered(c, orphans, closed, now);
    for (Exchange ex : orphans) {
      requestError(ex, closed, now);
    }
  }

  /**
   * A connection that never answered died with requests on it: the server is going down or
   * restarting, so the next connect waits a backoff, as after a failed connect.
   */
  private void diedUnanswered(
      PooledConnection c, List<Exchange> orphans, MintException error, long now) {
    if (!orphans.isEmpty()) {
      diedUnanswered(c, error, now);
    }
  }

  private void diedUnanswered(PooledConnection c, MintException error, long now) {
    if (c.neverAnswered() && !c.deathCounted) {
      c.deathCounted = true;
      connectFailed(error, now);
    }
  }

  private List<Exchange> detach(PooledConnection c, String why) {
    List<Exchange> orphans = new ArrayList<>(c.inFlight.values());
    c.inFlight.clear();
    if (connections.remove(c)) {
      if (c.key != null) {
        c.key.cancel();
      }
      c.conn.close();
      counters.closed.incrementAndGet();
      LOG.debug("{} {} closed: {}", origin, c, why);
      pool.listener().connectionClosed(origin, c.conn.id(), why);
    }
    return orphans;
  }

  // ---- responses ----

  private void onParts(PooledConnection c, List<ResponsePart> parts, long now) {
    for (ResponsePart part : parts) {
      Exchange ex = c.inFlight.get(part.ref());
      if (ex == null) {
        continue; // a Pong, or a part of a request already timed out or failed
      }
      try {
        deliver(c, ex, part, now);
      } catch (PoolException e) {
        abandon(c, ex, e, now);
      } catch (RuntimeException e) {
        abandon(
            c,
            ex,
            new PoolException(
                PoolException.Reason.HANDLER_FAILED, "the response handler threw " + e, true, e),
            now);
      }
    }
  }

  private void deliver(PooledConnection c, Exchange ex, ResponsePart part, long now)
      throws PoolException {
    if (!(part instanceof ResponsePart.RequestError)) {
      ex.partSeen = true;
    }
    if (part instanceof ResponsePart.Status s) {
      ex.status = s.code();
    } else if (part instanceof ResponsePart.Headers h) {
      if (ex.status >= 200 && !ex.responseDelivered) {
        ex.responseDelivered = true;
        ex.handler.onResponse(ex.status, h.headers());
      }
    } else if (part instanceof ResponsePart.Data d) {
      ex.handler.onData(d.bytes());
    } else if (part instanceof ResponsePart.Trailers t) {
      ex.handler.onTrailers(t.trailers());
    } else if (part instanceof ResponsePart.Done) {
      c.inFlight.remove(ex.ref);
      c.limitBlocked = false;
      c.answered();
      c.lastUsedAt = now;
      connectFailures = 0;
      lastConnectError = null;
      pool.complete(this, ex);
    } else if (part instanceof ResponsePart.RequestError e) {
      c.inFlight.remove(ex.ref);
      c.limitBlocked = false;
      if (isRefusedStream(e.error())) {
        c.refused();
      } else if (isConnectionDeath(e.error())) {
        diedUnanswered(c, e.error(), now);
      }
      requestError(ex, e.error(), now);
    }
  }

  /** Ends a request its handler refused, cancelling it on its connection. */
  private void abandon(PooledConnection c, Exchange ex, PoolException error, long now) {
    c.inFlight.remove(ex.ref);
    pool.fail(this, ex, error);
    cancel(c, ex, now);
  }

  private void cancel(PooledConnection c, Exchange ex, long now) {
    try {
      c.conn.cancelRequest(ex.ref);
    } catch (MintException e) {
      failed(c, e, null, now);
      return;
    }
    if (!c.conn.isOpen(HttpConnection.Direction.READ)) {
      close(c, "closed to cancel a request", now); // HTTP/1.1 cannot abandon a response
    } else {
      afterActivity(c, now);
    }
  }

  /**
   * A try failed with {@code error}: retried when the server is known not to have processed it, or
   * once for an idempotent request whose connection the server closed, or when the caller's policy
   * says so, and only while no part of its response arrived; otherwise failed.
   */
  void requestError(Exchange ex, MintException error, long now) {
    boolean refused = error instanceof HttpException h && h.isRetrySafe();
    PooledConnection c = ex.connection;
    if (!ex.partSeen && !ex.responseDelivered) {
      if (refused) {
        retry(ex, error, now);
        return;
      }
      if (diedBeforeAnswer(ex, c, error)) {
        // Once for a connection that had answered before (the race of a kept-alive connection);
        // a connection that never answered is a failed connect, retried within the deadline.
        ex.closeRetried |= !c.neverAnswered();
        ex.freshAfter = now; // on a new connection: the server may be closing the others too
        ex.maybeProcessed = true;
        retry(ex, error, now);
        return;
      }
      if (ex.request.retryPolicy().shouldRetry(ex.request, error, ex.attempts)) {
        ex.maybeProcessed = true;
        retry(ex, error, now);
        return;
      }
    }
    pool.fail(
        this,
        ex,
        new PoolException(
            PoolException.Reason.REQUEST_FAILED,
            ex.request.method() + " " + ex.request.target() + " failed: " + error.getMessage(),
            ex.maybeProcessed || !refused,
            error));
  }

  private static boolean isRefusedStream(MintException error) {
    return error instanceof HttpException h
        && h.reason() == HttpException.Reason.STREAM_RESET_BY_PEER
        && h.isRetrySafe();
  }

  /**
   * Whether an idempotent request failed because its connection died (closed, reset, or broken by
   * the server) before any part of the response arrived, and may be retried for it: once on a
   * connection that had answered requests before (the race of a server closing a kept-alive
   * connection as a request goes out, an HTTP/2 connection closed without a GOAWAY naming the
   * stream), and within its deadline and attempts on one that never answered (a server going down
   * or restarting: a failed connect, in effect). Such a request may have been processed, which for
   * an idempotent method has the effect of once (RFC 9110 §9.2.2).
   */
  private static boolean diedBeforeAnswer(Exchange ex, PooledConnection c, MintException error) {
    return c != null
        && ex.request.isIdempotent()
        && (!ex.closeRetried || c.neverAnswered())
        && isConnectionDeath(error);
  }

  /** Whether {@code error} ended the connection from the server's side (closed, reset, broken). */
  private static boolean isConnectionDeath(MintException error) {
    if (error instanceof TransportException t) {
      return t.reason() == TransportException.Reason.CLOSED
          || t.reason() == TransportException.Reason.IO_ERROR;
    }
    return error instanceof HttpException h
        && h.scope() == HttpException.Scope.CONNECTION
        && h.fault() == HttpException.Fault.PEER;
  }

  private void retry(Exchange ex, MintException error, long now) {
    if (ex.attempts >= config.maxAttempts()) {
      pool.fail(
          this,
          ex,
          new PoolException(
              PoolException.Reason.REQUEST_FAILED,
              "gave up after " + ex.attempts + " attempts: " + error.getMessage(),
              ex.maybeProcessed,
              error));
      return;
    }
    counters.retried.incrementAndGet();
    LOG.debug(
        "{} retrying {} {} (attempt {}): {}",
        origin,
        ex.request.method(),
        ex.request.target(),
        ex.attempts + 1,
        error.toString());
    pool.listener().requestRetried(ex.request, error, ex.attempts);
    // A stream refused for the server's load waits its turn behind the others, so that the
    // refusals of a busy server spread over the requests instead of using up one's attempts.
    enqueue(ex, now, !isRefusedStream(error));
  }

  // ---- time ----

  /** Expires requests and connections whose time is up; returns the next time to look again. */
  long expire(long now) {
    long next = Long.MAX_VALUE;
    Iterator<Exchange> it = pending.iterator();
    while (it.hasNext()) {
      Exchange ex = it.next();
      long end = Math.min(ex.deadline, ex.checkoutDeadline);
      if (ex.handler.isCancelled()) {
        it.remove();
        pool.fail(this, ex, cancelled(ex.maybeProcessed));
      } else if (now - end >= 0) {
        it.remove();
        pool.fail(this, ex, waitTimeout(ex, now));
      } else {
        next = Math.min(next, end);
      }
    }
    for (PooledConnection c : new ArrayList<>(connections)) {
      next = Math.min(next, expire(c, now));
    }
    if (!pending.isEmpty() && nextConnectAt > now) {
      next = Math.min(next, nextConnectAt);
    }
    return next;
  }

  private static PoolException cancelled(boolean sent) {
    return new PoolException(
        PoolException.Reason.CANCELLED, "the caller cancelled the request", sent, null);
  }

  private PoolException waitTimeout(Exchange ex, long now) {
    boolean requestEnded = now - ex.deadline >= 0;
    String what =
        requestEnded
            ? "the request timeout passed while waiting for a connection"
            : "no connection became free within " + config.checkoutTimeout();
    if (lastConnectError != null) {
      what += " (last connect error: " + lastConnectError.getMessage() + ")";
    }
    return new PoolException(
        requestEnded ? PoolException.Reason.REQUEST_TIMEOUT : PoolException.Reason.CHECKOUT_TIMEOUT,
        what,
        ex.maybeProcessed,
        lastConnectError);
  }

  private long expire(PooledConnection c, long now) {
    long next = Long.MAX_VALUE;
    for (Exchange ex : new ArrayList<>(c.inFlight.values())) {
      if (ex.handler.isCancelled()) {
        c.inFlight.remove(ex.ref);
        pool.fail(this, ex, cancelled(true));
        cancel(c, ex, now);
      } else if (now - ex.deadline >= 0) {
        c.inFlight.remove(ex.ref);
        pool.fail(
            this,
            ex,
            new PoolException(
                PoolException.Reason.REQUEST_TIMEOUT,
                "no complete response within the request timeout on " + c,
                true,
                null));
        cancel(c, ex, now);
      } else {
        next = Math.min(next, ex.deadline);
      }
    }
    if (!connections.contains(c)) {
      return next;
    }
    if (c.isGoneAway()) {
      if (now - c.drainDeadline() >= 0) {
        close(
            c,
            "drained for drainTimeout "
                + config.drainTimeout()
                + " after the server's GOAWAY, with "
                + c.inFlight.size()
                + " request(s) still unanswered",
            now);
        return next;
      }
      next = Math.min(next, c.drainDeadline());
    }
    if (c.awaitsServerPreface()) {
      long end = c.openedAt + SERVER_PREFACE_TIMEOUT.toNanos();
      if (now - end >= 0) {
        close(
            c,
            "sent no SETTINGS within "
                + SERVER_PREFACE_TIMEOUT
                + " of opening (the server's connection preface, RFC 9113 §3.4)",
            now);
        return next;
      }
      next = Math.min(next, end);
    }
    if (config.maxAge().isPresent()) {
      long end = c.openedAt + config.maxAge().get().toNanos();
      if (now - end >= 0) {
        c.draining = true;
      } else {
        next = Math.min(next, end);
      }
    }
    if (c.inFlight.isEmpty()) {
      long idleEnd = c.lastUsedAt + config.idleTimeout().toNanos();
      if (c.draining) {
        close(c, "drained", now);
      } else if (now - idleEnd >= 0) {
        close(c, "idle for " + config.idleTimeout(), now);
      } else {
        next = Math.min(next, idleEnd);
      }
    }
    return next;
  }

  // ---- shutdown and counts ----

  /** Fails everything with {@code why} and closes every connection. */
  void closeAll(String why) {
    failPending(new PoolException(PoolException.Reason.SHUT_DOWN, why, false, null));
    for (PooledConnection c : new ArrayList<>(connections)) {
      for (Exchange ex : detach(c, why)) {
        pool.fail(this, ex, new PoolException(PoolException.Reason.SHUT_DOWN, why, true, null));
      }
    }
  }

  void updateGauges() {
    int idle = 0;
    int inUse = 0;
    int draining = 0;
    int inFlight = 0;
    for (PooledConnection c : connections) {
      if (c.draining) {
        draining++;
      } else if (c.inFlight.isEmpty()) {
        idle++;
      } else {
        inUse++;
      }
      inFlight += c.inFlight.size();
    }
    counters.idle.set(idle);
    counters.inUse.set(inUse);
    counters.draining.set(draining);
    counters.inFlight.set(inFlight);
    counters.connecting.set(connecting);
    counters.pending.set(pending.size());
  }

  int connectionCount() {
    return connections.size() + connecting;
  }
}
