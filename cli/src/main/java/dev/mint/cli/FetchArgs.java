// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

/**
 * The checked arguments of one fetch ({@code mint [options] URL}), made by {@link MintCommand} from
 * what picocli parsed. Options follow curl's spelling where curl has one.
 *
 * @param url the URL to fetch, without its {@code user:password@}; {@code null} runs the tour
 * @param method the method given with {@code -X}, or {@code null} for the default (GET, HEAD with
 *     {@code -I}, POST when there is data)
 * @param headers the request headers given with {@code -H}, in order
 * @param data the request body of {@code -d}, {@code --data-binary}, {@code --data-urlencode}
 * @param output the file given with {@code -o} for the response body, or {@code null} for stdout
 * @param includeHeaders {@code -i} (or {@code -I}): the status line and headers on stdout
 * @param head {@code -I}: send HEAD and print the header block only
 * @param verbose {@code -v}: every part as it arrives, with timestamps, on stderr
 * @param silent {@code -s}: no progress line and no error message
 * @param showError {@code -S}: error messages even with {@code -s}
 * @param fail {@code -f}: a status of 400 or more prints no body and exits 22
 * @param location {@code -L}: follow redirects
 * @param maxRedirects {@code --max-redirs}: the most redirects followed; -1 for no limit
 * @param user {@code -u} or the URL's {@code user:password@}: the Basic credentials, or {@code
 *     null}
 * @param compressed {@code --compressed}: ask for gzip or deflate and decode the body
 * @param writeOut {@code -w}: the format printed on stdout after the transfer, or {@code null}
 * @param maxTime {@code --max-time}: the longest the whole operation may take, or {@code null}
 * @param retry the {@code --retry} flags
 * @param httpVersion which HTTP versions to allow: {@code --http1.1}, {@code --http2}, {@code
 *     --http2-prior-knowledge}; the last one given wins
 * @param caCert {@code --cacert}: a PEM file of CA certificates to trust, or {@code null}
 * @param insecure {@code -k}: trust any server certificate and skip host name verification
 * @param timeout {@code --timeout}: the longest wait for connecting, a write, and the next part
 * @param connect how to connect: {@code --resolve}, {@code --unix-socket}, {@code
 *     --connect-timeout}
 * @param proxy the proxy options
 * @param debug {@code --debug}: turn SLF4J debug logging on
 * @param listProviders {@code --providers} (not in the help): list the installed providers
 */
