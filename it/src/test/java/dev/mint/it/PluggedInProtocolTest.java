package dev.mint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.echo.EchoClient;
import com.example.echo.EchoProtocolProvider;
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
 * jar of its own: the test packs the provider and its engine with a {@code
 * META-INF/services/dev.mint.spi.ProtocolProvider} file into one jar and the caller ({@link
 * EchoClient}) into another, runs the caller in a child JVM on the built Mint jars and those, and
 * serves {@code x-echo/1} over TLS from a JDK {@link SSLServerSocket} that selects it by ALPN.
 *
 * <p>The test JVM's own class path has the classes but no services file, so only the child JVMs
 * find the provider, and only when the protocol jar is on their class path.
 */
@Timeout(120)
class PluggedInProtocolTest {
  private static final Path CERTS = Path.of("../transport-tls/src/test/resources/certs");
  private static final String ECHO = "x-echo/1";

  private static SSLServerSocket server;
  private static final BlockingQueue<List<String>> OFFERS = new LinkedBlockingQueue<>();

  @TempDir static Path jars;
  @TempDir Path work;

  @BeforeAll
  static void startServer() throws Exception {
    SSLContext context = TrustMaterial.testServerContext();
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
              return offered.contains(ECHO) ? ECHO : ""; // "": no ALPN answer (null would refuse)
            });
        socket.startHandshake();
        if (ECHO.equals(socket.getApplicationProtocol())) {
          echoLines(socket);
        }
      } catch (IOException e) {
        // The server was closed (the loop ends), or a client left early: serve the next.
      }
    }
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
  }

  @Test
  void theProviderFromItsOwnJarIsOfferedAndSpoken() throws Exception {
    Run run = client(true, "-", "hello", "", "third line");
    assertEquals(0, run.exit(), run.err() + run.out());
    assertEquals(
        List.of("protocol x-echo/1", "echo hello", "echo ", "echo third line"),
        run.out().lines().toList());
    assertEquals(List.of(ECHO, "http/1.1"), offer(), "offered in the caller's order");
  }

  @Test
  void anInstalledProtocolTheCallerDoesNotAllowIsNotOffered() throws Exception {
    Run run = client(true, "h2,http/1.1");
    assertEquals(0, run.exit(), run.err() + run.out());
    assertEquals(List.of("protocol http/1.1"), run.out().lines().toList(), "no ALPN answer");
    assertEquals(List.of("h2", "http/1.1"), offer());
  }

  @Test
  void withoutTheJarTheProtocolIsNotInstalled() throws Exception {
    Run run = client(false, ECHO, "hello");
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

  /** Runs {@link EchoClient} in a child JVM, with or without the {@code x-echo/1} jar. */
  private Run client(boolean withProtocolJar, String allowed, String... lines)
      throws IOException, InterruptedException, URISyntaxException {
    List<Path> path = new ArrayList<>(BuiltJars.jars());
    path.add(echoJar("echo-client.jar", "EchoClient", null));
    if (withProtocolJar) {
      path.add(
          echoJar(
              "x-echo-protocol.jar",
              "EchoEngine|EchoProtocolProvider",
              EchoProtocolProvider.class.getName()));
    }
    List<String> command = new ArrayList<>();
    command.add("-cp");
    command.add(path.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator)));
    command.add(EchoClient.class.getName());
    command.add(Integer.toString(server.getLocalPort()));
    command.add(CERTS.resolve("ca.pem").toAbsolutePath().toString());
    command.add(allowed);
    command.addAll(List.of(lines));
    return BuiltJars.java(command, null, work);
  }

  /**
   * A jar of the compiled {@code com.example.echo} classes whose names match {@code classes} (a
   * regular expression matching the whole simple name of the top-level class), with a services file
   * naming {@code provider} when it is not null.
   */
  private static Path echoJar(String name, String classes, String provider)
      throws IOException, URISyntaxException {
    Path jar = jars.resolve(name);
    if (Files.exists(jar)) {
      return jar;
    }
    Path root =
        Path.of(EchoClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path folder = root.resolve("com/example/echo");
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file);
        Stream<Path> compiled = Files.list(folder)) {
      for (Path c : compiled.sorted().toList()) {
        String simple = c.getFileName().toString().replaceFirst("[$.].*", "");
        if (simple.matches(classes)) {
          out.putNextEntry(new JarEntry(root.relativize(c).toString().replace('\\', '/')));
          out.write(Files.readAllBytes(c));
          out.closeEntry();
        }
      }
      if (provider != null) {
        out.putNextEntry(new JarEntry("META-INF/services/dev.mint.spi.ProtocolProvider"));
        out.write((provider + "\n").getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
    return jar;
  }
}
