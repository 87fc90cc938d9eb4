// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.ProxyOptions;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.TransportException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * One request and its response, on a connection of its own: connect in passive mode, send the
 * request (streaming a file body in chunks), then {@code recv()} until the response is done,
 * handing each part on as it arrives. {@link Fetch} runs one per redirect and per retry.
 *
 * <p>Through a proxy ({@link ProxyFlags} chooses it from the flags and the environment) {@code -v}
 * shows the proxy and where it was named, the tunnel request with its credentials masked, and the
 * proxy's reply; a forwarded request shows in absolute-form with the proxy's fields.
 */
final class Exchange {
  /** The size of each {@code streamRequestBody} call when uploading a file. */
  static final int UPLOAD_CHUNK_SIZE = 64 * 1024;

  /**
   * The final response, once its header section arrived.
   *
   * @param status the status code
   * @param reason the reason phrase, empty when the server sent none (always over HTTP/2)
   * @param headers the header fields
   * @param statusLine the status line as printed, {@code HTTP/1.1 200 OK}
   */
  record Response(int status, String reason, Headers headers, String statusLine) {}

  /** What the fetch does with a response: where its body goes, decided from its head. */
  interface Handler {
    /**
     * The head of the final response arrived.
     *
     * @return where its body goes, or {@code null} to drop it
     */
    OutputStream head(Response response) throws Failure;

    /** {@code n} body bytes were handed to the stream {@link #head} returned. */
    void bodyWritten(long n) throws Failure;
  }

  private final FetchArgs args;
  private final Deadline deadline;
  private final VerboseLog log;
  private final TransferStats stats;
  private final java.util.Map<String, String> env;

  private boolean forwarding;
  private ProxyOptions forwardedTo;
  private int finalStatus;
  private String finalReason = "";
  private Response response;
  private OutputStream body;
  private boolean done;

  Exchange(
      FetchArgs args,
      java.util.Map<String, String> env,
      Deadline deadline,
      VerboseLog log,
      TransferStats stats) {
    this.args = args;
    this.env = env;
    this.deadline = deadline;
    this.log = log;
    this.stats = stats;
  }

  /**
   * Runs the exchange.
   *
   * @return the final response; its body went where {@code handler} said
   * @throws Failure with curl's exit status when anything fails; parts that arrived before a
   *     failure have been handled
   */
  Response run(Handler handler) throws Failure {
    URI url = args.url();
    Scheme scheme = Scheme.parse(url.getScheme());
    int port = url.getPort() != -1 ? url.getPort() : scheme.defaultPort();
    if (scheme != Scheme.HTTPS && args.httpVersion() == FetchArgs.HttpVersion.HTTP2) {
      log.line(
          "* --http2 over http:// speaks HTTP/1.1 (Mint does no h2c upgrade);"
              + " --http2-prior-knowledge speaks HTTP/2 at once");
    }
    ProxyFlags.Choice proxy;
    try {
      proxy = args.proxy().choose(env, scheme, url.getHost(), port);
    } catch (UsageException e) {
      throw new Failure(ExitStatus.USAGE, e.getMessage());
    }
    ConnectOptions options = args.connectOptions();
    options =
        options.toBuilder()
            .proxy(proxy.proxy().orElse(null))
            .connectTimeout(deadline.bound(options.connectTimeout()))
            .build();
    forwarding = proxy.forwards(scheme, options.protocols());
    forwardedTo = forwarding ? proxy.proxy().orElseThrow() : null;
    checkProxyTrust(proxy);
    try (HttpConnection conn = connect(scheme, url.getHost(), port, options, proxy)) {
      stats.connected(conn);
      log.connection(conn);
      RequestRef ref = send(conn, Fetch.target(url));
      receive(conn, ref, handler);
      conn.http2().ifPresent(log::serverSettings);
      return response;
    } finally {
      body = null; // after a failure: the failure is what to report, not an unfinished body
    }
  }

  private void receive(HttpConnection conn, RequestRef ref, Handler handler) throws Failure {
    while (!done) {
      List<ResponsePart> parts;
      try {
        parts = conn.recv(deadline.bound(args.timeout()));
      } catch (MintException e) {
        // No parsed part is lost: hand on what arrived before the failure, then report it.
        handle(conn, ref, e.partsBeforeFailure(), handler);
        throw deadline.failure(e);
      }
      handle(conn, ref, parts, handler);
    }
    closeDecoder();
  }

