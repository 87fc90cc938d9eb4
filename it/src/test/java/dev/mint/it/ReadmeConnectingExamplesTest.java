// SPDX-License-Identifier: Apache-2.0
package dev.mint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.Mode;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.Resolver;
import dev.mint.Scheme;
import dev.mint.SocketOptions;
import dev.mint.StaticResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code of README.md's "Connecting" section, compiled against the real API and run against
 * {@link LocalHttpServer} on loopback TCP and on a Unix domain socket. {@link
 * #everyExampleOfTheSectionIsHere} checks that the section's Java block appears in this file as
 * written, so the two cannot drift.
 */
@Timeout(30)
class ReadmeConnectingExamplesTest {
  private static final Path README = Path.of("../README.md");
  private static final Path SOURCE =
      Path.of("src/test/java/dev/mint/it/ReadmeConnectingExamplesTest.java");

  @TempDir Path dir;

  /** README: "Connecting"; returns the two bodies. */
  static List<String> connecting(int port, Path socketPath) throws Exception {
    List<String> bodies = new ArrayList<>();
    StaticResolver table =
        StaticResolver.empty().with("api.example", port, InetAddress.getLoopbackAddress());
    SocketOptions socket =
        SocketOptions.defaults().withAttemptDelay(Duration.ofMillis(100)).withKeepAlive(true);
    ConnectOptions options =
        ConnectOptions.builder()
            .mode(Mode.PASSIVE)
            .resolver(table.orElse(Resolver.system())) // other names through the JDK's resolver
            .socket(socket)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTP, "api.example", port, options)) {
      RequestRef ref = conn.request("GET", "/hello", Headers.empty(), RequestBody.none());
      // sent with host: api.example:PORT; receive as usual
      bodies.add(CollectedResponse.recv(conn, ref).text());
    }

    ConnectOptions viaSocket =
        ConnectOptions.builder().mode(Mode.PASSIVE).unixSocket(socketPath).build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTP, "localhost", 80, viaSocket)) {
      RequestRef ref = conn.request("GET", "/hello", Headers.empty(), RequestBody.none());
      // sent with host: localhost; receive as usual
      bodies.add(CollectedResponse.recv(conn, ref).text());
    }
    return bodies;
  }

  @Test
  void theExamplesRun() throws Exception {
    try (LocalHttpServer tcp = LocalHttpServer.loopback();
        LocalHttpServer unix = LocalHttpServer.plain(dir.resolve("readme.sock"))) {
      List<String> bodies = connecting(tcp.port(), unix.path());
      assertEquals(
          List.of("GET /hello host=api.example:" + tcp.port(), "GET /hello host=localhost"),
          bodies);
    }
  }

  @Test
  void everyExampleOfTheSectionIsHere() throws IOException {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    int start = readme.indexOf("\n## Connecting\n");
    assertTrue(start >= 0, "README.md has a Connecting section");
    int end = readme.indexOf("\n## ", start + 1);
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    String source = Files.readString(SOURCE, StandardCharsets.UTF_8);
    Matcher blocks = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(section);
    int found = 0;
    while (blocks.find()) {
      found++;
      for (String line : blocks.group(1).lines().toList()) {
        assertTrue(source.contains(line.strip()), "not in this test as written: " + line);
      }
    }
    assertEquals(1, found, "the Java blocks of the Connecting section");
  }
}
