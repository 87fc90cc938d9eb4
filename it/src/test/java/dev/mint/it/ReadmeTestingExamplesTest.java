// SPDX-License-Identifier: Apache-2.0
package dev.mint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import dev.mint.testing.Fault;
import dev.mint.testing.MockResponse;
import dev.mint.testing.MockServer;
import dev.mint.testing.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * README.md's section "Testing your code with mint-testing": its Java blocks appear in this file as
 * written, and run here against {@code mint-testing}'s {@link MockServer}.
 */
class ReadmeTestingExamplesTest {
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
    List<String> blocks = ReadmeBlocks.javaBlocks(SECTION);
    assertEquals(2, blocks.size(), "the Java blocks of the section");
    List<String> source =
        Files.readAllLines(
            Path.of("src/test/java/dev/mint/it/ReadmeTestingExamplesTest.java"),
            StandardCharsets.UTF_8);
    for (String block : blocks) {
      assertTrue(
          ReadmeBlocks.appearsIndented(block, source),
          "not in ReadmeTestingExamplesTest:\n" + block);
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
}