  /** Connects, through the proxy when there is one; {@code -v} shows the proxy's exchange. */
  private HttpConnection connect(
      Scheme scheme, String host, int port, ConnectOptions options, ProxyFlags.Choice choice)
      throws Failure {
    ProxyOptions proxy = choice.proxy().orElse(null);
    try {
      if (proxy == null) {
        if (choice.source() != null) {
          log.line("* no proxy for " + host + " (" + choice.source() + ")");
        }
        log.line("* connecting to " + authority(host, port));
        return Mint.connect(scheme, host, port, options);
      }
      log.line("* proxy " + proxy.uri() + " (from " + choice.source() + ")");
      log.line("* connecting to " + authority(host, port) + " through the proxy");
      if (forwarding) {
        log.line("* forwarding: each request goes to the proxy in absolute-form");
      } else {
        String authority = authority(host, port);
        log.line(
            "* tunnel: " + (proxy.isHttp() ? "CONNECT" : "SOCKS5 CONNECT") + " to " + authority);
        ProxyTrace.tunnelRequest(proxy, authority, options.userAgent()).forEach(log::line);
      }
      try {
        HttpConnection conn = Mint.connect(scheme, host, port, options);
        conn.proxyResponse().ifPresent(reply -> ProxyTrace.reply(reply).forEach(log::line));
        return conn;
      } catch (TransportException e) {
        e.proxyResponse().ifPresent(reply -> ProxyTrace.reply(reply).forEach(log::line));
        throw Failure.of(ProxyFailure.of(e, proxy));
      }
    } catch (MintException e) {
      throw deadline.failure(Failure.of(e, false), e);
    }
  }

  /** The proxy's {@code --proxy-cacert} file must be readable; {@code --proxy-insecure} warns. */
  private void checkProxyTrust(ProxyFlags.Choice choice) throws Failure {
    ProxyOptions proxy = choice.proxy().orElse(null);
    if (proxy == null || proxy.kind() != ProxyOptions.Kind.HTTPS) {
      return;
    }
    Path ca = args.proxy().caCert();
    if (ca != null && !Files.isReadable(ca)) {
      throw new Failure(ExitStatus.CA_CERT_BAD_FILE, "cannot read the --proxy-cacert file " + ca);
    }
    if (args.proxy().insecure()) {
      log.warning(
          "--proxy-insecure: the proxy's certificate and host name are not"
              + " verified; anyone on the path to it can read and change this exchange");
    }
  }

  /** {@code host:port}, an IPv6 literal in brackets. */
  static String authority(String host, int port) {
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return (bare.indexOf(':') >= 0 ? "[" + bare + "]" : bare) + ":" + port;
  }

  /** Sends the request: a fixed body (or none) in one call, or a file streamed in chunks. */
  private RequestRef send(HttpConnection conn, String target) throws Failure {
    String method = args.effectiveMethod();
    Headers headers = args.requestHeaders();
    Path file = args.data().streamedFile();
    try {
      if (file == null) {
        byte[] data = args.data().bytes();
        RequestBody body = args.data().isEmpty() ? RequestBody.none() : RequestBody.of(data);
        RequestRef ref = conn.request(method, target, headers, body);
        log.request(conn, ref, method, shownTarget(target), headers, forwardedTo);
        stats.uploaded(data.length);
        return ref;
      }
      return sendFile(conn, method, target, headers, file);
    } catch (MintException e) {
      throw deadline.failure(Failure.of(e, true), e);
    }
  }

  private RequestRef sendFile(
      HttpConnection conn, String method, String target, Headers headers, Path file)
      throws MintException, Failure {
    boolean strip = args.data().stripsNewlines();
    try (FileChannel channel = FileChannel.open(file)) {
      if (!headers.contains("content-length") && !headers.contains("transfer-encoding")) {
        // The size is known, so the server gets content-length instead of chunked framing.
        long size = strip ? sizeWithoutNewlines(channel) : channel.size();
        headers = headers.with("content-length", Long.toString(size));
      }
      RequestRef ref = conn.request(method, target, headers, RequestBody.streaming());
      log.request(conn, ref, method, shownTarget(target), headers, forwardedTo);
      ByteBuffer chunk = ByteBuffer.allocate(UPLOAD_CHUNK_SIZE);
      long sent = 0;
      int chunks = 0;
      channel.position(0);
      while (channel.read(chunk.clear()) >= 0) {
        chunk.flip();
        ByteBuffer toSend = strip ? withoutNewlines(chunk) : chunk;
        sent += toSend.remaining();
        chunks++;
        conn.streamRequestBody(ref, toSend); // passive mode: returns once the chunk is written
      }
      conn.endRequestBody(ref);
      stats.uploaded(sent);
      log.line("> body: " + sent + " bytes from " + file + " in " + chunks + " chunks");
      return ref;
    } catch (IOException e) {
      throw new Failure(
          ExitStatus.READ_ERROR, "cannot read " + file + ": " + ExitStatus.describe(e));
    }
  }

  private static long sizeWithoutNewlines(FileChannel channel) throws IOException {
    ByteBuffer chunk = ByteBuffer.allocate(UPLOAD_CHUNK_SIZE);
    long size = 0;
    while (channel.read(chunk.clear()) >= 0) {
      chunk.flip();
      size += withoutNewlines(chunk).remaining();
    }
    return size;
  }

