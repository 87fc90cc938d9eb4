// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.Http2Operations;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Mint's side of the load comparisons: one passive connection driven sequentially (HTTP/1.1 or
 * HTTP/2), many active HTTP/1.1 connections driven by one selector on the calling thread, and one
 * active HTTP/2 connection carrying many streams at once, driven the same way. Mint starts no
 * thread in any of them; every byte moves inside a call this class makes.
 *
 * <p>HTTP/2 is spoken over cleartext with prior knowledge (RFC 9113 §3.3): {@link Scheme#HTTP} with
 * {@link Protocol#HTTP2} as the only protocol allowed.
 */
final class MintLoad {
  private static final String HOST = "127.0.0.1";
  private static final Duration RECV_TIMEOUT = Duration.ofSeconds(5);

  private MintLoad() {}

  private static ConnectOptions options(Mode mode, Protocol protocol) {
    return ConnectOptions.builder()
        .mode(mode)
        .protocols(protocol)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** As {@link #options}, with writes batched: the requests opened together leave in one write. */
  private static ConnectOptions batched(Mode mode, Protocol protocol) {
    return options(mode, protocol).toBuilder().autoFlush(false).build();
  }

  /**
   * Sends {@code settings.requests()} GETs one after another on one passive connection to {@code
   * port} speaking {@code protocol}.
   */
  static Round passiveSequential(int port, Protocol protocol, LoadSettings settings)
      throws MintException {
    long[] latencies = new long[settings.requests()];
    try (HttpConnection conn =
        Mint.connect(Scheme.HTTP, HOST, port, options(Mode.PASSIVE, protocol))) {
      AllocationMeter meter = AllocationMeter.start();
      long start = System.nanoTime();
      long deadline = start + settings.roundLimit().toNanos();
      int done = 0;
      while (done < settings.requests() && System.nanoTime() - deadline < 0) {
        long sent = System.nanoTime();
        RequestRef ref = conn.request("GET", "/", Headers.empty(), RequestBody.none());
        long body = 0;
        boolean complete = false;
        while (!complete) {
          for (ResponsePart part : conn.recv(RECV_TIMEOUT)) {
            if (part instanceof ResponsePart.Data d) {
              body += d.bytes().length();
            } else if (part instanceof ResponsePart.Done) {
              complete = checkDone(part, ref, body, settings);
            } else if (part instanceof ResponsePart.RequestError e) {
              throw e.error();
            }
          }
        }
        latencies[done++] = System.nanoTime() - sent;
      }
      long nanos = System.nanoTime() - start;
      return Round.measured(done, nanos, latencies, meter);
    }
  }

  private static boolean checkDone(
      ResponsePart done, RequestRef ref, long body, LoadSettings settings) {
    if (done.ref() != ref || body != settings.bodySize()) {
      throw new IllegalStateException(
          "wrong response: " + body + " body bytes for " + done.ref() + ", expected " + ref);
    }
    return true;
  }

  /** One active connection with at most one request in flight. */
  private static final class Slot {
    final HttpConnection conn;
    RequestRef ref;
    long sent;
    long body;

    Slot(HttpConnection conn) {
      this.conn = conn;
    }

    void send() throws MintException {
      sent = System.nanoTime();
      body = 0;
      ref = conn.request("GET", "/", Headers.empty(), RequestBody.none());
    }
  }

  /**
   * Sends {@code settings.requests()} GETs over {@code settings.concurrency()} active HTTP/1.1
   * connections to {@code port}, one request in flight on each (no pipelining), all driven by one
   * selector on this thread.
   */
  static Round activeConcurrent(int port, LoadSettings settings) throws IOException {
    long[] latencies = new long[settings.requests()];
    List<Slot> slots = new ArrayList<>(settings.concurrency());
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < settings.concurrency(); i++) {
        slots.add(
            new Slot(Mint.connect(Scheme.HTTP, HOST, port, options(Mode.ACTIVE, Protocol.HTTP1))));
      }
      AllocationMeter meter = AllocationMeter.start();
      long start = System.nanoTime();
      long deadline = start + settings.roundLimit().toNanos();
      int issued = 0;
      for (Slot slot : slots) {
        if (issued < settings.requests()) {
          slot.send();
          issued++;
        }
        slot.conn
            .selectableChannel()
            .orElseThrow()
            .register(selector, slot.conn.interestOps(), slot);
      }
      int done = 0;
      // The in-flight requests may finish after the deadline; give them a bounded grace period.
      long hardStop = deadline + RECV_TIMEOUT.toNanos();
      while (done < issued && System.nanoTime() - hardStop < 0) {
        selector.select(100);
        for (SelectionKey key : selector.selectedKeys()) {
          Slot slot = (Slot) key.attachment();
          for (int i = 0; i < 8; i++) { // bounded: buffered input asks to be called again at once
            for (ResponsePart part : slot.conn.stream()) {
              if (part instanceof ResponsePart.Data d) {
                slot.body += d.bytes().length();
              } else if (part instanceof ResponsePart.Done) {
                checkDone(part, slot.ref, slot.body, settings);
                long now = System.nanoTime();
                latencies[done++] = now - slot.sent;
                if (issued < settings.requests() && now - deadline < 0) {
                  slot.send();
                  issued++;
                }
              } else if (part instanceof ResponsePart.RequestError e) {
                throw e.error();
              }
            }
            if (!slot.conn.hasBufferedInput()) {
              break;
            }
          }
          key.interestOps(slot.conn.interestOps());
        }
        selector.selectedKeys().clear();
      }
      long nanos = System.nanoTime() - start;
      if (done < issued) {
        throw new IllegalStateException((issued - done) + " requests never completed");
      }
      return Round.measured(done, nanos, latencies, meter);
    } finally {
      for (Slot slot : slots) {
        slot.conn.close();
      }
    }
  }

  /** One HTTP/2 request in flight: when it was sent and the body bytes received so far. */
  private static final class Pending {
    final long sent;
    long body;

    Pending(long sent) {
      this.sent = sent;
    }
  }

  /**
   * Sends {@code settings.requests()} GETs on one active HTTP/2 connection to {@code port}, with at
   * most {@code settings.concurrency()} streams open at once and never more than the server's
   * SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113 §5.1.2), all driven by one selector on this thread. A
   * new stream opens as soon as one completes. Writes are batched ({@link
   * ConnectOptions#autoFlush()} off): the streams opened in one round leave in one write.
   */
  static Round activeMultiplexed(int port, LoadSettings settings) throws IOException {
    long[] latencies = new long[settings.requests()];
    Map<RequestRef, Pending> pending = new IdentityHashMap<>();
    try (HttpConnection conn =
            Mint.connect(Scheme.HTTP, HOST, port, batched(Mode.ACTIVE, Protocol.HTTP2));
        Selector selector = Selector.open()) {
      SelectionKey key =
          conn.selectableChannel().orElseThrow().register(selector, conn.interestOps());
      Http2Operations h2 = conn.http2().orElseThrow();
      // The limit is known once the server's SETTINGS arrive; wait for them before the clock.
      long settingsDeadline = System.nanoTime() + RECV_TIMEOUT.toNanos();
      while (!h2.serverSettingsReceived()) {
        if (System.nanoTime() - settingsDeadline >= 0) {
          throw new IllegalStateException("no SETTINGS from the server within " + RECV_TIMEOUT);
        }
        selector.select(100);
        selector.selectedKeys().clear();
        conn.stream();
        key.interestOps(conn.interestOps());
      }
      int limit = (int) Math.min(settings.concurrency(), h2.maxConcurrentStreams());

      AllocationMeter meter = AllocationMeter.start();
      long start = System.nanoTime();
      long deadline = start + settings.roundLimit().toNanos();
      // The streams in flight may finish after the deadline; give them a bounded grace period.
      long hardStop = deadline + RECV_TIMEOUT.toNanos();
      int issued = 0;
      int done = 0;
      while (System.nanoTime() - hardStop < 0) {
        long now = System.nanoTime();
        while (issued < settings.requests() && now - deadline < 0 && h2.openStreamCount() < limit) {
          RequestRef ref = conn.request("GET", "/", Headers.empty(), RequestBody.none());
          pending.put(ref, new Pending(now));
          issued++;
        }
        conn.flush();
        if (pending.isEmpty()) {
          break; // every request issued has completed, and no more will be issued
        }
        if (!conn.hasBufferedInput()) {
          selector.select(100);
          selector.selectedKeys().clear();
        }
        for (ResponsePart part : conn.stream()) {
          if (part instanceof ResponsePart.Data d) {
            pending.get(d.ref()).body += d.bytes().length();
          } else if (part instanceof ResponsePart.Done) {
            Pending p = pending.remove(part.ref());
            checkDone(part, part.ref(), p.body, settings);
            latencies[done++] = System.nanoTime() - p.sent;
          } else if (part instanceof ResponsePart.RequestError e) {
            throw e.error();
          }
        }
        key.interestOps(conn.interestOps());
      }
      long nanos = System.nanoTime() - start;
      if (!pending.isEmpty()) {
        throw new IllegalStateException(pending.size() + " requests never completed");
      }
      return Round.measured(done, nanos, latencies, meter);
    }
  }
}
