// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import dev.mint.bench.LocalNginx;
import dev.mint.bench.report.ClientRun.Client;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Writes {@code BENCHMARKS.md}: Mint side by side with the JDK client, Netty, Jetty, Apache
 * HttpClient 5, OkHttp, and {@code wrk}/{@code h2load} when installed, on the workloads of {@link
 * Workload}, against nginx (one worker) or, without nginx, embedded Jetty.
 *
 * <pre>
 * mvn -B -ntp -q -DskipTests package -pl bench -am
 * java -cp bench/target/benchmarks.jar dev.mint.bench.report.BenchmarkReport [options]
 * </pre>
 *
 * <p>Options: {@code --quick} (Mint, Netty and the C tools, and the floor on the sequential
 * workload; 1 s warm-up and 2 s measured per run: under 90 s), {@code --out FILE} (default {@code
 * BENCHMARKS.md}), {@code --warmup S} and {@code --seconds S} (per run; default 4 and 8), {@code
 * --clients a,b} and {@code --workloads x,y} (subsets, by command-line name), {@code --server
 * auto|nginx|jetty}, {@code --rounds N} (default 5, 1 with {@code --quick}: on the sequential
 * workload Mint, Netty, the floor and the C tool run N times, on the 16-connection one at most 3
 * times, alternating, and each row is the client's median run; {@link Settings#roundsOf}).
 *
 * <p>Each Java client runs in a JVM of its own ({@link ClientRun}), so that the process CPU time
 * and the allocations are its own; each C tool in its own process. With {@code taskset} and two
 * CPUs or more, the server runs on CPU 0 and every client on CPU 1. Every run is bounded in time; a
 * client that fails or hangs is killed and shown as failed, and the report goes on.
 */
public final class BenchmarkReport {
  private static final String SERVER_CPU = "0";
  private static final String CLIENT_CPU = "1";

  private final Settings settings;
  private final List<String> pin;
  private final Path dir;

  /** The server's worker process, whose CPU time each run reads, or -1 when unknown. */
  private long serverPid = -1;

  private BenchmarkReport(Settings settings, Path dir) {
    this.settings = settings;
    this.dir = dir;
    this.pin = pinning() ? List.of("taskset", "-c", CLIENT_CPU) : List.of();
  }

  /** What to run. */
  record Settings(
      boolean quick,
      Path out,
      int warmupSeconds,
      int seconds,
      List<Client> clients,
      List<Workload> workloads,
      String server,
      int rounds) {

    static Settings parse(String[] args) {
      boolean quick = Arrays.asList(args).contains("--quick");
      Path out = Path.of("BENCHMARKS.md");
      int warmup = quick ? 1 : 4;
      int seconds = quick ? 2 : 8;
      List<Client> clients =
          quick ? List.of(Client.MINT, Client.NETTY, Client.FLOOR) : List.of(Client.values());
      List<Workload> workloads = List.of(Workload.values());
      String server = "auto";
      int rounds = quick ? 1 : DEFAULT_ROUNDS;
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--quick")) {
          continue;
        }
        if (i + 1 >= args.length) {
          throw new IllegalArgumentException("option " + a + " needs a value");
        }
        String v = args[++i];
        switch (a) {
          case "--out" -> out = Path.of(v);
          case "--warmup" -> warmup = Integer.parseInt(v);
          case "--seconds" -> seconds = Integer.parseInt(v);
          case "--clients" -> clients = Arrays.stream(v.split(",")).map(Client::named).toList();
          case "--workloads" ->
              workloads = Arrays.stream(v.split(",")).map(Workload::named).toList();
          case "--server" -> server = v;
          case "--rounds" -> rounds = Integer.parseInt(v);
          default -> throw new IllegalArgumentException("unknown option " + a);
        }
      }
      if (warmup < 0 || seconds < 1 || seconds > 600 || warmup > 600) {
        throw new IllegalArgumentException("--warmup 0-600 and --seconds 1-600");
      }
      if (rounds < 1 || rounds > 9) {
        throw new IllegalArgumentException("--rounds 1-9");
      }
      return new Settings(quick, out, warmup, seconds, clients, workloads, server, rounds);
    }

    /**
     * How many alternating rounds a workload gets. The sequential workload, whose goal compares
     * Mint and Netty a few per cent apart on an unsaturated server while one run's figure moves by
     * more than that on a shared machine, gets {@code --rounds}; the 16-connection one, whose
     * server's worker is saturated (its pace is the server's), at most {@link #SATURATED_ROUNDS};
     * the TLS and HTTP/2 ones one.
     */
    int roundsOf(Workload workload) {
      if (workload.wire().http2() || workload.wire().tls()) {
        return 1;
      }
      return workload.connections() == 1 ? rounds : Math.min(rounds, SATURATED_ROUNDS);
    }
  }

  /** The default {@code --rounds}: the sequential workload's rounds. */
  static final int DEFAULT_ROUNDS = 5;

  /** The most rounds the 16-connection workload gets, whatever {@code --rounds} says. */
  static final int SATURATED_ROUNDS = 3;

  /**
   * Runs the comparison and writes the report.
   *
   * @param args the options above
   */
  public static void main(String[] args) throws Exception {
    Settings settings;
    try {
      settings = Settings.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println("BenchmarkReport: " + e.getMessage());
      System.exit(2);
      return;
    }
    // Readable by all: nginx's worker runs as an unprivileged user when started as root.
    Path dir =
        Files.createTempDirectory(
            "mint-bench-",
            java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x")));
    new BenchmarkReport(settings, dir).run(String.join(" ", args));
  }

  private void run(String args) throws Exception {
    long started = System.nanoTime();
    Instant startedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    double loadBefore = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    ServerCertificate cert = ServerCertificate.create(dir);
    List<ReportTable.Section> sections = new ArrayList<>();
    List<String> idle;
    String serverDescription;
    try (Servers servers = startServers(cert)) {
      stopOnExit(servers);
      serverDescription = servers.description();
      serverPid = awaitWorkerPid(servers);
      log("server: " + serverDescription + "; work files in " + dir);
      for (Workload workload : settings.workloads()) {
        sections.add(runWorkload(workload, servers, cert));
      }
      idle = runIdle(servers, cert);
    }
    double loadAfter = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    long took = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - started);
    String md =
        markdown(sections, idle, serverDescription, args, startedAt, took, loadBefore, loadAfter);
    Files.writeString(settings.out(), md, StandardCharsets.UTF_8);
    log("wrote " + settings.out() + " in " + took + " s");
    boolean anyFailed =
        sections.stream()
            .flatMap(s -> s.rows().stream())
            .anyMatch(
                r ->
                    r.result().failure() != null
                        && !r.result().failure().startsWith("not supported"));
    if (anyFailed) {
      log("a run failed: its output is kept in " + dir);
    } else {
      LocalNginx.removeTree(dir);
    }
    boolean mintFailed =
        sections.stream().anyMatch(s -> s.mint() != null && s.mint().result().failure() != null);
    if (mintFailed) {
      log("Mint failed on a workload; see the report");
      System.exit(1);
    }
  }

  /** The client or tool process running now, ended by the shutdown hook with the server. */
  private volatile Process running;

  /**
   * Ends the running client and the server if the report is interrupted (Ctrl-C, a kill): neither
   * is left behind.
   */
  private void stopOnExit(Servers servers) {
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  Process p = running;
                  if (p != null) {
                    p.destroyForcibly();
                  }
                  try {
                    servers.close();
                  } catch (IOException e) {
                    log("the server did not stop: " + e.getMessage());
                  }
                },
                "report-shutdown"));
  }

  private Servers startServers(ServerCertificate cert) throws Exception {
    Path nginx = findProgram("nginx");
    boolean useNginx =
        switch (settings.server()) {
          case "nginx" -> {
            if (nginx == null) {
              throw new IOException("--server nginx: nginx is not installed");
            }
            yield true;
          }
          case "jetty" -> false;
          case "auto" -> nginx != null;
          default -> throw new IllegalArgumentException("--server auto|nginx|jetty");
        };
    if (useNginx) {
      int[] idle = idleCounts();
      LocalNginx.Setup setup =
          new LocalNginx.Setup(
              nginx,
              cert.certificatePem(),
              cert.keyPem(),
              Math.max(idle[0], idle[1]),
              pinning() ? SERVER_CPU : null);
      Path nginxDir = dir.resolve("nginx");
      return new NginxServers(LocalNginx.start(setup, nginxDir), nginxDir);
    }
    return new JettyServers(cert);
  }

  /**
   * The server's worker, found within 2 s of the server listening (nginx writes its pid file and
   * starts its worker just after it opens its ports), or -1.
   */
  private static long awaitWorkerPid(Servers servers) throws InterruptedException {
    for (int i = 0; i < 20; i++) {
      java.util.OptionalLong pid = servers.workerPid();
      if (pid.isPresent()) {
        return pid.getAsLong();
      }
      Thread.sleep(100);
    }
    log("the server's worker process was not found: no server CPU figures");
    return -1;
  }

  /** The length of the allocation-profile phase for Mint's TLS runs, in milliseconds. */
  private long profileMillis() {
    return settings.quick() ? 600 : 3000;
  }

  private ReportTable.Section runWorkload(
      Workload workload, Servers servers, ServerCertificate cert)
      throws IOException, InterruptedException {
    Target target =
        new Target("127.0.0.1", servers.port(workload.wire()), workload, cert.certificatePem());
    NativeTool tool = NativeTool.forWorkload(workload);
    boolean toolInstalled = findProgram(tool.program()) != null;
    if (!toolInstalled) {
      log(workload.cliName() + ": " + tool.program() + " is not installed; no C tool row");
    }
    List<ReportTable.Row> unsupported = new ArrayList<>();
    java.util.Map<Client, List<RunResult>> runs = new java.util.LinkedHashMap<>();
    List<RunResult> toolRuns = new ArrayList<>();
    int rounds = settings.roundsOf(workload);
    for (int round = 0; round < rounds; round++) {
      for (Client client : settings.clients()) {
        if (round > 0 && !HEAD_TO_HEAD.contains(client)) {
          continue;
        }
        if (!client.supports(workload)) {
          if (client != Client.FLOOR) { // the floor exists only where it means something
            unsupported.add(
                new ReportTable.Row(
                    client.label(),
                    client.role(),
                    RunResult.failed("not supported (no HTTP/2 prior knowledge over cleartext)")));
          }
          continue;
        }
        if (client == Client.FLOOR && settings.quick() && workload != Workload.H1_SEQUENTIAL) {
          continue; // --quick keeps the floor where the goal is set against Netty: sequential
        }
        log(workload.cliName() + ": " + client.label() + roundLabel(round, rounds));
        RunResult result = runClient(client, target);
        log("  " + summary(result));
        runs.computeIfAbsent(client, c -> new ArrayList<>()).add(result);
      }
      if (toolInstalled) {
        log(workload.cliName() + ": " + tool.program() + roundLabel(round, rounds));
        RunResult result = runTool(tool, target);
        log("  " + summary(result));
        toolRuns.add(result);
      }
    }
    List<ReportTable.Row> rows = new ArrayList<>(unsupported);
    runs.forEach(
        (client, results) ->
            rows.add(new ReportTable.Row(client.label(), client.role(), median(results), results)));
    if (!toolRuns.isEmpty()) {
      rows.add(new ReportTable.Row(tool.program(), ReportTable.Role.TOOL, median(toolRuns)));
    }
    return new ReportTable.Section(workload, rows);
  }

  /**
   * The clients run again in each extra round of a workload measured in rounds: those its goal
   * compares (Mint, Netty, the floor; the C tool always runs with them).
   */
  static final java.util.Set<Client> HEAD_TO_HEAD =
      java.util.EnumSet.of(Client.MINT, Client.NETTY, Client.FLOOR);

  private static String roundLabel(int round, int rounds) {
    return rounds == 1 ? "" : " (round " + (round + 1) + " of " + rounds + ")";
  }

  /**
   * Of several runs of one client, the one with the median requests per second (the lower middle of
   * an even count), its other figures with it, so that a row stays one run's consistent set; a
   * failed run counts as slowest.
   */
  static RunResult median(List<RunResult> results) {
    List<RunResult> sorted = new ArrayList<>(results);
    sorted.sort(
        java.util.Comparator.comparingDouble(
            r -> r.failure() != null ? -1 : r.requestsPerSecond()));
    return sorted.get((sorted.size() - 1) / 2);
  }

  private RunResult runTool(NativeTool tool, Target target)
      throws IOException, InterruptedException {
    long serverBefore = serverPid < 0 ? -1 : ProcessCpu.cpuNanos(serverPid);
    RunResult result = tool.run(target, settings.seconds(), pin, dir);
    long serverAfter = serverPid < 0 ? -1 : ProcessCpu.cpuNanos(serverPid);
    if (serverBefore >= 0 && serverAfter >= serverBefore && result.failure() == null) {
      result = result.withServerCpu(serverAfter - serverBefore);
    }
    return result;
  }

  private static String summary(RunResult r) {
    return r.failure() != null
        ? "FAILED: " + r.failure()
        : String.format(
            Locale.ROOT,
            "%.0f req/s, %.1f MiB/s, p50 %d µs, p99 %d µs, CPU %.1f µs/req",
            r.requestsPerSecond(),
            r.mibPerSecond(),
            r.p50Micros(),
            r.p99Micros(),
            r.cpuMicrosPerRequest());
  }

  private RunResult runClient(Client client, Target target)
      throws IOException, InterruptedException {
    Path jar = jar();
    Path out =
        dir.resolve("client-" + client.cliName() + "-" + target.workload().cliName() + ".out");
    List<String> command = new ArrayList<>(pin);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // On one CPU the common pool's parallelism would be 1, and CompletableFuture's default async
    // executor would then start a thread per task (the JDK client's sendAsync uses it).
    command.add("-Djava.util.concurrent.ForkJoinPool.common.parallelism=2");
    command.addAll(
        List.of(
            "-cp",
            jar.toString(),
            ClientRun.class.getName(),
            client.cliName(),
            target.workload().cliName(),
            target.host(),
            Integer.toString(target.port()),
            target.caPem().toString(),
            Long.toString(TimeUnit.SECONDS.toMillis(settings.warmupSeconds())),
            Long.toString(TimeUnit.SECONDS.toMillis(settings.seconds())),
            Long.toString(serverPid),
            Long.toString(
                client == Client.MINT && target.workload().wire().tls() ? profileMillis() : 0)));
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    running = p;
    long limit = settings.warmupSeconds() + settings.seconds() + 3 * 30 + 30 + 5;
    if (!p.waitFor(limit, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      return RunResult.failed("did not end within " + limit + " s");
    }
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      if (line.startsWith(ClientRun.RESULT_PREFIX)) {
        return RunResult.parse(line.substring(ClientRun.RESULT_PREFIX.length()));
      }
    }
    return RunResult.failed("exit " + p.exitValue() + " without a result; see " + out);
  }

  private static Path jar() {
    try {
      return Path.of(ClientRun.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean pinning() {
    return findProgram("taskset") != null && Runtime.getRuntime().availableProcessors() >= 2;
  }

  /** The program on the PATH (or in /usr/sbin, /sbin), or null. */
  static Path findProgram(String name) {
    List<String> dirs = new ArrayList<>();
    String path = System.getenv("PATH");
    if (path != null) {
      dirs.addAll(Arrays.asList(path.split(java.io.File.pathSeparator)));
    }
    dirs.addAll(List.of("/usr/sbin", "/sbin"));
    for (String d : dirs) {
      Path p = Path.of(d, name);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  private static void log(String message) {
    System.err.println("BenchmarkReport: " + message);
  }

  private String markdown(
      List<ReportTable.Section> sections,
      List<String> idle,
      String server,
      String args,
      Instant startedAt,
      long took,
      double loadBefore,
      double loadAfter) {
    StringBuilder md = new StringBuilder();
    md.append("# Benchmarks\n\n");
    md.append(
        "Mint side by side with the Java clients most used on the JVM and with the C load tools,"
            + " on one machine, in one run, against one server. Made by the command under"
            + " [Reproduce](#reproduce); every figure below comes from that run.\n\n");
    md.append("## Summary\n\n");
    md.append(
        "Ratios of Mint's figure to the peer's: requests per second above 1 means Mint is faster;"
            + " client CPU per request below 1 means Mint is cheaper.\n\n");
    md.append(ReportTable.summary(sections)).append('\n');
    md.append(bounds(sections));
    md.append(idleTable(idle)).append('\n');
    md.append("## The machine\n\n");
    md.append(Machine.describe()).append('\n');
    md.append("- Server: ").append(server).append('\n');
    md.append(
            "- Clients: "
                + (pin.isEmpty()
                    ? "not pinned (no taskset, or one CPU)"
                    : "each in its own process, on CPU " + CLIENT_CPU + " (taskset)"))
        .append('\n');
    md.append(
        String.format(
            Locale.ROOT,
            "- Run: %s, %d s; load average %.2f before, %.2f after; %d s warm-up and %d s"
                + " measured per client and workload%s%s\n\n",
            startedAt,
            took,
            loadBefore,
            loadAfter,
            settings.warmupSeconds(),
            settings.seconds(),
            settings.quick() ? " (--quick)" : "",
            settings.rounds() == 1
                ? ""
                : "; Mint, Netty, the floor and the C tool ran "
                    + settings.roundsOf(Workload.H1_SEQUENTIAL)
                    + " times each on the sequential workload and "
                    + settings.roundsOf(Workload.H1_16_CONNECTIONS)
                    + " on the 16-connection one, alternating, and each of their rows is the run"
                    + " with the median requests per second"));
    if (Math.max(loadBefore, loadAfter) > Runtime.getRuntime().availableProcessors()) {
      md.append(
          "The load average was above the CPU count: other processes shared the CPUs with the"
              + " server and the clients, so requests per second also measure how much CPU each"
              + " client was given; CPU per request is the steadier figure. Compare ratios within"
              + " one run, never absolute figures across runs.\n\n");
    }
    md.append("## How each client runs\n\n");
    md.append(HOW);
    for (ReportTable.Section s : sections) {
      md.append("\n## ").append(s.workload().title()).append("\n\n");
      md.append(
          String.format(
              Locale.ROOT,
              "%d connection(s), %d request(s) in flight, GET %s (%s bytes).\n\n",
              s.workload().connections(),
              s.workload().inFlight(),
              s.workload().path(),
              String.format(Locale.ROOT, "%,d", s.workload().bodySize())));
      md.append(ReportTable.section(s));
    }
    md.append("\n## Reproduce\n\n");
    md.append(
        "From the repository root (JDK 17+, Maven; nginx, wrk and h2load when installed):\n\n");
    md.append("```sh\n");
    md.append("mvn -B -ntp -q -DskipTests package -pl bench -am\n");
    md.append("java -cp bench/target/benchmarks.jar dev.mint.bench.report.BenchmarkReport")
        .append(args.isBlank() ? "" : " " + args)
        .append('\n');
    md.append("```\n\n");
    md.append(
        "`--quick` runs Mint, Netty and the C tools for 1 + 2 s each, and the floor on the"
            + " sequential workload (under 90 s); `--clients`,"
            + " `--workloads`, `--seconds`, `--warmup`, `--rounds`, `--server` and `--out` are"
            + " described in"
            + " `bench/README.md`. The machine is shared and noisy: trust ratios from one run"
            + " more than absolute figures, and those to their first digit.\n");
    return md.toString();
  }

  /** "What bounds the figures": the floor, the server's CPU, the round trip, TLS allocation. */
  private String bounds(List<ReportTable.Section> sections) {
    StringBuilder md = new StringBuilder("## What bounds the figures\n\n");
    md.append(
        "Three measurements of the same run say how far each figure could go. The raw-socket"
            + " *floor* is a JVM client with no HTTP in it (a blocking socket, one GET encoded"
            + " once, the response read by its known length): what it reaches is about the most"
            + " any JVM client can reach against this server here. The server's CPU is its one"
            + " worker's user and system time (`/proc/PID/stat`) over each measured phase: a"
            + " worker on its CPU all the time sets the pace whatever the client does.\n\n");
    String ceilings = Bounds.ceilings(sections);
    if (!ceilings.isEmpty()) {
      md.append(ceilings).append('\n');
    }
    for (ReportTable.Section s : sections) {
      String roundTrip = Bounds.roundTrip(s);
      if (!roundTrip.isEmpty()) {
        md.append("Where the time of one request went, ")
            .append(s.workload().title())
            .append(
                " (client and server on separate CPUs, taking turns: a round trip costs the"
                    + " client's CPU, the server's CPU, and the time neither runs, the loopback"
                    + " and the wake-up of the thread that waits):\n\n")
            .append(roundTrip)
            .append('\n');
      }
    }
    md.append(
        "Mint's allocation per request against the goal. Over TLS, the part the JDK's"
            + " `SSLEngine` made (its `wrap`, `unwrap` and delegated tasks, the ciphers under them"
            + " included) is counted exactly, in a "
            + ReportTable.format(profileMillis() / 1000.0, 1)
            + " s phase after the measured one: a fresh Mint client whose `SSLContext` is the"
            + " JDK's behind a thin layer (`TlsAllocationCounter`) that reads the thread's"
            + " allocated bytes before and after each engine call. The share is of all the bytes"
            + " that phase allocated; *outside it* is the measured phase's figure minus that"
            + " part. The layer never runs in the measured phase.\n\n");
    md.append(Bounds.allocation(sections)).append('\n');
    return md.toString();
  }

  /** Connections of the idle measurement: plain and TLS. */
  private int[] idleCounts() {
    return settings.quick() ? new int[] {500, 100} : new int[] {10_000, 1_000};
  }

  /** Runs {@link IdleRun} in its own JVM on the client CPU; its result lines. */
  private List<String> runIdle(Servers servers, ServerCertificate cert)
      throws IOException, InterruptedException {
    int[] counts = idleCounts();
    log("idle connections: " + counts[0] + " plain, " + counts[1] + " TLS");
    Path out = dir.resolve("idle.out");
    List<String> command = new ArrayList<>(pin);
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(
        List.of(
            "-cp",
            jar().toString(),
            IdleRun.class.getName(),
            Integer.toString(servers.h1Port()),
            Integer.toString(servers.tlsPort()),
            cert.certificatePem().toString(),
            Integer.toString(counts[0]),
            Integer.toString(counts[1])));
    Process p =
        new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    running = p;
    List<String> lines = new ArrayList<>();
    if (!p.waitFor(300, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      lines.add("idle connections|failed: did not end within 300 s");
      return lines;
    }
    for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
      if (line.startsWith(IdleRun.PREFIX)) {
        lines.add(line.substring(IdleRun.PREFIX.length()));
        log("  " + line);
      }
    }
    if (lines.isEmpty()) {
      lines.add("idle connections|failed: exit " + p.exitValue() + " without a result; see " + out);
    }
    return lines;
  }

  /** The idle table: per connection, heap and direct memory after GC, against the goal. */
  static String idleTable(List<String> idle) {
    StringBuilder md = new StringBuilder();
    md.append(
        "Idle connections, Mint only (`IdleConnections.measure` in its own JVM: N keep-alive"
            + " connections, one request each, then idle in active mode; memory growth after GC"
            + " divided by N). Heap is what the collector left (`MemoryPoolMXBean`"
            + " collection usage), so the allocation buffers (TLABs, about 2 MiB each) threads"
            + " take after it are not counted: counting them moved small-N figures by about 4 KiB"
            + " per connection either way. Direct is the `direct` buffer pool; on JDK 17 it also"
            + " holds the JDK's one temporary direct buffer per thread for reads into heap"
            + " buffers (up to about 64 KiB), put in place by the warm-up before the baseline, so"
            + " it cancels out.\n\n");
    md.append(
        "| connections | N | heap B per connection | direct B per connection |"
            + " total B per connection | goal |\n");
    md.append("|---|--:|--:|--:|--:|--:|\n");
    for (String line : idle) {
      String[] f = line.split("\\|", -1);
      String goal = f[0].contains("TLS") ? "16,384" : "4,096";
      if (f.length < 4) {
        String why = f.length > 1 ? f[1] : "failed";
        md.append("| ").append(f[0]).append(" | ").append(why.replace("|", "\\|"));
        md.append(" | | | | ").append(goal).append(" |\n");
        continue;
      }
      double heap = Double.parseDouble(f[2]);
      double direct = Double.parseDouble(f[3]);
      md.append("| ").append(f[0]);
      md.append(" | ").append(ReportTable.format(Double.parseDouble(f[1]), 0));
      md.append(" | ").append(ReportTable.format(heap, 0));
      md.append(" | ").append(ReportTable.format(direct, 0));
      md.append(" | ").append(ReportTable.format(heap + direct, 0));
      md.append(" | ").append(goal).append(" |\n");
    }
    return md.toString();
  }

  private static final String HOW =
      """
      - **Mint**: the workload's connections in active mode on one `Selector`, driven by the \
      process's one thread (`MintLoadClient`); it starts no thread. Auto-flush is off: each \
      connection the selector reports sends the requests its responses made room for in one write \
      (`flush()`), as Netty's `write`/`flush` do. Body \
      bytes are borrowed (`borrowBodies(true)`): only counted, before the next `stream()`, they \
      are views of the read buffer, never copied, as Netty and Jetty release theirs after the \
      callback.
      - **Netty** 4.2: one NIO event loop; `HttpClientCodec`, or `Http2FrameCodec` with \
      `Http2MultiplexHandler` (a child channel per stream); TLS through the JDK's `SSLEngine`.
      - **Jetty** 12 `HttpClient`, `send(listener)`; **Apache HC5** async client, one reactor \
      thread, forced HTTP/2 or HTTP/1.1; **JDK** `HttpClient.sendAsync` (not on h2c: it has no \
      prior-knowledge mode); **OkHttp** 5 `enqueue` (a dispatcher thread per call in flight, its \
      design).
      - Every asynchronous peer keeps the same number of requests in flight as Mint, each \
      completion sending the next request; bodies are counted as they arrive, never kept; every \
      response is checked (status 200, full body length).
      - Each Java client runs in a JVM of its own (`ClientRun`): warm-up, then the measured phase. \
      **CPU** is the process's CPU time (`OperatingSystemMXBean.getProcessCpuTime`: every thread, \
      JIT and GC included) over the measured phase, per request; **alloc** sums \
      `ThreadMXBean.getThreadAllocatedBytes` over the process's threads (a thread that ends \
      during the phase takes its count with it); **threads added** is the JVM's live threads \
      after the phase minus before the client was made. The C tools' CPU is the children's time \
      of bash's `times` (their whole run).
      - p50/p99 are per request, from sending to the end of the body; with N in flight they \
      include queueing. MiB/s counts body bytes.
      - *floor: raw socket, no HTTP* (`FloorLoadClient`, HTTP/1.1 cleartext small GETs only) is no \
      client: one thread, a blocking `SocketChannel` per connection, a GET encoded once, each \
      response read by the length the first one had (checked: status line, content-length, last \
      body byte), no parsing and no allocation per request. It is not a peer: it is in no ratio \
      but the floor's own.
      - **Server CPU** per request is the server worker's user and system time from \
      `/proc/PID/stat` over the same measured phase (over a C tool's whole run), divided by the \
      requests; nginx only.
      """;
}
