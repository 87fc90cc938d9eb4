package dev.mint.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The peer's side of the load comparison: {@link java.net.http.HttpClient} with HTTP/1.1 forced,
 * used the way its documentation shows: {@code send} one after another, and {@code sendAsync} with
 * a bounded number in flight. Its connection pool opens as many connections as requests are in
 * flight.
 *
 * <p>Bodies arrive through {@link HttpResponse.BodyHandlers#ofByteArrayConsumer}, one fresh array
 * per received piece: the same work as Mint's immutable {@code Data} parts, with no extra copy to
 * join the pieces.
 */
final class JdkLoad {
  private final HttpClient sequentialClient = client();
  private final HttpClient concurrentClient = client();
  private final HttpRequest request;

  /** Clients for the server on {@code port}; each keeps its pool for the whole run. */
  JdkLoad(int port) {
    this.request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).build();
  }

  private static HttpClient client() {
    return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  /** Counts the body bytes of one response. */
  private static final class BodyCounter implements Consumer<Optional<byte[]>> {
    long bytes;

    @Override
    public void accept(Optional<byte[]> piece) {
      piece.ifPresent(b -> bytes += b.length);
    }
  }

  /** Sends {@code settings.requests()} GETs one after another with {@code send}. */
  Round sequential(BenchServer server, LoadSettings settings)
      throws IOException, InterruptedException {
    long[] latencies = new long[settings.requests()];
    AllocationMeter meter = AllocationMeter.start(server.threadId());
    long start = System.nanoTime();
    long deadline = start + settings.roundLimit().toNanos();
    int done = 0;
    while (done < settings.requests() && System.nanoTime() - deadline < 0) {
      long sent = System.nanoTime();
      BodyCounter counter = new BodyCounter();
      HttpResponse<Void> response =
          sequentialClient.send(request, HttpResponse.BodyHandlers.ofByteArrayConsumer(counter));
      check(response, counter, settings);
      latencies[done++] = System.nanoTime() - sent;
    }
    long nanos = System.nanoTime() - start;
    return Round.measured(done, nanos, latencies, meter);
  }

  private static void check(HttpResponse<Void> response, BodyCounter body, LoadSettings settings) {
    if (response.statusCode() != 200 || body.bytes != settings.bodySize()) {
      throw new IllegalStateException(
          "wrong response: status " + response.statusCode() + ", " + body.bytes + " body bytes");
    }
  }

  /**
   * Sends {@code settings.requests()} GETs with {@code sendAsync}, at most {@code
   * settings.connections()} in flight.
   */
  Round concurrent(BenchServer server, LoadSettings settings) throws InterruptedException {
    int inFlight = settings.connections();
    long[] latencies = new long[settings.requests()];
    AtomicInteger done = new AtomicInteger();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    Semaphore permits = new Semaphore(inFlight);
    AllocationMeter meter = AllocationMeter.start(server.threadId());
    long start = System.nanoTime();
    long deadline = start + settings.roundLimit().toNanos();
    for (int i = 0; i < settings.requests() && failure.get() == null; i++) {
      long left = deadline - System.nanoTime();
      if (left <= 0 || !permits.tryAcquire(left, TimeUnit.NANOSECONDS)) {
        break;
      }
      long sent = System.nanoTime();
      BodyCounter counter = new BodyCounter();
      concurrentClient
          .sendAsync(request, HttpResponse.BodyHandlers.ofByteArrayConsumer(counter))
          .whenComplete(
              (response, error) -> {
                try {
                  if (error != null) {
                    failure.compareAndSet(null, error);
                  } else {
                    check(response, counter, settings);
                    // Slots are distinct; the final acquire of every permit publishes them.
                    latencies[done.getAndIncrement()] = System.nanoTime() - sent;
                  }
                } catch (RuntimeException e) {
                  failure.compareAndSet(null, e);
                } finally {
                  permits.release();
                }
              });
    }
    // Wait for the requests in flight, within a bounded grace period.
    if (!permits.tryAcquire(inFlight, 5, TimeUnit.SECONDS)) {
      throw new IllegalStateException("requests still in flight 5 s after the round ended");
    }
    long nanos = System.nanoTime() - start;
    permits.release(inFlight);
    if (failure.get() != null) {
      throw new IllegalStateException("a request failed", failure.get());
    }
    int completed = done.get();
    return Round.measured(completed, nanos, latencies, meter);
  }
}
