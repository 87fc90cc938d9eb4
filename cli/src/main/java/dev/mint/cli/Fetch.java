package dev.mint.cli;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.Http2Operations;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.ProxyOptions;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.TransportException;
import dev.mint.spi.EngineConnection;
import dev.mint.spi.Transport;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * One request, curl style: connect in passive mode, send the request (streaming a file body in
 * chunks), then {@code recv()} until the response is done, printing each part as it arrives.
 *
 * <p>Output: the response body goes to stdout (or the {@code -o} file). The status line and headers
 * go to stderr, or to stdout before the body with {@code -i}. With {@code -v} every part is printed
 * on stderr as it arrives, with the milliseconds since the command started, and so is the protocol
 * spoken and, over TLS, the version, cipher suite, ALPN result and server certificate.
 *
 * <p>Over HTTP/2 (negotiated by ALPN, or {@code --http2-prior-knowledge}) the exchange is the same
 * code: one request, whose parts arrive on one stream; {@code -v} also lists the server's SETTINGS.
 *
 * <p>Through a proxy ({@link ProxyFlags} chooses it from the flags and the environment) {@code -v}
 * shows the proxy and where it was named, the tunnel request with its credentials masked, and the
 * proxy's reply (its status line and fields, or the SOCKS5 reply); a forwarded request shows in
 * absolute-form with the proxy's fields. A connection that fails through a proxy is a {@link
 * ProxyFailure}, which carries curl's exit status for it.
 */
final class Fetch {
  /** The size of each {@code streamRequestBody} call when uploading a file. */
  static final int UPLOAD_CHUNK_SIZE = 64 * 1024;

  private final CommandLine cmd;
  private final Map<String, String> env;
  private final PrintStream out;
  private final PrintStream err;
  private final boolean terminal;
  private final long start = System.nanoTime();

  private int finalStatus;
  private boolean headersSeen;
  private boolean done;

  /** The forwarding proxy requests go to in absolute-form, or {@code null}. */
  private ProxyOptions forwardedTo;

  private boolean forwarding;
  private Progress progress;

  /**
   * A fetch of {@code cmd.url()}.
   *
   * @param env the environment, where the {@code *_proxy} variables are read
   * @param terminal whether the user watches a terminal (then long downloads to a file show
   *     progress)
   */
  Fetch(
      CommandLine cmd,
      Map<String, String> env,
      PrintStream out,
      PrintStream err,
      boolean terminal) {
    this.cmd = cmd;
    this.env = env;
    this.out = out;
    this.err = err;
    this.terminal = terminal;
  }

  /**
   * Runs the request.
   *
   * @throws MintException when connecting, sending or receiving fails, or the response ends in a
   *     {@code RequestError}; parts that arrived before a failure have been printed
   * @throws LocalFileException when the data file cannot be read or the output file written
   * @throws ProxyFailure when connecting through a proxy fails
   * @throws UsageException when the environment names a proxy that cannot be used
   */
  void run() throws MintException, LocalFileException, ProxyFailure, UsageException {
    URI url = cmd.url();
    Scheme scheme = Scheme.parse(url.getScheme());
    int port = url.getPort() != -1 ? url.getPort() : scheme.defaultPort();
    if (scheme == Scheme.HTTPS) {
      if (cmd.caCert() != null && !Files.isReadable(cmd.caCert())) {
        throw new LocalFileException("cannot read the --cacert file " + cmd.caCert());
      }
      if (cmd.insecure()) {
        err.println(
            "mint: warning: --insecure: the server's certificate and host name are not verified;"
                + " anyone on the path can read and change this exchange");
      }
    } else if (cmd.httpVersion() == CommandLine.HttpVersion.HTTP2) {
      log(
          "* --http2 over http:// speaks HTTP/1.1 (Mint does no h2c upgrade);"
              + " --http2-prior-knowledge speaks HTTP/2 at once");
    }

    ProxyFlags.Choice proxy = cmd.proxy().choose(env, scheme, url.getHost(), port);
    ConnectOptions options =
        cmd.connectOptions().toBuilder().proxy(proxy.proxy().orElse(null)).build();
    forwarding = proxy.forwards(scheme, options.protocols());
    forwardedTo = forwarding ? proxy.proxy().orElseThrow() : null;
    checkProxyTrust(proxy);
    try (HttpConnection conn = connect(scheme, url.getHost(), port, options, proxy);
        OutputStream body = openBodyOutput()) {
      logConnection(conn);
      RequestRef ref = send(conn, target(url));
      progress = terminal && cmd.output() != null ? new Progress(err, System::nanoTime) : null;
      while (!done) {
        List<ResponsePart> parts;
        try {
          parts = conn.recv(cmd.timeout());
        } catch (MintException e) {
          // No parsed part is lost: show what arrived before the failure, then report it.
          handle(conn, ref, e.partsBeforeFailure(), body);
          throw e;
        }
        handle(conn, ref, parts, body);
      }
      body.flush();
      conn.http2().ifPresent(this::logServerSettings);
    } catch (MintException e) {
      throw e;
    } catch (IOException e) {
      throw new LocalFileException("cannot write " + cmd.output() + ": " + e.getMessage());
    } finally {
      if (progress != null) {
        progress.finish();
      }
    }
  }

