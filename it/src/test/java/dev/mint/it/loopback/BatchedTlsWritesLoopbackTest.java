// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mint.ConnectOptions;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.it.h2.TrustMaterial;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Batched writes over TLS: with auto-flush off, the requests made between two receiving calls leave
 * in one TLS record; with it on (the default), in one record each. A relay between the client and a
 * TLS server counts the records the client sends (RFC 8446 §5.1: a 5-byte header, the length in its
 * last two bytes).
 */
@Timeout(60)
class BatchedTlsWritesLoopbackTest {
  private static final String HOST = "127.0.0.1";
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final int BATCH = 10;
  private static final byte[] RESPONSE =
      "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1);

  /** An HTTP/1.1-over-TLS server answering {@code 1 + BATCH} requests on one connection. */
  private static ScriptedServer tlsServer() throws Exception {
    SSLContext context = TrustMaterial.serverContext();
    return new ScriptedServer(
        (socket, in, out) -> {
          // No ALPN on the server: the client, allowed HTTP/1.1 alone, speaks it without.
          SSLSocket tls = (SSLSocket) context.getSocketFactory().createSocket(socket, null, false);
          tls.startHandshake();
          for (int i = 0; i < 1 + BATCH; i++) {
            ScriptedServer.readHead(tls.getInputStream());
            tls.getOutputStream().write(RESPONSE);
            tls.getOutputStream().flush();
          }
          ScriptedServer.awaitClose(socket.getInputStream());
        });
  }

  /**
   * Relays one connection to {@code port}, counting the TLS records the client sends. Each
   * direction is pumped by a daemon thread until its side closes.
   */
  private static final class RecordCountingRelay implements AutoCloseable {
    private final ServerSocket listener;
    final AtomicInteger clientRecords = new AtomicInteger();

    RecordCountingRelay(int port) throws IOException {
      listener = new ServerSocket();
      listener.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0), 1);
      Thread accept =
          new Thread(
              () -> {
                try {
                  Socket client = listener.accept();
                  Socket server = new Socket(HOST, port);
                  pump(client.getInputStream(), server.getOutputStream(), true);
                  pump(server.getInputStream(), client.getOutputStream(), false);
                } catch (IOException e) {
                  // the test fails on its own when the relay is not there
                }
              },
              "tls-record-relay");
      accept.setDaemon(true);
      accept.start();
    }

    int port() {
      return listener.getLocalPort();
    }

    private void pump(InputStream from, OutputStream to, boolean count) {
      Thread t =
          new Thread(
              () -> {
                byte[] buf = new byte[32 * 1024];
                byte[] header = new byte[5];
                int headerHave = 0;
                long bodyLeft = 0;
                try {
                  for (int n; (n = from.read(buf)) >= 0; ) {
                    for (int i = 0; count && i < n; ) {
                      if (bodyLeft > 0) {
                        int skip = (int) Math.min(bodyLeft, n - i);
                        bodyLeft -= skip;
                        i += skip;
                        continue;
                      }
                      header[headerHave++] = buf[i++];
                      if (headerHave == header.length) {
                        headerHave = 0;
                        bodyLeft = (header[3] & 0xFF) << 8 | header[4] & 0xFF;
                        clientRecords.incrementAndGet();
                      }
                    }
                    to.write(buf, 0, n);
                    to.flush();
                  }
                  to.close();
                } catch (IOException e) {
                  // one side went away: the relay ends
                }
              },
              "tls-record-relay-pump");
      t.setDaemon(true);
      t.start();
    }

    @Override
    public void close() throws IOException {
      listener.close();
    }
  }

  /** Receives until {@code count} requests are done; at most 10,000 calls. */
  private static void awaitDone(HttpConnection c, int count) throws MintException {
    int done = 0;
    for (int calls = 0; calls < 10_000 && done < count; calls++) {
      for (ResponsePart part : c.recv(WAIT)) {
        done += part instanceof ResponsePart.Done ? 1 : 0;
      }
    }
    assertEquals(count, done);
  }

  @ParameterizedTest(name = "autoFlush={0}: {1} records for " + BATCH + " requests")
  @CsvSource({"false, 1", "true, " + BATCH})
  void requestsBetweenTwoReceivingCallsShareOneRecord(boolean autoFlush, int records)
      throws Exception {
    ConnectOptions options =
        ConnectOptions.builder()
            .mode(Mode.PASSIVE)
            .autoFlush(autoFlush)
            .protocols(Protocol.HTTP1)
            .connectTimeout(WAIT)
            .tls(TrustMaterial.trustingTestCa())
            .build();
    try (ScriptedServer server = tlsServer();
        RecordCountingRelay relay = new RecordCountingRelay(server.port());
        HttpConnection c = Mint.connect(Scheme.HTTPS, HOST, relay.port(), options)) {
      assertEquals(Protocol.HTTP1, c.protocol());
      c.request("GET", "/warm-up", null, null);
      awaitDone(c, 1); // the handshake's records and the first request's are counted by now
      int before = relay.clientRecords.get();
      for (int i = 0; i < BATCH; i++) {
        c.request("GET", "/" + i, null, null);
      }
      awaitDone(c, BATCH); // recv writes what the requests queued before it waits
      assertEquals(records, relay.clientRecords.get() - before);
    }
  }
}
