// SPDX-License-Identifier: Apache-2.0
package dev.mint.it;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.example.transport.CountingTcpClient;
import com.example.transport.CountingTcpTransportProvider;
import dev.mint.ConnectOptions;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import dev.mint.TransportException;
import dev.mint.spi.Deadline;
import dev.mint.spi.Transport;
import dev.mint.spi.TransportContext;
import dev.mint.testing.MockResponse;
import dev.mint.testing.MockServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * README.md's "Writing a transport" section shows the code of {@code com.example.transport} as
 * written, and that code works: a GET over {@code counting-tcp} in passive and active mode, plain
 * and with TLS layered on it, counting exactly the bytes that crossed the socket.
 */
@Timeout(30)
class ReadmeTransportExamplesTest {
  private static final Path EXAMPLE = Path.of("src/test/java/com/example/transport");
  private static final String BODY = "counted";
  private static final byte[] RESPONSE =
      ("HTTP/1.1 200 OK\r\ncontent-length: 7\r\nconnection: close\r\n\r\n" + BODY)
          .getBytes(StandardCharsets.US_ASCII);

  @Test
  void theProviderAndTheTransportAreShownWhole() throws IOException {
    List<String> blocks = ReadmeBlocks.javaBlocks("Writing a transport");
    assertEquals(source("CountingTcpTransportProvider.java"), blocks.get(0));
    assertEquals(source("CountingTcpTransport.java"), blocks.get(1));
  }

  @Test
  void theCallersLinesAreTheClients() throws IOException {
    List<String> blocks = ReadmeBlocks.javaBlocks("Writing a transport");
    assertTrue(blocks.size() > 2, "the caller's blocks follow the provider and the transport");
    List<String> client = source("CountingTcpClient.java").lines().toList();
    for (String block : blocks.subList(2, blocks.size())) {
      assertTrue(
          ReadmeBlocks.appearsIndented(block, client), "not in CountingTcpClient:\n" + block);
    }
  }

  @Test
  void passiveModeCountsTheBytesOnTheWire() throws Exception {
    try (MockServer server = plainServer()) {
      CountingTcpClient client = new CountingTcpClient();
      assertEquals("200 " + BODY, client.getPassive(Scheme.HTTP, server.port(), none()));
      assertWire(client.counting(), requestBytes(server));
    }
  }

  @Test
  void activeModeCountsTheBytesOnTheWire() throws Exception {
    try (MockServer server = plainServer()) {
      CountingTcpClient client = new CountingTcpClient();
      assertEquals("200 " + BODY, client.getActive(Scheme.HTTP, server.port(), none()));
      assertWire(client.counting(), requestBytes(server));
    }
  }

  @Test
  void tlsLayersOnItInPassiveMode() throws Exception {
    try (MockServer server = tlsServer()) {
      CountingTcpClient client = new CountingTcpClient();
      String response =
          client.getPassive(Scheme.HTTPS, server.port(), server.certificate().tlsOptions());
      assertEquals("200 " + BODY, response);
      assertEncrypted(client.counting(), requestBytes(server));
    }
  }

  @Test
  void tlsLayersOnItInActiveMode() throws Exception {
    try (MockServer server = tlsServer()) {
      CountingTcpClient client = new CountingTcpClient();
      String response =
          client.getActive(Scheme.HTTPS, server.port(), server.certificate().tlsOptions());
      assertEquals("200 " + BODY, response);
      assertEncrypted(client.counting(), requestBytes(server));
    }
  }

  @Test
  void theTransportReportsItsAddressesAndClosesOnce() throws Exception {
    try (MockServer server = plainServer()) {
      Transport t = new CountingTcpTransportProvider().open(context(server.port()));
      try {
        assertEquals(server.port(), ((InetSocketAddress) t.peerAddress().orElseThrow()).getPort());
        assertTrue(t.localAddress().isPresent());
        assertTrue(t.selectableChannel().isPresent());
        assertTrue(t.isOpen());
      } finally {
        t.close();
        t.close(); // idempotent
      }
      assertFalse(t.isOpen());
      TransportException e =
          assertThrows(TransportException.class, () -> t.read(ByteBuffer.allocate(16)));
      assertEquals(TransportException.Reason.CLOSED, e.reason());
    }
  }

  @Test
  void nothingListeningIsConnectionRefused() throws Exception {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }
    TransportException e =
        assertThrows(
            TransportException.class, () -> new CountingTcpTransportProvider().open(context(port)));
    assertEquals(TransportException.Reason.CONNECTION_REFUSED, e.reason());
  }

  @Test
  void theEndOfTheStreamIsMinusOneAndClean() throws Exception {
    try (MockServer server = plainServer();
        Transport t = new CountingTcpTransportProvider().open(context(server.port()))) {
      ByteBuffer request = ByteBuffer.wrap("GET / HTTP/1.1\r\n\r\n".getBytes(US_ASCII));
      while (request.hasRemaining()) {
        t.write(new ByteBuffer[] {request});
      }
      ByteBuffer in = ByteBuffer.allocate(RESPONSE.length + 1);
      int n = 0;
      while (n >= 0) {
        assertTrue(t.awaitReady(SelectionKey.OP_READ, Duration.ofSeconds(10)) != 0, "no input");
        n = t.read(in);
      }
      assertEquals(
          new String(RESPONSE, US_ASCII), new String(in.array(), 0, in.position(), US_ASCII));
      assertTrue(t.peerClosedCleanly());
    }
  }

  private static TransportContext context(int port) {
    return new TransportContext(
        Scheme.HTTP,
        "127.0.0.1",
        port,
        "127.0.0.1",
        ConnectOptions.defaults(),
        Deadline.after(Duration.ofSeconds(5)),
        Optional.empty(),
        List.of());
  }

  /** Plain TCP: the counts are the request the server read and the response it wrote. */
  private static void assertWire(CountingTcpTransportProvider counting, int requestBytes) {
    assertEquals(requestBytes, counting.bytesWritten(), "bytes written");
    assertEquals(RESPONSE.length, counting.bytesRead(), "bytes read");
  }

  /** Under TLS the counts are of records: more than the HTTP they carry, handshake included. */
  private static void assertEncrypted(CountingTcpTransportProvider counting, int requestBytes) {
    assertTrue(counting.bytesWritten() > requestBytes, "written " + counting.bytesWritten());
    assertTrue(counting.bytesRead() > RESPONSE.length, "read " + counting.bytesRead());
  }

  private static TlsOptions none() {
    return TlsOptions.defaults();
  }

  private static String source(String file) throws IOException {
    return ReadmeBlocks.sourceAsShown(EXAMPLE.resolve(file));
  }

  /** A server that answers {@link #RESPONSE}, byte for byte, then closes the connection. */
  private static MockServer plainServer() throws IOException {
    return answering(MockServer.builder());
  }

  /** The same over TLS, offering only {@code http/1.1} by ALPN. */
  private static MockServer tlsServer() throws IOException {
    return answering(MockServer.builder().alpn("http/1.1"));
  }

  private static MockServer answering(MockServer.Builder builder) throws IOException {
    MockServer server = builder.start();
    server.enqueue(
        MockResponse.builder(200)
            .header("content-length", Integer.toString(BODY.length()))
            .header("connection", "close")
            .body(BODY)
            .build());
    return server;
  }

  /** The bytes of the request head the server read. */
  private static int requestBytes(MockServer server) throws InterruptedException {
    return server.takeRequest(Duration.ofSeconds(5)).headBytes();
  }
}
