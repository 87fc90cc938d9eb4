// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.AbstractBinResponseConsumer;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.ssl.TlsStrategy;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.http2.config.H2Config;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.Timeout;

/**
 * Apache HttpClient 5's asynchronous client under load, on one I/O reactor thread: the pool is
 * bounded to the workload's connection count, HTTP/2 is forced for the HTTP/2 wires (prior
 * knowledge over cleartext, ALPN h2 over TLS), and the body is counted by a streaming consumer, not
 * kept. Its HTTP/2 stream receive window is Mint's default, 4 MiB.
 */
final class ApacheLoadClient implements LoadClient {
  private final Target target;
  private final CloseableHttpAsyncClient client;

  ApacheLoadClient(Target target) throws Exception {
    this.target = target;
    Workload workload = target.workload();
    PoolingAsyncClientConnectionManagerBuilder pool =
        PoolingAsyncClientConnectionManagerBuilder.create()
            .setMaxConnTotal(workload.connections())
            .setMaxConnPerRoute(workload.connections());
    if (workload.wire().tls()) {
      TlsStrategy tls =
          ClientTlsStrategyBuilder.create()
              .setSslContext(Trust.of(target.caPem()).context())
              .buildAsync();
      pool.setTlsStrategy(tls);
    }
    pool.setDefaultTlsConfig(
        org.apache.hc.client5.http.config.TlsConfig.custom()
            .setVersionPolicy(
                workload.wire().http2()
                    ? HttpVersionPolicy.FORCE_HTTP_2
                    : HttpVersionPolicy.FORCE_HTTP_1)
            .build());
    client =
        HttpAsyncClients.custom()
            .setConnectionManager(pool.build())
            // Mint's default stream receive window (Apache's is 64 KiB).
            .setH2Config(H2Config.custom().setInitialWindowSize(4 << 20).build())
            .setIOReactorConfig(
                IOReactorConfig.custom()
                    .setIoThreadCount(1)
                    .setSoTimeout(Timeout.ofSeconds(30))
                    .build())
            .build();
    client.start();
  }

  @Override
  public void run(long deadlineNanos, Recorder recorder) throws InterruptedException {
    InFlightLoop.run(
        (slot, done) ->
            client.execute(
                SimpleRequestProducer.create(SimpleRequestBuilder.get(target.uri()).build()),
                new Counter(),
                new FutureCallback<long[]>() {
                  @Override
                  public void completed(long[] result) {
                    done.complete((int) result[0], result[1]);
                  }

                  @Override
                  public void failed(Exception ex) {
                    done.failed(ex);
                  }

                  @Override
                  public void cancelled() {
                    done.failed(new IOException("cancelled"));
                  }
                }),
        target.workload().inFlight(),
        deadlineNanos,
        recorder);
  }

  /** Counts the body as it arrives; its result is {status, body bytes}. */
  private static final class Counter extends AbstractBinResponseConsumer<long[]> {
    private int status;
    private long bytes;

    @Override
    protected void start(HttpResponse response, ContentType contentType) {
      status = response.getCode();
    }

    @Override
    protected int capacityIncrement() {
      return 65536;
    }

    @Override
    protected void data(ByteBuffer src, boolean endOfStream) {
      bytes += src.remaining();
      src.position(src.limit());
    }

    @Override
    protected long[] buildResult() {
      return new long[] {status, bytes};
    }

    @Override
    public void releaseResources() {}
  }

  @Override
  public void stop() {
    client.close(CloseMode.GRACEFUL);
    // The reactor thread ends within a second of a graceful close.
    try {
      client.awaitShutdown(org.apache.hc.core5.util.TimeValue.of(1, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
