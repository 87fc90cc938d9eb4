package dev.mint.bench;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
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
import java.util.List;

/**
 * Mint's side of the load comparison: one passive connection driven sequentially, and many active
 * connections driven by one selector on the calling thread. Mint starts no thread in either; every
 * byte moves inside a call this class makes.
 */
final class MintLoad {
  private static final String HOST = "127.0.0.1";
  private static final Duration RECV_TIMEOUT = Duration.ofSeconds(5);

  private MintLoad() {}

  private static ConnectOptions options(Mode mode) {
    return ConnectOptions.builder()
        .mode(mode)
        .protocols(Protocol.HTTP1)
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  /** Sends {@code settings.requests()} GETs one after another on one passive connection. */
  static Round passiveSequential(BenchServer server, LoadSettings settings) throws MintException {
    long[] latencies = new long[settings.requests()];
    try (HttpConnection conn =
        Mint.connect(Scheme.HTTP, HOST, server.port(), options(Mode.PASSIVE))) {
      AllocationMeter meter = AllocationMeter.start(server.threadId());
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
   * Sends {@code settings.requests()} GETs over {@code settings.connections()} active connections,
   * one request in flight on each (no pipelining), all driven by one selector on this thread.
   */
  static Round activeConcurrent(BenchServer server, LoadSettings settings) throws IOException {
    long[] latencies = new long[settings.requests()];
    List<Slot> slots = new ArrayList<>(settings.connections());
    try (Selector selector = Selector.open()) {
      for (int i = 0; i < settings.connections(); i++) {
        slots.add(new Slot(Mint.connect(Scheme.HTTP, HOST, server.port(), options(Mode.ACTIVE))));
      }
      AllocationMeter meter = AllocationMeter.start(server.threadId());
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
}
