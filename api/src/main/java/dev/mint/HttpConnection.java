// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * One HTTP connection, owned and driven by the caller. Every state change happens inside a call the
 * caller makes; the connection starts no thread, takes no lock and calls no callback.
 *
 * <h2>Threads</h2>
 *
 * A connection is confined to one thread at a time. It may be handed to another thread through any
 * happens-before hand-off (a queue, a lock the caller owns). It is not safe for concurrent use.
 *
 * <h2>Sending</h2>
 *
 * {@link #request} validates and queues a request and returns its {@link RequestRef}. With a
 * {@linkplain RequestBody#streaming() streaming} body, send chunks with {@link #streamRequestBody}
 * and finish with {@link #endRequestBody}. In {@link Mode#PASSIVE} mode these calls block until
 * their bytes are written (at most the write timeout); in {@link Mode#ACTIVE} mode they write what
 * the socket accepts and keep the rest queued, and {@link #interestOps()} asks for write readiness
 * until the queue is empty. That is with {@link ConnectOptions#autoFlush()} on, the default; see
 * "Batching writes" for the other way.
 *
 * <h2>Batching writes</h2>
 *
 * By default ({@link ConnectOptions#autoFlush()} true) each sending call writes at once, as above:
 * one write system call per request, and over TLS one record per request. A caller that sends many
 * requests before it reads (a load generator, a pool filling HTTP/2 streams, pipelined HTTP/1.1)
 * connects with {@code autoFlush(false)}: sending calls then only queue, and the bytes of every
 * request made since leave together in one gathering write (over TLS, records as full as the 16 KiB
 * limit allows) at the first of
 *
 * <ul>
 *   <li>{@link #flush()}: active mode writes what the socket takes and keeps the rest for write
 *       readiness; passive mode blocks until every byte is written (at most the write timeout for
 *       each wait);
 *   <li>{@link #stream()}, {@link #recv}, {@link #recvOnce}: a receiving call writes what is queued
 *       before it reads, and passive mode also waits for write readiness while it waits for input,
 *       so a request can never sit unwritten while the call waits for its response;
 *   <li>write readiness: {@link #interestOps()} asks for {@code OP_WRITE} while anything is queued,
 *       so an active caller that registers what it says is woken to write it;
 *   <li>{@link #cancelRequest} and {@link #close()}, which write what is queued as they always do
 *       (close only what the socket takes at once, without waiting).
 * </ul>
 *
 * A sending call that the protocol refuses for lack of room to hold its bytes ({@link
 * HttpException.Reason#OUTPUT_QUEUE_FULL}, {@link HttpException.Reason#HTTP2_FLOW_CONTROL_BLOCKED})
 * while bytes are queued first flushes them and tries once more, so a streamed body needs no
 * flushes of its own in passive mode. This is Netty's {@code write}/{@code flush} split, chosen per
 * connection: the default keeps every caller that waits for readability right after a request
 * working unchanged, and one option gives batching to the callers who ask for it.
 *
 * <h2>Receiving</h2>
 *
 * <ul>
 *   <li>Active: register {@link #selectableChannel()} with your {@link java.nio.channels.Selector}
 *       for {@link #interestOps()}, and call {@link #stream()} when it is selected. If {@link
 *       #hasBufferedInput()} is true after a call (for example TLS records already decrypted), call
 *       {@link #stream()} again without waiting for the selector.
 *   <li>Passive: call {@link #recv(Duration)}, or {@link #recvOnce(Duration)} to return after any
 *       input, even input that completes no part.
 * </ul>
 *
 * Both return the {@link ResponsePart}s parsed so far (see its documentation for the order). On a
 * connection failure they throw a {@link MintException} whose {@link
 * MintException#partsBeforeFailure()} holds the parts parsed before the failure.
 *
 * <h2>Borrowed body bytes</h2>
 *
 * Every part is the caller's to keep, unless the connection was opened with {@link
 * ConnectOptions#borrowBodies()} on. Then the {@link Bytes} of a {@link ResponsePart.Data} made
 * from bytes a receiving call read into the calling thread's read buffer is a view of that buffer,
 * not a copy, and it stays valid only until the same thread next calls {@link #stream()}, {@link
 * #recv} or {@link #recvOnce} on any Mint connection (the parts attached to a {@link MintException}
 * included); that call may read new bytes over it. Use such bytes before that call, or copy them
 * ({@link Bytes#toByteArray()}). Until then nothing writes over them: a receiving call never reads
 * into bytes it has lent out, and ends its reading early (within its 1 MiB budget) rather than
 * start a new buffer, so the next call carries on; {@link #hasBufferedInput()} and readiness say
 * when, as always. Sending calls, {@link #cancelRequest}, {@link #flush()} and {@link #close()}
 * read nothing and leave borrowed bytes alone.
 *
 * <h2>Errors</h2>
 *
 * Operations throw {@link HttpException} for caller mistakes (request scope; nothing was sent),
 * {@link TransportException} for I/O failures, and {@link HttpException} with connection scope when
 * the peer breaks the protocol. Request-scoped failures reported by the peer arrive as {@link
 * ResponsePart.RequestError} parts.
 *
 * <h2>Logging</h2>
 *
 * Each connection has an {@link #id()} such as {@code c17}. For the length of every call on the
 * connection (and of the connect that made it) the library puts the id in the SLF4J MDC under
 * {@link #LOG_CONTEXT_KEY}, and restores what was there before the call returns; every line the
 * library logs meanwhile, from any layer, carries it. A backend shows it with a pattern such as
 * logback's {@code %X{mint.connection}}.
 */
public interface HttpConnection extends AutoCloseable {

  /** The SLF4J MDC key under which the library logs the {@link #id()} of the connection at work. */
  String LOG_CONTEXT_KEY = "mint.connection";

  /**
   * A short id for this connection, unique in this JVM and numbered in the order connections were
   * opened: {@code c1}, {@code c2}, ... Logged with every line (see {@link #LOG_CONTEXT_KEY}).
   */
  String id();

  /** The protocol this connection speaks, decided at connect time. */
  Protocol protocol();

  /** The scheme connected with. */
  Scheme scheme();

  /** The host name used for {@code host}/{@code :authority}. */
  String host();

  /** The port connected to. */
  int port();

  /**
   * The local address of the socket under this connection; empty for transports without one, and
   * once the connection is closed.
   */
  default Optional<SocketAddress> localAddress() {
    return Optional.empty();
  }

  /**
   * The address of the socket's peer: the origin server, or the proxy when the connection goes
   * through one (tunnel or forwarding). Empty for transports without one.
   */
  default Optional<SocketAddress> peerAddress() {
    return Optional.empty();
  }

  /**
   * The TLS session with the origin (protocol version, cipher suite, peer certificates), when the
   * connection to it is TLS. Through an HTTPS proxy with a cleartext origin, the session with the
   * proxy.
   */
  default Optional<SSLSession> sslSession() {
    return Optional.empty();
  }

  /**
   * The protocol id ALPN negotiated with the origin (RFC 7301), such as {@code h2}; empty when no
   * ALPN took place (cleartext, or a server that did not choose).
   */
  default Optional<String> alpnProtocol() {
    return Optional.empty();
  }

  /** The mode the connection is in now: as connected, or as last set by {@link #setMode}. */
  Mode mode();

  /**
   * Switches between {@link Mode#ACTIVE} and {@link Mode#PASSIVE} (Elixir Mint's {@code set_mode}).
   * Setting the current mode does nothing.
   *
   * <p>The channel stays non-blocking in both modes: passive mode waits on a selector of its own,
   * which Java allows only while the channel is registered with no other selector. So:
   *
   * <ul>
   *   <li>to passive: first cancel your {@link java.nio.channels.SelectionKey} for {@link
   *       #selectableChannel()} and let your selector run a {@code selectNow()} so the cancellation
   *       takes effect; a switch while the channel is still registered is refused;
   *   <li>to active: the connection stops using its private selector and deregisters from it before
   *       this returns; register the channel with yours afterwards.
   * </ul>
   *
   * Queued bytes stay queued: after a switch to passive the next call writes them (blocking), after
   * a switch to active the next {@link #stream()} or write readiness does.
   *
   * @throws HttpException caller fault, request scope, {@link HttpException.Reason#INVALID_STATE}
   *     when switching to passive while the channel is registered with a selector
   * @throws TransportException {@link TransportException.Reason#CLOSED} when the connection is
   *     closed
   */
  void setMode(Mode mode) throws MintException;

  /**
   * Sends a request.
   *
   * @param method the method, such as {@code GET}; a token (RFC 9110 §9.1)
   * @param target the request target, such as {@code /path?q=1} (or {@code host:port} for CONNECT)
   * @param headers the request headers; {@code host} and {@code user-agent} are added when absent
   * @param body the body: none, fixed, or streaming
   * @return the reference that this request's response parts will carry
   * @throws HttpException {@link HttpException.Fault#CALLER caller}, {@link
   *     HttpException.Scope#REQUEST request} scope, when the request cannot be sent as given
   *     (nothing is sent). {@link HttpException.Reason#INVALID_STATE} when the connection takes no
   *     more requests: request scope while responses are still arriving (after {@code connection:
   *     close}, in a tunnel, after GOAWAY), so that they can be received; check {@link
   *     #isOpen(Direction)} with {@code WRITE} before sending
   * @throws TransportException when writing fails, or {@link TransportException.Reason#CLOSED} when
   *     the connection is closed
   */
  RequestRef request(String method, String target, Headers headers, RequestBody body)
      throws MintException;

  /**
   * Sends a chunk of a streaming request body (or bytes into a tunnel). The remaining bytes of
   * {@code chunk} are consumed before this returns (copied when they cannot be written at once);
   * the caller may reuse the buffer afterwards.
   */
  void streamRequestBody(RequestRef ref, ByteBuffer chunk) throws MintException;

  /** Sends a chunk of a streaming request body given as immutable bytes. */
  default void streamRequestBody(RequestRef ref, Bytes chunk) throws MintException {
    streamRequestBody(ref, chunk.asReadOnlyBuffer());
  }

  /** Ends a streaming request body. */
  default void endRequestBody(RequestRef ref) throws MintException {
    endRequestBody(ref, Headers.empty());
  }

  /**
   * Ends a streaming request body with trailer fields (sent only when the body is chunked, or over
   * HTTP/2). Fields a recipient needs before the content ({@code content-length}, {@code host},
   * {@code authorization}, {@code content-type} and the like, RFC 9110 §6.5.1) cannot be trailers:
   * both protocols refuse them with {@link HttpException.Reason#INVALID_REQUEST_HEADER}.
   */
  void endRequestBody(RequestRef ref, Headers trailers) throws MintException;

  /**
   * Writes the bytes queued by sending calls (see "Batching writes" above): in {@link Mode#ACTIVE}
   * mode what the socket takes now, the rest on write readiness ({@link #interestOps()} asks for
   * it); in {@link Mode#PASSIVE} mode all of them before returning, failing with {@link
   * TransportException.Reason#WRITE_TIMEOUT} when the socket takes nothing for the write timeout.
   * With {@link ConnectOptions#autoFlush()} on (the default) there is rarely anything left to
   * write, and this returns at once. An implementation whose sending calls always write before
   * returning need not override it.
   *
   * @throws TransportException when writing fails (the connection is then closed), or {@link
   *     TransportException.Reason#CLOSED} when the connection is closed
   */
  default void flush() throws MintException {}

  /**
   * Active mode: reads what is available without blocking, flushes queued writes, and returns the
   * parts parsed. Returns an empty list when nothing complete arrived. It stops reading once the
   * transport says a read took all there was, rather than spend a read on the nothing after it, so
   * an end of stream right behind the peer's last bytes may come from the next call, once the
   * selector reports the channel readable again; {@link #recv} reads on to it.
   *
   * @throws MintException when the connection fails; the exception carries the parts parsed before
   *     the failure
   */
  List<ResponsePart> stream() throws MintException;

  /**
   * Passive mode: blocks until at least one part is parsed or {@code timeout} passes.
   *
   * @throws TransportException with reason {@link TransportException.Reason#TIMEOUT} when nothing
   *     arrived in time (the connection stays open)
   * @throws MintException when the connection fails, carrying the parts parsed before the failure
   */
  List<ResponsePart> recv(Duration timeout) throws MintException;

  /**
   * Passive mode: blocks until input arrives or {@code timeout} passes, then reads and processes
   * what is there (at most 1 MiB, as one {@link #stream()} call), writes what that queued (answers,
   * request body a new flow-control window lets out) and returns the parts it made, possibly none.
   * This is Elixir Mint's passive {@code recv}: one read, whatever it produced.
   *
   * <p>Use it to wait for something that yields no part: the HTTP/2 server's SETTINGS ({@link
   * Http2Operations#serverSettingsReceived()}), or a WINDOW_UPDATE that lets queued request body
   * out ({@link Http2Operations#queuedRequestBodyBytes()}). {@link #recv} would wait on past such
   * frames until a part or its timeout. Parts already parsed (by {@link #cancelRequest}, or left
   * from earlier) are returned at once without reading.
   *
   * @return the parts parsed; empty when the input read (a SETTINGS, WINDOW_UPDATE or PING frame,
   *     part of a frame or line) completed none
   * @throws TransportException with reason {@link TransportException.Reason#TIMEOUT} when no input
   *     arrived in time (the connection stays open), as {@link #recv}; with reason {@link
   *     TransportException.Reason#CLOSED} when the connection is closed and no part is left
   * @throws MintException when the connection fails, carrying the parts parsed before the failure
   */
  List<ResponsePart> recvOnce(Duration timeout) throws MintException;

  /**
   * Cancels a request. HTTP/1.1 cannot abandon a response mid-stream, so it closes the connection
   * (every other request in flight then fails); HTTP/2 resets just the stream. Unknown or finished
   * references are ignored.
   */
  void cancelRequest(RequestRef ref) throws MintException;

  /** Whether the connection can still both send and receive. */
  boolean isOpen();

  /** Whether the connection can still send ({@code WRITE}) or receive ({@code READ}). */
  boolean isOpen(Direction direction);

  /** The number of requests sent whose response has not completed. */
  int openRequestCount();

  /**
   * The channel to register with a {@link java.nio.channels.Selector} in active mode; empty for
   * transports that are not selectable.
   */
  Optional<SelectableChannel> selectableChannel();

  /**
   * The {@link java.nio.channels.SelectionKey} operations to register for now: {@code OP_READ},
   * plus {@code OP_WRITE} while bytes are queued for writing. Re-read after every call.
   */
  int interestOps();

  /**
   * Whether bytes have been read from the network but not yet parsed (TLS plaintext decrypted
   * ahead, or the origin's first bytes that came with a proxy's reply, which makes this true right
   * after connecting); when true, call {@link #stream()} again without waiting for readiness.
   */
  boolean hasBufferedInput();

  /** Stores caller-private data under {@code key} (for pools); {@code null} removes it. */
  void putPrivate(String key, Object value);

  /** The caller-private data under {@code key}, or {@code null}. */
  Object getPrivate(String key);

  /**
   * The proxy's reply that opened this connection's tunnel: an HTTP proxy's 2xx to {@code CONNECT}
   * with its header fields, or a SOCKS5 proxy's reply with the bound address. Empty for a
   * connection straight to the origin, and for one through a forwarding HTTP proxy (each response
   * then comes through the proxy and there was no tunnel to open).
   */
  default Optional<ProxyResponse> proxyResponse() {
    return Optional.empty();
  }

  /**
   * The HTTP/2-only operations (ping, settings, flow-control windows) when this connection speaks
   * HTTP/2; empty otherwise.
   */
  default Optional<Http2Operations> http2() {
    return Optional.empty();
  }

  /**
   * Closes the connection: HTTP/2 sends GOAWAY, TLS sends {@code close_notify}, then the transport
   * closes. Requests in flight are abandoned. Idempotent; never throws.
   */
  @Override
  void close();

  /** A direction of a connection. */
  enum Direction {
    /** Receiving bytes. */
    READ,
    /** Sending bytes. */
    WRITE
  }
}
