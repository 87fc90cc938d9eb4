// SPDX-License-Identifier: Apache-2.0
package dev.mint;

/**
 * How a connection receives bytes.
 *
 * <ul>
 *   <li>{@link #ACTIVE}: the caller registers the connection's channel with its own {@link
 *       java.nio.channels.Selector} and calls {@link HttpConnection#stream()} when it is ready.
 *       Nothing blocks; writes that do not complete stay queued and go out on a later call.
 *   <li>{@link #PASSIVE}: the caller calls {@link HttpConnection#recv(java.time.Duration)}, which
 *       blocks the calling thread (a virtual thread works well) until parts arrive or the timeout
 *       passes. Writes block until done or the write timeout passes.
 * </ul>
 *
 * A connection starts in the mode of {@link ConnectOptions#mode()}; {@link HttpConnection#setMode}
 * switches it later.
 */
public enum Mode {
  /** Caller-selected readiness; non-blocking. */
  ACTIVE,
  /** Blocking receive with a timeout. */
  PASSIVE
}
