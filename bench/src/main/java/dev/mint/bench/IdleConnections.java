// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import dev.mint.bench.report.Workload;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.lang.management.OperatingSystemMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The memory an idle Mint connection holds: opens N keep-alive connections from the calling thread,
 * makes one small request on each, lets them all sit idle, then forces garbage collection and
 * divides what the heap and the direct buffer pool grew by N.
 *
 * <p>The connections are made in passive mode and left in active mode, as one thread driving them
 * with a {@code Selector} would hold them (passive mode keeps a private selector per connection
 * while it waits, two more descriptors each).
 *
 * <p>Server: nginx ({@link LocalNginx}, one worker) when installed; else, for cleartext only, the
 * bench's own one-thread {@link BenchServer} started in a child JVM, so that its memory is not
 * counted (the TLS figure then is not measured, and the output says so). What limits N is the
 * number of open files: the client holds one per connection, and the output prints the limit.
 *
 * <p>Run from the repository root (the TLS connections trust the test CA of {@code
 * transport-tls/src/test/resources/certs}):
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.mint.bench.IdleConnections [--plain N] [--tls N]
 * </pre>
 *
 * <p>{@link #measure} is the entry point for other harnesses (the comparison table).
 */
public final class IdleConnections {
  /** Where the test certificates are, from the repository root. */
  static final Path CERTS = Path.of("transport-tls/src/test/resources/certs");

  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final int GC_ROUNDS = 4;

  /**
   * One measurement.
   *
   * @param label what was measured (cleartext HTTP/1.1, TLS HTTP/1.1)
   * @param connections the number of idle connections held
   * @param heapBytesPerConnection heap growth after GC, divided by {@code connections}
   * @param directBytesPerConnection direct buffer pool growth, divided by {@code connections}
   */
  public record Result(
      String label,
      int connections,
      double heapBytesPerConnection,
      double directBytesPerConnection) {
    /** Heap and direct together, per connection. */
    public double totalBytesPerConnection() {
      return heapBytesPerConnection + directBytesPerConnection;
    }
  }

  /**
   * Where and how to connect.
   *
   * @param label what the connections are, for the result
   * @param scheme HTTP or HTTPS
   * @param port the server's port on 127.0.0.1
   * @param options the connect options (mode, protocols, TLS trust)
   * @param path the small document to request on each connection
   * @param idleMode the mode the connections idle in (they make their request in passive mode)
   */
  public record Target(
      String label, Scheme scheme, int port, ConnectOptions options, String path, Mode idleMode) {}

  private IdleConnections() {}

  /**
   * Opens {@code n} connections to {@code target} from the calling thread, one request each, and
   * measures what they hold once idle. The connections are closed before returning.
   */
  public static Result measure(Target target, int n) throws IOException, InterruptedException {
    warmUp(target);
    long[] before = settledMemory();
    List<HttpConnection> held = new ArrayList<>(n);
    try {
      for (int i = 0; i < n; i++) {
        HttpConnection conn =
            Mint.connect(target.scheme(), "127.0.0.1", target.port(), target.options());
        held.add(conn);
        exchange(conn, target.path());
        // Active mode by default, as a selector loop would hold it: passive mode keeps a private
        // selector per connection (two more descriptors and its key set).
        conn.setMode(target.idleMode());
      }
      long[] after = settledMemory();
      return new Result(
          target.label(),
          n,
          (after[0] - before[0]) / (double) n,
          (after[1] - before[1]) / (double) n);
    } finally {
      for (HttpConnection conn : held) {
        conn.close();
      }
    }
  }

  /** A few connections first, so that classes, the TLS context and caches are in place. */
  private static void warmUp(Target target) throws MintException {
    for (int i = 0; i < 20; i++) {
      try (HttpConnection conn =
          Mint.connect(target.scheme(), "127.0.0.1", target.port(), target.options())) {
        exchange(conn, target.path());
      }
    }
  }

  /** One GET on {@code conn}, read to its end. */
  static long exchange(HttpConnection conn, String path) throws MintException {
    conn.request("GET", path, Headers.empty(), null);
    long bytes = 0;
    while (true) {
      for (ResponsePart part : conn.recv(TIMEOUT)) {
        if (part instanceof ResponsePart.Data d) {
          bytes += d.bytes().length();
        } else if (part instanceof ResponsePart.Done) {
          return bytes;
        } else if (part instanceof ResponsePart.RequestError e) {
          throw e.error();
        }
      }
    }
  }

  /** Heap used and direct memory used, after a few full collections. */
  private static long[] settledMemory() throws InterruptedException {
    for (int i = 0; i < GC_ROUNDS; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return new long[] {heapAfterCollection(), directUsed()};
  }

  /**
   * The heap in use as the last collection left it: each heap pool's {@link
   * MemoryPoolMXBean#getCollectionUsage}, summed. Not {@code MemoryMXBean.getHeapMemoryUsage()}:
   * that counts the whole of every allocation buffer (TLAB, about 2 MiB) a thread took since the
   * collection, however little of it is used, so it moves by 0 to 2 such buffers from one reading
   * to the next; divided by a few hundred connections that swung the per-connection figure by about
   * 4 KiB either way (below zero at N = 500).
   */
  static long heapAfterCollection() {
    long used = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      MemoryUsage usage = pool.getType() == MemoryType.HEAP ? pool.getCollectionUsage() : null;
      if (usage != null) {
        used += usage.getUsed();
      }
    }
    return used;
  }

  /**
   * The direct buffer pool in use. On JDK 17 it includes the one temporary direct buffer per thread
   * that the JDK keeps for reads into heap buffers ({@code sun.nio.ch.Util}, as large as the
   * largest read asked for: up to one lent read array, about 64 KiB); the warm-up's reads put it in
   * place before the baseline, so it cancels out. From JDK 25 that buffer is outside the pool.
   */
  private static long directUsed() {
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        return pool.getMemoryUsed();
      }
    }
    return 0;
  }

  /** The most files this process may open, or -1 when the JVM cannot say. */
  static long maxOpenFiles() {
    OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
    return os instanceof com.sun.management.UnixOperatingSystemMXBean unix
        ? unix.getMaxFileDescriptorCount()
        : -1;
  }

  /** nginx for {@code connections} at once, with the test server certificate. */
  static LocalNginx.Setup setup(int connections) {
    return new LocalNginx.Setup(
        LocalNginx.BINARY,
        CERTS.resolve("server-chain.pem"),
        CERTS.resolve("server.key"),
        connections,
        null);
  }

  /**
   * Passive connections over HTTP/1.1 (for TLS: ALPN offers only http/1.1), trusting the test CA.
   */
  static ConnectOptions options(Path certs) {
    return ConnectOptions.builder()
        .mode(Mode.PASSIVE)
        .protocols(Protocol.HTTP1)
        .connectTimeout(TIMEOUT)
        .tls(TlsOptions.defaults().withCaCertificatesPem(certs.resolve("ca.pem")))
        .build();
  }

  /**
   * Runs the measurement: {@code [--plain N] [--tls N] [--embedded] [--passive]}; {@code --passive}
   * adds cleartext and TLS rows of connections left idle in passive mode (at most a third of the
   * open-file limit: three descriptors each).
   */
  public static void main(String[] args) throws Exception {
    int plain = 10_000;
    int tls = 1_000;
    boolean embedded = !LocalNginx.installed();
    boolean passive = false;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--plain" -> plain = Integer.parseInt(args[++i]);
        case "--tls" -> tls = Integer.parseInt(args[++i]);
        case "--embedded" -> embedded = true;
        case "--passive" -> passive = true;
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    long files = maxOpenFiles();
    System.out.printf(
        Locale.ROOT,
        "N is limited by the open-file limit (%d here, ulimit -n): one descriptor per connection,"
            + " in this process and in the server%n",
        files);
    ConnectOptions options = options(CERTS);
    if (embedded) {
      System.out.println("server: BenchServer in a child JVM (nginx not used); TLS not measured");
      printHeader();
      try (ChildServer server = ChildServer.start()) {
        print(
            measure(
                new Target(
                    "HTTP/1.1 cleartext", Scheme.HTTP, server.port(), options, "/", Mode.ACTIVE),
                plain));
      }
    } else {
      if (!Files.isDirectory(CERTS)) {
        throw new IOException("run from the repository root: " + CERTS + " not found");
      }
      try (LocalNginx nginx = LocalNginx.start(setup(Math.max(plain, tls)))) {
        System.out.println("server: " + nginx.description());
        printHeader();
        print(
            measure(
                new Target(
                    "HTTP/1.1 cleartext",
                    Scheme.HTTP,
                    nginx.plainPort(),
                    options,
                    Workload.SMALL_PATH,
                    Mode.ACTIVE),
                plain));
        print(
            measure(
                new Target(
                    "HTTP/1.1 TLS",
                    Scheme.HTTPS,
                    nginx.tlsPort(),
                    options,
                    Workload.SMALL_PATH,
                    Mode.ACTIVE),
                tls));
        if (passive) {
          int third = (int) Math.min(plain, files < 0 ? plain : files / 3 - 100);
          print(
              measure(
                  new Target(
                      "cleartext, passive",
                      Scheme.HTTP,
                      nginx.plainPort(),
                      options,
                      Workload.SMALL_PATH,
                      Mode.PASSIVE),
                  third));
          print(
              measure(
                  new Target(
                      "TLS, passive",
                      Scheme.HTTPS,
                      nginx.tlsPort(),
                      options,
                      Workload.SMALL_PATH,
                      Mode.PASSIVE),
                  Math.min(tls, third)));
        }
      }
    }
  }

  private static void printHeader() {
    System.out.printf(
        Locale.ROOT,
        "%-20s %8s %12s %12s %12s%n",
        "idle, per connection",
        "N",
        "heap B",
        "direct B",
        "total B");
  }

  private static void print(Result r) {
    System.out.printf(
        Locale.ROOT,
        "%-20s %8d %12.0f %12.0f %12.0f%n",
        r.label(),
        r.connections(),
        r.heapBytesPerConnection(),
        r.directBytesPerConnection(),
        r.totalBytesPerConnection());
  }
}
