// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import dev.mint.Headers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A thread-safe HTTP client: a {@link Pool} run on threads of its own, called from any number of
 * threads.
 *
 * <pre>{@code
 * try (MintClient client = MintClient.builder().build()) {
 *   Response response = client.send(Request.get("http://127.0.0.1:8080/"));
 *   System.out.println(response.status() + " " + response.body().utf8());
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link #send} blocks the calling thread until the response is complete: cheap on a virtual
 *       thread (Java 21), which parks instead of holding a platform thread.
 *   <li>{@link #sendAsync} returns a {@link CompletableFuture}, completed on the pool's thread:
 *       dependent stages given no executor run there too, so keep them short or pass an executor.
 *   <li>{@link #stream} returns once the status and header fields arrived, with the body as an
 *       {@link java.io.InputStream}.
 * </ul>
 *
 * <h2>Threads</h2>
 *
 * Every thread the client runs comes from the {@link ThreadFactory} given to {@link
 * Builder#threadFactory}: one per pool that drives it (its {@link java.nio.channels.Selector} loop;
 * one pool unless {@link Builder#loops(int)} says more), and up to {@link
 * Builder#connectThreads(int)} that open connections (connect, TLS handshake) so that the loop
 * never waits for one; those end after 30 s without work. The default factory makes daemon platform
 * threads named {@code mint-pool-N}.
 *
 * <h2>Timeouts and limits</h2>
 *
 * Request, checkout and idle timeouts, connection lifetime and retries are the {@link PoolConfig}'s
 * of each origin; the connect timeout is its {@link dev.mint.ConnectOptions#connectTimeout()}. The
 * wait queue holds at most {@link Pool.Builder#maxPendingRequests(int)} requests; one more fails at
 * once with {@link PoolException.Reason#QUEUE_FULL}.
 *
 * <h2>Shutdown</h2>
 *
 * {@link #close()} is graceful: it refuses new requests, lets those submitted finish within the
 * grace period ({@link Builder#shutdownGrace(Duration)}, default 30 s), then closes every
 * connection, fails what is left with {@link PoolException.Reason#SHUT_DOWN}, and waits for its
 * threads to end.
 */
public final class MintClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(MintClient.class);
  private static final AtomicInteger THREADS = new AtomicInteger();

  private final List<Pool> pools;
  private final AtomicInteger nextPool = new AtomicInteger();
  private final CountDownLatch loopsEnded;
  private final ExecutorService connectThreads;
  private final long streamBufferBytes;
  private final Duration shutdownGrace;
  private final CountDownLatch terminated = new CountDownLatch(1);
  private volatile long shutdownDeadline;
  private volatile boolean shuttingDown;

  private MintClient(Builder b) {
    this.streamBufferBytes = b.streamBufferBytes;
    this.shutdownGrace = b.shutdownGrace;
    ThreadPoolExecutor connects =
        new ThreadPoolExecutor(
            b.connectThreads,
            b.connectThreads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            b.threadFactory);
    connects.allowCoreThreadTimeOut(true);
    this.connectThreads = connects;
    ConnectionOpener opener =
        (connector, origin, options, done) ->
            connects.execute(() -> ConnectionOpener.INLINE.open(connector, origin, options, done));
    List<Pool> built = new ArrayList<>();
    for (int i = 0; i < b.loops; i++) {
      built.add(b.pool.opener(opener).build());
    }
    this.pools = List.copyOf(built);
    this.loopsEnded = new CountDownLatch(pools.size());
    for (Pool pool : pools) {
      b.threadFactory.newThread(() -> run(pool)).start();
    }
  }

  /** The pool that takes the next request: each in turn. */
  private Pool pool() {
    return pools.size() == 1
        ? pools.get(0)
        : pools.get(Math.floorMod(nextPool.getAndIncrement(), pools.size()));
  }

  /** A builder with the defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** A client with every default. */
  public static MintClient create() {
    return builder().build();
  }

  /**
   * Sends a request and waits for the complete response.
   *
   * @throws PoolException why the request failed (see {@link PoolException.Reason})
   * @throws InterruptedException when the calling thread is interrupted while waiting; the request
   *     is cancelled
   */
  public Response send(Request request) throws PoolException, InterruptedException {
    Pool pool = pool();
    CompletableFuture<Response> future = pool.submit(request);
    try {
      return future.get();
    } catch (ExecutionException e) {
      throw asPoolException(e.getCause());
    } catch (InterruptedException e) {
      future.cancel(false);
      pool.wakeup();
      throw e;
    }
  }

  /**
   * Sends a request; the future completes with the response, or exceptionally with a {@link
   * PoolException}. Cancelling the future cancels the request.
   */
  public CompletableFuture<Response> sendAsync(Request request) {
    return pool().submit(request);
  }

  /**
   * Sends a request and returns once its status and header fields arrived; the body is read from
   * the returned response as it comes.
   *
   * @throws PoolException why the request failed before its header fields arrived
   * @throws InterruptedException when interrupted while waiting
   */
  public StreamedResponse stream(Request request) throws PoolException, InterruptedException {
    StreamedResponse.Body body = new StreamedResponse.Body(streamBufferBytes);
    CompletableFuture<StreamedResponse> head = new CompletableFuture<>();
    pool()
        .submit(
            request,
            new ResponseHandler() {
              @Override
              public void onResponse(int status, Headers headers) {
                head.complete(new StreamedResponse(status, headers, body));
              }

              @Override
              public void onData(dev.mint.Bytes bytes) throws PoolException {
                body.offer(bytes);
              }

              private Headers trailers = Headers.empty();

              @Override
              public void onTrailers(Headers fields) {
                trailers = fields;
              }

              @Override
              public void onComplete(int attempts) {
                body.end(trailers);
              }

              @Override
              public void onError(PoolException error) {
                if (!head.completeExceptionally(error)) {
                  body.fail(error);
                }
              }

              @Override
              public boolean isCancelled() {
                return body.isClosedEarly();
              }
            });
    try {
      return head.get();
    } catch (ExecutionException e) {
      throw asPoolException(e.getCause());
    }
  }

  /** The counts of every origin, summed over the loops. */
  public Map<Origin, PoolStats> stats() {
    Map<Origin, PoolStats> sum = new LinkedHashMap<>();
    for (Pool pool : pools) {
      pool.stats().forEach((origin, stats) -> sum.merge(origin, stats, PoolStats::plus));
    }
    return sum;
  }

  /** The counts of one origin, summed over the loops. */
  public PoolStats stats(Origin origin) {
    PoolStats sum = null;
    for (Pool pool : pools) {
      PoolStats stats = pool.stats(origin);
      sum = sum == null ? stats : sum.plus(stats);
    }
    return sum;
  }

  /**
   * Graceful shutdown: refuses new requests, lets those submitted finish within the grace period,
   * then closes everything and waits for the client's threads to end. Idempotent.
   */
  @Override
  public void close() {
    if (!shuttingDown) {
      shutdownDeadline = System.nanoTime() + shutdownGrace.toNanos();
      shuttingDown = true;
      pools.forEach(Pool::shutdown);
    }
    boolean interrupted = false;
    while (true) {
      try {
        terminated.await();
        break;
      } catch (InterruptedException e) {
        interrupted = true;
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /** Whether {@link #close()} finished: every connection closed and every thread ended. */
  public boolean isTerminated() {
    return terminated.getCount() == 0;
  }

  /** One loop: drives its pool until shutdown, then closes it; the last loop to end cleans up. */
  private void run(Pool pool) {
    try {
      while (!(shuttingDown && (pool.isIdle() || System.nanoTime() - shutdownDeadline >= 0))) {
        try {
          pool.poll(Duration.ofMillis(200));
        } catch (RuntimeException e) {
          LOG.error("the pool's loop failed; closing", e);
          break;
        }
      }
    } finally {
      pool.close();
      loopsEnded.countDown();
      if (loopsEnded.getCount() == 0) {
        finish();
      }
    }
  }

  /** After every loop ended: waits for the connects under way, and closes what they opened. */
  private void finish() {
    connectThreads.shutdown();
    try {
      if (!connectThreads.awaitTermination(5, TimeUnit.MINUTES)) {
        LOG.warn("threads opening connections did not end");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pools.forEach(Pool::drainInbox);
    terminated.countDown();
  }

  private static PoolException asPoolException(Throwable t) {
    if (t instanceof PoolException p) {
      return p;
    }
    return new PoolException(PoolException.Reason.HANDLER_FAILED, String.valueOf(t), true, t);
  }

  /** Builds a {@link MintClient}; not thread-safe. */
  public static final class Builder {
    private Pool.Builder pool = Pool.builder();
    private ThreadFactory threadFactory =
        r -> {
          Thread t = new Thread(r, "mint-pool-" + THREADS.incrementAndGet());
          t.setDaemon(true);
          return t;
        };
    private int connectThreads = 4;
    private int loops = 1;
    private long streamBufferBytes = 8L << 20;
    private Duration shutdownGrace = Duration.ofSeconds(30);

    private Builder() {}

    /** The pool's settings: connector, per-origin configuration, listener, queue bound. */
    public Builder pool(Pool.Builder pool) {
      this.pool = Objects.requireNonNull(pool, "pool");
      return this;
    }

    /**
     * Where the client's threads come from (default: daemon platform threads named {@code
     * mint-pool-N}).
     */
    public Builder threadFactory(ThreadFactory factory) {
      this.threadFactory = Objects.requireNonNull(factory, "factory");
      return this;
    }

    /** The most connects under way at once (default 4); at least 1. */
    public Builder connectThreads(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("connectThreads must be positive: " + count);
      }
      this.connectThreads = count;
      return this;
    }

    /**
     * How many pools the client runs, each with its own thread, {@code Selector} and connections
     * (default 1; as Finch's pool count): requests go to each in turn, so that more than one core
     * drives the network. Connection limits are per pool: {@link PoolConfig#maxHttp1Connections()}
     * connections per origin in each, for instance. At least 1.
     */
    public Builder loops(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("loops must be positive: " + count);
      }
      this.loops = count;
      return this;
    }

    /** The body bytes a {@link StreamedResponse} holds ahead of its reader (default 8 MiB). */
    public Builder streamBufferBytes(long bytes) {
      if (bytes < 1) {
        throw new IllegalArgumentException("streamBufferBytes must be positive: " + bytes);
      }
      this.streamBufferBytes = bytes;
      return this;
    }

    /** How long {@link #close()} lets submitted requests finish (default 30 s). */
    public Builder shutdownGrace(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("shutdownGrace must not be negative: " + grace);
      }
      this.shutdownGrace = grace;
      return this;
    }

    /** The client, its threads started. */
    public MintClient build() {
      return new MintClient(this);
    }
  }
}
