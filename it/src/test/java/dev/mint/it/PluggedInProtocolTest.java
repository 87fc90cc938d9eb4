// SPDX-License-Identifier: Apache-2.0
package dev.mint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.echo.client.EchoClient;
import dev.mint.it.BuiltJars.Run;
import dev.mint.it.h2.TrustMaterial;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.InetAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A protocol Mint did not write, {@code x-echo/1} of {@code com.example.echo}, plugged in from a
 * jar of its own: the {@code mint-example-echo-protocol} module's jar (the provider, its engine and
 * their {@code META-INF/services/dev.mint.spi.ProtocolProvider}), beside the caller ({@link
 * EchoClient}) packed into another jar here. The caller runs in a child JVM on the built Mint jars
 * and those; a JDK {@link SSLServerSocket} serves {@code x-echo/1} over TLS and selects by ALPN the
 * first of its own preferences that the client offers.
 *
 * <p>The example jar is kept off this module's test class path, so only the child JVMs find the
 * provider, and only when the jar is on their class path.
 */
@Timeout(120)
class PluggedInProtocolTest {
  private static final Path CERTS = Path.of("../transport-tls/src/test/resources/certs");
  private static final String ECHO = "x-echo/1";

  private static SSLServerSocket server;
  private static final BlockingQueue<List<String>> OFFERS = new LinkedBlockingQueue<>();

  /** The ALPN ids the server selects from, most preferred first; each test sets its own. */
  private static final AtomicReference<List<String>> SERVER_PREFERS =
      new AtomicReference<>(List.of(ECHO));

  @TempDir static Path jars;
  @TempDir Path work;

