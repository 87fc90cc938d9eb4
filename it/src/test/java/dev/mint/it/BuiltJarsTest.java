// SPDX-License-Identifier: Apache-2.0
package dev.mint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.mint.it.BuiltJars.Run;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The jars Maven built find each other through {@link java.util.ServiceLoader} in a fresh JVM: as
 * named modules on the module path ({@code provides} clauses) and as plain jars on the class path
 * ({@code META-INF/services} files).
 *
 * <p>The jars (api, spi, transport-tcp, transport-tls, protocol-h1, protocol-h2 with its hpack
 * library, proxy, all, the plain cli jar, websocket (which the cli requires for {@code mint ws})
 * and slf4j-api) are copied into one folder by maven-dependency-plugin before the tests run; the
 * folder comes in as the system property {@code mint.it.jars}. On the module path hpack is the
 * explicit module {@code com.twitter.hpack} of mint-hpack; tls, h2 and proxy are bound in only by
 * service binding, since the cli module does not require them.
 *
 * <p>A user's module ({@code src/test/resources/module-path-app}), compiled here against the jars,
 * shows what a module-path user gets from {@code requires dev.mint.all} and nothing else, on the
 * module path and in a jlink image.
 */
@Timeout(120)
class BuiltJarsTest {
  private static final List<String> ARTIFACTS =
      List.of(
          "mint-api-",
          "mint-spi-",
          "mint-transport-tcp-",
          "mint-transport-tls-",
          "mint-protocol-h1-",
          "mint-protocol-h2-",
          "mint-proxy-",
          "mint-all-",
          "mint-hpack-",
          "mint-cli-",
          "mint-websocket-",
          "slf4j-api-",
          "picocli-");
  private static final String BODY = "hello from the test server\n";

  /** The sources of a user's module that requires dev.mint.all, relative to this module. */
  private static final Path APP = Path.of("src/test/resources/module-path-app");

  private static final String APP_MAIN = "mint.example/mint.example.Main";

  /** What the user's module prints after its HTTP/2 request. */
  private static final List<String> APP_OUTPUT =
      List.of("protocol HTTP2", "status 200", "hpack module com.twitter.hpack, explicit, open");

  /** The test certificates of transport-tls, relative to this module. */
  private static final Path CERTS = Path.of("../transport-tls/src/test/resources/certs");

  private static HttpServer server;
  private static HttpsServer tlsServer;
  private static Server h2cServer;
  private static ServerConnector h2c;

  @TempDir Path work;

  /** How the child JVM is given the jars. */
  enum Layout {
    MODULE_PATH,
    CLASS_PATH;

    List<String> launch(String jarPath) {
      return this == MODULE_PATH
          ? List.of("-p", jarPath, "-m", "dev.mint.cli/dev.mint.cli.Main")
          : List.of("-cp", jarPath, "dev.mint.cli.Main");
    }
  }