  /**
   * Connects, through the proxy when there is one; {@code -v} shows the proxy, the tunnel request
   * and the proxy's reply, also when it refused.
   */
  private HttpConnection connect(
      Scheme scheme, String host, int port, ConnectOptions options, ProxyFlags.Choice choice)
      throws MintException, ProxyFailure {
    ProxyOptions proxy = choice.proxy().orElse(null);
    if (proxy == null) {
      if (choice.source() != null) {
        log("* no proxy for " + host + " (" + choice.source() + ")");
      }
      log("* connecting to " + authority(host, port));
      return Mint.connect(scheme, host, port, options);
    }
    log("* proxy " + proxy.uri() + " (from " + choice.source() + ")");
    log("* connecting to " + authority(host, port) + " through the proxy");
    if (forwarding) {
      log("* forwarding: each request goes to the proxy in absolute-form");
    } else {
      String authority = authority(host, port);
      log("* tunnel: " + (proxy.isHttp() ? "CONNECT" : "SOCKS5 CONNECT") + " to " + authority);
      ProxyTrace.tunnelRequest(proxy, authority, options.userAgent()).forEach(this::log);
    }
    try {
      HttpConnection conn = Mint.connect(scheme, host, port, options);
      conn.proxyResponse().ifPresent(reply -> ProxyTrace.reply(reply).forEach(this::log));
      return conn;
    } catch (TransportException e) {
      e.proxyResponse().ifPresent(reply -> ProxyTrace.reply(reply).forEach(this::log));
      throw ProxyFailure.of(e, proxy);
    }
  }

  /** The proxy's {@code --proxy-cacert} file must be readable; {@code --proxy-insecure} warns. */
  private void checkProxyTrust(ProxyFlags.Choice choice) throws LocalFileException {
    ProxyOptions proxy = choice.proxy().orElse(null);
    if (proxy == null || proxy.kind() != ProxyOptions.Kind.HTTPS) {
      return;
    }
    Path ca = cmd.proxy().caCert();
    if (ca != null && !Files.isReadable(ca)) {
      throw new LocalFileException("cannot read the --proxy-cacert file " + ca);
    }
    if (cmd.proxy().insecure()) {
      err.println(
          "mint: warning: --proxy-insecure: the proxy's certificate and host name are not"
              + " verified; anyone on the path to it can read and change this exchange");
    }
  }

  /** {@code host:port}, an IPv6 literal in brackets. */
  private static String authority(String host, int port) {
    String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    return (bare.indexOf(':') >= 0 ? "[" + bare + "]" : bare) + ":" + port;
  }

