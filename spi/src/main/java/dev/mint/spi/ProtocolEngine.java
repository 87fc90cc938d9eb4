// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import dev.mint.Headers;
import dev.mint.Http2Operations;
import dev.mint.HttpException;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;

/**
 * A sans-I/O protocol engine: it never sees a socket. It takes received bytes in and gives response
 * parts out, and holds the bytes it wants written until the shell takes them ({@link #takeOutput})
 * when the transport can take them: output is pulled, never pushed. The connection shell ({@link
 * EngineConnection}) moves bytes between an engine and a {@link Transport}.
 *
 * <p><b>Contract.</b> Confined to one thread at a time. Every method either completes or throws an
 * {@link HttpException}:
 *
 * <ul>
 *   <li>caller fault, request scope: the engine's state is unchanged and nothing was queued;
 *   <li>connection scope: the engine is closed; parts parsed before the failure are already in the
 *       {@code out} list the caller passed, and any goodbye bytes (HTTP/2 GOAWAY) are queued.
 * </ul>
 *
 * <p>{@link #receive} consumes every remaining byte of its input, keeping what it cannot parse yet
 * in bounded internal buffers; running out of bytes is never an error.
 */
public interface ProtocolEngine {

  /** The protocol this engine speaks. */
  Protocol protocol();

  /** Validates and queues a request; see {@link dev.mint.HttpConnection#request}. */
  RequestRef request(String method, String target, Headers headers, RequestBody body)
      throws HttpException;

  /**
   * Queues a chunk of a streaming body (or tunnel bytes), consuming {@code chunk}'s remaining
   * bytes.
   */
  void streamRequestBody(RequestRef ref, ByteBuffer chunk) throws HttpException;

  /** Ends a streaming body, with trailers when the framing allows them. */
  void endRequestBody(RequestRef ref, Headers trailers) throws HttpException;

  /**
   * Parses received bytes, appending the parts completed to {@code out}. Consumes all of {@code
   * in}'s remaining bytes.
   *
   * <p><b>The input buffer is borrowed for this call.</b> The shell passes a buffer lent for one
   * read ({@link ReadBuffers}) and lends it again afterwards, so an engine keeps no reference to
   * {@code in} or its array once this method returns, and copies what it holds between calls. The
   * one exception is a body chunk handed out in a part: the engine makes it with {@link
   * ReadBuffers#bodyChunk}, which returns a view of the array when {@code in} is a lent buffer and
   * the chunk is large ({@link ReadBuffers#MIN_VIEW} bytes or more), and an exact copy otherwise,
   * and which tells the lender never to write those bytes again. Small chunks are therefore copied
   * (a 100-byte body does not pin a 64 KiB array), large ones leave the engine in the array they
   * were read or decrypted into. When the caller asked for borrowed bodies ({@link
   * dev.mint.ConnectOptions#borrowBodies()}) every chunk of a lent buffer is a view, of any length,
   * valid until the caller's next receiving call; the engine does the same either way, and must
   * therefore put a chunk only into a part of {@code out}, never keep it past this call.
   */
  void receive(ByteBuffer in, List<ResponsePart> out) throws HttpException;

  /**
   * The peer closed its side: completes what a close completes (a read-until-close body), and fails
   * what it leaves incomplete by throwing.
   *
   * @param clean what {@link Transport#peerClosedCleanly()} said: {@code false} when the end may be
   *     a truncation (TLS without {@code close_notify}), which must not complete a message that
   *     only the close delimits (RFC 9112 §9.8); an engine whose framing finds truncation by itself
   *     (HTTP/2) may ignore it
   * @param out where the parts the close completes go
   */
  void receiveEnd(boolean clean, List<ResponsePart> out) throws HttpException;

  /**
   * Cancels a request; parts it implies (none for HTTP/1.1, which closes) go to {@code out}.
   * Unknown references are ignored.
   */
  void cancelRequest(RequestRef ref, List<ResponsePart> out) throws HttpException;

  /**
   * Whether the engine holds bytes it can hand over now: {@link #takeOutput} would move some. Bytes
   * that wait for something else (HTTP/2 request body beyond the flow-control windows) do not
   * count, so that the shell asks for write readiness only when it has something to write.
   */
  boolean hasOutput();

  /**
   * Moves bytes to send into {@code out}, in the order they must go out, about {@code max} of them:
   * the shell calls this when the transport can take bytes, and owns the buffers from then on. The
   * engine decides what goes first (for HTTP/2: control frames and acknowledgements, then header
   * blocks, then DATA as the windows allow, fairly across streams). It may pass {@code max} by less
   * than one frame, since a frame is never cut; it moves nothing when {@link #hasOutput()} is
   * false. Never throws.
   *
   * <p>This is the engine's only way out for bytes: there is no callback when they are written. A
   * fixed body the caller handed over is referenced, not copied (read-only views of its {@link
   * dev.mint.Bytes}); streamed chunks are copied, and what an engine holds of them is bounded (see
   * each engine's limits).
   *
   * @param max the bytes the shell wants, at least 1
   * @param out where the buffers go
   * @return the bytes moved
   */
  long takeOutput(long max, List<ByteBuffer> out);

  /** The number of requests whose response has not completed. */
  int openRequestCount();

  /** Whether new requests can be made (false once the engine is closing or closed). */
  boolean canSendRequests();

  /**
   * Whether the engine has finished: after a connection error, after the peer's close, or when the
   * protocol demands closing (HTTP/1.1 {@code connection: close}, HTTP/2 GOAWAY with nothing left
   * in flight). The shell closes the transport once the output is flushed.
   */
  boolean isClosed();

  /** Starts a graceful close: queues any goodbye bytes (HTTP/2 GOAWAY) and refuses new requests. */
  void close();

  /**
   * The engine's HTTP/2 control surface (ping, settings, windows), if it speaks HTTP/2. The
   * operations that queue frames (those declaring {@link dev.mint.MintException}) run each of their
   * commands through {@code shell} ({@link CommandRunner#run}), which refuses them on a closed
   * connection and writes what they queued; the operations that only read state do not use it.
   *
   * <p>The shell that owns the engine calls this with its own runner; an engine may keep the runner
   * for the operations it returns, since one shell drives it. Code that drives an engine without a
   * shell (tests) passes {@link CommandRunner#DIRECT}.
   *
   * @param shell runs each queuing command with the connection's send semantics
   */
  default Optional<Http2Operations> http2(CommandRunner shell) {
    return Optional.empty();
  }
}
