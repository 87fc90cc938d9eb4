// SPDX-License-Identifier: Apache-2.0
package dev.mint.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The fixture driven by the JDK's {@link HttpClient}, a client that is not Mint. */
class JdkHttpClientTest {
  private static final Duration WAIT = Duration.ofSeconds(5);

  @Test
  void cleartextHttp1() throws Exception {
    try (MockServer server = MockServer.start()) {
      server.enqueue(MockResponse.builder(201).header("x-id", "7").body("created").build());
      HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(server.httpUri("/things"))
                  .timeout(WAIT)
                  .header("x-client", "jdk")
                  .POST(HttpRequest.BodyPublishers.ofString("a thing"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(201, response.statusCode());
      assertEquals("7", response.headers().firstValue("x-id").orElseThrow());
      assertEquals("created", response.body());

      RecordedRequest request = server.takeRequest(WAIT);
      assertEquals("POST", request.method());
      assertEquals("/things", request.target());
      assertEquals("jdk", request.header("x-client").orElseThrow());
      assertEquals("a thing", request.bodyUtf8());
      assertEquals("http/1.1", request.protocol());
    }
  }

  @Test
  void httpsNegotiatesHttp2() throws Exception {
    try (MockServer server = MockServer.start()) {
      server.enqueue(MockResponse.builder(200).body("over h2").trailer("x-t", "1").build());
      HttpClient client =
          HttpClient.newBuilder().sslContext(server.certificate().clientSslContext()).build();
      HttpResponse<String> response =
          client.send(
              HttpRequest.newBuilder(server.httpsUri("/h2")).timeout(WAIT).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(HttpClient.Version.HTTP_2, response.version());
      assertEquals(200, response.statusCode());
      assertEquals("over h2", response.body());

      RecordedRequest request = server.takeRequest(WAIT);
      assertEquals("h2", request.protocol());
      assertTrue(request.tls());
      assertEquals("/h2", request.target());
    }
  }

  @Test
  void httpsHttp1AndASequenceOnOneConnection() throws Exception {
    try (MockServer server = MockServer.start()) {
      server.enqueue(MockResponse.of(200, "one"));
      server.enqueue(MockResponse.of(200, "two"));
      HttpClient client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .sslContext(server.certificate().clientSslContext())
              .build();
      for (String expected : new String[] {"one", "two"}) {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(server.httpsUri("/" + expected)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(expected, response.body());
      }
      RecordedRequest first = server.takeRequest(WAIT);
      RecordedRequest second = server.takeRequest(WAIT);
      assertEquals("http/1.1", first.protocol());
      assertTrue(first.tls());
      assertEquals(first.connectionIndex(), second.connectionIndex());
      assertEquals(0, first.sequenceNumber());
      assertEquals(1, second.sequenceNumber());
    }
  }

  @Test
  void aResetStreamFailsTheJdkRequest() throws Exception {
    try (MockServer server = MockServer.start()) {
      server.enqueue(MockResponse.builder(200).fault(Fault.resetStream(2)).build());
      HttpClient client =
          HttpClient.newBuilder().sslContext(server.certificate().clientSslContext()).build();
      java.io.IOException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              java.io.IOException.class,
              () ->
                  client.send(
                      HttpRequest.newBuilder(server.httpsUri("/")).timeout(WAIT).build(),
                      HttpResponse.BodyHandlers.ofString()));
      assertTrue(String.valueOf(e.getMessage()).contains("RST_STREAM"), String.valueOf(e));
    }
  }
}
