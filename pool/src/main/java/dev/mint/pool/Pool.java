// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import dev.mint.ConnectOptions;
import dev.mint.Connector;
import dev.mint.Mint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection pool driven by the caller: one thread calls {@link #poll} in a loop, and the pool
 * does all its work inside that call with one {@link Selector} of its own. It starts no thread and
 * runs no timer; connects happen inside {@code poll} too (each within its connect timeout). For a
 * pool that runs by itself and may be called from any thread, use {@link MintClient}.
 *
 * <pre>{@code
 * try (Pool pool = Pool.builder().build()) {
 *   CompletableFuture<Response> response = pool.submit(Request.get("http://127.0.0.1:8080/"));
 *   while (!response.isDone()) {
 *     pool.poll(Duration.ofMillis(100));
 *   }
 *   System.out.println(response.join().status());
 * }
 * }</pre>
 *
 * <h2>Threads</h2>
 *
 * {@link #submit}, {@link #shutdown()} and {@link #stats()} may be called from any thread (a
 * submission from another thread wakes the selector). {@link #poll}, {@link #isIdle()} and {@link
 * #close()} belong to the thread driving the pool, one call at a time. Handlers, listeners and
 * retry policies are called by that thread, inside {@code poll}.
 *
 * <h2>Origins and connections</h2>
 *
 * Connections are kept per {@link Origin} (scheme, host, port, proxy), configured by a {@link
 * PoolConfig}: the builder's default, or one set for the origin. The first connection of an origin
 * tells by ALPN whether it speaks HTTP/2 (then requests share connections, as many at once as the
 * server's SETTINGS_MAX_CONCURRENT_STREAMS allows, followed as it changes, and conservatively
 * before it arrives) or HTTP/1.1 (one request per connection at a time, up to a number of
 * connections). Retries: see {@link RetryPolicy}. Lifetime: idle timeout, maximum age and maximum
 * requests per connection, checked in {@code poll}; an idle HTTP/1.1 connection is read without
 * blocking before it is reused, and dropped if the server closed it. A connection whose server
 * stops taking requests (an HTTP/2 GOAWAY, an HTTP/1.1 {@code connection: close}) drains: it takes
 * no new request and is still read for the requests the server took, until they are answered, the
 * server closes it, or {@link PoolConfig#drainTimeout()} passes, whichever comes first; {@link
 * PoolStats#draining()} counts such connections.
 *
 * <h2>Limits</h2>
 *
 * At most {@link Builder#maxPendingRequests(int)} requests (default 10,000) wait for a connection
 * at once; one more is refused with {@link PoolException.Reason#QUEUE_FULL}. Each request is
 * bounded by its timeouts, each connection by its engine's limits, each buffered body by {@link
 * PoolConfig#maxResponseBodyBytes()}.
 */
public final class Pool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Pool.class);

  private enum State {
    RUNNING,
    SHUTTING_DOWN,
    CLOSED
  }

  private final Connector connector;
  private final PoolConfig defaults;
  private final Map<Origin, PoolConfig> configs;
  private final PoolListener listener;
  private final int maxPendingRequests;
  private final LongSupplier clock;
  private final ConnectionOpener opener;
  private final Selector selector;
  private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
  private final AtomicInteger queued = new AtomicInteger();
  private final Map<Origin, OriginPool> origins = new HashMap<>();
  private final ConcurrentHashMap<Origin, OriginCounters> counters = new ConcurrentHashMap<>();
  private volatile State state = State.RUNNING;

  private Pool(Builder b) throws IOException {
    this.connector = b.connector;
    this.defaults = b.defaults;
    this.configs = Map.copyOf(b.configs);
    this.listener = new GuardedListener(b.listener);
    this.maxPendingRequests = b.maxPendingRequests;
    this.clock = b.clock;
    this.opener = b.opener;
    this.selector = Selector.open();
  }

  /**
   * A builder with the defaults: {@link Mint}'s installed connector, {@link PoolConfig#defaults()}.
   */
  public static Builder builder() {
    return new Builder();
  }

  // ---- any thread ----

  /**
   * Submits a request whose response is collected in memory. The future completes inside a later
   * {@link #poll}: with the {@link Response}, or exceptionally with a {@link PoolException} (also
   * when the queue is full or the pool shut down). Cancelling the future cancels the request at the
   * next {@code poll} (see {@link ResponseHandler#isCancelled()}).
   */
  public CompletableFuture<Response> submit(Request request) {
    BufferedResponse handler =
        new BufferedResponse(config(request.origin()).maxResponseBodyBytes());
    try {
      submit(request, handler);
    } catch (PoolException e) {
      handler.onError(e);
    }
    return handler.future;
  }

  /**
   * Submits a request whose response goes to {@code handler} as it arrives, called inside {@link
   * #poll}.
   *
   * @throws PoolException {@link PoolException.Reason#QUEUE_FULL} when {@link
   *     Builder#maxPendingRequests(int)} requests already wait, {@link
   *     PoolException.Reason#SHUT_DOWN} after {@link #shutdown()} or {@link #close()}; the handler
   *     is not called then
   */
  public void submit(Request request, ResponseHandler handler) throws PoolException {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(handler, "handler");
    if (state != State.RUNNING) {
      throw new PoolException(PoolException.Reason.SHUT_DOWN, "the pool is " + state, false, null);
    }
    if (queued.incrementAndGet() > maxPendingRequests) {
      queued.decrementAndGet();
      throw new PoolException(
          PoolException.Reason.QUEUE_FULL,
          maxPendingRequests + " requests already wait for a connection (maxPendingRequests)",
          false,
          null);
    }
    PoolConfig config = config(request.origin());
    Duration timeout = request.timeout() == null ? config.requestTimeout() : request.timeout();
    long now = clock.getAsLong();
    Exchange ex = new Exchange(request, handler, now + timeout.toNanos());
    Runnable admit = () -> admit(ex);
    inbox.add(admit);
    if (state == State.CLOSED && inbox.remove(admit)) {
      releaseQueueSlot(ex);
      throw new PoolException(PoolException.Reason.SHUT_DOWN, "the pool is closed", false, null);
    }
    selector.wakeup();
  }

  /**
   * Stops taking requests; those submitted before go on. The driving thread keeps calling {@link
   * #poll} until {@link #isIdle()}, then {@link #close()}.
   */
  public void shutdown() {
    if (state == State.RUNNING) {
      state = State.SHUTTING_DOWN;
      selector.wakeup();
    }
  }

  /** Makes the thread in {@link #poll} look again at once (after a cancellation, say). */
  void wakeup() {
    selector.wakeup();
  }

  /** The counts of every origin the pool has seen. */
  public Map<Origin, PoolStats> stats() {
    Map<Origin, PoolStats> out = new LinkedHashMap<>();
    counters.forEach((origin, c) -> out.put(origin, c.snapshot()));
    return out;
  }

  /** The counts of one origin (all zero when the pool has not seen it). */
  public PoolStats stats(Origin origin) {
    OriginCounters c = counters.get(origin);
    return c == null ? new OriginCounters().snapshot() : c.snapshot();
  }

  /** The configuration that applies to {@code origin}. */
  public PoolConfig config(Origin origin) {
    return configs.getOrDefault(origin, defaults);
  }

  // ---- the driving thread ----

  /**
   * Does the pool's work: takes submitted requests, sends them, reads what the connections have,
   * opens and closes connections, and fails requests whose time is up. Waits at most {@code
   * timeout} for a connection to become ready (less when a deadline comes sooner, not at all when
   * work is waiting).
   *
   * @throws IllegalStateException when the pool is closed
   */
  public void poll(Duration timeout) {
    if (state == State.CLOSED) {
      throw new IllegalStateException("the pool is closed");
    }
    long now = clock.getAsLong();
    long next = work(now);
    long waitNanos = Math.min(timeout.toNanos(), next - now);
    try {
      if (!inbox.isEmpty() || waitNanos <= 0) {
        selector.selectNow();
      } else {
        selector.select(Math.max(1, (waitNanos + 999_999) / 1_000_000));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("the pool's selector failed", e);
    }
    now = clock.getAsLong();
    for (SelectionKey key : selector.selectedKeys()) {
      if (key.isValid()) { // a connection closed while handling an earlier key is skipped
        PooledConnection c = (PooledConnection) key.attachment();
        c.owner.drive(c, now);
      }
    }
    selector.selectedKeys().clear();
    work(clock.getAsLong());
  }

  /** Whether no request waits or is in flight (after {@link #shutdown()}: time to close). */
  public boolean isIdle() {
    if (!inbox.isEmpty()) {
      return false;
    }
    for (OriginPool o : origins.values()) {
      if (!o.isIdle()) {
        return false;
      }
    }
    return true;
  }

  /**
   * Closes every connection and fails what is still waiting or in flight with {@link
   * PoolException.Reason#SHUT_DOWN}. Call from the driving thread (or once it has stopped).
   * Idempotent.
   */
  @Override
  public void close() {
    if (state == State.CLOSED) {
      return;
    }
    state = State.CLOSED;
    drainInbox();
    for (OriginPool o : origins.values()) {
      o.closeAll("the pool is closed");
      o.updateGauges();
    }
    try {
      selector.close();
    } catch (IOException e) {
      LOG.debug("closing the selector failed", e);
    }
  }

  /**
   * Runs what was posted after {@link #close()} (connects that finished late): closes them, and
   * refreshes the gauges, which no later turn of the loop will (a connect counted as under way when
   * the pool closed would otherwise stay counted).
   */
  void drainInbox() {
    Runnable r;
    while ((r = inbox.poll()) != null) {
      r.run();
    }
    origins.values().forEach(OriginPool::updateGauges);
  }

  private long work(long now) {
    Runnable r;
    while ((r = inbox.poll()) != null) {
      r.run();
    }
    long next = Long.MAX_VALUE;
    for (OriginPool o : new ArrayList<>(origins.values())) {
      next = Math.min(next, o.expire(now));
      o.dispatch(now);
      o.updateGauges();
    }
    return next;
  }

  private void admit(Exchange ex) {
    if (state == State.CLOSED) {
      fail(
          null,
          ex,
          new PoolException(PoolException.Reason.SHUT_DOWN, "the pool is closed", false, null));
      return;
    }
    Origin origin = ex.request.origin();
    OriginPool o =
        origins.computeIfAbsent(
            origin,
            k ->
                new OriginPool(
                    this, k, config(k), counters.computeIfAbsent(k, x -> new OriginCounters())));
    o.enqueue(ex, clock.getAsLong(), false);
  }

  // ---- called by the origin pools ----

  PoolListener listener() {
    return listener;
  }

  boolean isClosed() {
    return state == State.CLOSED;
  }

  void open(OriginPool o, ConnectOptions options) {
    opener.open(
        connector,
        o.origin,
        options,
        (conn, error) -> {
          // After close, drainInbox() runs this (and closes the connection) once the threads
          // that connect have stopped.
          inbox.add(() -> o.connected(conn, error, clock.getAsLong()));
          selector.wakeup();
        });
  }

  SelectionKey register(SelectableChannel channel, int ops, PooledConnection c)
      throws ClosedChannelException {
    return channel.register(selector, ops, c);
  }

  void releaseQueueSlot(Exchange ex) {
    if (ex.holdsQueueSlot) {
      ex.holdsQueueSlot = false;
      queued.decrementAndGet();
    }
  }

  void complete(OriginPool o, Exchange ex) {
    if (ex.finished) {
      return;
    }
    ex.finished = true;
    releaseQueueSlot(ex);
    o.counters.completed.incrementAndGet();
    try {
      ex.handler.onComplete(ex.attempts);
    } catch (RuntimeException e) {
      LOG.warn("a response handler threw from onComplete", e);
    }
  }

  void fail(OriginPool o, Exchange ex, PoolException error) {
    if (ex.finished) {
      return;
    }
    ex.finished = true;
    releaseQueueSlot(ex);
    if (o != null) {
      o.counters.failed.incrementAndGet();
    }
    LOG.debug(
        "{} {} {} failed: {}",
        ex.request.origin(),
        ex.request.method(),
        ex.request.target(),
        error.getMessage());
    listener.requestFailed(ex.request, error);
    try {
      ex.handler.onError(error);
    } catch (RuntimeException e) {
      LOG.warn("a response handler threw from onError", e);
    }
  }

  /** Builds a {@link Pool}; not thread-safe. */
  public static final class Builder {
    private Connector connector = Mint::connect;
    private PoolConfig defaults = PoolConfig.defaults();
    private final Map<Origin, PoolConfig> configs = new HashMap<>();
    private PoolListener listener = new PoolListener() {};
    private int maxPendingRequests = 10_000;
    private LongSupplier clock = System::nanoTime;
    private ConnectionOpener opener = ConnectionOpener.INLINE;

    private Builder() {}

    /** Opens connections with {@code connector} instead of {@link Mint}'s installed one. */
    public Builder connector(Connector connector) {
      this.connector = Objects.requireNonNull(connector, "connector");
      return this;
    }

    /** The configuration of every origin without one of its own. */
    public Builder defaults(PoolConfig config) {
      this.defaults = Objects.requireNonNull(config, "config");
      return this;
    }

    /** The configuration of one origin. */
    public Builder origin(Origin origin, PoolConfig config) {
      configs.put(
          Objects.requireNonNull(origin, "origin"), Objects.requireNonNull(config, "config"));
      return this;
    }

    /** Receives connection and request events. */
    public Builder listener(PoolListener listener) {
      this.listener = Objects.requireNonNull(listener, "listener");
      return this;
    }

    /** The most requests waiting for a connection at once (default 10,000); at least 1. */
    public Builder maxPendingRequests(int max) {
      if (max < 1) {
        throw new IllegalArgumentException("maxPendingRequests must be positive: " + max);
      }
      this.maxPendingRequests = max;
      return this;
    }

    /** The source of time, in nanoseconds (tests). */
    Builder clock(LongSupplier nanos) {
      this.clock = Objects.requireNonNull(nanos, "nanos");
      return this;
    }

    /** How connections are opened ({@link MintClient} opens them on threads of its own). */
    Builder opener(ConnectionOpener opener) {
      this.opener = Objects.requireNonNull(opener, "opener");
      return this;
    }

    /**
     * The pool.
     *
     * @throws UncheckedIOException when no selector can be opened
     */
    public Pool build() {
      try {
        return new Pool(this);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot open a selector", e);
      }
    }
  }

  /** Calls a listener and logs, instead of passing on, what it throws. */
  private record GuardedListener(PoolListener inner) implements PoolListener {
    @Override
    public void connectionOpened(Origin origin, String connectionId, dev.mint.Protocol protocol) {
      guard(() -> inner.connectionOpened(origin, connectionId, protocol));
    }

    @Override
    public void connectFailed(Origin origin, Exception error) {
      guard(() -> inner.connectFailed(origin, error));
    }

    @Override
    public void connectionClosed(Origin origin, String connectionId, String why) {
      guard(() -> inner.connectionClosed(origin, connectionId, why));
    }

    @Override
    public void requestRetried(Request request, dev.mint.MintException error, int attempts) {
      guard(() -> inner.requestRetried(request, error, attempts));
    }

    @Override
    public void requestFailed(Request request, PoolException error) {
      guard(() -> inner.requestFailed(request, error));
    }

    private static void guard(Runnable call) {
      try {
        call.run();
      } catch (RuntimeException e) {
        LOG.warn("a pool listener threw", e);
      }
    }
  }
}
