// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.Flow;

/**
 * The JDK's {@link HttpClient} under load through {@code sendAsync}: its selector thread reads and
 * parses, the common pool completes. The body is counted by a subscriber as it arrives, not
 * collected. The JDK has no HTTP/2 prior-knowledge mode (it upgrades from HTTP/1.1, which nginx's
 * h2c port does not take), so it does not run {@link Workload.Wire#H2C}.
 */
final class JdkLoadClient implements LoadClient {
  private final Target target;
  private final HttpClient client;
  private final HttpRequest request;

  JdkLoadClient(Target target) throws Exception {
    this.target = target;
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(
                target.workload().wire().http2()
                    ? HttpClient.Version.HTTP_2
                    : HttpClient.Version.HTTP_1_1);
    if (target.workload().wire().tls()) {
      builder.sslContext(Trust.of(target.caPem()).context());
    }
    this.client = builder.build();
    this.request = HttpRequest.newBuilder(target.uri()).GET().build();
  }

  /** Whether the JDK client can run {@code workload}. */
  static boolean supports(Workload workload) {
    return workload.wire() != Workload.Wire.H2C;
  }

  @Override
  public void run(long deadlineNanos, Recorder recorder) throws InterruptedException {
    InFlightLoop.run(
        (slot, done) ->
            client
                .sendAsync(request, info -> new Counter())
                .whenComplete(
                    (response, error) -> {
                      if (error != null) {
                        done.failed(error);
                      } else {
                        done.complete(response.statusCode(), response.body());
                      }
                    }),
        target.workload().inFlight(),
        deadlineNanos,
        recorder);
  }

  /** Counts the body's bytes as they arrive. */
  private static final class Counter implements HttpResponse.BodySubscriber<Long> {
    private final java.util.concurrent.CompletableFuture<Long> result =
        new java.util.concurrent.CompletableFuture<>();
    private long bytes;

    @Override
    public java.util.concurrent.CompletionStage<Long> getBody() {
      return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      subscription.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
      for (ByteBuffer b : items) {
        bytes += b.remaining();
      }
    }

    @Override
    public void onError(Throwable throwable) {
      result.completeExceptionally(throwable);
    }

    @Override
    public void onComplete() {
      result.complete(bytes);
    }
  }

  @Override
  public void stop() {
    // HttpClient gained close() in JDK 21; on 17 its threads end when it is unreachable.
  }
}
