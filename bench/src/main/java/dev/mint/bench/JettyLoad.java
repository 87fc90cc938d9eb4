// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpClientTransport;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;

/**
 * Jetty's side of the load comparisons: Jetty 12's {@link HttpClient}, used the way its
 * documentation shows: the blocking {@code send()} one after another, and {@code send(listener)}
 * with a bounded number in flight.
 *
 * <p>Over HTTP/1.1 ({@link HttpClientTransportOverHTTP}) its pool opens as many connections as
 * requests are in flight (at most {@code maxConnectionsPerDestination}, 64 by default). Over HTTP/2
 * ({@link HttpClientTransportOverHTTP2} on an {@link HTTP2Client}) an {@code http} URI means
 * cleartext with prior knowledge (RFC 9113 §3.3); the pool is bounded to one connection, on which
 * the client multiplexes the requests up to the server's SETTINGS_MAX_CONCURRENT_STREAMS and queues
 * the rest.
 *
 * <p>The client runs on its own threads (a selector and a pool, Jetty's defaults). The connection
 * idle timeout is raised to 10 minutes so that a pool stays open from one round to the next, as the
 * JDK client's does (its default keep-alive is 20 minutes).
 *
 * <p>Bodies: the concurrent client copies every received piece into a fresh array, the same work as
 * Mint's immutable {@code Data} parts and the JDK's {@code ofByteArrayConsumer}; the blocking
 * {@code send()} collects the body into one array, one copy as well.
 */
final class JettyLoad implements AutoCloseable {
  private final HttpVersion version;
  private final HttpClient sequentialClient;
  private final HttpClient concurrentClient;
  private final URI target;

  private JettyLoad(URI target, HttpVersion version) throws Exception {
    this.target = target;
    this.version = version;
    this.sequentialClient = start(version);
    this.concurrentClient = start(version);
  }

  /** Two started HTTP/1.1 clients (one per pattern) that GET {@code target}. */
  static JettyLoad http1(URI target) throws Exception {
    return new JettyLoad(target, HttpVersion.HTTP_1_1);
  }

  /** Two started HTTP/2 clients, cleartext with prior knowledge, that GET {@code target}. */
  static JettyLoad http2(URI target) throws Exception {
    return new JettyLoad(target, HttpVersion.HTTP_2);
  }

  private static HttpClient start(HttpVersion version) throws Exception {
    HttpClientTransport transport =
        version == HttpVersion.HTTP_2
            ? new HttpClientTransportOverHTTP2(new HTTP2Client())
            : new HttpClientTransportOverHTTP();
    HttpClient client = new HttpClient(transport);
    client.setIdleTimeout(TimeUnit.MINUTES.toMillis(10));
    if (version == HttpVersion.HTTP_2) {
      // One connection, like the other HTTP/2 clients. Without this bound, requests sent before
      // the server's SETTINGS arrive make the pool open more connections (13 in a trial run).
      client.setMaxConnectionsPerDestination(1);
    }
    client.start();
    return client;
  }

  /** Sends {@code settings.requests()} GETs one after another with the blocking {@code send()}. */
  Round sequential(LoadSettings settings)
      throws InterruptedException, TimeoutException, ExecutionException {
    long[] latencies = new long[settings.requests()];
    AllocationMeter meter = AllocationMeter.start();
    long start = System.nanoTime();
    long deadline = start + settings.roundLimit().toNanos();
    int done = 0;
    while (done < settings.requests() && System.nanoTime() - deadline < 0) {
      long sent = System.nanoTime();
      ContentResponse response = sequentialClient.newRequest(target).send();
      check(response, response.getContent().length, settings);
      latencies[done++] = System.nanoTime() - sent;
    }
    long nanos = System.nanoTime() - start;
    return Round.measured(done, nanos, latencies, meter);
  }

  private void check(Response response, long bodyBytes, LoadSettings settings) {
    if (response.getStatus() != 200
        || bodyBytes != settings.bodySize()
        || response.getVersion() != version) {
      throw new IllegalStateException(
          "wrong response: status "
              + response.getStatus()
              + ", "
              + bodyBytes
              + " body bytes, over "
              + response.getVersion());
    }
  }

  /** Copies every piece of a body into a fresh array and counts the bytes. */
  private static final class BodyCopier implements Response.ContentListener {
    long bytes;

    @Override
    public void onContent(Response response, ByteBuffer content) {
      byte[] piece = new byte[content.remaining()];
      content.get(piece);
      bytes += piece.length;
    }
  }

  /**
   * Sends {@code settings.requests()} GETs with {@code send(listener)}, at most {@code
   * settings.concurrency()} in flight.
   */
  Round concurrent(LoadSettings settings) throws InterruptedException {
    return InFlightRound.run(
        settings,
        pending -> {
          BodyCopier body = new BodyCopier();
          concurrentClient
              .newRequest(target)
              .onResponseContent(body)
              .send(
                  (Result result) -> {
                    if (result.isFailed()) {
                      pending.fail(result.getFailure());
                    } else {
                      pending.check(() -> check(result.getResponse(), body.bytes, settings));
                    }
                  });
        });
  }

  /**
   * Stops both clients and their threads.
   *
   * @throws IOException when a client fails to stop
   */
  @Override
  public void close() throws IOException {
    try {
      sequentialClient.stop();
      concurrentClient.stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while stopping Jetty's client", e);
    } catch (Exception e) {
      throw new IOException("Jetty's client did not stop", e);
    }
  }
}
