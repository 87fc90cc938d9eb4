// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import dev.mint.ConnectOptions;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.Protocol;
import dev.mint.Scheme;
import dev.mint.bench.report.Workload;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * The bytes Mint allocates to download 64 MiB ({@code /large} from {@link LocalNginx}), over
 * HTTP/1.1 and HTTP/2, cleartext and TLS, on one passive connection driven by the calling thread.
 * Mint works on the caller's thread alone, so that thread's count ({@link
 * com.sun.management.ThreadMXBean#getThreadAllocatedBytes}) is all of the client's allocation, this
 * harness's small per-part work included. Each figure is the median of the measured downloads after
 * a few to warm up; the time and the calling thread's CPU time per download are printed beside it
 * (on a shared machine the CPU time is the steadier; both are hints, not a measurement of speed).
 * Each case runs twice: with body bytes kept (the default), then borrowed ({@link
 * ConnectOptions#borrowBodies()}: the harness only counts them).
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.mint.bench.DownloadAllocation [--downloads N]
 * </pre>
 */
public final class DownloadAllocation {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  /**
   * One measurement.
   *
   * @param label the protocol and transport
   * @param bytesAllocatedPerDownload the median allocation of one download
   * @param millisPerDownload the median time of one download
   * @param cpuMillisPerDownload the median CPU time of the calling thread (all of Mint's work) for
   *     one download
   */
  public record Result(
      String label,
      long bytesAllocatedPerDownload,
      double millisPerDownload,
      double cpuMillisPerDownload) {}

  private DownloadAllocation() {}

  /**
   * Downloads {@code path} ({@code size} bytes) {@code warmUp + measured} times on one connection,
   * and reports the medians of the measured ones.
   */
  public static Result measure(
      String label,
      Scheme scheme,
      int port,
      ConnectOptions options,
      String path,
      long size,
      int warmUp,
      int measured)
      throws IOException {
    long thread = Thread.currentThread().getId();
    long[] allocated = new long[measured];
    long[] nanos = new long[measured];
    long[] cpu = new long[measured];
    try (HttpConnection conn = Mint.connect(scheme, "127.0.0.1", port, options)) {
      for (int i = 0; i < warmUp + measured; i++) {
        long bytesBefore = THREADS.getThreadAllocatedBytes(thread);
        long cpuBefore = THREADS.getThreadCpuTime(thread);
        long start = System.nanoTime();
        long got = IdleConnections.exchange(conn, path);
        long took = System.nanoTime() - start;
        long cpuTook = THREADS.getThreadCpuTime(thread) - cpuBefore;
        long bytes = THREADS.getThreadAllocatedBytes(thread) - bytesBefore;
        if (got != size) {
          throw new IOException(label + ": downloaded " + got + " bytes of " + size);
        }
        if (i >= warmUp) {
          allocated[i - warmUp] = bytes;
          nanos[i - warmUp] = took;
          cpu[i - warmUp] = cpuTook;
        }
      }
    }
    java.util.Arrays.sort(allocated);
    java.util.Arrays.sort(nanos);
    java.util.Arrays.sort(cpu);
    return new Result(
        label, allocated[measured / 2], nanos[measured / 2] / 1e6, cpu[measured / 2] / 1e6);
  }

  /** Runs the four measurements: {@code [--downloads N]} (measured per case, default 5). */
  public static void main(String[] args) throws Exception {
    int downloads = 5;
    for (int i = 0; i < args.length; i++) {
      if (args[i].equals("--downloads")) {
        downloads = Integer.parseInt(args[++i]);
      } else {
        throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    if (!LocalNginx.installed()) {
      System.out.println("nginx is not installed at " + LocalNginx.BINARY + ": nothing measured");
      return;
    }
    ConnectOptions h1 = IdleConnections.options(IdleConnections.CERTS);
    ConnectOptions h2 = h1.toBuilder().protocols(Protocol.HTTP2).build();
    System.out.printf(
        Locale.ROOT,
        "%-30s %16s %12s %10s %10s%n",
        "64 MiB download",
        "allocated B",
        "per body B",
        "ms",
        "CPU ms");
    try (LocalNginx nginx = LocalNginx.start(IdleConnections.setup(64))) {
      for (boolean borrow : new boolean[] {false, true}) {
        ConnectOptions h1Case = h1.toBuilder().borrowBodies(borrow).build();
        ConnectOptions h2Case = h2.toBuilder().borrowBodies(borrow).build();
        String how = borrow ? ", borrowed" : "";
        print(
            measure("HTTP/1.1 cleartext" + how, Scheme.HTTP, nginx.plainPort(), h1Case, downloads));
        print(measure("HTTP/1.1 TLS" + how, Scheme.HTTPS, nginx.tlsPort(), h1Case, downloads));
        print(measure("HTTP/2 h2c" + how, Scheme.HTTP, nginx.h2cPort(), h2Case, downloads));
        print(measure("HTTP/2 TLS" + how, Scheme.HTTPS, nginx.tlsPort(), h2Case, downloads));
      }
    }
  }

  /** {@link #measure} of the 64 MiB {@code /large}, after three downloads to warm up. */
  private static Result measure(
      String label, Scheme scheme, int port, ConnectOptions options, int downloads)
      throws IOException {
    return measure(
        label, scheme, port, options, Workload.LARGE_PATH, Workload.LARGE_BODY, 3, downloads);
  }

  private static void print(Result r) {
    System.out.printf(
        Locale.ROOT,
        "%-30s %16d %12.3f %10.1f %10.1f%n",
        r.label(),
        r.bytesAllocatedPerDownload(),
        r.bytesAllocatedPerDownload() / (double) Workload.LARGE_BODY,
        r.millisPerDownload(),
        r.cpuMillisPerDownload());
  }
}
