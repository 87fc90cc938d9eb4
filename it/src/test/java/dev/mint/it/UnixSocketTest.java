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
import dev.mint.it.h2.JettyH2Server;
import dev.mint.it.h2.TrustMaterial;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTP/1.1 over the built-in {@code unix} transport, against a small server on a Unix domain
 * socket: plain in passive and active mode, and TLS over the socket (the server side of TLS runs
 * behind a relay from the socket to a loopback {@link SSLServerSocket}). The host given to {@code
 * connect} still names the origin: it is the {@code host} field the server sees, and over TLS the
 * SNI and the name the certificate is checked against.
 */
@Timeout(30)
class UnixSocketTest {
  @TempDir Path dir;

  @Test
  void plainHttpInPassiveMode() throws Exception {
    Path path = dir.resolve("http.sock");
    try (UnixHttpServer server = UnixHttpServer.plain(path)) {
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
    try (UnixHttpServer server = UnixHttpServer.plain(path);
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
    try (UnixHttpServer server = UnixHttpServer.tls(path)) {
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

  /**
   * Answers each request with {@code METHOD TARGET host=HOST} and closes: one connection at a time,
   * on a thread of its own (a test server, not the library).
   */
  private static final class UnixHttpServer implements AutoCloseable {
    private final ServerSocketChannel unix;
    private final SSLServerSocket tls;
    private final Thread acceptor;

    private UnixHttpServer(Path path, SSLServerSocket tls) throws IOException {
      this.unix = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
      unix.bind(UnixDomainSocketAddress.of(path));
      this.tls = tls;
      this.acceptor = new Thread(this::acceptLoop, "unix-http-server");
      acceptor.setDaemon(true);
      acceptor.start();
    }

    static UnixHttpServer plain(Path path) throws IOException {
      return new UnixHttpServer(path, null);
    }

    static UnixHttpServer tls(Path path) throws Exception {
      KeyStore keys = KeyStore.getInstance("PKCS12");
      try (InputStream in = Files.newInputStream(JettyH2Server.CERTS.resolve("server.p12"))) {
        keys.load(in, "changeit".toCharArray());
      }
      KeyManagerFactory kmf =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(keys, "changeit".toCharArray());
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(kmf.getKeyManagers(), null, null);
      SSLServerSocket tls =
          (SSLServerSocket)
              context
                  .getServerSocketFactory()
                  .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
      return new UnixHttpServer(path, tls);
    }

    Path path() {
      return ((UnixDomainSocketAddress) localAddress()).getPath();
    }

    private java.net.SocketAddress localAddress() {
      try {
        return unix.getLocalAddress();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    private void acceptLoop() {
      while (unix.isOpen()) {
        try (SocketChannel ch = unix.accept()) {
          if (tls == null) {
            answer(Channels.newInputStream(ch), Channels.newOutputStream(ch));
          } else {
            relayThroughTls(ch);
          }
        } catch (IOException e) {
          return; // closed
        }
      }
    }

    /** Pipes the socket to the TLS listener both ways while answering there. */
    private void relayThroughTls(SocketChannel ch) throws IOException {
      try (Socket toTls = new Socket(tls.getInetAddress(), tls.getLocalPort())) {
        // The channel's own streams would share its blocking lock: read and write it directly.
        InputStream fromUnix = toTls.getInputStream();
        OutputStream toUnix = toTls.getOutputStream();
        Thread up =
            pipe(
                () -> {
                  ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
                  while (ch.read(buf.clear()) >= 0) {
                    toUnix.write(buf.array(), 0, buf.position());
                  }
                  toTls.shutdownOutput();
                });
        Thread down =
            pipe(
                () -> {
                  byte[] buf = new byte[16 * 1024];
                  for (int n; (n = fromUnix.read(buf)) >= 0; ) {
                    ByteBuffer out = ByteBuffer.wrap(buf, 0, n);
                    while (out.hasRemaining()) {
                      ch.write(out);
                    }
                  }
                });
        try (Socket served = tls.accept()) {
          answer(served.getInputStream(), served.getOutputStream());
        }
        join(up);
        join(down);
      }
    }

    /** Copying that may fail with an {@link IOException}. */
    private interface Copy {
      void run() throws IOException;
    }

    private static Thread pipe(Copy copy) {
      Thread t =
          new Thread(
              () -> {
                try {
                  copy.run();
                } catch (IOException ignored) {
                  // one side closed
                }
              },
              "unix-relay");
      t.setDaemon(true);
      t.start();
      return t;
    }

    private static void join(Thread t) {
      try {
        t.join(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private static void answer(InputStream in, OutputStream out) throws IOException {
      String head = readHead(in);
      String[] lines = head.split("\r\n");
      String[] requestLine = lines[0].split(" ");
      String host = "";
      for (String line : lines) {
        if (line.toLowerCase(Locale.ROOT).startsWith("host:")) {
          host = line.substring(5).trim();
        }
      }
      byte[] body =
          (requestLine[0] + " " + requestLine[1] + " host=" + host)
              .getBytes(StandardCharsets.UTF_8);
      out.write(
          ("HTTP/1.1 200 OK\r\ncontent-length: " + body.length + "\r\nconnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
    }

    private static String readHead(InputStream in) throws IOException {
      ByteArrayOutputStream head = new ByteArrayOutputStream();
      int matched = 0;
      byte[] end = {'\r', '\n', '\r', '\n'};
      while (matched < 4) {
        int b = in.read();
        if (b < 0) {
          break;
        }
        head.write(b);
        matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
      }
      return head.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
      unix.close();
      if (tls != null) {
        tls.close();
      }
      join(acceptor);
    }
  }
}
