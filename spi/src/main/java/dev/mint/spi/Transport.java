// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import dev.mint.ProxyResponse;
import dev.mint.TransportException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * A connected, non-blocking byte pipe. A transport knows nothing of HTTP: TCP, TLS over another
 * transport, a proxy tunnel, or one a user plugs in.
 *
 * <p><b>Contract.</b> {@link #read} and {@link #write} never block. A transport is used by one
 * thread at a time (the connection's). Buffers passed in are borrowed for the call only. Every
 * failure is a {@link TransportException} with a specific reason; after one, the transport is
 * closed.
 *
 * <p><b>Layering.</b> A transport that wraps another (TLS, a proxy tunnel) reads and writes through
 * the inner one, reports the inner {@link #selectableChannel()}, and must keep {@link
 * #hasBufferedInput()} true while it holds input already read from the inner transport but not yet
 * returned by {@link #read} (decrypted records, or the bytes a handshake read past its own end), so
 * that a caller driven by a selector never leaves it stranded.
 */
public interface Transport extends AutoCloseable {

  /**
   * Reads into {@code dst} without blocking.
   *
   * @return the number of bytes read, 0 when none are available now, or -1 at end of stream
   */
  int read(ByteBuffer dst) throws TransportException;

  /**
   * Whether the last {@link #read} took all the input there was at that moment, so that reading
   * again at once would only return 0: a caller may then wait for readiness (its selector, or
   * {@link #awaitReady}) instead of spending a read on the answer "nothing yet". The connection
   * shell's {@code stream()} (active mode) ends a round of reads on it, saving one read system call
   * per round; a passive receive reads on to the 0 or -1, so that a peer's last bytes and its close
   * come back from one call.
   *
   * <p>True only when both hold as the read returns:
   *
   * <ul>
   *   <li>the source had nothing more: for a stream socket, the read filled less than the room it
   *       was offered (the kernel hands over what its receive buffer holds, up to the room), and
   *       what arrives later makes the channel readable again, since readiness is level-triggered;
   *   <li>the transport holds nothing {@link #read} could return ({@link #hasBufferedInput()} is
   *       false). A short read of plaintext says nothing about the socket (TLS keeps records and
   *       partial ciphertext), so a layer answers true only when its own last read of the layer
   *       below ended on that one's true answer, and it holds nothing itself.
   * </ul>
   *
   * An end of stream that follows the last bytes read is not held: the socket reports it as
   * readiness, and the next read returns -1. A transport that answers true must make sure that
   * every byte not yet returned is either reported by {@link #hasBufferedInput()} or makes the
   * channel (and {@link #awaitReady}) ready for reading; otherwise it would strand input until the
   * peer sends more.
   *
   * <p>Defaults to false, "not known": the caller then reads until a read returns 0 or -1, which is
   * right for every transport. Meaningful right after a read that returned more than 0.
   */
  default boolean lastReadDrained() {
    return false;
  }

  /**
   * The room a buffer passed to {@link #read} should have for the read to go straight into it: a
   * TLS transport decrypts a record only into room for the record's whole plaintext (else it must
   * decrypt into a buffer of its own and copy). The connection shell lends read buffers with at
   * least this much room ({@link ReadBuffers}). A layer that reads into the caller's buffer through
   * the transport below passes that one's answer on. Defaults to 1: any room will do.
   */
  default int minReadRoom() {
    return 1;
  }

  /**
   * Writes from {@code srcs} in order without blocking; may write only part (or none) of them.
   *
   * @return the number of bytes consumed from {@code srcs}
   */
  long write(ByteBuffer[] srcs) throws TransportException;

  /**
   * Pushes out bytes this transport holds internally (TLS records not yet sent).
   *
   * @return true when nothing remains held
   */
  default boolean flush() throws TransportException {
    return true;
  }

  /** Whether bytes are held internally that {@link #flush()} has not yet sent. */
  default boolean hasPendingOutput() {
    return false;
  }

  /**
   * Whether {@link #read} can return something without the socket becoming readable again: bytes
   * already decoded, a complete record not yet decoded, or an end of stream not yet reported. A
   * partial record does not count: it needs more bytes from the socket anyway, and counting it
   * would make a waiting caller spin.
   */
  default boolean hasBufferedInput() {
    return false;
  }

  /**
   * Blocks until the transport is ready for any of {@code ops} ({@link
   * java.nio.channels.SelectionKey#OP_READ}, {@code OP_WRITE}) or {@code timeout} passes. Used by
   * passive mode and by blocking steps such as connecting and handshaking.
   *
   * @return the ready subset of {@code ops}, or 0 on timeout
   */
  int awaitReady(int ops, Duration timeout) throws TransportException;

  /**
   * Releases what {@link #awaitReady} keeps between calls (a private selector the channel is
   * registered with), so that afterwards the channel is registered with no selector of this
   * transport's own; the next {@link #awaitReady} takes them again. The connection calls it when
   * switching modes, to tell the caller's registration apart from its own. A layer over another
   * transport passes the call on. Never throws.
   */
  default void releaseAwaitResources() {}

  /** The channel to register with a selector, when this transport has one. */
  Optional<SelectableChannel> selectableChannel();

  /** The ALPN protocol the peer selected, when this transport negotiated one. */
  default Optional<String> negotiatedProtocol() {
    return Optional.empty();
  }

  /**
   * The local address of the socket under this transport, when there is one. A layer over another
   * transport (TLS, a proxy tunnel) answers what its inner transport answers.
   */
  default Optional<SocketAddress> localAddress() {
    return Optional.empty();
  }

  /**
   * The address of the socket's peer, when there is one: the origin, or the proxy when the
   * connection goes through one (a tunnel's far end is not visible at this level). A layer over
   * another transport answers what its inner transport answers.
   */
  default Optional<SocketAddress> peerAddress() {
    return Optional.empty();
  }

  /** The TLS session, when this transport (or one it wraps) is TLS. */
  default Optional<SSLSession> sslSession() {
    return Optional.empty();
  }

  /**
   * Whether the peer ended its input cleanly, as far as this transport can tell; meaningful once
   * {@link #read} has returned -1. HTTP needs it to tell a body delimited by the end of the
   * connection from one cut short by an attacker who ended the TCP connection (RFC 9112 §9.8).
   *
   * <p>A TLS transport answers {@code true} only when the peer sent {@code close_notify} before the
   * end (RFC 8446 §6.1), and {@code false} when the inner transport ended without one (a possible
   * truncation) or before the end. A transport with no closure alerts (TCP) has nothing to wait for
   * and answers {@code true}, the default; a layer with no alerts of its own over another transport
   * (a tunnel) should answer what its inner transport answers.
   */
  default boolean peerClosedCleanly() {
    return true;
  }

  /**
   * The proxy's reply, when this transport is a proxy tunnel ({@code http-connect}, {@code socks5})
   * that opened over the transport below it. Layers above a tunnel need not pass it on: the {@link
   * TransportChain} takes it from the tunnel layer itself.
   */
  default Optional<ProxyResponse> proxyResponse() {
    return Optional.empty();
  }

  /** Whether the transport is open. */
  boolean isOpen();

  /**
   * Closes the transport (a TLS transport sends {@code close_notify} first); idempotent, never
   * throws.
   */
  @Override
  void close();
}
