// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import static dev.mint.cli.CommandRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import java.io.IOException;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --resolve}, {@code --unix-socket} and {@code --connect-timeout}. */
@Timeout(30)
class ConnectFlagsTest {
  private static TourServer server;

  @BeforeAll
  static void startServer() throws Exception {
    server = TourServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void resolveSendsANameThatDoesNotExistToTheGivenAddress() {
    String host = "mint-resolve.test";
    CommandRun r =
        run(
            "--resolve",
            host + ":" + server.port() + ":" + server.host(),
            "http://" + host + ":" + server.port() + "/hello");
    assertEquals(Main.EXIT_OK, r.exit(), r.err());
    assertEquals(TourServer.HELLO, r.out());
  }

  @Test
  void resolveIsForItsPortOnly() {
    String host = "mint-resolve.test";
    CommandRun r =
        run(
            "--resolve",
            host + ":1:" + server.host(),
            "--connect-timeout",
            "5",
            "http://" + host + ":" + server.port() + "/hello");
    assertEquals(ExitStatus.COULD_NOT_RESOLVE_HOST, r.exit(), r.err());
    assertTrue(r.err().contains("UNRESOLVED_HOST"), r.err());
  }

  @Test
  void unixSocketReachesTheServerOnThePathNamingTheUrlsHost(@TempDir Path dir) throws Exception {
    Path path = dir.resolve("mint.sock");
    AtomicReference<String> head = new AtomicReference<>("");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(path));
      Thread answering =
          new Thread(
              () -> {
                try (SocketChannel ch = server.accept()) {
                  ByteBuffer in = ByteBuffer.allocate(4096);
                  while (!new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII)
                      .contains("\r\n\r\n")) {
                    if (ch.read(in) < 0) {
                      break;
                    }
                  }
                  head.set(new String(in.array(), 0, in.position(), StandardCharsets.US_ASCII));
                  ch.write(
                      ByteBuffer.wrap(
                          "HTTP/1.1 200 OK\r\ncontent-length: 2\r\nconnection: close\r\n\r\nok"
                              .getBytes(StandardCharsets.US_ASCII)));
                } catch (IOException ignored) {
                  // the test fails on what the command printed
                }
              },
              "unix-server");
      answering.start();
      CommandRun r = run("--unix-socket", path.toString(), "http://unix.test/x");
      answering.join(5_000);
      assertEquals(Main.EXIT_OK, r.exit(), r.err());
      assertEquals("ok", r.out());
      assertTrue(head.get().startsWith("GET /x HTTP/1.1\r\n"), head.get());
      assertTrue(head.get().toLowerCase(Locale.ROOT).contains("host: unix.test\r\n"), head.get());
    }
  }

  @Test
  void parsesCurlsForms() throws Exception {
    FetchArgs cmd =
        FetchArgs.parse(
            "--resolve",
            "a.test:443:127.0.0.1,[::1]",
            "--resolve=b.test:80:192.0.2.7",
            "--unix-socket",
            "/run/app.sock",
            "--connect-timeout",
            "2.5",
            "--timeout",
            "9",
            "https://a.test/");
    ConnectFlags flags = cmd.connect();
    assertEquals(2, flags.resolve().size());
    assertEquals(
        List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")),
        flags.resolve().get(0).addresses());
    ConnectOptions options = cmd.connectOptions();
    assertEquals(
        List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1")),
        options.resolver().resolve("a.test", 443));
    assertEquals(
        List.of(InetAddress.getByName("192.0.2.7")), options.resolver().resolve("B.test", 80));
    assertEquals(Optional.of(Path.of("/run/app.sock")), options.unixSocket());
    assertEquals("unix", options.transport());
    assertEquals(Duration.ofMillis(2500), options.connectTimeout());
    assertEquals(Duration.ofSeconds(9), options.writeTimeout());
  }

  @Test
  void withoutFlagsTheTimeoutBoundsConnecting() throws Exception {
    ConnectOptions options = FetchArgs.parse("--timeout", "4", "http://h/").connectOptions();
    assertEquals(Duration.ofSeconds(4), options.connectTimeout());
    assertEquals("tcp", options.transport());
    assertEquals(Optional.empty(), options.unixSocket());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "a.test",
        "a.test:443",
        "a.test:443:",
        ":443:127.0.0.1",
        "a.test:x:127.0.0.1",
        "a.test:70000:127.0.0.1",
        "a.test:443:example.com",
        "a.test:443:127.0.0.1,"
      })
  void badResolveEntriesAreUsageErrors(String entry) {
    UsageException e =
        assertThrows(UsageException.class, () -> FetchArgs.parse("--resolve", entry, "http://h/"));
    assertTrue(e.getMessage().startsWith("--resolve"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "-1", "soon"})
  void badConnectTimeoutsAreUsageErrors(String value) {
    UsageException e =
        assertThrows(
            UsageException.class, () -> FetchArgs.parse("--connect-timeout", value, "http://h/"));
    assertTrue(e.getMessage().startsWith("--connect-timeout"), e.getMessage());
  }
}
