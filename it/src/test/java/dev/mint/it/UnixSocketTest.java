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
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.it.h2.TrustMaterial;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/1.1 over the built-in {@code unix} transport, against a small server on a Unix domain
 * socket: plain in passive and active mode, and TLS over the socket (the server side of TLS runs
 * behind a relay from the socket to a loopback {@code SSLServerSocket}, see {@link
 * LocalHttpServer}). The host given to {@code connect} still names the origin: it is the {@code
 * host} field the server sees, and over TLS the SNI and the name the certificate is checked
 * against.
 */
@Timeout(30)
class UnixSocketTest {
  @TempDir Path dir;

  @Test
  void plainHttpInPassiveMode() throws Exception {
    Path path = dir.resolve("http.sock");
    try (LocalHttpServer server = LocalHttpServer.plain(path)) {
      ConnectOptions options =
          ConnectOptions.builder().mode(Mode.PASSIVE).unixSocket(server.path()).build();
      try (HttpConnection conn = Mint.connect(Scheme.HTTP, "unix.test", 80, options)) {
        RequestRef ref = conn.request("GET", "/a", Headers.empty(), RequestBody.none());
        CollectedResponse r = CollectedResponse.recv(conn, ref);
        assertEquals(200, r.status());
        assertEquals("GET /a host=unix.test", r.text());
      }
    }
  }

  @Test
  void plainHttpInActiveMode() throws Exception {
    Path path = dir.resolve("active.sock");
    try (LocalHttpServer server = LocalHttpServer.plain(path);
        Selector selector = Selector.open()) {
      ConnectOptions options = ConnectOptions.builder().unixSocket(server.path()).build();
      try (HttpConnection conn = Mint.connect(Scheme.HTTP, "unix.test", 80, options)) {
        conn.request("GET", "/b", Headers.empty(), RequestBody.none());
        SelectionKey key =
            conn.selectableChannel().orElseThrow().register(selector, conn.interestOps());
        StringBuilder body = new StringBuilder();
        boolean done = false;
        while (!done) {
          selector.select(1000);
          selector.selectedKeys().clear();
          for (ResponsePart part : conn.stream()) {
            if (part instanceof ResponsePart.Data d) {
              body.append(d.bytes().utf8());
            } else if (part instanceof ResponsePart.Done) {
              done = true;
            }
          }
          if (key.isValid()) {
            key.interestOps(conn.interestOps());
          }
        }
        assertEquals("GET /b host=unix.test", body.toString());
      }
    }
  }

  @Test
  void tlsOverTheSocketChecksTheHostsCertificate() throws Exception {
    Path path = dir.resolve("https.sock");
    try (LocalHttpServer server = LocalHttpServer.tls(path)) {
      ConnectOptions options =
          ConnectOptions.builder()
              .mode(Mode.PASSIVE)
              .unixSocket(server.path())
              .tls(TrustMaterial.trustingTestCa())
              .build();
      // The test certificate is for "localhost": the name, not the socket, is verified.
      try (HttpConnection conn = Mint.connect(Scheme.HTTPS, "localhost", 443, options)) {
        RequestRef ref = conn.request("GET", "/c", Headers.empty(), RequestBody.none());
        CollectedResponse r = CollectedResponse.recv(conn, ref);
        assertEquals(200, r.status());
        assertEquals("GET /c host=localhost", r.text());
        assertTrue(conn.toString().length() > 0);
      }
    }
  }
}