  @BeforeAll
  static void startServer() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/hello", BuiltJarsTest::hello);
    server.createContext("/big", BuiltJarsTest::big);
    server.start();
    tlsServer = startTlsServer();
    startH2cServer();
  }

  /** An embedded Jetty speaking cleartext HTTP/2 with prior knowledge (RFC 9113 §3.3). */
  private static void startH2cServer() throws Exception {
    QueuedThreadPool threads = new QueuedThreadPool(16, 2);
    threads.setDaemon(true);
    h2cServer = new Server(threads);
    h2c = new ServerConnector(h2cServer, 1, 1, new HTTP2CServerConnectionFactory());
    h2c.setHost("127.0.0.1");
    h2c.setPort(0);
    h2cServer.addConnector(h2c);
    h2cServer.setHandler(
        new Handler.Abstract() {
          @Override
          public boolean handle(Request request, Response response, Callback callback) {
            Content.Sink.write(response, true, BODY, callback);
            return true;
          }
        });
    h2cServer.start();
  }

  /** A JDK https server presenting the test certificate for 127.0.0.1 (it does no ALPN). */
  private static HttpsServer startTlsServer() throws IOException, GeneralSecurityException {
    char[] password = "changeit".toCharArray();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(CERTS.resolve("server.p12"))) {
      keys.load(in, password);
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    HttpsServer https =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(context));
    https.createContext("/hello", BuiltJarsTest::hello);
    https.start();
    return https;
  }

  /** {@code /hello} on the JDK servers: 200 with {@link #BODY}. */
  private static void hello(HttpExchange exchange) throws IOException {
    byte[] body = BODY.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  /** {@code /big}: 256 MiB, 64 KiB at a time, until the client goes away. */
  private static void big(HttpExchange exchange) throws IOException {
    byte[] chunk = new byte[64 * 1024];
    java.util.Arrays.fill(chunk, (byte) 'x');
    exchange.sendResponseHeaders(200, 256L * 1024 * 1024);
    try (OutputStream out = exchange.getResponseBody()) {
      for (int i = 0; i < 4096; i++) {
        out.write(chunk);
      }
    } catch (IOException clientGone) {
      // what the pipe test wants
    }
  }

  @AfterAll
  static void stopServer() {
    server.stop(0);
    tlsServer.stop(0);
    try {
      h2cServer.stop();
    } catch (Exception e) {
      throw new IllegalStateException("Jetty did not stop", e);
    }
  }

  @Test
  void theFolderHoldsEachBuiltJarOnce() throws IOException {
    List<String> names = BuiltJars.jars().stream().map(p -> p.getFileName().toString()).toList();
    for (String artifact : ARTIFACTS) {
      assertEquals(
          1, names.stream().filter(n -> n.startsWith(artifact)).count(), artifact + " in " + names);
    }
  }

  @Test
  void theJarsAreValidModules() throws Exception {
    Run run = java(List.of("-p", BuiltJars.jarPath(), "--validate-modules"));
    assertEquals(0, run.exit(), run.err() + run.out());
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void serviceLoaderFindsTheProviders(Layout layout) throws Exception {
    Run run = java(command(layout, "--providers"));
    assertEquals(0, run.exit(), run.err());
    List<String> lines = run.out().lines().toList();
    assertTrue(lines.contains("transport tcp"), run.out());
    assertTrue(lines.contains("transport tls"), run.out());
    assertTrue(lines.contains("protocol http/1.1"), run.out());
    assertTrue(lines.contains("protocol h2"), run.out());
    assertTrue(lines.contains("transport http-connect"), run.out());
    assertTrue(lines.contains("transport socks5"), run.out());
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void aRealRequestWorks(Layout layout) throws Exception {
    String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hello";
    Run run = java(command(layout, url));
    assertEquals(0, run.exit(), run.err());
    assertEquals(BODY, run.out());
    assertTrue(run.err().contains("HTTP/1.1 200"), run.err());
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void anHttpsRequestWorks(Layout layout) throws Exception {
    String url = "https://127.0.0.1:" + tlsServer.getAddress().getPort() + "/hello";
    Run run = java(command(layout, "--cacert", CERTS.resolve("ca.pem").toString(), url));
    assertEquals(0, run.exit(), run.err());
    assertEquals(BODY, run.out());
    assertTrue(run.err().contains("HTTP/1.1 200"), run.err());
  }

  @ParameterizedTest
  @EnumSource(Layout.class)
  void anHttp2RequestWorks(Layout layout) throws Exception {
    // HTTP/2 needs protocol-h2 and its hpack library (module com.twitter.hpack).
    String url = "http://127.0.0.1:" + h2c.getLocalPort() + "/hello";
    Run run = java(command(layout, "--http2-prior-knowledge", url));
    assertEquals(0, run.exit(), run.err());
    assertEquals(BODY, run.out());
    assertTrue(run.err().contains("HTTP/2 200"), run.err());
  }

  @Test
  void hpackIsTheExplicitModuleComTwitterHpack() throws Exception {
    Run hpack = java(List.of("-p", BuiltJars.jarPath(), "--describe-module", "com.twitter.hpack"));
    assertEquals(0, hpack.exit(), hpack.err());
    List<String> lines = hpack.out().lines().toList();
    // "name@version file-URI open"; an automatic module would end in "automatic".
    assertTrue(lines.get(0).startsWith("com.twitter.hpack@"), hpack.out());
    assertTrue(lines.get(0).endsWith(" open"), hpack.out());
    assertTrue(lines.contains("exports com.twitter.hpack"), hpack.out());
    Run h2 = java(List.of("-p", BuiltJars.jarPath(), "--describe-module", "dev.mint.http2"));
    assertEquals(0, h2.exit(), h2.err());
    assertTrue(h2.out().lines().toList().contains("requires com.twitter.hpack"), h2.out());
  }

  @Test
  void aModuleRequiringMintAllSpeaksHttp2() throws Exception {
    String modulePath = compileApp() + File.pathSeparator + BuiltJars.jarPath();
    Run run = java(List.of("-p", modulePath, "-m", APP_MAIN, appUrl()));
    assertEquals(0, run.exit(), run.err());
    assertEquals(APP_OUTPUT, run.out().lines().toList());
  }

  @Test
  void jlinkLinksTheAppWithItsModules() throws Exception {
    // jlink refuses automatic modules: the image links only because hpack is an explicit module.
    Path image = work.resolve("image");
    String modulePath = compileApp() + File.pathSeparator + BuiltJars.jarPath();
    Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
    List<String> link =
        List.of(
            jlink.toString(),
            "-p",
            modulePath,
            "--add-modules",
            "mint.example",
            "--output",
            image.toString());
    Run linked = BuiltJars.run(link, null, work);
    // A JDK without jmods whose runtime cannot be linked either has no java.base to link.
    assumeFalse(linked.exit() != 0 && linked.err().contains("java.base"), linked.err());
    assertEquals(0, linked.exit(), linked.err() + linked.out());
    List<String> app = List.of(image.resolve("bin/java").toString(), "-m", APP_MAIN, appUrl());
    Run run = BuiltJars.run(app, null, work);
    assertEquals(0, run.exit(), run.err());
    assertEquals(APP_OUTPUT, run.out().lines().toList());
  }

  @Test
  void aReaderThatGoesAwayStopsTheCommandWithExit23() throws Exception {
    // mint URL | head -c 10: read ten bytes of the body, then close the pipe.
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(command(Layout.CLASS_PATH, "-s", baseUrl() + "/big"));
    Process process =
        new ProcessBuilder(command).redirectError(work.resolve("err.txt").toFile()).start();
    process.getOutputStream().close();
    long start = System.nanoTime();
    try (InputStream body = process.getInputStream()) {
      assertEquals(10, body.readNBytes(10).length);
    }
    boolean ended = process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    long millis = (System.nanoTime() - start) / 1_000_000;
    if (!ended) {
      process.destroyForcibly();
    }
    assertTrue(ended, "still running after the reader went away");
    assertEquals(23, process.exitValue(), Files.readString(work.resolve("err.txt")));
    assertTrue(millis < 20_000, millis + " ms");
  }

  @Test
  void combinedShortFlagsVersionAndHelp() throws Exception {
    Run run = java(command(Layout.MODULE_PATH, "-sSi", baseUrl() + "/hello"));
    assertEquals(0, run.exit(), run.err());
    assertTrue(run.out().startsWith("HTTP/1.1 200 OK\n"), run.out());
    assertTrue(run.out().endsWith("\n\n" + BODY), run.out());
    // -s: nothing on stderr but SLF4J's own note that the folder holds no binding.
    assertEquals(List.of(), run.err().lines().filter(l -> !l.startsWith("SLF4J")).toList());
    Run version = java(command(Layout.MODULE_PATH, "--version"));
    assertEquals(0, version.exit(), version.err());
    assertTrue(version.out().startsWith("mint 0."), version.out());
    Run help = java(command(Layout.CLASS_PATH, "--help"));
    assertTrue(help.out().startsWith("usage: mint [options] URL"), help.out());
    Run fail = java(command(Layout.CLASS_PATH, "-f", baseUrl() + "/nothing-here"));
    assertEquals(22, fail.exit(), fail.err());
  }

  @Test
  void theTourPassesOnTheModulePath() throws Exception {
    // Its HTTP/2 steps run against an embedded Jetty: the jetty modules are in the folder too.
    Run run = java(command(Layout.MODULE_PATH));
    assertEquals(0, run.exit(), run.err() + run.out());
    assertTrue(run.out().contains("Tour complete: 10 steps, every check passed."), run.out());
  }

  @Test
  void loadDrivesH2cStreamsFromTheJar() throws Exception {
    String url = "http://127.0.0.1:" + h2c.getLocalPort() + "/hello";
    Run run =
        java(
            command(
                Layout.MODULE_PATH,
                "load",
                "--http2-prior-knowledge",
                "-c",
                "2",
                "-m",
                "4",
                "-n",
                "40",
                url));
    assertEquals(0, run.exit(), run.err() + run.out());
    assertTrue(run.out().contains(" over h2, 2 connections"), run.out());
    assertTrue(
        run.out().contains("requests: 40 total, 40 started, 40 done, 40 succeeded"), run.out());
    assertTrue(run.out().contains("status codes: 40 2xx"), run.out());
  }

  private static String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** Compiles the user's module of {@link #APP} against the jars; returns its class folder. */
  private Path compileApp() throws IOException {
    Path classes = work.resolve("app");
    List<String> javac =
        new ArrayList<>(List.of("-p", BuiltJars.jarPath(), "-d", classes.toString()));
    try (Stream<Path> files = Files.walk(APP)) {
      files.filter(p -> p.toString().endsWith(".java")).forEach(p -> javac.add(p.toString()));
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    assertEquals(0, compiler.run(null, null, null, javac.toArray(String[]::new)), "javac " + javac);
    return classes;
  }

  private static String appUrl() {
    return "http://127.0.0.1:" + h2c.getLocalPort() + "/hello";
  }

  private static List<String> command(Layout layout, String... args) throws IOException {
    List<String> command = new ArrayList<>(layout.launch(BuiltJars.jarPath()));
    command.addAll(List.of(args));
    return command;
  }

  private Run java(List<String> args) throws IOException, InterruptedException {
    return BuiltJars.java(args, null, work);
  }
}
