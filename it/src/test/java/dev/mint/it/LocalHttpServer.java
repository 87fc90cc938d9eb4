// SPDX-License-Identifier: Apache-2.0
package dev.mint.it;

import dev.mint.it.h2.TrustMaterial;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;

/**
 * Answers each request with {@code METHOD TARGET host=HOST} and closes: one connection at a time,
 * on a thread of its own (a test server, not the library).
 */
final class LocalHttpServer implements AutoCloseable {
  private final ServerSocketChannel listener;
  private final SSLServerSocket tls;
  private final Thread acceptor;

  private LocalHttpServer(SocketAddress address, SSLServerSocket tls) throws IOException {
    this.listener =
        ServerSocketChannel.open(
            address instanceof UnixDomainSocketAddress
                ? StandardProtocolFamily.UNIX
                : StandardProtocolFamily.INET);
    listener.bind(address);
    this.tls = tls;
    this.acceptor = new Thread(this::acceptLoop, "local-http-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** A plain server on the Unix domain socket {@code path}. */
  static LocalHttpServer plain(Path path) throws IOException {
    return new LocalHttpServer(UnixDomainSocketAddress.of(path), null);
  }

  /** A plain server on 127.0.0.1, on a free port. */
  static LocalHttpServer loopback() throws IOException {
    return new LocalHttpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), null);
  }

  /** A TLS server on the Unix domain socket {@code path}. */
  static LocalHttpServer tls(Path path) throws Exception {
    SSLContext context = TrustMaterial.serverContext();
    SSLServerSocket tls =
        (SSLServerSocket)
            context
                .getServerSocketFactory()
                .createServerSocket(0, 50, InetAddress.getLoopbackAddress());
    return new LocalHttpServer(UnixDomainSocketAddress.of(path), tls);
  }

  /** The socket's path, for a server on a Unix domain socket. */
  Path path() {
    return ((UnixDomainSocketAddress) localAddress()).getPath();
  }

  /** The port, for a server on loopback TCP. */
  int port() {
    return ((InetSocketAddress) localAddress()).getPort();
  }

  private SocketAddress localAddress() {
    try {
      return listener.getLocalAddress();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void acceptLoop() {
    while (listener.isOpen()) {
      try (SocketChannel ch = listener.accept()) {
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
        (requestLine[0] + " " + requestLine[1] + " host=" + host).getBytes(StandardCharsets.UTF_8);
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
    listener.close();
    if (tls != null) {
      tls.close();
    }
    join(acceptor);
  }
}