  @BeforeAll
  static void startServer() throws Exception {
    SSLContext context = TrustMaterial.serverContext();
    server =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 8, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(PluggedInProtocolTest::acceptLoop, "x-echo server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  @AfterAll
  static void stopServer() throws IOException {
    server.close();
  }

  /** Serves each connection in turn: it is one short client at a time. */
  private static void acceptLoop() {
    while (!server.isClosed()) {
      try (SSLSocket socket = (SSLSocket) server.accept()) {
        socket.setHandshakeApplicationProtocolSelector(
            (s, offered) -> {
              OFFERS.add(List.copyOf(offered));
              return select(offered);
            });
        socket.setSoTimeout(20_000);
        socket.startHandshake();
        if (ECHO.equals(socket.getApplicationProtocol())) {
          echoLines(socket);
        } else {
          socket.getInputStream().transferTo(OutputStream.nullOutputStream()); // until it closes
        }
      } catch (IOException e) {
        // The server was closed (the loop ends), or a client left early: serve the next.
      }
    }
  }

  /** The server's first preference that was offered; "" for no ALPN answer (null would refuse). */
  private static String select(List<String> offered) {
    return SERVER_PREFERS.get().stream().filter(offered::contains).findFirst().orElse("");
  }

  /** {@code x-echo/1}, server side: each line back as it came, until the client closes. */
  private static void echoLines(SSLSocket socket) throws IOException {
    BufferedReader in =
        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
    Writer out = new OutputStreamWriter(socket.getOutputStream(), StandardCharsets.UTF_8);
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      out.write(line + "\n");
      out.flush();
    }
  }

  @BeforeEach
  void forgetEarlierOffers() {
    OFFERS.clear();
    SERVER_PREFERS.set(List.of(ECHO));
  }

  @Test
  void theProviderFromItsOwnJarIsOfferedSelectedByAlpnAndSpoken() throws Exception {
    Run run = client(Placement.CLASS_PATH, "-", "hello", "", "third line");
    assertEquals(0, run.exit(), run.err() + run.out());
    assertEquals(
        List.of("protocol x-echo/1", "echo hello", "echo ", "echo third line"),
        run.out().lines().toList());
    assertEquals(List.of(ECHO, "h2", "http/1.1"), offer(), "offered in the caller's order");
  }

  @Test
  void aServerPreferringHttp2GetsTheHttp2Engine() throws Exception {
    SERVER_PREFERS.set(List.of("h2", ECHO));
    Run run = client(Placement.CLASS_PATH, "-");
    assertEquals(0, run.exit(), run.err() + run.out());
    assertEquals(List.of("protocol h2"), run.out().lines().toList());
    assertEquals(List.of(ECHO, "h2", "http/1.1"), offer());
  }

  @Test
  void theProviderIsFoundOnTheModulePathThroughItsProvidesClause() throws Exception {
    Run run = client(Placement.MODULE_PATH, "-", "on the module path");
    assertEquals(0, run.exit(), run.err() + run.out());
    assertEquals(
        List.of("protocol x-echo/1", "echo on the module path"), run.out().lines().toList());
    assertEquals(List.of(ECHO, "h2", "http/1.1"), offer());
  }

  @Test
  void anInstalledProtocolTheCallerDoesNotAllowIsNotOffered() throws Exception {
    Run run = client(Placement.CLASS_PATH, "h2,http/1.1");
    assertEquals(0, run.exit(), run.err() + run.out());
    assertEquals(List.of("protocol http/1.1"), run.out().lines().toList(), "no ALPN answer");
    assertEquals(List.of("h2", "http/1.1"), offer());
  }

  @Test
  void withoutTheJarTheProtocolIsNotInstalled() throws Exception {
    Run run = client(Placement.NONE, ECHO, "hello");
    assertEquals(3, run.exit(), run.err() + run.out());
    assertTrue(run.out().startsWith("failed NO_USABLE_PROTOCOL: "), run.out());
    assertTrue(run.out().contains(ECHO), run.out());
  }

  /**
   * What the last client offered by ALPN. The JDK may ask the selector more than once in one
   * handshake (after a TLS 1.3 HelloRetryRequest), always with the same offer.
   */
  private static List<String> offer() throws InterruptedException {
    List<String> offered = OFFERS.poll(10, TimeUnit.SECONDS);
    for (List<String> again = OFFERS.poll(); again != null; again = OFFERS.poll()) {
      assertEquals(offered, again, "one offer per client");
    }
    return offered;
  }

  /** Where the child JVM finds the {@code x-echo/1} jar. */
  private enum Placement {
    NONE,
    CLASS_PATH,
    MODULE_PATH
  }

  /**
   * Runs {@link EchoClient} in a child JVM with the {@code x-echo/1} jar where {@code placement}
   * says: on the class path beside the Mint jars, or on the module path with them (the client stays
   * on the class path, whose code reads every module).
   */
  private Run client(Placement placement, String allowed, String... lines)
      throws IOException, InterruptedException, URISyntaxException {
    List<Path> path = new ArrayList<>(BuiltJars.jars());
    if (placement != Placement.NONE) {
      path.add(protocolJar());
    }
    List<String> command = new ArrayList<>();
    if (placement == Placement.MODULE_PATH) {
      command.addAll(List.of("-p", joined(path), "--add-modules", "ALL-MODULE-PATH"));
      command.addAll(List.of("-cp", clientJar().toString()));
    } else {
      path.add(clientJar());
      command.addAll(List.of("-cp", joined(path)));
    }
    command.add(EchoClient.class.getName());
    command.add(Integer.toString(server.getLocalPort()));
    command.add(CERTS.resolve("ca.pem").toAbsolutePath().toString());
    command.add(allowed);
    command.addAll(List.of(lines));
    return BuiltJars.java(command, null, work);
  }

  private static String joined(List<Path> path) {
    return path.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
  }

  /** The {@code mint-example-echo-protocol} jar the build copied for these tests. */
  private static Path protocolJar() throws IOException {
    Path folder = Path.of(System.getProperty("mint.it.example.jars", "target/example-jars"));
    try (Stream<Path> files = Files.list(folder)) {
      List<Path> jars =
          files.filter(p -> p.getFileName().toString().endsWith(".jar")).sorted().toList();
      assertEquals(1, jars.size(), "one example jar in " + folder + ": " + jars);
      return jars.get(0);
    }
  }

  /** A jar of the compiled {@link EchoClient} alone, without any services file. */
  private static Path clientJar() throws IOException, URISyntaxException {
    Path jar = jars.resolve("echo-client.jar");
    if (Files.exists(jar)) {
      return jar;
    }
    Path root =
        Path.of(EchoClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path folder = root.resolve("com/example/echo/client");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> compiled = Files.list(folder)) {
      for (Path c : compiled.sorted().toList()) {
        if (c.getFileName().toString().matches("EchoClient([$].*)?[.]class")) {
          out.putNextEntry(new JarEntry(root.relativize(c).toString().replace('\\', '/')));
          out.write(Files.readAllBytes(c));
          out.closeEntry();
        }
      }
    }
    return jar;
  }
}
