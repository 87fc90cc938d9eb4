// SPDX-License-Identifier: Apache-2.0
package dev.mint.testing;

/**
 * Picks the response to each request, in place of the queue of {@link MockServer#enqueue}.
 *
 * <p>It is called on the thread that reads the request's connection, one request after another per
 * connection, and on several threads at once when several connections are open: it must be
 * thread-safe. While it runs, its connection reads nothing more (on HTTP/2, no other stream of that
 * connection progresses), so a dispatcher should not block for long. An exception it throws is
 * answered with status 500 and its message.
 */
@FunctionalInterface
public interface Dispatcher {
  /** The response to {@code request}; never null. */
  MockResponse dispatch(RecordedRequest request) throws Exception;
}