record FetchArgs(
    URI url,
    String method,
    Headers headers,
    RequestData data,
    Path output,
    boolean includeHeaders,
    boolean head,
    boolean verbose,
    boolean silent,
    boolean showError,
    boolean fail,
    boolean location,
    int maxRedirects,
    String user,
    boolean compressed,
    String writeOut,
    Duration maxTime,
    RetryFlags retry,
    HttpVersion httpVersion,
    Path caCert,
    boolean insecure,
    Duration timeout,
    ConnectFlags connect,
    ProxyFlags proxy,
    boolean debug,
    boolean listProviders) {

  /** The wait used when {@code --timeout} is not given. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** The most redirects {@code -L} follows when {@code --max-redirs} is not given (curl's 50). */
  static final int DEFAULT_MAX_REDIRECTS = 50;

  /** The HTTP versions a fetch may speak, as chosen on the command line (curl's flags). */
  enum HttpVersion {
    /** No flag: over https, ALPN offers h2 then http/1.1; over http, HTTP/1.1. */
    ANY,
    /** {@code --http1.1}: HTTP/1.1 only. */
    HTTP1_1,
    /**
     * {@code --http2}: as curl, prefer HTTP/2 and allow HTTP/1.1. Over https ALPN offers h2 first
     * (as by default); over http Mint speaks HTTP/1.1, since it does not do the h2c upgrade (RFC
     * 9113 §3.1 removed it).
     */
    HTTP2,
    /**
     * {@code --http2-prior-knowledge}: HTTP/2 only. Over http the connection starts with the HTTP/2
     * preface (RFC 9113 §3.3); over https ALPN offers h2 alone and a server that selects nothing
     * fails the connection ({@code ALPN_NOT_NEGOTIATED}).
     */
    HTTP2_PRIOR_KNOWLEDGE;

    /** The protocols {@link ConnectOptions#protocols()} allows, most preferred first. */
    List<Protocol> protocols() {
      return switch (this) {
        case ANY, HTTP2 -> List.of(Protocol.HTTP2, Protocol.HTTP1);
        case HTTP1_1 -> List.of(Protocol.HTTP1);
        case HTTP2_PRIOR_KNOWLEDGE -> List.of(Protocol.HTTP2);
      };
    }
  }

  /**
   * Parses the arguments of a fetch (no subcommand) with {@link MintCommand}: the entry point of
   * the parsing tests.
   *
   * @throws UsageException when an option is unknown, lacks its value, or has a bad one
   */
  static FetchArgs parse(String... args) throws UsageException {
    MintCommand command = new MintCommand(MintCommand.Context.none());
    try {
      MintCommand.parser(command).parseArgs(args);
    } catch (picocli.CommandLine.ParameterException e) {
      throw new UsageException(e.getMessage());
    }
    return command.fetchArgs();
  }

  /** Whether this invocation runs the tour. */
  boolean runsTour() {
    return url == null;
  }

  /** The method to send. */
  String effectiveMethod() {
    if (method != null) {
      return method;
    }
    if (head) {
      return "HEAD";
    }
    return data.isEmpty() ? "GET" : "POST";
  }

  /**
   * The request headers to send: those of {@code -H}, then, when not given there, {@code
   * authorization} for {@code -u}, {@code content-type} for form data and {@code accept-encoding}
   * for {@code --compressed}.
   */
  Headers requestHeaders() {
    Headers h = headers;
    if (user != null && !h.contains("authorization")) {
      String token = Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8));
      h = h.with("authorization", "Basic " + token);
    }
    if (data.isForm() && !h.contains("content-type")) {
      h = h.with("content-type", RequestData.FORM_TYPE);
    }
    if (compressed && !h.contains("accept-encoding")) {
      h = h.with("accept-encoding", ContentDecoder.ACCEPTED);
    }
    return h;
  }

  /** These arguments with another URL: the next hop of a redirect. */
  FetchArgs withUrl(URI next) {
    return withRequest(next, method, headers, data, user);
  }

  /** These arguments after a redirect that turns the request into a GET with no body. */
  FetchArgs asGetWithoutBody() {
    Headers kept = headers.without("content-type").without("content-length");
    return withRequest(url, head ? "HEAD" : "GET", kept, RequestData.NONE, user);
  }

  /** These arguments without the credentials: a redirect went to another host. */
  FetchArgs withoutCredentials() {
    return withRequest(url, method, headers.without("authorization").without("cookie"), data, null);
  }

  /** These arguments with another request; every other flag as it is. */
  private FetchArgs withRequest(
      URI url, String method, Headers headers, RequestData data, String user) {
    return new FetchArgs(
        url,
        method,
        headers,
        data,
        output,
        includeHeaders,
        head,
        verbose,
        silent,
        showError,
        fail,
        location,
        maxRedirects,
        user,
        compressed,
        writeOut,
        maxTime,
        retry,
        httpVersion,
        caCert,
        insecure,
        timeout,
        connect,
        proxy,
        debug,
        listProviders);
  }

  /**
   * The options {@code Mint.connect} gets: passive mode, the timeout for connecting and writing,
   * the allowed protocols, for https the trust settings, and the {@link ConnectFlags}.
   */
  ConnectOptions connectOptions() {
    TlsOptions tls = TlsOptions.defaults();
    if (caCert != null) {
      tls = tls.withCaCertificatesPem(caCert);
    }
    if (insecure) {
      tls = tls.withInsecureTrustAllCertificates(true);
    }
    ConnectOptions.Builder b =
        ConnectOptions.builder()
            .mode(Mode.PASSIVE)
            .connectTimeout(timeout)
            .writeTimeout(timeout)
            .protocols(httpVersion.protocols())
            .tls(tls);
    return connect.applyTo(b).build();
  }

  /**
   * Parses a URL as the command takes it: http or https, with a host.
   *
   * @throws UsageException when it is malformed (curl's exit status 3)
   */
  static URI parseUrl(String text) throws UsageException {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw UsageException.badUrl("bad URL '" + text + "': " + e.getReason());
    }
    if (uri.getScheme() == null) {
      throw UsageException.badUrl("the URL needs a scheme (http:// or https://): " + text);
    }
    try {
      Scheme.parse(uri.getScheme());
    } catch (IllegalArgumentException e) {
      throw UsageException.badUrl(e.getMessage());
    }
    if (uri.getHost() == null) {
      throw UsageException.badUrl("the URL needs a host: " + text);
    }
    return uri;
  }

  /** The URL without its {@code user:password@}. */
  static URI withoutUserInfo(URI uri) {
    if (uri.getRawUserInfo() == null) {
      return uri;
    }
    String text = uri.toString();
    int at = text.indexOf('@', text.indexOf("//") + 2);
    return URI.create(text.substring(0, text.indexOf("//") + 2) + text.substring(at + 1));
  }

  /** Splits {@code name: value} at the first colon (RFC 9112 §5: field-name ":" OWS value OWS). */
  static void addHeader(Headers.Builder headers, String line) throws UsageException {
    int colon = line.indexOf(':');
    if (colon <= 0) {
      throw new UsageException("a header is written 'name: value', got '" + line + "'");
    }
    try {
      headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
    } catch (IllegalArgumentException e) {
      throw new UsageException("-H: " + e.getMessage());
    }
  }

  /** A file name given to {@code option}, checked. */
  static Path parsePath(String text, String option) throws UsageException {
    if (text.isEmpty()) {
      throw new UsageException(option + " needs a file name");
    }
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new UsageException(option + ": bad file name '" + text + "': " + e.getReason());
    }
  }
}
