package dev.mint.cli;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The parsed arguments of one {@code mint} invocation. Options follow curl's spelling where curl
 * has one.
 *
 * @param url the URL to fetch; {@code null} runs the tour against an embedded server
 * @param method the method given with {@code -X}, or {@code null} for the default (GET, or POST
 *     when there is data)
 * @param headers the request headers given with {@code -H}, in order
 * @param data the request body given inline with {@code -d}, or {@code null}
 * @param dataFile the file given with {@code -d @file}, streamed as the request body, or {@code
 *     null}
 * @param output the file given with {@code -o} for the response body, or {@code null} for stdout
 * @param includeHeaders {@code -i}: print the status line and headers on stdout before the body
 * @param verbose {@code -v}: print every response part as it arrives, with timestamps, on stderr
 * @param httpVersion which HTTP versions to allow: {@code --http1.1}, {@code --http2}, {@code
 *     --http2-prior-knowledge}; the last one given wins
 * @param caCert {@code --cacert}: a PEM file of CA certificates to trust instead of the JDK's, or
 *     {@code null}
 * @param insecure {@code -k}, {@code --insecure}: trust any server certificate and skip host name
 *     verification
 * @param timeout {@code --timeout}: the longest wait for connecting, for a write, and for the next
 *     response part
 * @param proxy the proxy options: {@code --proxy}, {@code --proxy-user}, {@code --proxy-header},
 *     {@code --noproxy}, {@code --proxy-cacert}, {@code --proxy-insecure}, {@code --proxytunnel}
 * @param debug {@code --debug}: turn SLF4J debug logging on
 * @param listProviders {@code --providers} (not in the help): list the installed providers
 * @param help {@code -h}: print the usage
 */
