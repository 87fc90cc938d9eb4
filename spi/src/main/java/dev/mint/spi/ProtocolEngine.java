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
 * parts out, and queues in {@link #output()} the bytes it wants written. The connection shell
 * ({@link EngineConnection}) moves bytes between an engine and a {@link Transport}.
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

  /** The bytes waiting to be written, in order. */
  OutputQueue output();

  /**
   * The shell wrote {@link #output()} out completely: the engine may now queue bytes that were
   * waiting only for room in the queue (for HTTP/2, request body the flow-control windows already
   * allow but the bounded queue could not hold). Without this call such bytes would wait for the
   * next {@link #receive}, or for ever when nothing more arrives.
   *
   * <p>The shell calls it after every write that leaves the queue empty, then writes again while it
   * returns {@code true}; the loop ends because an engine only queues bytes it already holds. Never
   * throws; queues nothing once the engine is closed. The default queues nothing.
   *
   * @return whether anything was queued
   */
  default boolean onOutputDrained() {
    return false;
  }

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
   * The engine's HTTP/2 control surface (ping, settings, windows), if it speaks HTTP/2. Its
   * operations queue bytes in {@link #output()} like {@link #request} does; the shell flushes them.
   */
  default Optional<Http2Operations> http2() {
    return Optional.empty();
  }
}
