// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * OkHttp under load through {@code enqueue}: its dispatcher runs each call on a pool thread, which
 * reads the body (counted through a reused array, not kept). Thread-per-call is OkHttp's design: it
 * has no event-loop mode. HTTP/2 over cleartext uses its prior-knowledge protocol.
 */
final class OkHttpLoadClient implements LoadClient {
  private final Target target;
  private final OkHttpClient client;
  private final Request request;

  OkHttpLoadClient(Target target) throws Exception {
    this.target = target;
    Workload workload = target.workload();
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(workload.inFlight());
    dispatcher.setMaxRequestsPerHost(workload.inFlight());
    OkHttpClient.Builder builder =
        new OkHttpClient.Builder()
            .dispatcher(dispatcher)
            .connectionPool(new ConnectionPool(workload.connections() * 2, 10, TimeUnit.MINUTES))
            .readTimeout(30, TimeUnit.SECONDS)
            .retryOnConnectionFailure(false);
    switch (workload.wire()) {
      case H1, H1_TLS -> builder.protocols(List.of(Protocol.HTTP_1_1));
      case H2C -> builder.protocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
      case H2_TLS -> builder.protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
    }
    if (workload.wire().tls()) {
      Trust trust = Trust.of(target.caPem());
      builder.sslSocketFactory(trust.context().getSocketFactory(), trust.trustManager());
    }
    this.client = builder.build();
    this.request = new Request.Builder().url(target.uri().toString()).build();
  }

  @Override
  public void run(long deadlineNanos, Recorder recorder) throws InterruptedException {
    InFlightLoop.run(
        (slot, done) ->
            client
                .newCall(request)
                .enqueue(
                    new Callback() {
                      @Override
                      public void onFailure(Call call, IOException e) {
                        done.failed(e);
                      }

                      @Override
                      public void onResponse(Call call, Response response) {
                        long bytes = 0;
                        byte[] scratch = SCRATCH.get();
                        try (ResponseBody body = response.body();
                            InputStream in = body.byteStream()) {
                          for (int n; (n = in.read(scratch)) != -1; ) {
                            bytes += n;
                          }
                        } catch (IOException e) {
                          done.failed(e);
                          return;
                        }
                        done.complete(response.code(), bytes);
                      }
                    }),
        target.workload().inFlight(),
        deadlineNanos,
        recorder);
  }

  /** A read buffer per dispatcher thread. */
  private static final ThreadLocal<byte[]> SCRATCH = ThreadLocal.withInitial(() -> new byte[16384]);

  @Override
  public void stop() {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }
}
