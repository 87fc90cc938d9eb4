// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import dev.mint.Headers;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * {@code mint [options] URL}: one fetch, curl style, as a series of {@link Exchange}s: one per
 * redirect followed ({@code -L}) and per retry ({@code --retry}).
 *
 * <p>Output: the response body goes to stdout (or the {@code -o} file). The status line and headers
 * go to stderr, or to stdout before the body with {@code -i}, or nowhere with {@code -s} or {@code
 * -v} (which shows them with the rest). Over TLS {@code -v} shows the session and certificate, over
 * HTTP/2 the server's settings. Only the final response's body is written: the bodies of redirects
 * followed, of responses about to be retried, and of errors with {@code -f} are dropped.
 *
 * <p>A write to stdout that fails (the reader of a pipe went away) ends the fetch at once with
 * status 23: the connection is closed rather than drained.
 */
final class Fetch {
  /** The statuses {@code -L} follows when they carry a {@code location} (RFC 9110 §15.4). */
  private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);

  private final FetchArgs first;
  private final MintCommand.Context context;
  private final PrintStream out;
  private final PrintStream err;
  private final VerboseLog log;
  private final TransferStats stats = new TransferStats();
  private final Exchange.Deadline deadline;

  private FetchArgs current;
  private int redirects;
  private OutputStream fileOutput;
  private Progress progress;

  Fetch(FetchArgs args, MintCommand.Context context) {
    this.first = args;
    this.current = args;
    this.context = context;
    this.out = context.out();
    this.err = context.err();
    this.log = new VerboseLog(err, args.verbose(), args.silent());
    this.deadline = new Exchange.Deadline(args.maxTime());
  }

  /**
   * Runs the fetch, reporting a failure on stderr ({@code mint: ...}, unless {@code -s} without
   * {@code -S}) and {@code -w} on stdout.
   *
   * @return the exit status ({@link ExitStatus})
   */
  int run() {
    int exit = ExitStatus.OK;
    String error = null;
    try {
      checkLocalFiles();
      runWithRetries();
    } catch (Failure f) {
      exit = f.exitStatus();
      error = f.getMessage();
      report(f);
    } finally {
      closeFileOutput();
      if (progress != null) {
        progress.finish();
      }
    }
    if (first.writeOut() != null && exit != ExitStatus.WRITE_ERROR) {
      String method = current.effectiveMethod();
      out.print(
          WriteOut.format(
              first.writeOut(),
              stats.variables(current.url(), method, redirects, exit, error),
              name -> log.warning("-w: unknown variable %{" + name + "}")));
      out.flush();
    }
    return exit;
  }

  private void report(Failure f) {
    if (first.silent() && !first.showError()) {
      return;
    }
    err.println("mint: " + f.getMessage());
    if (f.hint() != null) {
      err.println("mint: " + f.hint());
    }
  }

  private void checkLocalFiles() throws Failure {
    if (first.url().getScheme().equalsIgnoreCase("https")) {
      if (first.caCert() != null && !Files.isReadable(first.caCert())) {
        throw new Failure(
            ExitStatus.CA_CERT_BAD_FILE, "cannot read the --cacert file " + first.caCert());
      }
      if (first.insecure()) {
        log.warning(
            "--insecure: the server's certificate and host name are not verified;"
                + " anyone on the path can read and change this exchange");
      }
    }
  }

  /** Fetches, trying a transient failure again as {@code --retry} allows. */
  private void runWithRetries() throws Failure {
    RetryFlags retry = first.retry();
    long firstTry = System.nanoTime();
    for (int attempt = 0; ; attempt++) {
      boolean mayRetry = attempt < retry.count() && withinRetryTime(retry, firstTry);
      Exchange.Response response;
      try {
        response = followRedirects(mayRetry);
      } catch (Failure f) {
        if (mayRetry && retry.transientFailure(f.exitStatus())) {
          pauseBeforeRetry(attempt + 1, -1, f.getMessage());
          continue;
        }
        throw f;
      }
      if (mayRetry && RetryFlags.transientStatus(response.status())) {
        pauseBeforeRetry(attempt + 1, retryAfter(response.headers()), "HTTP " + response.status());
        continue;
      }
      if (first.fail() && response.status() >= 400) {
        throw new Failure(
            ExitStatus.HTTP_RETURNED_ERROR,
            "the server answered " + (response.status() + " " + response.reason()).trim());
      }
      return;
    }
  }

  private static boolean withinRetryTime(RetryFlags retry, long firstTry) {
    return retry.maxTime() == null || System.nanoTime() - firstTry < retry.maxTime().toNanos();
  }

  private void pauseBeforeRetry(int retry, long retryAfter, String why) throws Failure {
    Duration wait = first.retry().wait(retry, retryAfter);
    Duration left = deadline.left();
    if (left != null && wait.compareTo(left) >= 0) {
      throw new Failure(
          ExitStatus.TIMED_OUT, why + "; no time is left under --max-time for another try");
    }
    int remaining = first.retry().count() - retry;
    log.warning(
        String.format(
            Locale.ROOT,
            "%s: a transient failure; retrying in %s s, %d %s left",
            why,
            wait.toMillis() / 1000.0,
            remaining,
            remaining == 1 ? "retry" : "retries"));
    current = first;
    redirects = 0;
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(ExitStatus.FAILED, "interrupted while waiting to retry");
    }
  }

  /** The {@code retry-after} of a response in seconds (RFC 9110 §10.2.3), or -1. */
  private static long retryAfter(Headers headers) {
    String value = headers.get("retry-after");
    if (value == null || !value.trim().matches("[0-9]{1,6}")) {
      return -1; // an HTTP-date is not read: the backoff applies
    }
    return Long.parseLong(value.trim());
  }

  /** Runs exchanges until one is not a redirect to follow. */
  private Exchange.Response followRedirects(boolean mayRetry) throws Failure {
    while (true) {
      Exchange exchange = new Exchange(current, context.env(), deadline, log, stats);
      Exchange.Response response = exchange.run(new Handler(mayRetry));
      URI next = redirectTarget(response);
      if (next == null) {
        return response;
      }
      int max = first.maxRedirects();
      if (max >= 0 && redirects >= max) {
        throw new Failure(
            ExitStatus.TOO_MANY_REDIRECTS, "more than " + max + " redirects (--max-redirs)");
      }
      redirects++;
      log.line("* following the redirect to " + next);
      current = nextRequest(response.status(), next);
    }
  }

  /** Where {@code -L} goes next, or {@code null} to stop here. */
  private URI redirectTarget(Exchange.Response response) throws Failure {
    String location = response.headers().get("location");
    if (!first.location() || location == null || !REDIRECTS.contains(response.status())) {
      return null;
    }
    URI next;
    try {
      next = current.url().resolve(location.trim());
    } catch (IllegalArgumentException e) {
      throw new Failure(ExitStatus.WEIRD_SERVER_REPLY, "a bad location '" + location + "'");
    }
    String scheme = next.getScheme() == null ? "" : next.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || next.getHost() == null) {
      throw new Failure(
          ExitStatus.URL_MALFORMED, "the redirect goes to '" + location + "', not http or https");
    }
    return FetchArgs.withoutUserInfo(next);
  }

  /**
   * The request after a redirect: as curl, 303 turns any method but HEAD into GET, and 301 and 302
   * turn POST into GET, without the body; credentials go only to the host they were given for.
   */
  private FetchArgs nextRequest(int status, URI next) {
    FetchArgs args = current.withUrl(next);
    String method = current.effectiveMethod();
    boolean toGet =
        (status == 303 && !method.equals("HEAD"))
            || ((status == 301 || status == 302) && method.equals("POST"));
    if (toGet) {
      args = args.asGetWithoutBody();
    }
    boolean sameHost =
        next.getHost().equalsIgnoreCase(first.url().getHost()) && port(next) == port(first.url());
    return sameHost ? args : args.withoutCredentials();
  }

  private static int port(URI url) {
    return url.getPort() != -1
        ? url.getPort()
        : url.getScheme().equalsIgnoreCase("https") ? 443 : 80;
  }

  /** Decides where each response's body goes, and prints its header block. */
  private final class Handler implements Exchange.Handler {
    private final boolean mayRetry;
    private boolean toStdout;

    Handler(boolean mayRetry) {
      this.mayRetry = mayRetry;
    }

    @Override
    public OutputStream head(Exchange.Response response) throws Failure {
      printHeaderBlock(response);
      int status = response.status();
      boolean followed =
          first.location()
              && REDIRECTS.contains(status)
              && response.headers().get("location") != null;
      boolean retried = mayRetry && RetryFlags.transientStatus(status);
      boolean failed = first.fail() && status >= 400;
      if (followed || retried || failed || first.head()) {
        return null;
      }
      if (first.output() == null) {
        toStdout = true;
        return out;
      }
      return openFileOutput(response);
    }

    @Override
    public void bodyWritten(long n) throws Failure {
      if (progress != null) {
        progress.add(n);
      }
      if (toStdout && out.checkError()) {
        // PrintStream keeps the error to itself: checkError flushes and tells (a closed pipe).
        throw new Failure(
            ExitStatus.WRITE_ERROR, "cannot write the body to stdout: the reader went away");
      }
    }
  }

  /** Where the header block goes: stdout with -i, else stderr unless -s or -v. */
  private void printHeaderBlock(Exchange.Response response) {
    PrintStream to = first.includeHeaders() ? out : first.verbose() || first.silent() ? null : err;
    if (to == null) {
      return;
    }
    to.println(response.statusLine());
    response.headers().forEach((name, value) -> to.println(name + ": " + value));
    to.println();
    to.flush();
  }

  /** Opens (or, on a retry, truncates) the {@code -o} file. */
  private OutputStream openFileOutput(Exchange.Response response) throws Failure {
    closeFileOutput();
    try {
      fileOutput = new BufferedOutputStream(Files.newOutputStream(first.output()));
    } catch (IOException e) {
      throw new Failure(
          ExitStatus.WRITE_ERROR, "cannot write " + first.output() + ": " + ExitStatus.describe(e));
    }
    if (context.terminal() && !first.silent()) {
      progress = new Progress(err, System::nanoTime);
      progress.expect(contentLength(response.headers()));
    }
    return fileOutput;
  }

  private void closeFileOutput() {
    if (fileOutput == null) {
      return;
    }
    try {
      fileOutput.close();
    } catch (IOException e) {
      err.println("mint: cannot write " + first.output() + ": " + ExitStatus.describe(e));
    }
    fileOutput = null;
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
}