  private static ByteBuffer withoutNewlines(ByteBuffer chunk) {
    ByteBuffer kept = ByteBuffer.allocate(chunk.remaining());
    while (chunk.hasRemaining()) {
      byte b = chunk.get();
      if (b != '\r' && b != '\n') {
        kept.put(b);
      }
    }
    return kept.flip();
  }

  /** The target as sent: to a forwarding proxy in absolute-form. */
  private String shownTarget(String target) {
    URI url = args.url();
    return forwarding ? url.getScheme() + "://" + url.getRawAuthority() + target : target;
  }

  private void handle(HttpConnection conn, RequestRef ref, List<ResponsePart> parts, Handler h)
      throws Failure {
    for (ResponsePart part : parts) {
      if (part.ref() != ref) {
        // Not our request: a pushed response (push is off unless enabled, so none should come).
        log.line("< (" + part.ref() + ") " + PartFormat.describe(part));
        continue;
      }
      log.part(part);
      if (part instanceof ResponsePart.Status s) {
        stats.firstByte();
        finalStatus = s.isInformational() ? 0 : s.code();
        finalReason = s.reason();
      } else if (part instanceof ResponsePart.Headers hs && finalStatus != 0 && response == null) {
        String line = PartFormat.statusLine(conn.protocol(), finalStatus, finalReason);
        response = new Response(finalStatus, finalReason, hs.headers(), line);
        stats.response(response, conn.protocol());
        body = bodyStream(h.head(response), hs.headers());
      } else if (part instanceof ResponsePart.Data d) {
        writeBody(d, h);
      } else if (part instanceof ResponsePart.Done) {
        done = true;
      } else if (part instanceof ResponsePart.RequestError e) {
        throw Failure.of(e.error(), true);
      }
    }
  }

  private OutputStream bodyStream(OutputStream target, Headers headers) throws Failure {
    if (target == null || !args.compressed()) {
      return target;
    }
    try {
      return ContentDecoder.decoding(headers.get("content-encoding"), target);
    } catch (ContentDecoder.DecodeException e) {
      throw new Failure(ExitStatus.BAD_CONTENT_ENCODING, e.getMessage());
    }
  }

  private void writeBody(ResponsePart.Data d, Handler h) throws Failure {
    stats.downloaded(d.bytes().length());
    if (body == null) {
      return;
    }
    try {
      d.bytes().writeTo(body);
    } catch (ContentDecoder.DecodeException e) {
      throw new Failure(ExitStatus.BAD_CONTENT_ENCODING, e.getMessage());
    } catch (IOException e) {
      throw new Failure(ExitStatus.WRITE_ERROR, "cannot write the body: " + ExitStatus.describe(e));
    }
    h.bodyWritten(d.bytes().length());
  }

  /** Ends a {@code --compressed} body: a decoder checks that the body was whole. */
  private void closeDecoder() throws Failure {
    if (body instanceof ContentDecoder decoder) {
      body = null;
      try {
        decoder.close();
      } catch (IOException e) {
        throw new Failure(ExitStatus.BAD_CONTENT_ENCODING, e.getMessage());
      }
    }
  }

  /** The wait for connecting and for each part, bounded by {@code --max-time}. */
  static final class Deadline {
    private final long end;
    private final Duration maxTime;

    /** A deadline {@code maxTime} from now, or none when it is {@code null}. */
    Deadline(Duration maxTime) {
      this.maxTime = maxTime;
      this.end = maxTime == null ? Long.MAX_VALUE : System.nanoTime() + maxTime.toNanos();
    }

    /** {@code wait}, or less when the deadline comes sooner; at least a millisecond. */
    Duration bound(Duration wait) {
      if (maxTime == null) {
        return wait;
      }
      Duration left = Duration.ofNanos(Math.max(end - System.nanoTime(), 1_000_000));
      return left.compareTo(wait) < 0 ? left : wait;
    }

    /** Whether the deadline has passed. */
    boolean passed() {
      return maxTime != null && System.nanoTime() - end >= 0;
    }

    /** How long is left, or {@code null} when there is no deadline. */
    Duration left() {
      return maxTime == null ? null : Duration.ofNanos(Math.max(end - System.nanoTime(), 0));
    }

    /** The failure to report for {@code e}: a timeout of {@code --max-time} when it passed. */
    Failure failure(MintException e) {
      return failure(Failure.of(e, true), e);
    }

    Failure failure(Failure f, MintException e) {
      if (passed() && f.exitStatus() == ExitStatus.TIMED_OUT) {
        return new Failure(
            ExitStatus.TIMED_OUT,
            "the operation took longer than --max-time " + maxTime.toMillis() / 1000.0 + " s");
      }
      return f;
    }
  }
}