record CommandLine(
    URI url,
    String method,
    Headers headers,
    String data,
    Path dataFile,
    Path output,
    boolean includeHeaders,
    boolean verbose,
    HttpVersion httpVersion,
    Path caCert,
    boolean insecure,
    Duration timeout,
    ProxyFlags proxy,
    boolean debug,
    boolean listProviders,
    boolean help) {

  /** The wait used when {@code --timeout} is not given. */
  static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

  /** The text {@code --help} prints. */
  static final String USAGE =
      String.join(
          "\n",
          "usage: mint [options] [URL]",
          "",
          "Without a URL, runs a short tour of the library against an embedded local server.",
          "",
          "  -X, --request METHOD    the request method (default GET, or POST with -d)",
          "  -H, --header 'N: V'     a request header (repeatable)",
          "  -d, --data DATA         a request body; -d @FILE streams the file",
          "  -o, --output FILE       write the response body to FILE instead of stdout",
          "  -i, --include           print the status line and headers on stdout",
          "  -v, --verbose           print every response part as it arrives, on stderr",
          "      --http1.1           speak HTTP/1.1 only",
          "      --http2             prefer HTTP/2: offered first by ALPN over https, HTTP/1.1",
          "                          allowed too (over http:// this still speaks HTTP/1.1)",
          "      --http2-prior-knowledge",
          "                          HTTP/2 only: over https it must be negotiated by ALPN;",
          "                          over http it is spoken at once, without upgrade",
          "      --cacert FILE       trust the CA certificates in this PEM file (https)",
          "  -k, --insecure          trust any certificate and skip host name checks (tests",
          "                          only: anyone on the path can read and change the traffic)",
          "      --timeout SECONDS   the longest wait for connecting and for each part (30)",
          "  -x, --proxy URL         go through this proxy: http://, https://, socks5:// (names",
          "                          resolved here), socks5h:// (by the proxy); '' for none",
          "  -U, --proxy-user U:P    the proxy's user name and password",
          "      --proxy-header 'N: V'",
          "                          a field for an HTTP proxy only (repeatable)",
          "      --noproxy LIST      hosts to reach directly (commas; '*' for all), instead of",
          "                          NO_PROXY",
          "      --proxy-cacert FILE trust the CA certificates in this PEM file for an HTTPS proxy",
          "      --proxy-insecure    trust any certificate of an HTTPS proxy (tests only)",
          "  -p, --proxytunnel       tunnel http URLs through an HTTP proxy (CONNECT) instead",
          "                          of sending it the requests",
          "      --debug             turn on the library's debug logging",
          "  -h, --help              print this help",
          "",
          "Without --proxy, http_proxy, https_proxy, all_proxy (or upper case) name the proxy,",
          "and no_proxy (or NO_PROXY) the hosts reached directly.",
          "",
          "Exit status: 0 when a response arrived, 1 when the request failed,",
          "2 for a usage error, 3 when a local file cannot be read or written;",
          "as curl, 5 when the proxy's name does not resolve, 7 when the proxy cannot be",
          "connected to, 28 when connecting through it times out, 56 when an HTTP",
          "proxy refuses the tunnel (407 and others), 97 for a SOCKS5 failure.");

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

  /** Whether this invocation runs the tour. */
  boolean runsTour() {
    return url == null;
  }

  /** The method to send. */
  String effectiveMethod() {
    if (method != null) {
      return method;
    }
    return data != null || dataFile != null ? "POST" : "GET";
  }

  /**
   * The options {@code Mint.connect} gets: passive mode, the timeout for connecting and writing,
   * the allowed protocols and, for https, the trust settings.
   */
  ConnectOptions connectOptions() {
    TlsOptions tls = TlsOptions.defaults();
    if (caCert != null) {
      tls = tls.withCaCertificatesPem(caCert);
    }
    if (insecure) {
      tls = tls.withInsecureTrustAllCertificates(true);
    }
    return ConnectOptions.builder()
        .mode(Mode.PASSIVE)
        .connectTimeout(timeout)
        .writeTimeout(timeout)
        .protocols(httpVersion.protocols())
        .tls(tls)
        .build();
  }

  /**
   * Parses {@code args}.
   *
   * @throws UsageException when an option is unknown, lacks its value, or has a bad one
   */
  static CommandLine parse(String... args) throws UsageException {
    Parser p = new Parser(args);
    URI url = null;
    String method = null;
    Headers.Builder headers = Headers.builder();
    String data = null;
    Path dataFile = null;
    Path output = null;
    boolean include = false;
    boolean verbose = false;
    HttpVersion httpVersion = HttpVersion.ANY;
    Path caCert = null;
    boolean insecure = false;
    Duration timeout = DEFAULT_TIMEOUT;
    ProxyFlags.Builder proxy = new ProxyFlags.Builder();
    boolean debug = false;
    boolean providers = false;
    boolean help = false;
    boolean optionsEnded = false;

    while (p.hasNext()) {
      String arg = p.next();
      if (optionsEnded || !arg.startsWith("-") || arg.equals("-")) {
        if (url != null) {
          throw new UsageException("only one URL may be given, got " + url + " and " + arg);
        }
        url = parseUrl(arg);
        continue;
      }
      String name = p.optionName(arg);
      switch (name) {
        case "--" -> optionsEnded = true;
        case "-X", "--request" -> method = p.value(arg, name);
        case "-H", "--header" -> addHeader(headers, p.value(arg, name));
        case "-d", "--data" -> {
          String value = p.value(arg, name);
          if (value.startsWith("@")) {
            dataFile = Path.of(value.substring(1));
            data = null;
          } else {
            data = value;
            dataFile = null;
          }
        }
        case "-o", "--output" -> output = Path.of(p.value(arg, name));
        case "-i", "--include" -> include = true;
        case "-v", "--verbose" -> verbose = true;
        case "--http1.1" -> httpVersion = HttpVersion.HTTP1_1;
        case "--http2" -> httpVersion = HttpVersion.HTTP2;
        case "--http2-prior-knowledge" -> httpVersion = HttpVersion.HTTP2_PRIOR_KNOWLEDGE;
        case "--cacert" -> caCert = parsePath(p.value(arg, name), name);
        case "-k", "--insecure" -> insecure = true;
        case "--timeout" -> timeout = parseSeconds(p.value(arg, name));
        case "-x", "--proxy" -> proxy.proxy(p.value(arg, name));
        case "-U", "--proxy-user" -> proxy.user(p.value(arg, name));
        case "--proxy-header" -> proxy.header(p.value(arg, name));
        case "--noproxy" -> proxy.noProxy(p.value(arg, name));
        case "--proxy-cacert" -> proxy.caCert(parsePath(p.value(arg, name), name));
        case "--proxy-insecure" -> proxy.insecure();
        case "-p", "--proxytunnel" -> proxy.tunnel();
        case "--debug" -> debug = true;
        case "--providers" -> providers = true;
        case "-h", "--help" -> help = true;
        default -> throw new UsageException("unknown option " + arg);
      }
    }
    if (method != null && !method.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
      throw new UsageException("the method must be a token, got '" + method + "'");
    }
    return new CommandLine(
        url,
        method,
        headers.build(),
        data,
        dataFile,
        output,
        include,
        verbose,
        httpVersion,
        caCert,
        insecure,
        timeout,
        proxy.build(),
        debug,
        providers,
        help);
  }

  private static URI parseUrl(String text) throws UsageException {
    URI uri;
    try {
      uri = new URI(text);
    } catch (URISyntaxException e) {
      throw new UsageException("bad URL '" + text + "': " + e.getReason());
    }
    if (uri.getScheme() == null) {
      throw new UsageException("the URL needs a scheme (http:// or https://): " + text);
    }
    try {
      Scheme.parse(uri.getScheme());
    } catch (IllegalArgumentException e) {
      throw new UsageException(e.getMessage());
    }
    if (uri.getHost() == null) {
      throw new UsageException("the URL needs a host: " + text);
    }
    return uri;
  }

  /** Splits {@code name: value} at the first colon (RFC 9112 §5: field-name ":" OWS value OWS). */
  private static void addHeader(Headers.Builder headers, String line) throws UsageException {
    int colon = line.indexOf(':');
    if (colon <= 0) {
      throw new UsageException("a header is written 'name: value', got '" + line + "'");
    }
    headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
  }

  private static Path parsePath(String text, String option) throws UsageException {
    if (text.isEmpty()) {
      throw new UsageException(option + " needs a file name");
    }
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new UsageException(option + ": bad file name '" + text + "': " + e.getReason());
    }
  }

  private static Duration parseSeconds(String text) throws UsageException {
    try {
      BigDecimal seconds = new BigDecimal(text);
      long millis = seconds.movePointRight(3).longValueExact();
      if (millis <= 0) {
        throw new UsageException("--timeout must be positive, got " + text);
      }
      return Duration.ofMillis(millis);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new UsageException("--timeout takes a number of seconds, got '" + text + "'");
    }
  }

  /** Walks the arguments; a short option may carry its value attached ({@code -XPOST}). */
  private static final class Parser {
    private static final List<String> SHORT_WITH_VALUE =
        List.of("-X", "-H", "-d", "-o", "-x", "-U");

    private final String[] args;
    private int next;

    Parser(String[] args) {
      this.args = args;
    }

    boolean hasNext() {
      return next < args.length;
    }

    String next() {
      return args[next++];
    }

    /** The option an argument names: {@code -XPOST} names {@code -X}, {@code --a=b} names --a. */
    String optionName(String arg) {
      if (arg.startsWith("--")) {
        int eq = arg.indexOf('=');
        return (eq < 0 ? arg : arg.substring(0, eq)).toLowerCase(Locale.ROOT);
      }
      return arg.length() > 2 && SHORT_WITH_VALUE.contains(arg.substring(0, 2))
          ? arg.substring(0, 2)
          : arg;
    }

    /** The value of option {@code name}: attached to {@code arg}, or the next argument. */
    String value(String arg, String name) throws UsageException {
      if (arg.length() > name.length()) {
        return arg.startsWith("--") ? arg.substring(name.length() + 1) : arg.substring(2);
      }
      if (!hasNext()) {
        throw new UsageException(name + " needs a value");
      }
      return next();
    }
  }
}
