package dev.mint.cli;

import dev.mint.Headers;
import dev.mint.Scheme;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
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
 * @param http11Only {@code --http1.1}: allow HTTP/1.1 only
 * @param timeout {@code --timeout}: the longest wait for connecting, for a write, and for the next
 *     response part
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
    boolean http11Only,
    Duration timeout,
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
          "      --timeout SECONDS   the longest wait for connecting and for each part (30)",
          "      --debug             turn on the library's debug logging",
          "  -h, --help              print this help",
          "",
          "Exit status: 0 when a response arrived, 1 when the request failed,",
          "2 for a usage error, 3 when a local file cannot be read or written.");

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
    boolean http11 = false;
    Duration timeout = DEFAULT_TIMEOUT;
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
        case "--http1.1" -> http11 = true;
        case "--timeout" -> timeout = parseSeconds(p.value(arg, name));
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
        http11,
        timeout,
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
    private static final List<String> SHORT_WITH_VALUE = List.of("-X", "-H", "-d", "-o");

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
