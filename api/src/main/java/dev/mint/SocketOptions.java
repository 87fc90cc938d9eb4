// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Settings of the base TCP connection: how addresses are raced, and the socket options set on each
 * socket before it connects. Immutable; start from {@link #defaults()} and change with the {@code
 * with*} methods.
 *
 * <table>
 *   <caption>Options and defaults</caption>
 *   <tr><th>option</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@link #attemptDelay()}</td><td>250 ms</td><td>Happy Eyeballs (RFC 8305 §5): how long
 *       one connection attempt runs alone before the next address is tried beside it</td></tr>
 *   <tr><td>{@link #tcpNoDelay()}</td><td>on</td><td>{@code TCP_NODELAY}: Mint writes whole
 *       requests, so Nagle's algorithm would only delay the last segment</td></tr>
 *   <tr><td>{@link #keepAlive()}</td><td>off</td><td>{@code SO_KEEPALIVE}, with the system's
 *       probe timings</td></tr>
 *   <tr><td>{@link #receiveBufferSize()}</td><td>0: the system's</td><td>{@code SO_RCVBUF} in
 *       bytes; a hint the kernel may round</td></tr>
 *   <tr><td>{@link #sendBufferSize()}</td><td>0: the system's</td><td>{@code SO_SNDBUF} in bytes;
 *       a hint the kernel may round</td></tr>
 *   <tr><td>{@link #localAddress()}</td><td>none: the system picks</td><td>the local address to
 *       bind before connecting (any port); only addresses of its family are tried</td></tr>
 * </table>
 *
 * @param attemptDelay the Happy Eyeballs connection attempt delay; positive
 * @param tcpNoDelay whether {@code TCP_NODELAY} is set
 * @param keepAlive whether {@code SO_KEEPALIVE} is set
 * @param receiveBufferSize {@code SO_RCVBUF}, or 0 to leave the system's
 * @param sendBufferSize {@code SO_SNDBUF}, or 0 to leave the system's
 * @param localAddress the local address to bind, or empty
 */
public record SocketOptions(
    Duration attemptDelay,
    boolean tcpNoDelay,
    boolean keepAlive,
    int receiveBufferSize,
    int sendBufferSize,
    Optional<InetAddress> localAddress) {

  /**
   * The default connection attempt delay, 250 ms, as RFC 8305 §5 recommends (it allows 100 ms at
   * least and 2 s at most).
   */
  public static final Duration DEFAULT_ATTEMPT_DELAY = Duration.ofMillis(250);

  private static final SocketOptions DEFAULTS =
      new SocketOptions(DEFAULT_ATTEMPT_DELAY, true, false, 0, 0, Optional.empty());

  /** Checks every value. */
  public SocketOptions {
    Objects.requireNonNull(attemptDelay, "attemptDelay");
    if (attemptDelay.isNegative() || attemptDelay.isZero()) {
      throw new IllegalArgumentException("attemptDelay must be positive, was " + attemptDelay);
    }
    if (receiveBufferSize < 0 || sendBufferSize < 0) {
      throw new IllegalArgumentException(
          "buffer sizes must be 0 (the system's) or positive, were "
              + receiveBufferSize
              + " and "
              + sendBufferSize);
    }
    Objects.requireNonNull(localAddress, "localAddress");
  }

  /** The defaults listed in the class comment. */
  public static SocketOptions defaults() {
    return DEFAULTS;
  }

  /** These options with another Happy Eyeballs attempt delay. */
  public SocketOptions withAttemptDelay(Duration delay) {
    return new SocketOptions(
        delay, tcpNoDelay, keepAlive, receiveBufferSize, sendBufferSize, localAddress);
  }

  /** These options with {@code TCP_NODELAY} on or off. */
  public SocketOptions withTcpNoDelay(boolean on) {
    return new SocketOptions(
        attemptDelay, on, keepAlive, receiveBufferSize, sendBufferSize, localAddress);
  }

  /** These options with {@code SO_KEEPALIVE} on or off. */
  public SocketOptions withKeepAlive(boolean on) {
    return new SocketOptions(
        attemptDelay, tcpNoDelay, on, receiveBufferSize, sendBufferSize, localAddress);
  }

  /** These options with {@code SO_RCVBUF} and {@code SO_SNDBUF}; 0 leaves the system's. */
  public SocketOptions withBufferSizes(int receive, int send) {
    return new SocketOptions(attemptDelay, tcpNoDelay, keepAlive, receive, send, localAddress);
  }

  /** These options binding {@code address} (any port) before connecting; null binds nothing. */
  public SocketOptions withLocalAddress(InetAddress address) {
    return new SocketOptions(
        attemptDelay,
        tcpNoDelay,
        keepAlive,
        receiveBufferSize,
        sendBufferSize,
        Optional.ofNullable(address));
  }
}
