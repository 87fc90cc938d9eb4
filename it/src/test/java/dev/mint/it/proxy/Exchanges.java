// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.proxy;

import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mode;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.it.h2.Responses;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Requests made on connections that went through a proxy, and their responses received either way
 * Mint offers: {@code recv} in passive mode, or {@code stream()} driven by one {@link Selector} in
 * active mode. A selector loop calls {@code stream()} whenever {@link
 * HttpConnection#hasBufferedInput()} is true, since a tunnel may hold the origin's first bytes read
 * with the proxy's reply.
 */
final class Exchanges {
  /** How long every exchange of a test may take. */
  static final Duration WAIT = Duration.ofSeconds(20);

  private Exchanges() {}

  /**
   * One {@code GET} per target, all sent before the first response is read (pipelined over
   * HTTP/1.1, multiplexed over HTTP/2), received as {@code mode} says.
   *
   * @return the responses in the order of {@code targets}; none has failed
   */
  static List<Responses.Received> getAll(Mode mode, HttpConnection conn, List<String> targets)
      throws IOException {
    Responses responses = new Responses(true);
    List<RequestRef> refs = new ArrayList<>();
    for (String target : targets) {
      refs.add(responses.expect(conn.request("GET", target, Headers.empty(), RequestBody.none())));
    }
    receive(mode, conn, responses);
    List<Responses.Received> out = new ArrayList<>();
    for (RequestRef ref : refs) {
      out.add(responses.get(ref).ok());
    }
    return out;
  }

  /** Receives until every request {@code responses} expects has ended, as {@code mode} says. */
  static void receive(Mode mode, HttpConnection conn, Responses responses) throws IOException {
    if (mode == Mode.PASSIVE) {
      responses.awaitAll(conn, WAIT);
    } else {
      select(Map.of(conn, responses));
    }
  }

  /** One {@code GET}, received as {@code mode} says; its response may be any status. */
  static Responses.Received get(Mode mode, HttpConnection conn, String target) throws IOException {
    return getAll(mode, conn, List.of(target)).get(0);
  }

  /**
   * Active mode: drives every connection with one selector until each one's responses are all done.
   */
  static void select(Map<HttpConnection, Responses> connections) throws IOException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Map<HttpConnection, SelectionKey> keys = new LinkedHashMap<>();
    try (Selector selector = Selector.open()) {
      for (HttpConnection conn : connections.keySet()) {
        SelectionKey key =
            conn.selectableChannel().orElseThrow().register(selector, conn.interestOps(), conn);
        keys.put(conn, key);
      }
      while (!connections.values().stream().allMatch(Responses::allDone)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("not every response within " + WAIT);
        }
        boolean buffered = connections.keySet().stream().anyMatch(HttpConnection::hasBufferedInput);
        if (buffered) {
          selector.selectNow();
        } else {
          selector.select(100);
        }
        Set<Object> ready = new HashSet<>();
        for (SelectionKey key : selector.selectedKeys()) {
          ready.add(key.attachment());
        }
        selector.selectedKeys().clear();
        for (Map.Entry<HttpConnection, Responses> e : connections.entrySet()) {
          HttpConnection conn = e.getKey();
          if (!e.getValue().allDone() && (ready.contains(conn) || conn.hasBufferedInput())) {
            e.getValue().accept(conn.stream());
            SelectionKey key = keys.get(conn);
            if (key.isValid()) { // a proxy that closes after a response cancels it (tinyproxy)
              key.interestOps(conn.interestOps());
            }
          }
        }
      }
    }
  }
}
