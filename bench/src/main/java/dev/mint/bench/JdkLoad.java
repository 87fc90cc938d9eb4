// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The JDK's side of the load comparisons: {@link java.net.http.HttpClient} with one version forced,
 * used the way its documentation shows: {@code send} one after another, and {@code sendAsync} with
 * a bounded number in flight. Over HTTP/1.1 its connection pool opens as many connections as
 * requests are in flight; over HTTP/2 it multiplexes them on one connection.
 *
 * <p>HTTP/2 over cleartext: the JDK client has no prior-knowledge mode. With {@link
 * HttpClient.Version#HTTP_2} and an {@code http} URI it sends its first request as HTTP/1.1 with
 * {@code Upgrade: h2c} (RFC 7540 §3.2; the mechanism RFC 9113 §3.1 deprecates) and, when the server
 * switches, keeps the connection as HTTP/2 for the requests that follow. {@link #prime} makes that
 * first exchange before any round, and every response is checked to have come over the version
 * asked for.
 *
 * <p>Bodies arrive through {@link HttpResponse.BodyHandlers#ofByteArrayConsumer}, one fresh array
 * per received piece: the same work as Mint's immutable {@code Data} parts, with no extra copy to
 * join the pieces.
 */
final class JdkLoad {
  private final HttpClient.Version version;
  private final HttpClient sequentialClient;
  private final HttpClient concurrentClient;
  private final HttpRequest request;

  /**
   * Two clients (one per pattern, each keeping its pool for the whole run) that GET {@code target}
   * over {@code version}.
   */
  JdkLoad(URI target, HttpClient.Version version) {
    this.version = version;
    this.sequentialClient = HttpClient.newBuilder().version(version).build();
    this.concurrentClient = HttpClient.newBuilder().version(version).build();
    this.request = HttpRequest.newBuilder(target).build();
  }

  /**
   * Sends one request with each client, so that both hold an upgraded connection before the first
   * round (see the class documentation), and returns the versions the responses came over.
   */
  String prime() throws IOException, InterruptedException {
    StringBuilder versions = new StringBuilder();
    for (HttpClient client : new HttpClient[] {sequentialClient, concurrentClient}) {
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      versions.append(versions.length() == 0 ? "" : ", ").append(response.version());
    }
    return versions.toString();
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
  Round sequential(LoadSettings settings) throws IOException, InterruptedException {
    long[] latencies = new long[settings.requests()];
    AllocationMeter meter = AllocationMeter.start();
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

  private void check(HttpResponse<Void> response, BodyCounter body, LoadSettings settings) {
    if (response.statusCode() != 200
        || body.bytes != settings.bodySize()
        || response.version() != version) {
      throw new IllegalStateException(
          "wrong response: status "
              + response.statusCode()
              + ", "
              + body.bytes
              + " body bytes, over "
              + response.version());
    }
  }

  /**
   * Sends {@code settings.requests()} GETs with {@code sendAsync}, at most {@code
   * settings.concurrency()} in flight.
   */
  Round concurrent(LoadSettings settings) throws InterruptedException {
    return InFlightRound.run(
        settings,
        pending -> {
          BodyCounter counter = new BodyCounter();
          concurrentClient
              .sendAsync(request, HttpResponse.BodyHandlers.ofByteArrayConsumer(counter))
              .whenComplete(
                  (response, error) -> {
                    if (error != null) {
                      pending.fail(error);
                    } else {
                      pending.check(() -> check(response, counter, settings));
                    }
                  });
        });
  }
}
