// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import dev.mint.Headers;
import dev.mint.Http1Options;
import dev.mint.HttpException;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.TransportException;
import dev.mint.spi.EngineContext;
import dev.mint.spi.ForwardProxy;
import dev.mint.spi.OutputQueue;
import dev.mint.spi.ProtocolEngine;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Objects;

/**
 * The sans-I/O HTTP/1.1 engine (RFC 9112, RFC 9110): requests in, bytes out; bytes in, response
 * parts out. It never sees a socket; {@link dev.mint.spi.EngineConnection} moves its bytes.
 *
 * <p><b>Theory of operation.</b> Two halves share one {@link Pipeline}, the requests in flight in
 * order and the connection's lifecycle state: the send half ({@link RequestWriter}) validates,
 * frames and encodes requests; the receive half ({@link ResponseReader}) parses responses into
 * parts for the requests in order, so requests may be pipelined (RFC 9112 §9.3.2) up to {@link
 * Http1Options#maxPipelinedRequests()}.
 *
 * <p>The connection closes when a response or request says so ({@code connection: close}, HTTP/1.0
 * without keep-alive, a body delimited by the close), when the peer closes, on any
 * connection-scoped error, on {@link #cancelRequest} (HTTP/1.1 cannot abandon a response and keep
 * the connection), and on {@link #close()}. Requests still in flight when a close is not their own
 * get a {@link ResponsePart.RequestError} with {@link TransportException.Reason#CLOSED}, except
 * after a connection error, which the thrown exception reports for all of them.
 *
 * <p><b>Errors.</b> Each {@link HttpException.Reason} constant says, on its {@code HTTP/1.1:} line,
 * the fault and scope this engine gives it and when: that is the one list. A caller error of
 * request scope changed nothing and queued nothing. Once the engine is closed (its own close, a
 * connection error, the peer's close, a cancel), sending calls fail as caller errors of connection
 * scope, {@link #receive} discards what it is given, and no part follows. A peer error ends the
 * connection; the parts parsed before it are in the {@code out} list.
 *
 * <p>Through a forwarding proxy ({@link EngineContext#forwardProxy()}), targets are sent in
 * absolute-form ({@link RequestTarget#forProxy}), which also names the origin in {@code host}, and
 * the proxy's fields join each request ({@code withProxy}).
 *
 * <p>Confined to one thread at a time; it starts no thread and takes no lock. Left out: {@code
 * expect: 100-continue} waiting (the caller's to do), HTTP/0.9, request smuggling leniencies.
 */
public final class Http1Engine implements ProtocolEngine {
  private final Pipeline pipeline = new Pipeline();
  private final OutputQueue output;
  private final RequestWriter writer;
  private final ResponseReader reader;

  /** {@code scheme://authority} when requests go to a forwarding proxy, else null. */
  private final String proxiedOrigin;

  private final Headers proxyHeaders;

  /** An engine for the connection {@code context} describes, with a default output queue. */
  public Http1Engine(EngineContext context) {
    this(context, new OutputQueue());
  }

  /** An engine that queues its output in {@code output}. */
  public Http1Engine(EngineContext context, OutputQueue output) {
    Objects.requireNonNull(context, "context");
    this.output = Objects.requireNonNull(output, "output");
    Http1Options options = context.options().http1();
    this.writer =
        new RequestWriter(
            pipeline, output, options, context.authority(), context.options().userAgent());
    this.reader = new ResponseReader(pipeline, options);
    this.proxiedOrigin =
        context.forwardProxy().isEmpty()
            ? null
            : context.scheme().text() + "://" + RequestTarget.withoutZone(context.authority());
    this.proxyHeaders = context.forwardProxy().map(ForwardProxy::headers).orElse(Headers.empty());
  }

  @Override
  public Protocol protocol() {
    return Protocol.HTTP1;
  }

  @Override
  public RequestRef request(String method, String target, Headers headers, RequestBody body)
      throws HttpException {
    if (proxiedOrigin == null) {
      return writer.request(method, target, headers, body);
    }
    return writer.request(
        method, RequestTarget.forProxy(proxiedOrigin, method, target), withProxy(headers), body);
  }

  /** The request's fields, then the proxy's fields it does not set itself. */
  private Headers withProxy(Headers request) {
    Headers fields = request == null ? Headers.empty() : request;
    if (proxyHeaders.isEmpty()) {
      return fields;
    }
    Headers.Builder b = fields.toBuilder();
    for (int i = 0; i < proxyHeaders.size(); i++) {
      if (!fields.contains(proxyHeaders.name(i))) {
        b.add(proxyHeaders.name(i), proxyHeaders.value(i));
      }
    }
    return b.build();
  }

  @Override
  public void streamRequestBody(RequestRef ref, ByteBuffer chunk) throws HttpException {
    writer.streamBody(ref, chunk);
  }

  @Override
  public void endRequestBody(RequestRef ref, Headers trailers) throws HttpException {
    writer.endBody(ref, trailers);
  }

  @Override
  public void receive(ByteBuffer in, List<ResponsePart> out) throws HttpException {
    reader.receive(in, out);
  }

  @Override
  public void receiveEnd(boolean clean, List<ResponsePart> out) throws HttpException {
    reader.receiveEnd(clean, out);
  }

  /**
   * Closes the connection, because HTTP/1.1 cannot abandon one response and go on (RFC 9112 §9.6):
   * every other request in flight gets a {@link ResponsePart.RequestError} ({@link
   * TransportException.Reason#CLOSED}); the cancelled one gets no more parts. Queued bytes not yet
   * written are dropped. References not in flight (unknown, finished) are ignored.
   */
  @Override
  public void cancelRequest(RequestRef ref, List<ResponsePart> out) {
    if (!pipeline.holds(ref)) {
      return; // a closed engine holds none
    }
    pipeline.close(out, ref, "request not answered: connection closed by cancelRequest of " + ref);
    reader.closed();
    output.clear();
  }

  @Override
  public boolean hasOutput() {
    return !output.isEmpty();
  }

  /**
   * Hands over the encoded requests in order: header sections and streamed chunks (copied, and
   * bounded by the output queue's limit) and fixed bodies (referenced).
   */
  @Override
  public long takeOutput(long max, List<ByteBuffer> out) {
    return output.take(max, out);
  }

  /**
   * The bytes encoded and not yet taken by the shell, fixed bodies included; for diagnostics (a
   * peer that does not read shows here).
   */
  public long queuedBytes() {
    return output.size();
  }

  @Override
  public int openRequestCount() {
    return pipeline.size();
  }

  @Override
  public boolean canSendRequests() {
    return pipeline.canSend();
  }

  @Override
  public boolean isClosed() {
    return pipeline.isClosed();
  }

  /**
   * Closes at once: HTTP/1.1 has no goodbye message, so nothing is queued; requests in flight are
   * abandoned without parts (the caller closed them).
   */
  @Override
  public void close() {
    pipeline.abandon();
    reader.closed();
  }

  /** Bytes the receive half holds between calls: what a failed or idle engine keeps. */
  long retainedBytes() {
    return reader.retainedBytes();
  }

  @Override
  public String toString() {
    return "Http1Engine[%s, %d in flight, reading %s]"
        .formatted(pipeline.state(), pipeline.size(), reader.state());
  }
}
