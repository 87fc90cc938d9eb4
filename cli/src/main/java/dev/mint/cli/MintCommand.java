// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import dev.mint.Headers;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code mint} command as picocli reads it: {@code mint [options] URL} fetches the URL, curl
 * style; {@code mint} alone runs the tour; the subcommands do the rest.
 *
 * <p>Subcommands: {@code load} ({@link LoadCommand}) and {@code ws} ({@link WsSubcommand}, which
 * hands its arguments unparsed to the WebSocket console of package {@code dev.mint.cli.ws}). A new
 * one is a picocli {@code @Command} class listed in {@code subcommands} below.
 *
 * <p>Parsing and running are two steps: picocli fills the fields, then {@link #fetchArgs()} checks
 * their values into a {@link FetchArgs}, so that a bad value is a usage error naming the flag.
 */
@Command(
    name = "mint",
    synopsisHeading = "",
    commandListHeading = "%nCommands:%n",
    optionListHeading = "%nOptions:%n",
    customSynopsis = {
      "usage: mint [options] URL        fetch URL, curl style",
      "       mint load [options] URL   load test it, h2load style (mint load --help)",
      "       mint ws [options] URL     a WebSocket console (mint ws --help)",
      "       mint                      a tour of the library on an embedded server"
    },
    subcommands = {
      LoadCommand.class,
      WsSubcommand.class,
    },
    versionProvider = MintCommand.Version.class,
    sortOptions = false,
    usageHelpWidth = 80,
    abbreviateSynopsis = true,
    footerHeading = "%n",
    footer = {
      "-w variables: %%{http_code} %%{response_code} %%{http_version} %%{method}",
      "  %%{num_redirects} %%{url_effective} %%{content_type} %%{scheme} %%{remote_ip}",
      "  %%{remote_port} %%{size_download} %%{size_upload} %%{speed_download}",
      "  %%{time_connect} %%{time_starttransfer} %%{time_total} %%{exitcode} %%{errormsg};",
      "  \\n, \\t, \\r and %%%% as in curl.",
      "",
      "Without --proxy, http_proxy, https_proxy, all_proxy (or upper case) name the",
      "proxy, and no_proxy (or NO_PROXY) the hosts reached directly."
    },
    exitCodeListHeading = "%nExit status, as curl's:%n",
    exitCodeList = {})
final class MintCommand implements Callable<Integer> {

  /**
   * Where the command reads and writes.
   *
   * @param env the environment, where the {@code *_proxy} variables are read
   * @param in standard input
   * @param out standard output
   * @param err standard error
   * @param terminal whether a user watches (progress lines are drawn only then)
   */
  record Context(
      Map<String, String> env, InputStream in, PrintStream out, PrintStream err, boolean terminal) {
    /** No environment, no input, output dropped: for parsing alone. */
    static Context none() {
      PrintStream nowhere = new PrintStream(PrintStream.nullOutputStream(), true);
      return new Context(Map.of(), InputStream.nullInputStream(), nowhere, nowhere, false);
    }
  }

  private final Context context;

  @Parameters(arity = "0..1", paramLabel = "URL", description = "the URL to fetch", hidden = true)
  private String url;

  @Option(
      order = 0,
      names = {"-X", "--request"},
      paramLabel = "METHOD",
      description = "the method (default GET; HEAD with -I, POST with data)")
  private String method;

  @Option(
      order = 1,
      names = {"-H", "--header"},
      paramLabel = "'N: V'",
      description = "a request header (repeatable)")
  private List<String> headers = new ArrayList<>();

  private final List<RequestData.Piece> data = new ArrayList<>();

  @Option(
      order = 6,
      names = {"-o", "--output"},
      paramLabel = "FILE",
      description = "write the body to FILE (a progress line shows on a terminal)")
  private String output;

  @Option(
      order = 7,
      names = {"-i", "--include"},
      description = "the status line and headers on stdout, before the body")
  private boolean include;

  @Option(
      order = 8,
      names = {"-I", "--head"},
      description = "send HEAD; print the status line and headers on stdout")
  private boolean head;

  @Option(
      order = 9,
      names = {"-v", "--verbose"},
      description =
          "on stderr, with timestamps: the request as sent, each response part, the protocol, TLS and HTTP/2 settings")
  private boolean verbose;

  @Option(
      order = 10,
      names = {"-s", "--silent"},
      description = "no progress line, no header block and no error message")
  private boolean silent;

  @Option(
      order = 11,
      names = {"-S", "--show-error"},
      description = "with -s, still print the error message")
  private boolean showError;

  @Option(
      order = 12,
      names = {"-f", "--fail"},
      description = "a status of 400 or more prints no body and exits 22")
  private boolean fail;

  @Option(
      order = 13,
      names = {"-L", "--location"},
      description =
          "follow redirects (3xx with location); 301, 302 and 303 turn a POST into a GET; -u is dropped when the host changes")
  private boolean location;

  @Option(
      order = 14,
      names = "--max-redirs",
      paramLabel = "N",
      description = "the most redirects -L follows (default 50; -1 for no limit)")
  private int maxRedirects = FetchArgs.DEFAULT_MAX_REDIRECTS;

  @Option(
      order = 15,
      names = {"-u", "--user"},
      paramLabel = "USER:PW",
      description = "Basic credentials for the server; a user:pw@ in the URL does the same")
  private String user;

  @Option(
      order = 16,
      names = "--compressed",
      description =
          "ask for gzip or deflate and decode the body (brotli and zstd are not offered: the JDK decodes neither)")
  private boolean compressed;

  @Option(
      order = 17,
      names = {"-w", "--write-out"},
      paramLabel = "FORMAT",
      description = "print FORMAT on stdout after the transfer, its variables (below) replaced")
  private String writeOut;

  @Option(
      order = 18,
      names = {"-m", "--max-time"},
      paramLabel = "SECONDS",
      description = "the longest the whole operation may take")
  private String maxTime;

  @Option(
      order = 19,
      names = "--retry",
      paramLabel = "N",
      description =
          "try a transient failure again N times: a timeout, a name that did not resolve, 408, 429, 500, 502, 503, 504; waits 1 s, then twice as long each time (or retry-after)")
  private int retry;

  @Option(
      order = 20,
      names = "--retry-delay",
      paramLabel = "SECONDS",
      description = "a fixed wait between retries instead")
  private String retryDelay;

  @Option(
      order = 21,
      names = "--retry-max-time",
      paramLabel = "SECONDS",
      description = "start no retry after this long")
  private String retryMaxTime;

  @Option(
      order = 22,
      names = "--retry-connrefused",
      description = "a refused connection is transient too")
  private boolean retryConnectionRefused;

  private FetchArgs.HttpVersion httpVersion = FetchArgs.HttpVersion.ANY;

  @Option(
      order = 26,
      names = "--cacert",
      paramLabel = "FILE",
      description = "trust the CA certificates of this PEM file (https)")
  private String caCert;

  @Option(
      order = 27,
      names = {"-k", "--insecure"},
      description =
          "trust any certificate and skip the host name check (tests only: prints a warning)")
  private boolean insecure;

  @Option(
      order = 28,
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "the longest wait for connecting and for each part (30)")
  private String timeout;

  @Option(
      order = 29,
      names = "--connect-timeout",
      paramLabel = "SECONDS",
      description = "the longest wait for connecting (default: --timeout)")
  private String connectTimeout;

  @Option(
      order = 30,
      names = "--resolve",
      paramLabel = "HOST:PORT:ADDR[,ADDR]",
      description =
          "connect to ADDR for HOST on PORT, without asking DNS (repeatable); several addresses are raced")
  private List<String> resolve = new ArrayList<>();

  @Option(
      order = 31,
      names = "--unix-socket",
      paramLabel = "PATH",
      description =
          "connect to this Unix domain socket; the URL's host still names the origin (host field, TLS name)")
  private String unixSocket;

  @Option(
      order = 32,
      names = {"-x", "--proxy"},
      paramLabel = "URL",
      description =
          "go through this proxy: http://, https://, socks5:// (names resolved here), socks5h:// (by the proxy); '' for none")
  private String proxy;

  @Option(
      order = 33,
      names = {"-U", "--proxy-user"},
      paramLabel = "USER:PW",
      description = "the proxy's user name and password")
  private String proxyUser;

  @Option(
      order = 34,
      names = "--proxy-header",
      paramLabel = "'N: V'",
      description = "a field for an HTTP proxy only (repeatable)")
  private List<String> proxyHeaders = new ArrayList<>();

  @Option(
      order = 35,
      names = "--noproxy",
      paramLabel = "LIST",
      description = "hosts reached directly (commas; '*' for all), not NO_PROXY")
  private String noProxy;

  @Option(
      order = 36,
      names = "--proxy-cacert",
      paramLabel = "FILE",
      description = "trust the CA certificates of this PEM file for an HTTPS proxy")
  private String proxyCaCert;

  @Option(
      order = 37,
      names = "--proxy-insecure",
      description = "trust any certificate of an HTTPS proxy (tests only)")
  private boolean proxyInsecure;

  @Option(
      order = 38,
      names = {"-p", "--proxytunnel"},
      description =
          "tunnel http URLs through an HTTP proxy (CONNECT) instead of sending it the requests")
  private boolean proxyTunnel;

  @Option(
      order = 39,
      names = "--debug",
      description = "turn on the library's debug logging (SLF4J)")
  private boolean debug;

  @Option(
      order = 40,
      names = "--providers",
      hidden = true,
      description = "list the installed providers")
  private boolean providers;

  @Option(
      order = 41,
      names = {"-h", "--help"},
      usageHelp = true,
      description = "print this help")
  private boolean help;

  @Option(
      order = 42,
      names = {"-V", "--version"},
      versionHelp = true,
      description = "print the version")
  private boolean version;

  /** A command that runs in {@code context}. */
  MintCommand(Context context) {
    this.context = context;
  }

  /**
   * The picocli parser of {@code command}, set up as the command needs it: {@code @} in a value is
   * data, not an argument file; a flag given again overrides (or, for -d, adds); the exit status
   * list is {@link ExitStatus#HELP}.
   */
  static CommandLine parser(MintCommand command) {
    CommandLine cl = new CommandLine(command);
    cl.setExpandAtFiles(false);
    cl.setOverwrittenOptionsAllowed(true); // as curl: a flag given twice, the last one wins
    cl.setOut(new PrintWriter(command.context.out(), true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(command.context.err(), true, StandardCharsets.UTF_8));
    cl.getCommandSpec().usageMessage().exitCodeList(exitCodes());
    for (CommandLine sub : cl.getSubcommands().values()) {
      sub.setExpandAtFiles(false);
    }
    return cl;
  }

  private static Map<String, String> exitCodes() {
    Map<String, String> codes = new java.util.LinkedHashMap<>();
    for (String line : ExitStatus.HELP) {
      int colon = line.indexOf(':');
      codes.put(line.substring(0, colon), line.substring(colon + 1));
    }
    return codes;
  }

  /** The environment and streams this command runs with. */
  Context context() {
    return context;
  }

  @Option(
      order = 2,
      names = {"-d", "--data"},
      paramLabel = "DATA",
      description =
          "a form body (application/x-www-form-urlencoded, or the -H type); -d @FILE sends the file without CR and LF; several are joined with &")
  private void data(String value) {
    data.add(new RequestData.Piece(RequestData.Kind.DATA, value));
  }

  @Option(
      order = 3,
      names = "--data-raw",
      paramLabel = "DATA",
      description = "as -d, @ taken literally")
  private void dataRaw(String value) {
    data.add(new RequestData.Piece(RequestData.Kind.RAW, value));
  }

  @Option(
      order = 4,
      names = "--data-binary",
      paramLabel = "DATA",
      description = "as -d, the bytes unchanged; @FILE is streamed in chunks")
  private void dataBinary(String value) {
    data.add(new RequestData.Piece(RequestData.Kind.BINARY, value));
  }

  @Option(
      order = 5,
      names = "--data-urlencode",
      paramLabel = "[NAME]=TEXT|[NAME]@FILE",
      description = "as -d, the text or the file percent-encoded")
  private void dataUrlencode(String value) {
    data.add(new RequestData.Piece(RequestData.Kind.URLENCODE, value));
  }

  @Option(order = 23, names = "--http1.1", description = "speak HTTP/1.1 only")
  private void http11(boolean on) {
    httpVersion = FetchArgs.HttpVersion.HTTP1_1;
  }

  @Option(
      order = 24,
      names = "--http2",
      description =
          "prefer HTTP/2: offered first by ALPN over https, HTTP/1.1 allowed too (over http:// this still speaks HTTP/1.1)")
  private void http2(boolean on) {
    httpVersion = FetchArgs.HttpVersion.HTTP2;
  }

  @Option(
      order = 25,
      names = "--http2-prior-knowledge",
      description =
          "HTTP/2 only: over https it must be negotiated by ALPN; over http it is spoken at once, without upgrade")
  private void http2PriorKnowledge(boolean on) {
    httpVersion = FetchArgs.HttpVersion.HTTP2_PRIOR_KNOWLEDGE;
  }

  /** Runs the fetch, the tour or the provider list; see {@link Main} for the statuses. */
  @Override
  public Integer call() {
    FetchArgs args;
    try {
      args = fetchArgs();
    } catch (UsageException e) {
      context.err().println("mint: " + e.getMessage());
      return e.exitStatus();
    }
    return Main.runFetch(args, context);
  }

  /**
   * The fields picocli filled, checked.
   *
   * @throws UsageException naming the flag whose value is bad
   */
  FetchArgs fetchArgs() throws UsageException {
    Headers.Builder h = Headers.builder();
    for (String line : headers) {
      FetchArgs.addHeader(h, line);
    }
    if (method != null && !method.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
      throw new UsageException("the method must be a token, got '" + method + "'");
    }
    if (maxRedirects < -1) {
      throw new UsageException("--max-redirs must be -1 or more, got " + maxRedirects);
    }
    if (retry < 0) {
      throw new UsageException("--retry must be 0 or more, got " + retry);
    }
    java.net.URI target = null;
    String credentials = user;
    if (url != null) {
      target = FetchArgs.parseUrl(url);
      if (target.getRawUserInfo() != null && credentials == null) {
        // Percent-decoding (RFC 3986 §2.1): a '+' in the user info is a plus, not a space.
        String raw = target.getRawUserInfo().replace("+", "%2B");
        credentials = java.net.URLDecoder.decode(raw, StandardCharsets.UTF_8);
      }
      target = FetchArgs.withoutUserInfo(target);
    }
    if (credentials != null && credentials.indexOf(':') < 0) {
      throw new UsageException("-u takes USER:PASSWORD, got '" + credentials + "'");
    }
    return new FetchArgs(
        target,
        method,
        h.build(),
        new RequestData(data),
        output == null ? null : FetchArgs.parsePath(output, "--output"),
        include || head,
        head,
        verbose,
        silent,
        showError,
        fail,
        location,
        maxRedirects,
        credentials,
        compressed,
        writeOut,
        optionalSeconds("--max-time", maxTime),
        retryFlags(),
        httpVersion,
        caCert == null ? null : FetchArgs.parsePath(caCert, "--cacert"),
        insecure,
        timeout == null ? FetchArgs.DEFAULT_TIMEOUT : ConnectFlags.seconds("--timeout", timeout),
        connectFlags(),
        proxyFlags(),
        debug,
        providers);
  }

  private RetryFlags retryFlags() throws UsageException {
    return new RetryFlags(
        retry,
        retryDelay == null ? null : ConnectFlags.secondsOrZero("--retry-delay", retryDelay),
        optionalSeconds("--retry-max-time", retryMaxTime),
        retryConnectionRefused);
  }

  private ConnectFlags connectFlags() throws UsageException {
    ConnectFlags.Builder b = new ConnectFlags.Builder();
    for (String entry : resolve) {
      b.resolve(entry);
    }
    if (unixSocket != null) {
      b.unixSocket(FetchArgs.parsePath(unixSocket, "--unix-socket"));
    }
    if (connectTimeout != null) {
      b.connectTimeout(connectTimeout);
    }
    return b.build();
  }

  private ProxyFlags proxyFlags() throws UsageException {
    ProxyFlags.Builder b = new ProxyFlags.Builder();
    if (proxy != null) {
      b.proxy(proxy);
    }
    if (proxyUser != null) {
      b.user(proxyUser);
    }
    for (String line : proxyHeaders) {
      b.header(line);
    }
    if (noProxy != null) {
      b.noProxy(noProxy);
    }
    if (proxyCaCert != null) {
      b.caCert(FetchArgs.parsePath(proxyCaCert, "--proxy-cacert"));
    }
    if (proxyInsecure) {
      b.insecure();
    }
    if (proxyTunnel) {
      b.tunnel();
    }
    return b.build();
  }

  private static Duration optionalSeconds(String option, String text) throws UsageException {
    return text == null ? null : ConnectFlags.seconds(option, text);
  }

  /** {@code --version}: the project's version, the library's user agent, the JVM's. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() throws Exception {
      Properties p = new Properties();
      try (InputStream in = MintCommand.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      }
      return new String[] {
        "mint "
            + p.getProperty("version", "unknown")
            + " ("
            + dev.mint.ConnectOptions.DEFAULT_USER_AGENT
            + "; Java "
            + Runtime.version()
            + ")"
      };
    }
  }
}
