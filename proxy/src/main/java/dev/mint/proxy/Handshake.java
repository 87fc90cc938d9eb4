// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import dev.mint.ProxyResponse;
import dev.mint.TransportException;
import java.nio.ByteBuffer;

/**
 * A sans-I/O proxy handshake: it never sees a transport. It queues the bytes it wants sent ({@link
 * #output()}) and takes the proxy's bytes as they come ({@link #receive}), in pieces of any size;
 * {@link HandshakeDriver} moves the bytes. Each call ends in one of: {@link Progress#DONE} (the
 * tunnel is open), {@link Progress#SEND} (a message is queued: send it before going on), {@link
 * Progress#NEED_MORE} (every byte given was used; wait for more), or a {@link TransportException}
 * naming the failure. Used by one thread at a time; dead after a failure.
 */
interface Handshake {

  /** What a call to {@link #receive} achieved. */
  enum Progress {
    /** Every byte given was consumed and the handshake waits for more from the proxy. */
    NEED_MORE,
    /**
     * A reply is complete and the next message is queued in {@link #output()}: send it, then call
     * {@link #receive} again with what is left of the input. The handshake never reads a reply to a
     * message not yet handed out, so lock-step holds however the proxy's bytes were cut.
     */
    SEND,
    /**
     * The proxy's last reply is complete; the input buffer is positioned just after it, so what is
     * left there belongs to the tunnel (the origin's first bytes).
     */
    DONE
  }

  /**
   * The bytes queued for the proxy and not yet sent, in read mode; the caller sends them and
   * advances the buffer's position. Empty when nothing waits.
   */
  ByteBuffer output();

  /**
   * Consumes the proxy's bytes from {@code in} (read mode), up to the end of its last reply.
   *
   * @throws TransportException a specific {@code PROXY_*} or {@code SOCKS_*} reason, with the
   *     proxy's reply when it refused
   */
  Progress receive(ByteBuffer in) throws TransportException;

  /**
   * The proxy closed its side before the handshake ended.
   *
   * @throws TransportException always: {@link TransportException.Reason#PROXY_CLOSED}, or the more
   *     specific failure that the bytes received already show
   */
  void receiveEnd() throws TransportException;

  /**
   * The proxy's successful reply once {@link #receive} returned {@link Progress#DONE}; {@code null}
   * before.
   */
  ProxyResponse response();
}
