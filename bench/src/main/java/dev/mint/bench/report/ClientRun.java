// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One Java client on one workload, in a JVM of its own so that the process's CPU time and the
 * threads' allocations are that client's alone. {@link BenchmarkReport} starts it as:
 *
 * <pre>
 * java -cp benchmarks.jar dev.mint.bench.report.ClientRun CLIENT WORKLOAD HOST PORT CA_PEM WARMUP_MS MEASURE_MS [SERVER_PID [PROFILE_MS]]
 * </pre>
 *
 * <p>With {@code SERVER_PID} (not -1) the result also holds that process's CPU time over the
 * measured phase ({@link ProcessCpu}). With {@code PROFILE_MS} above 0 (TLS workloads) a third
 * phase follows the measured one: a fresh client whose {@code SSLEngine}s count what they allocate
 * ({@link AllocationProfile}), and the result holds the split; nothing of it runs during the
 * measured phase, so its cost is in none of the other figures.
 *
 * <p>It opens the client's connections, runs a warm-up phase, then a measured phase, each bounded
 * by its time (plus a 30 s grace for the requests in flight at the deadline), and prints one line
 * starting with {@value #RESULT_PREFIX} ({@link RunResult#toLine()}); on a failure that line
 * carries the reason and the exit status is 1.
 *
 * <p>What is measured over the measured phase: responses completed (each checked for status 200 and
 * the full body), elapsed time, latency p50/p99, the process's CPU time ({@code
 * OperatingSystemMXBean.getProcessCpuTime}: every thread, the JIT and GC included), bytes allocated
 * by all live threads ({@code ThreadMXBean.getThreadAllocatedBytes}; a thread that ends during the
 * phase takes its count with it), and the threads the client added to the JVM. The CPU time is
 * split into user and kernel time in the proportion of the process's {@code utime} and {@code
 * stime} ticks over the phase ({@link ProcessCpu#userPart}); without {@code /proc} the split is
 * left unknown.
 */
public final class ClientRun {
  /** The start of the result line. */
  public static final String RESULT_PREFIX = "RESULT ";

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
  private static final com.sun.management.OperatingSystemMXBean OS =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

  /** The longest warm-up of the allocation profile's fresh client, before its counted phase. */
  private static final long PROFILE_WARMUP_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

  private ClientRun() {}

  /** The Java clients, by command-line name. */
  public enum Client {
    /** Mint, one thread, active connections on one selector. */
    MINT("Mint"),
    /** Netty 4.2, one event loop. */
    NETTY("Netty"),
    /** Jetty 12's HttpClient. */
    JETTY("Jetty"),
    /** Apache HttpClient 5, asynchronous, one reactor thread. */
    APACHE("Apache HC5"),
    /** The JDK's HttpClient, sendAsync. */
    JDK("JDK"),
    /** OkHttp 5, enqueue. */
    OKHTTP("OkHttp"),
    /** No HTTP client: a blocking socket, a pre-encoded GET, the response read by its length. */
    FLOOR("floor: raw socket, no HTTP");

    private final String label;

    Client(String label) {
      this.label = label;
    }

    /** The name shown in the report. */
    public String label() {
      return label;
    }

    /** The command-line name. */
    public String cliName() {
      return name().toLowerCase(Locale.ROOT);
    }

    /** Whether this client can run {@code workload}. */
    public boolean supports(Workload workload) {
      return switch (this) {
        case JDK -> JdkLoadClient.supports(workload);
        case FLOOR -> FloorLoadClient.supports(workload);
        default -> true;
      };
    }

    /** Its role in the report's tables. */
    ReportTable.Role role() {
      return switch (this) {
        case MINT -> ReportTable.Role.MINT;
        case FLOOR -> ReportTable.Role.FLOOR;
        default -> ReportTable.Role.JAVA_PEER;
      };
    }

    LoadClient create(Target target) throws Exception {
      return switch (this) {
        case MINT -> new MintLoadClient(target);
        case NETTY -> new NettyLoadClient(target);
        case JETTY -> new JettyLoadClient(target);
        case APACHE -> new ApacheLoadClient(target);
        case JDK -> new JdkLoadClient(target);
        case OKHTTP -> new OkHttpLoadClient(target);
        case FLOOR -> new FloorLoadClient(target);
      };
    }

    /** The client named {@code name}. */
    public static Client named(String name) {
      for (Client c : values()) {
        if (c.cliName().equals(name)) {
          return c;
        }
      }
      throw new IllegalArgumentException("unknown client: " + name);
    }
  }

  /**
   * Runs one client on one workload and prints the result line.
   *
   * @param args client, workload, host, port, CA PEM file, warm-up ms, measured ms, and optionally
   *     the server's pid (or -1) and the allocation profile's ms
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 7 || args.length > 9) {
      System.err.println(
          "usage: ClientRun CLIENT WORKLOAD HOST PORT CA_PEM WARMUP_MS MEASURE_MS"
              + " [SERVER_PID [PROFILE_MS]]");
      System.exit(2);
    }
    Client client = Client.named(args[0]);
    Workload workload = Workload.named(args[1]);
    Target target = new Target(args[2], Integer.parseInt(args[3]), workload, Path.of(args[4]));
    long warmup = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[5]));
    long measure = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[6]));
    Extras extras =
        new Extras(
            args.length > 7 ? Long.parseLong(args[7]) : -1,
            args.length > 8 ? TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[8])) : 0);
    RunResult result;
    try {
      result = run(client, target, warmup, measure, extras);
    } catch (Exception | Error e) {
      result = RunResult.failed(e.getClass().getSimpleName() + ": " + e.getMessage());
    }
    System.out.println(RESULT_PREFIX + result.toLine());
    System.out.flush();
    // Some peers leave non-daemon threads behind; the result is out, so end the JVM here.
    System.exit(result.failure() == null ? 0 : 1);
  }

  /**
   * What a run measures besides the client's own figures.
   *
   * @param serverPid the server process whose CPU time to read over the measured phase, or -1
   * @param profileNanos the length of the allocation-profile phase after the measured one, or 0
   */
  record Extras(long serverPid, long profileNanos) {
    /** Neither. */
    static final Extras NONE = new Extras(-1, 0);
  }

  /** Runs {@code client} on {@code target}: a warm-up phase, then the measured one. */
  static RunResult run(Client client, Target target, long warmupNanos, long measureNanos)
      throws Exception {
    return run(client, target, warmupNanos, measureNanos, Extras.NONE);
  }

  /**
   * Runs {@code client} on {@code target}: a warm-up phase, the measured one, then the profiled one
   * when {@code extras} asks for it.
   */
  static RunResult run(
      Client client, Target target, long warmupNanos, long measureNanos, Extras extras)
      throws Exception {
    int threadsBefore = THREADS.getThreadCount();
    LoadClient load = client.create(target);
    try {
      Recorder warm = new Recorder(target.workload().bodySize());
      load.run(System.nanoTime() + warmupNanos, warm);
      if (warm.failed()) {
        return RunResult.failed("warm-up: " + warm.failure());
      }
      Recorder measured = new Recorder(target.workload().bodySize());
      Map<Long, Long> allocatedBefore = allocatedByThread();
      long serverBefore = extras.serverPid() < 0 ? -1 : ProcessCpu.cpuNanos(extras.serverPid());
      ProcessCpu.Ticks ticksBefore = ProcessCpu.selfTicks();
      long cpuBefore = OS.getProcessCpuTime();
      long start = System.nanoTime();
      load.run(start + measureNanos, measured);
      long elapsed = System.nanoTime() - start;
      long cpu = OS.getProcessCpuTime() - cpuBefore;
      ProcessCpu.Ticks ticksAfter = ProcessCpu.selfTicks();
      long serverAfter = extras.serverPid() < 0 ? -1 : ProcessCpu.cpuNanos(extras.serverPid());
      long allocated = allocatedSince(allocatedBefore);
      int threads = THREADS.getThreadCount() - threadsBefore;
      if (measured.failed()) {
        return RunResult.failed(measured.failure());
      }
      RunResult result =
          new RunResult(
              measured.completed(),
              measured.completed() * target.workload().bodySize(),
              elapsed,
              measured.latencies().quantileMicros(0.50),
              measured.latencies().quantileMicros(0.99),
              cpu,
              allocated,
              threads,
              null);
      if (serverBefore >= 0 && serverAfter >= serverBefore) {
        result = result.withServerCpu(serverAfter - serverBefore);
      }
      long user = ProcessCpu.userPart(cpu, ticksBefore, ticksAfter);
      if (user >= 0) {
        result = result.withUserCpu(user);
      }
      if (extras.profileNanos() > 0 && target.workload().wire().tls()) {
        result = withProfile(result, client, target, extras.profileNanos());
      }
      return result;
    } finally {
      load.stop();
    }
  }

  /**
   * {@code result} with the TLS allocation profile of a phase after the measured one; {@code
   * result} as it is, with the reason on the standard error, when the profile fails or counted
   * nothing (the profile is a reading aid, not a figure the run stands on).
   */
  private static RunResult withProfile(
      RunResult result, Client client, Target target, long profileNanos) {
    try {
      AllocationProfile profile =
          AllocationProfile.measure(
              client, target, Math.min(PROFILE_WARMUP_NANOS, profileNanos / 2), profileNanos);
      if (!profile.counted()) {
        System.err.println("TLS allocation profile: no SSLEngine call was counted");
        return result;
      }
      return result.withAllocationProfile(profile);
    } catch (Exception e) {
      System.err.println("TLS allocation profile failed: " + e);
      return result;
    }
  }

  /** All threads' allocated bytes, by thread id. */
  static Map<Long, Long> allocatedByThread() {
    long[] ids = THREADS.getAllThreadIds();
    long[] bytes = THREADS.getThreadAllocatedBytes(ids);
    Map<Long, Long> byThread = new HashMap<>();
    for (int i = 0; i < ids.length; i++) {
      if (bytes[i] >= 0) {
        byThread.put(ids[i], bytes[i]);
      }
    }
    return byThread;
  }

  /** The bytes allocated since {@code before} ({@link #allocatedByThread()}) by live threads. */
  static long allocatedSince(Map<Long, Long> before) {
    long total = 0;
    for (Map.Entry<Long, Long> e : allocatedByThread().entrySet()) {
      total += e.getValue() - before.getOrDefault(e.getKey(), 0L);
    }
    return total;
  }
}
