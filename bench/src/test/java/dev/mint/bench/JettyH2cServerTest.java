// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The HTTP/2 comparison's server answers both ways into cleartext HTTP/2 that the comparison uses:
 * prior knowledge (Mint) and {@code Upgrade: h2c} (the JDK client), each with the fixed body, and
 * counts them as HTTP/2 connections with no HTTP/1.1 request answered.
 */
class JettyH2cServerTest {

  @Test
  @Timeout(20)
  void answersPriorKnowledgeAndUpgradeOverHttp2() throws Exception {
    byte[] expected = JettyH2cServer.body(1024);
    try (JettyH2cServer server = new JettyH2cServer(1024, 128)) {
      ConnectOptions options =
          ConnectOptions.builder().mode(Mode.PASSIVE).protocols(Protocol.HTTP2).build();
      try (HttpConnection conn = Mint.connect(Scheme.HTTP, "127.0.0.1", server.port(), options)) {
        assertEquals(Protocol.HTTP2, conn.protocol());
        RequestRef ref = conn.request("GET", "/", Headers.empty(), RequestBody.none());
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int status = 0;
        boolean done = false;
        for (int i = 0; i < 100 && !done; i++) { // bounded: a few parts per call
          for (ResponsePart part : conn.recv(Duration.ofSeconds(5))) {
            assertEquals(ref, part.ref());
            if (part instanceof ResponsePart.Status s) {
              status = s.code();
            } else if (part instanceof ResponsePart.Data d) {
              body.write(d.bytes().toByteArray());
            } else if (part instanceof ResponsePart.Done) {
              done = true;
            }
          }
        }
        assertEquals(200, status);
        assertArrayEquals(expected, body.toByteArray());
        assertEquals(128, conn.http2().orElseThrow().maxConcurrentStreams());
      }

      HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2).build();
      HttpResponse<byte[]> response =
          jdk.send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/")).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, response.statusCode());
      assertEquals(HttpClient.Version.HTTP_2, response.version());
      assertArrayEquals(expected, response.body());

      assertEquals(2, server.http2Connections());
      assertEquals(0, server.http1Requests());
    }
  }
}
