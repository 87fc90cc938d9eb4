// SPDX-License-Identifier: Apache-2.0
package dev.mint.pool;

import dev.mint.ConnectOptions;
import dev.mint.Connector;
import dev.mint.HttpConnection;
import java.util.function.BiConsumer;

/**
 * Opens connections for the pool. {@link #INLINE} connects on the thread driving the pool (a
 * caller-driven pool starts no thread, so its loop waits for each connect, within the connect
 * timeout); {@link MintClient} opens them on threads of its own so that its loop never waits.
 */
interface ConnectionOpener {

  /** Connects on the calling thread. */
  ConnectionOpener INLINE =
      (connector, origin, options, done) -> {
        HttpConnection conn;
        try {
          conn = connector.connect(origin.scheme(), origin.host(), origin.port(), options);
        } catch (Exception e) {
          done.accept(null, e);
          return;
        }
        done.accept(conn, null);
      };

  /**
   * Opens a connection to {@code origin} and calls {@code done} with it, or with the error, exactly
   * once, on any thread.
   */
  void open(
      Connector connector,
      Origin origin,
      ConnectOptions options,
      BiConsumer<HttpConnection, Exception> done);
}
