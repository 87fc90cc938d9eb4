// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code mint load}: h2load's shape on Mint. One thread and one {@link java.nio.channels.Selector}
 * drive {@code -c} connections in active mode, each with up to {@code -m} requests in flight
 * (HTTP/2 streams, or pipelined HTTP/1.1 requests), until {@code -n} requests are done or {@code
 * -D} seconds have passed; then it prints req/s, MiB/s, latency percentiles and status counts. See
 * {@link LoadRun}.
 */
@Command(
    name = "load",
    header = "drive many requests from one thread and one Selector, h2load style",
    synopsisHeading = "",
    optionListHeading = "%nOptions:%n",
    customSynopsis = "usage: mint load [-c N] [-m N] (-n N | -D SECONDS) [options] URL",
    descriptionHeading = "%n",
    description =
        "Drives -c connections with -m requests in flight on each from one thread and one"
            + " Selector, until -n requests are done or -D seconds have passed; prints a progress"
            + " line each tenth of the run, then req/s, MiB/s, latency percentiles and status"
            + " counts. Over https, ALPN picks h2 or http/1.1. Over http, the requests are"
            + " pipelined on HTTP/1.1, or streams of h2c with --http2-prior-knowledge.",
    sortOptions = false,
    usageHelpWidth = 80,
    mixinStandardHelpOptions = true,
    versionProvider = MintCommand.Version.class)
final class LoadCommand implements Callable<Integer> {
  /** The most connections one run opens. */
  static final int MAX_CONNECTIONS = 10_000;

  /** The most requests in flight on one connection. */
  static final int MAX_STREAMS = 1_000;

  /** The longest {@code -D}: an hour. */
  static final Duration MAX_DURATION = Duration.ofHours(1);

  @ParentCommand private MintCommand parent;

  @Parameters(
      arity = "1",
      paramLabel = "URL",
      hidden = true,
      description = "the URL every request gets")
  private String url;

  @Option(
      names = {"-c", "--clients"},
      paramLabel = "N",
      description = "connections (default 1)")
  private int connections = 1;

  @Option(
      names = {"-m", "--max-concurrent-streams"},
      paramLabel = "N",
      description = "requests in flight per connection (default 1)")
  private int streams = 1;

  @Option(
      names = {"-n", "--requests"},
      paramLabel = "N",
      description = "requests in all (default 1 when -D is not given)")
  private Long requests;

  @Option(
      names = {"-D", "--duration"},
      paramLabel = "SECONDS",
      description = "run for this long instead of -n (at most 3600)")
  private String duration;

  @Option(
      names = {"-H", "--header"},
      paramLabel = "'N: V'",
      description = "a request header (repeatable)")
  private List<String> headers = new ArrayList<>();

  @Option(names = "--http1.1", description = "HTTP/1.1 only")
  private boolean http11;

  @Option(names = "--http2-prior-knowledge", description = "HTTP/2 only; over http, h2c")
  private boolean http2PriorKnowledge;

  @Option(
      names = "--cacert",
      paramLabel = "FILE",
      description = "trust the CA certificates of this PEM file")
  private String caCert;

  @Option(
      names = {"-k", "--insecure"},
      description = "trust any certificate (tests only)")
  private boolean insecure;

  @Option(
      names = "--timeout",
      paramLabel = "SECONDS",
      description = "fail when nothing arrives for this long (30)")
  private String timeout;

  @Override
  public Integer call() {
    MintCommand.Context context = parent.context();
    Main.configureLogging(false);
    LoadRun.Plan plan;
    try {
      plan = plan();
    } catch (UsageException e) {
      context.err().println("mint load: " + e.getMessage());
      return e.exitStatus();
    }
    return new LoadRun(plan, context.out(), context.err(), context.terminal()).run();
  }

  /** The checked options. */
  LoadRun.Plan plan() throws UsageException {
    if (connections < 1 || connections > MAX_CONNECTIONS) {
      throw new UsageException("-c must be 1 to " + MAX_CONNECTIONS + ", got " + connections);
    }
    if (streams < 1 || streams > MAX_STREAMS) {
      throw new UsageException("-m must be 1 to " + MAX_STREAMS + ", got " + streams);
    }
    if (requests != null && duration != null) {
      throw new UsageException("-n and -D exclude each other");
    }
    if (requests != null && requests < 1) {
      throw new UsageException("-n must be 1 or more, got " + requests);
    }
    Duration d = duration == null ? null : ConnectFlags.seconds("-D", duration);
    if (d != null && d.compareTo(MAX_DURATION) > 0) {
      throw new UsageException("-D must be at most " + MAX_DURATION.toSeconds() + " seconds");
    }
    URI target = FetchArgs.parseUrl(url);
    dev.mint.Headers.Builder h = dev.mint.Headers.builder();
    for (String line : headers) {
      FetchArgs.addHeader(h, line);
    }
    FetchArgs.HttpVersion version =
        http2PriorKnowledge
            ? FetchArgs.HttpVersion.HTTP2_PRIOR_KNOWLEDGE
            : http11 ? FetchArgs.HttpVersion.HTTP1_1 : FetchArgs.HttpVersion.ANY;
    return new LoadRun.Plan(
        target,
        h.build(),
        connections,
        streams,
        d != null ? Long.MAX_VALUE : requests == null ? 1 : requests,
        d,
        version.protocols(),
        caCert == null ? null : FetchArgs.parsePath(caCert, "--cacert"),
        insecure,
        timeout == null ? FetchArgs.DEFAULT_TIMEOUT : ConnectFlags.seconds("--timeout", timeout));
  }
}