  /** Sends the request: a fixed body (or none) in one call, or a file streamed in chunks. */
  private RequestRef send(HttpConnection conn, String target)
      throws MintException, LocalFileException {
    String method = cmd.effectiveMethod();
    if (cmd.dataFile() == null) {
      RequestBody body = cmd.data() == null ? RequestBody.none() : RequestBody.utf8(cmd.data());
      logRequest(method, target, cmd.headers());
      return conn.request(method, target, cmd.headers(), body);
    }

    Path file = cmd.dataFile();
    try (FileChannel channel = FileChannel.open(file)) {
      Headers headers = cmd.headers();
      if (!headers.contains("content-length") && !headers.contains("transfer-encoding")) {
        // The size is known, so the server gets content-length instead of chunked framing.
        headers = headers.with("content-length", Long.toString(channel.size()));
      }
      logRequest(method, target, headers);
      RequestRef ref = conn.request(method, target, headers, RequestBody.streaming());
      ByteBuffer chunk = ByteBuffer.allocate(UPLOAD_CHUNK_SIZE);
      long sent = 0;
      int chunks = 0;
      while (channel.read(chunk.clear()) >= 0) {
        chunk.flip();
        sent += chunk.remaining();
        chunks++;
        conn.streamRequestBody(ref, chunk); // passive mode: returns once the chunk is written
      }
      conn.endRequestBody(ref);
      log("> body: " + sent + " bytes from " + file + " in " + chunks + " chunks");
      return ref;
    } catch (MintException e) {
      throw e;
    } catch (IOException e) {
      throw new LocalFileException("cannot read " + file + ": " + e);
    }
  }

  private void handle(
      HttpConnection conn, RequestRef ref, List<ResponsePart> parts, OutputStream body)
      throws MintException, IOException {
    for (ResponsePart part : parts) {
      if (part.ref() != ref) {
        // Not our request: a pushed response (push is off unless enabled, so none should come).
        log("< (" + part.ref() + ") " + PartFormat.describe(part));
        continue;
      }
      logPart(part);
      if (part instanceof ResponsePart.Status s) {
        finalStatus = s.isInformational() ? 0 : s.code();
      } else if (part instanceof ResponsePart.Headers h && finalStatus != 0 && !headersSeen) {
        headersSeen = true;
        printHeaderBlock(PartFormat.statusLine(conn.protocol(), finalStatus), h.headers());
        if (progress != null) {
          progress.expect(contentLength(h.headers()));
        }
      } else if (part instanceof ResponsePart.Data d) {
        d.bytes().writeTo(body);
        if (progress != null) {
          progress.add(d.bytes().length());
        }
      } else if (part instanceof ResponsePart.Trailers t) {
        printHeaderBlock(null, t.trailers());
      } else if (part instanceof ResponsePart.Done) {
        done = true;
      } else if (part instanceof ResponsePart.RequestError e) {
        throw e.error();
      }
    }
  }

  /** Where the header block goes: stdout with -i, else stderr unless -v already showed it. */
  private void printHeaderBlock(String statusLine, Headers headers) {
    PrintStream to = cmd.includeHeaders() ? out : cmd.verbose() ? null : err;
    if (to == null) {
      return;
    }
    if (statusLine != null) {
      to.println(statusLine);
    }
    headers.forEach((name, value) -> to.println(name + ": " + value));
    to.println();
    to.flush();
  }

  private OutputStream openBodyOutput() throws LocalFileException {
    if (cmd.output() == null) {
      return new NonClosingStream(out);
    }
    try {
      return new BufferedOutputStream(Files.newOutputStream(cmd.output()));
    } catch (IOException e) {
      throw new LocalFileException("cannot write " + cmd.output() + ": " + e);
    }
  }

