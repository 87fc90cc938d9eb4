// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import dev.mint.Bytes;
import dev.mint.Headers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;

/** Collects a response in memory, up to a bound, and completes a future with it. */
final class BufferedResponse implements ResponseHandler {
  final CompletableFuture<Response> future = new CompletableFuture<>();
  private final long maxBytes;
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private int status;
  private Headers headers = Headers.empty();
  private Headers trailers = Headers.empty();

  BufferedResponse(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public void onResponse(int code, Headers fields) {
    status = code;
    headers = fields;
  }

  @Override
  public void onData(Bytes bytes) throws PoolException {
    if (body.size() + (long) bytes.length() > maxBytes) {
      throw new PoolException(
          PoolException.Reason.BODY_TOO_LARGE,
          "the response body exceeds maxResponseBodyBytes " + maxBytes,
          true,
          null);
    }
    try {
      bytes.writeTo(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream never throws
    }
  }

  @Override
  public void onTrailers(Headers fields) {
    trailers = fields;
  }

  @Override
  public void onComplete(int attempts) {
    future.complete(
        new Response(status, headers, Bytes.of(body.toByteArray()), trailers, attempts));
  }

  @Override
  public void onError(PoolException error) {
    future.completeExceptionally(error);
  }

  /** Cancelling the future cancels the request. */
  @Override
  public boolean isCancelled() {
    return future.isCancelled();
  }
}
