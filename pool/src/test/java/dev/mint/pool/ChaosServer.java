// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.ErrorCode;
import org.eclipse.jetty.http2.HTTP2Session;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.api.server.ServerSessionListener;
import org.eclipse.jetty.http2.frames.DataFrame;
import org.eclipse.jetty.http2.frames.GoAwayFrame;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.PingFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.http2.frames.SettingsFrame;
import org.eclipse.jetty.http2.server.RawHTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * An embedded Jetty 12 server on 127.0.0.1 that misbehaves on request, for the pool's chaos tests:
 * HTTP/1.1 (a plain handler; idle connections closed after {@code idleTimeoutMillis}) or cleartext
 * HTTP/2 with prior knowledge (Jetty's raw HTTP/2 API, so that streams can be refused, GOAWAY sent
 * and SETTINGS changed mid-load). Every request is answered with its path as the body; requests
 * carrying {@code x-id} are counted by id when processed (a refused stream is not processed).
 */
final class ChaosServer implements AutoCloseable {
  private final boolean http2;
  private final long idleTimeoutMillis;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "chaos-timer");
            t.setDaemon(true);
            return t;
          });
  private Server server;
  private ServerConnector connector;
  private int port;

  final Map<String, AtomicInteger> processedById = new ConcurrentHashMap<>();
  final AtomicInteger processed = new AtomicInteger();
  final AtomicInteger refused = new AtomicInteger();
  final AtomicInteger active = new AtomicInteger();
  final AtomicInteger maxActive = new AtomicInteger();
  final AtomicInteger goAways = new AtomicInteger();

  /**
   * HTTP/2: the PING replies received. {@link #lowerMaxConcurrentStreams} sends a PING behind its
   * SETTINGS; a client processes frames in order, so its reply tells that it applied the SETTINGS.
   */
  final AtomicInteger pingReplies = new AtomicInteger();

  private final Set<Session> sessions = ConcurrentHashMap.newKeySet();

  /** The fraction of HTTP/2 streams refused with REFUSED_STREAM, at random. */
  volatile double refuseFraction;

  /** HTTP/2: a session is shut down gracefully (GOAWAY) after this many processed streams. */
  volatile int goAwayAfter = Integer.MAX_VALUE;

  /** HTTP/2: streams beyond this many at once are refused (the limit the server enforces). */
  volatile int enforcedLimit = Integer.MAX_VALUE;

  /** How long each answer is held back. */
  volatile long delayMillis;

  /**
   * HTTP/2: the first session to process this many streams sends GOAWAY at once, naming the stream
   * just processed as its last (streams it took are still answered, unless {@link
   * #silentAfterGoAway}); once per server.
   */
  volatile int goAwayOnceAtStream = Integer.MAX_VALUE;

  /**
   * HTTP/2: the session that sent the GOAWAY of {@link #goAwayOnceAtStream} answers none of its
   * streams and keeps its connection open: a server gone silent.
   */
  volatile boolean silentAfterGoAway;

  private final AtomicBoolean goAwayOnceSent = new AtomicBoolean();

  ChaosServer(boolean http2, int maxConcurrentStreams, long idleTimeoutMillis) throws Exception {
    this.http2 = http2;
    this.idleTimeoutMillis = idleTimeoutMillis;
    start(0, maxConcurrentStreams);
  }

  private void start(int onPort, int maxConcurrentStreams) throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(200, 4);
    threads.setName("chaos-jetty");
    threads.setDaemon(true);
    server = new Server(threads);
    server.setStopTimeout(500);
    if (http2) {
      RawHTTP2ServerConnectionFactory h2 =
          new RawHTTP2ServerConnectionFactory(new HttpConfiguration(), new Sessions(), "h2c");
      h2.setMaxConcurrentStreams(maxConcurrentStreams);
      connector = new ServerConnector(server, 1, 1, h2);
    } else {
      connector = new ServerConnector(server, 1, 1, new HttpConnectionFactory());
      server.setHandler(new Http1Handler());
    }
    connector.setHost("127.0.0.1");
    connector.setPort(onPort);
    connector.setReuseAddress(true);
    connector.setIdleTimeout(idleTimeoutMillis);
    server.addConnector(connector);
    server.start();
    port = connector.getLocalPort();
  }

  int port() {
    return port;
  }

  /** Stops the server (closing every connection), and starts it again on the same port. */
  void restart(long downMillis, int maxConcurrentStreams) throws Exception {
    stopJetty();
    sessions.clear();
    Thread.sleep(downMillis);
    start(port, maxConcurrentStreams);
  }

  /**
   * HTTP/2: sends every open session a SETTINGS frame lowering MAX_CONCURRENT_STREAMS, then a PING
   * (see {@link #pingReplies}).
   */
  void lowerMaxConcurrentStreams(int max) {
    enforcedLimit = max;
    for (Session s : sessions) {
      s.settings(
          new SettingsFrame(Map.of(SettingsFrame.MAX_CONCURRENT_STREAMS, max), false),
          Callback.NOOP);
      s.ping(new PingFrame(false), Callback.NOOP);
    }
  }

  int timesProcessed(String id) {
    AtomicInteger n = processedById.get(id);
    return n == null ? 0 : n.get();
  }

  private void count(String id) {
    processed.incrementAndGet();
    if (id != null) {
      processedById.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
    }
  }

  private void begin() {
    maxActive.accumulateAndGet(active.incrementAndGet(), Math::max);
  }

  @Override
  public void close() {
    timer.shutdownNow();
    try {
      stopJetty();
      timer.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (Exception e) {
      throw new IllegalStateException("stopping Jetty failed", e);
    }
  }

  /**
   * Stops Jetty: gracefully for at most its stop timeout, then closing every connection left. When
   * requests outlive the graceful part (an answer held back, a stream ignored after GOAWAY), Jetty
   * closes them anyway and then throws a {@link TimeoutException}: the server is stopped all the
   * same, so a restart goes on (taken for a failure, it left the server down for the rest of a
   * run).
   */
  private void stopJetty() throws Exception {
    try {
      server.stop();
    } catch (TimeoutException e) {
      // the graceful part ran out; every connection is closed
    }
  }

  /** Opens every open connection count, for the leak check: the connector's endpoints. */
  int openConnections() {
    return connector.getConnectedEndPoints().size();
  }

  private final class Http1Handler extends Handler.Abstract {
    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      String id = request.getHeaders().get("x-id");
      Content.Source.consumeAll(request);
      count(id);
      begin();
      byte[] body = request.getHttpURI().getPath().getBytes(StandardCharsets.US_ASCII);
      response.setStatus(200);
      response.getHeaders().put("content-length", String.valueOf(body.length));
      Runnable answer =
          () -> {
            active.decrementAndGet();
            response.write(true, ByteBuffer.wrap(body), callback);
          };
      if (delayMillis > 0) {
        timer.schedule(answer, delayMillis, TimeUnit.MILLISECONDS);
      } else {
        answer.run();
      }
      return true;
    }
  }

  /** What one HTTP/2 session has processed, and the last stream of its GOAWAY (or -1). */
  private static final class SessionState {
    int maxProcessed;
    int processed;
    int answered;
    int goAwayLast = -1;
    boolean silent;
  }

  private final class Sessions implements ServerSessionListener {
    private final Map<Session, SessionState> states = new ConcurrentHashMap<>();

    @Override
    public void onAccept(Session session) {
      sessions.add(session);
    }

    @Override
    public void onPing(Session session, PingFrame frame) {
      if (frame.isReply()) {
        pingReplies.incrementAndGet();
      }
    }

    @Override
    public Stream.Listener onNewStream(Stream stream, HeadersFrame frame) {
      MetaData.Request request = (MetaData.Request) frame.getMetaData();
      SessionState state = state(stream.getSession());
      synchronized (state) {
        if (state.goAwayLast >= 0 && stream.getId() > state.goAwayLast) {
          // Above the GOAWAY's last stream: never processed (RFC 9113 §6.8). Refused rather than
          // left open, which would hold the graceful close; the GOAWAY is queued before this.
          stream.reset(
              new ResetFrame(stream.getId(), ErrorCode.REFUSED_STREAM_ERROR.code), Callback.NOOP);
          return null;
        }
        boolean refuse =
            active.get() >= enforcedLimit
                || (refuseFraction > 0
                    && ThreadLocalRandom.current().nextDouble() < refuseFraction);
        if (refuse) {
          refused.incrementAndGet();
          stream.reset(
              new ResetFrame(stream.getId(), ErrorCode.REFUSED_STREAM_ERROR.code), Callback.NOOP);
          return null;
        }
        state.maxProcessed = Math.max(state.maxProcessed, stream.getId());
        state.processed++;
      }
      goAwayOnceAt(stream.getSession(), state);
      String id = request.getHttpFields().get("x-id");
      String path = request.getHttpURI().getPath();
      count(id);
      begin();
      if (frame.isEndStream()) {
        answerLater(stream, path);
        return null;
      }
      stream.demand();
      return new Stream.Listener() {
        @Override
        public void onDataAvailable(Stream s) {
          while (true) {
            Stream.Data data = s.readData();
            if (data == null) {
              s.demand();
              return;
            }
            data.release();
            if (data.frame().isEndStream()) {
              answerLater(s, path);
              return;
            }
          }
        }
      };
    }

    /**
     * Sends GOAWAY once a session answered {@link #goAwayAfter} streams, naming the highest stream
     * processed so far: streams above it are not processed.
     */
    private void afterAnswer(Session session) {
      SessionState state = state(session);
      synchronized (state) {
        state.answered++;
        if (state.answered != goAwayAfter) {
          return;
        }
        state.goAwayLast = state.maxProcessed;
        sendGoAway(session, state);
      }
    }

    /** The GOAWAY of {@link #goAwayOnceAtStream}, naming the stream just processed as the last. */
    private void goAwayOnceAt(Session session, SessionState state) {
      synchronized (state) {
        if (state.processed != goAwayOnceAtStream || !goAwayOnceSent.compareAndSet(false, true)) {
          return;
        }
        state.goAwayLast = state.maxProcessed;
        state.silent = silentAfterGoAway;
        sendGoAway(session, state);
      }
    }

    /**
     * Queues the GOAWAY under the session state's lock, in which {@link #onNewStream} also refuses
     * a stream above its last: that refusal can only be queued after the GOAWAY (Jetty writes its
     * frames in the order queued, PINGs aside), so the client learns of the GOAWAY first.
     *
     * <p>The frame is queued as a plain frame, and Jetty's own graceful close ({@link
     * HTTP2Session#goAway}, which sends it again: a repeated GOAWAY with the same last stream is
     * allowed) starts only once it is written. Jetty's {@code goAway} marks the session closed
     * under its lock but queues the frame after releasing it; in between, a stream above the last
     * is dropped without reaching {@link #onNewStream}, and its DATA is answered with RST_STREAM
     * (STREAM_CLOSED) queued ahead of the GOAWAY: a reset the client cannot tell from one of a
     * processed stream.
     */
    private void sendGoAway(Session session, SessionState state) {
      goAways.incrementAndGet();
      HTTP2Session h2 = (HTTP2Session) session;
      GoAwayFrame goAway = new GoAwayFrame(state.goAwayLast, ErrorCode.NO_ERROR.code, null);
      h2.frames(null, List.of(goAway), Callback.from(() -> h2.goAway(goAway, Callback.NOOP)));
    }

    private SessionState state(Session session) {
      return states.computeIfAbsent(session, k -> new SessionState());
    }

    private void answerLater(Stream stream, String path) {
      if (delayMillis > 0) {
        timer.schedule(() -> answer(stream, path), delayMillis, TimeUnit.MILLISECONDS);
      } else {
        answer(stream, path);
      }
    }

    private void answer(Stream stream, String path) {
      SessionState state = state(stream.getSession());
      synchronized (state) {
        if (state.silent) {
          return; // gone silent: neither an answer nor a close
        }
      }
      byte[] body = path.getBytes(StandardCharsets.US_ASCII);
      MetaData.Response response =
          new MetaData.Response(200, null, HttpVersion.HTTP_2, HttpFields.build(), body.length);
      // Counted as done before the last frame goes out: the client may start another stream as
      // soon as it arrives, before this thread is told the write completed.
      Callback done = Callback.from(() -> afterAnswer(stream.getSession()), x -> {});
      stream.headers(
          new HeadersFrame(stream.getId(), response, null, false),
          Callback.from(
              () -> {
                active.decrementAndGet();
                stream.data(new DataFrame(stream.getId(), ByteBuffer.wrap(body), true), done);
              },
              x -> active.decrementAndGet()));
    }
  }
}