  /**
   * {@code -v}: the protocol spoken and, over TLS, the version, cipher suite, ALPN result and the
   * server's certificate. The TLS session is the transport's, reached through the SPI's connection
   * shell; another {@code HttpConnection} implementation simply shows less.
   */
  private void logConnection(HttpConnection conn) {
    log("* connected, speaking " + conn.protocol().alpnId());
    if (!cmd.verbose() || !(conn instanceof EngineConnection shell)) {
      return;
    }
    Transport transport = shell.transport();
    Optional<SSLSession> tls = transport.sslSession();
    if (tls.isEmpty()) {
      return;
    }
    SSLSession session = tls.get();
    String alpn = transport.negotiatedProtocol().filter(id -> !id.isEmpty()).orElse("none");
    log(
        "* TLS "
            + session.getProtocol()
            + ", cipher "
            + session.getCipherSuite()
            + ", ALPN selected "
            + alpn);
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
        // As curl -v shows them: who the certificate names, who signed it, until when.
        log("* server certificate subject: " + leaf.getSubjectX500Principal().getName());
        log("* server certificate issuer: " + leaf.getIssuerX500Principal().getName());
        log("* server certificate expires: " + leaf.getNotAfter().toInstant());
      }
    } catch (SSLPeerUnverifiedException e) {
      log("* server certificate: none");
    }
  }

  /** {@code -v} over HTTP/2: the settings the server announced (RFC 9113 §6.5.2). */
  private void logServerSettings(Http2Operations h2) {
    if (!cmd.verbose() || !h2.serverSettingsReceived()) {
      return;
    }
    Http2Operations.Settings s = h2.serverSettings();
    log(
        "* HTTP/2 server settings: max concurrent streams "
            + limit(s.maxConcurrentStreams())
            + ", initial window "
            + s.initialWindowSize()
            + ", max frame size "
            + s.maxFrameSize()
            + ", max header list size "
            + limit(s.maxHeaderListSize())
            + ", header table "
            + s.headerTableSize());
  }

  private static String limit(long value) {
    return value == Http2Operations.Settings.UNLIMITED ? "unlimited" : Long.toString(value);
  }

  /** The request as sent; to a forwarding proxy in absolute-form, with the proxy's fields. */
  private void logRequest(String method, String target, Headers headers) {
    URI url = cmd.url();
    String shown = forwarding ? url.getScheme() + "://" + url.getRawAuthority() + target : target;
    log("> " + method + " " + shown);
    headers.forEach((name, value) -> log(">   " + name + ": " + ProxyTrace.shown(name, value)));
    if (forwarding) {
      ProxyTrace.forwardedFields(forwardedTo).forEach(this::log); // after the request's own
    }
  }

  private void logPart(ResponsePart part) {
    if (!cmd.verbose()) {
      return;
    }
    if (part instanceof ResponsePart.Headers h) {
      log("< Headers");
      h.headers().forEach((name, value) -> log("<   " + name + ": " + value));
    } else if (part instanceof ResponsePart.Data d) {
      log("< Data " + d.bytes().length() + " bytes"); // the bytes themselves go to the output
    } else {
      log("< " + PartFormat.describe(part));
    }
  }

  /** A {@code -v} line on stderr, stamped with the milliseconds since the command started. */
  private void log(String line) {
    if (cmd.verbose()) {
      long ms = (System.nanoTime() - start) / 1_000_000;
      err.println(String.format(Locale.ROOT, "%6d ms %s", ms, line));
    }
  }

  private static long contentLength(Headers headers) {
    String value = headers.get("content-length");
    try {
      return value == null ? -1 : Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      return -1; // the engine already checked it; a progress line just shows no total
    }
  }

  /** The request target: the path (or {@code /}) and the query, as written in the URL. */
  static String target(URI url) {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
  }

  /** A local file (the data to send, or the output) could not be used. */
  static final class LocalFileException extends Exception {
    private static final long serialVersionUID = 1L;

    LocalFileException(String message) {
      super(message);
    }
  }

  /** Stdout as the body output: flushed, never closed. */
  private static final class NonClosingStream extends OutputStream {
    private final PrintStream target;

    NonClosingStream(PrintStream target) {
      this.target = target;
    }

    @Override
    public void write(int b) {
      target.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      target.write(b, off, len);
    }

    @Override
    public void flush() {
      target.flush();
    }

    @Override
    public void close() {
      target.flush();
    }
  }
}
