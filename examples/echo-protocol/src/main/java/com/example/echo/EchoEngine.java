// SPDX-License-Identifier: Apache-2.0
package com.example.echo;

import dev.mint.Bytes;
import dev.mint.Headers;
import dev.mint.HttpException;
import dev.mint.HttpException.Reason;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.spi.ApiAccess;
import dev.mint.spi.OutputQueue;
import dev.mint.spi.ProtocolEngine;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/**
 * {@code x-echo/1}: the client sends a line, the server sends it back. A request is {@code
 * request("ECHO", line, Headers.empty(), RequestBody.none())}; its response is {@code Status 200},
 * empty {@code Headers}, the line as {@code Data}, then {@code Done}. Lines are answered in order.
 */
final class EchoEngine implements ProtocolEngine {
  static final Protocol PROTOCOL = Protocol.of("x-echo/1");

  /** The longest line either side sends: bounds the receive buffer. */
  static final int MAX_LINE = 1024;

  private final OutputQueue output = new OutputQueue();
  private final Deque<RequestRef> waiting = new ArrayDeque<>();
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private long sequence;
  private boolean closed;

  @Override
  public Protocol protocol() {
    return PROTOCOL;
  }

  @Override
  public RequestRef request(String method, String target, Headers headers, RequestBody body)
      throws HttpException {
    if (!method.equals("ECHO")) {
      throw HttpException.caller(Reason.INVALID_METHOD, "x-echo/1 knows only ECHO: " + method);
    }
    byte[] bytes = (target + "\n").getBytes(StandardCharsets.UTF_8);
    if (target.indexOf('\n') >= 0 || target.indexOf('\r') >= 0 || bytes.length > MAX_LINE) {
      throw HttpException.caller(Reason.INVALID_TARGET, "one line of at most 1023 bytes");
    }
    if (!headers.isEmpty() || body != RequestBody.none()) {
      throw HttpException.caller(Reason.INVALID_REQUEST_HEADER, "x-echo/1 has no headers, no body");
    }
    if (closed) {
      throw HttpException.caller(Reason.INVALID_STATE, "the connection is closing");
    }
    output.add(ByteBuffer.wrap(bytes));
    RequestRef ref = ApiAccess.newRequestRef(++sequence, target);
    waiting.add(ref);
    return ref;
  }

  @Override
  public void streamRequestBody(RequestRef ref, ByteBuffer chunk) throws HttpException {
    throw HttpException.caller(Reason.BODY_NOT_STREAMING, "x-echo/1 requests have no body");
  }

  @Override
  public void endRequestBody(RequestRef ref, Headers trailers) throws HttpException {
    throw HttpException.caller(Reason.BODY_NOT_STREAMING, "x-echo/1 requests have no body");
  }

  @Override
  public void receive(ByteBuffer in, List<ResponsePart> out) throws HttpException {
    while (in.hasRemaining()) {
      byte b = in.get();
      if (b != '\n') {
        if (line.size() == MAX_LINE) {
          throw fail(HttpException.peer(Reason.UNEXPECTED_DATA, "a line over 1024 bytes"));
        }
        line.write(b);
        continue;
      }
      RequestRef ref = waiting.poll();
      if (ref == null) {
        throw fail(HttpException.peer(Reason.UNEXPECTED_DATA, "a line nobody asked for"));
      }
      out.add(new ResponsePart.Status(ref, 200));
      out.add(new ResponsePart.Headers(ref, Headers.empty()));
      out.add(new ResponsePart.Data(ref, Bytes.of(line.toByteArray())));
      out.add(new ResponsePart.Done(ref));
      line.reset();
    }
  }

  @Override
  public void receiveEnd(boolean clean, List<ResponsePart> out) throws HttpException {
    closed = true;
    if (!waiting.isEmpty()) {
      throw fail(HttpException.peer(Reason.PREMATURE_CLOSE, waiting.size() + " not echoed"));
    }
  }

  @Override
  public void cancelRequest(RequestRef ref, List<ResponsePart> out) {
    // The line is on its way and its echo will come: the protocol cannot take it back. Answering
    // the next echo to the right request needs the reference, so it stays in the queue.
  }

  /** The lines queued and not yet taken. */
  OutputQueue output() {
    return output;
  }

  @Override
  public boolean hasOutput() {
    return !output.isEmpty();
  }

  @Override
  public long takeOutput(long max, List<ByteBuffer> out) {
    return output.take(max, out);
  }

  @Override
  public int openRequestCount() {
    return waiting.size();
  }

  @Override
  public boolean canSendRequests() {
    return !closed;
  }

  @Override
  public boolean isClosed() {
    return closed && waiting.isEmpty();
  }

  @Override
  public void close() {
    closed = true;
  }

  private HttpException fail(HttpException e) {
    closed = true;
    waiting.clear();
    return e;
  }
}
