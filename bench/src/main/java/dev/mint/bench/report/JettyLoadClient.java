// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * Jetty 12's {@link HttpClient} under load through {@code send(listener)}: its selector and pool
 * threads do the work; the body is counted by a content listener, not kept. The pool is bounded to
 * the workload's connection count.
 */
final class JettyLoadClient implements LoadClient {
  private final Target target;
  private final HttpClient client;

  JettyLoadClient(Target target) throws Exception {
    this.target = target;
    Workload workload = target.workload();
    ClientConnector connector = new ClientConnector();
    if (workload.wire().tls()) {
      SslContextFactory.Client tls = new SslContextFactory.Client();
      tls.setTrustStore(Trust.of(target.caPem()).store());
      connector.setSslContextFactory(tls);
    }
    HttpClientTransport transport =
        workload.wire().http2()
            ? new HttpClientTransportOverHTTP2(new HTTP2Client(connector))
            : new HttpClientTransportOverHTTP(connector);
    client = new HttpClient(transport);
    client.setMaxConnectionsPerDestination(workload.connections());
    client.setIdleTimeout(TimeUnit.MINUTES.toMillis(10));
    client.start();
  }

  @Override
  public void run(long deadlineNanos, Recorder recorder) throws InterruptedException {
    InFlightLoop.run(
        (slot, done) -> {
          AtomicLong bytes = new AtomicLong();
          client
              .newRequest(target.uri())
              .timeout(30, TimeUnit.SECONDS)
              .onResponseContent((response, content) -> bytes.addAndGet(content.remaining()))
              .send(
                  result -> {
                    if (result.isFailed()) {
                      done.failed(result.getFailure());
                    } else {
                      done.complete(result.getResponse().getStatus(), bytes.get());
                    }
                  });
        },
        target.workload().inFlight(),
        deadlineNanos,
        recorder);
  }

  @Override
  public void stop() throws Exception {
    client.stop();
  }
}
