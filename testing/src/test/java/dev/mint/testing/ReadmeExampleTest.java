package dev.mint.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.HttpException;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * README.md's section "Testing your code with mint-testing": its Java blocks appear in this file as
 * written, and run here.
 */
class ReadmeExampleTest {
  private static final String SECTION = "Testing your code with mint-testing";

  @Test
  void aPlainExchange() throws Exception {
    try (MockServer server = MockServer.start()) {
      server.enqueue(MockResponse.of(200, "hello"));

      ConnectOptions options = ConnectOptions.builder().mode(Mode.PASSIVE).build();
      try (HttpConnection conn = Mint.connect(Scheme.HTTP, server.host(), server.port(), options)) {
        assertEquals("hello", fetchGreeting(conn)); // your code, talking to the server
      }

      RecordedRequest request = server.takeRequest(Duration.ofSeconds(5));
      assertEquals("GET", request.method());
      assertEquals("/greeting", request.target());
      assertEquals("text/plain", request.header("accept").orElseThrow());
    }
  }

  @Test
  void http2OverTlsAndABrokenResponse() throws Exception {
    try (MockServer server = MockServer.start()) {
      server.enqueue(MockResponse.builder(200).fault(Fault.resetStream(2)).build());
      server.enqueue(
          MockResponse.builder(200).body("hello").throttle(2, Duration.ofMillis(5)).build());

      ConnectOptions options =
          ConnectOptions.builder()
              .mode(Mode.PASSIVE)
              .tls(server.certificate().tlsOptions()) // trusts the server's own new certificate
              .build();
      try (HttpConnection conn = Mint.connect(Scheme.HTTPS, "localhost", server.port(), options)) {
        assertEquals(Protocol.HTTP2, conn.protocol()); // by ALPN
        HttpException e = assertThrows(HttpException.class, () -> fetchGreeting(conn));
        assertEquals(HttpException.Reason.STREAM_RESET_BY_PEER, e.reason());
        assertEquals("hello", fetchGreeting(conn)); // the connection outlives a stream reset
      }
    }
  }

  @Test
  void theReadmeShowsThisFilesCode() throws IOException {
    List<String> blocks = javaBlocks();
    assertFalse(blocks.isEmpty(), "no Java block in the README section " + SECTION);
    List<String> source =
        Files.readAllLines(
            Path.of("src/test/java/dev/mint/testing/ReadmeExampleTest.java"),
            StandardCharsets.UTF_8);
    for (String block : blocks) {
      assertTrue(appearsIndented(block, source), "not in ReadmeExampleTest:\n" + block);
    }
  }

  /** The code under test in the README's example: GET /greeting, the body as text. */
  private static String fetchGreeting(HttpConnection conn) throws MintException {
    var ref =
        conn.request("GET", "/greeting", Headers.of("accept", "text/plain"), RequestBody.none());
    StringBuilder body = new StringBuilder();
    for (int call = 0; call < 1000; call++) {
      for (ResponsePart part : conn.recv(Duration.ofSeconds(5))) {
        if (!part.ref().equals(ref)) {
          continue;
        }
        if (part instanceof ResponsePart.Data d) {
          body.append(d.bytes().utf8());
        } else if (part instanceof ResponsePart.Done) {
          return body.toString();
        } else if (part instanceof ResponsePart.RequestError e) {
          throw e.error();
        }
      }
    }
    throw new AssertionError("no end of the response");
  }

  private static List<String> javaBlocks() throws IOException {
    String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("\n## " + SECTION + "\n");
    assertTrue(start >= 0, "README.md has a section " + SECTION);
    int end = readme.indexOf("\n## ", start + 1);
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    Matcher blocks = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(section);
    List<String> found = new ArrayList<>();
    while (blocks.find()) {
      found.add(blocks.group(1));
    }
    return found;
  }

  /** Whether {@code block}'s lines appear in {@code source} in a row, each with the same indent. */
  private static boolean appearsIndented(String block, List<String> source) {
    List<String> lines = block.lines().toList();
    for (int i = 0; i + lines.size() <= source.size(); i++) {
      String first = source.get(i);
      String indent = first.substring(0, first.length() - first.stripLeading().length());
      boolean all = true;
      for (int j = 0; j < lines.size() && all; j++) {
        String expected = lines.get(j).isEmpty() ? "" : indent + lines.get(j);
        all = expected.equals(source.get(i + j));
      }
      if (all) {
        return true;
      }
    }
    return false;
  }
}
