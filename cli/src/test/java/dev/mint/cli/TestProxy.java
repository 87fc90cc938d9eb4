// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * A proxy on 127.0.0.1 for the command's tests, speaking one of three ways on every connection:
 * HTTP (a {@code CONNECT} tunnel to the target it names, or, for a request in absolute-form, an
 * answer of its own quoting the request line), SOCKS5 (RFC 1928 and RFC 1929, relaying to the
 * target it names), or silence. It can demand credentials, and records what each client sent first
 * (the HTTP request head, or the SOCKS5 target) for the test to check. Test code: a thread per
 * connection and blocking sockets.
 */
final class TestProxy implements AutoCloseable {
  /** How the proxy answers. */
  enum Kind {
    HTTP,
    SOCKS5,
    /** Reads what the client sends and never answers. */
    SILENT
  }

  private final Kind kind;
  private final ServerSocket server;
  private final String user;
  private final String password;
  private final int socksReply;
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicInteger accepted = new AtomicInteger();

  private TestProxy(Kind kind, SSLContext tls, String user, String password, int socksReply)
      throws IOException {
    this.kind = kind;
    this.user = user;
    this.password = password;
    this.socksReply = socksReply;
    this.server =
        tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
    server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
    Thread acceptor = new Thread(this::acceptLoop, "test-proxy-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** An HTTP proxy; with a user, a {@code CONNECT} without its Basic credentials gets 407. */
  static TestProxy http(String user, String password) throws IOException {
    return new TestProxy(Kind.HTTP, null, user, password, 0);
  }

  /** An HTTP proxy reached over TLS with the key and certificate of {@code tls}. */
  static TestProxy https(SSLContext tls) throws IOException {
    return new TestProxy(Kind.HTTP, tls, null, null, 0);
  }

  /** A SOCKS5 proxy answering CONNECT with {@code reply}; with a user, method X'02' only. */
  static TestProxy socks5(String user, String password, int reply) throws IOException {
    return new TestProxy(Kind.SOCKS5, null, user, password, reply);
  }

  /** A proxy that never answers. */
  static TestProxy silent() throws IOException {
    return new TestProxy(Kind.SILENT, null, null, null, 0);
  }

  int port() {
    return server.getLocalPort();
  }

  /** Connections accepted so far. */
  int accepted() {
    return accepted.get();
  }

  /** What each client asked for: an HTTP request head, or {@code SOCKS5 host:port}. */
  List<String> requests() {
    return List.copyOf(requests);
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try {
        Socket client = server.accept();
        accepted.incrementAndGet();
        sockets.add(client);
        Thread t = new Thread(() -> serve(client), "test-proxy-client");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return; // closed
      }
    }
  }

  private void serve(Socket client) {
    try (client) {
      client.setSoTimeout(20_000);
      InputStream in = client.getInputStream();
      OutputStream out = client.getOutputStream();
      switch (kind) {
        case HTTP -> http(client, in, out);
        case SOCKS5 -> socks5(client, in, out);
        case SILENT -> {
          String head = readHead(in);
          requests.add(head);
          in.read(); // until the client gives up
        }
      }
    } catch (IOException e) {
      // the client went away; the test checks what it saw
    }
  }

  private void http(Socket client, InputStream in, OutputStream out) throws IOException {
    String head = readHead(in);
    requests.add(head);
    String[] line = head.substring(0, head.indexOf("\r\n")).split(" ");
    String expected =
        user == null
            ? null
            : "Basic "
                + Base64.getEncoder()
                    .encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    if (expected != null && !expected.equals(field(head, "proxy-authorization"))) {
      write(
          out,
          "HTTP/1.1 407 Proxy Authentication Required\r\n"
              + "proxy-authenticate: Basic realm=\"test\"\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    if (!line[0].equals("CONNECT")) {
      String body = "forwarded " + line[0] + " " + line[1] + "\n";
      write(
          out,
          "HTTP/1.1 200 OK\r\ncontent-length: "
              + body.length()
              + "\r\nconnection: close\r\n\r\n"
              + body);
      return;
    }
    int colon = line[1].lastIndexOf(':');
    try (Socket origin =
        new Socket(line[1].substring(0, colon), Integer.parseInt(line[1].substring(colon + 1)))) {
      write(out, "HTTP/1.1 200 Connection established\r\nproxy-agent: test-proxy\r\n\r\n");
      TourSocketServer.relay(client, origin);
    }
  }

  private void socks5(Socket client, InputStream in, OutputStream out) throws IOException {
    if (in.read() != 5) {
      return;
    }
    byte[] methods = readExactly(in, in.read());
    int wanted = user == null ? 0 : 2;
    boolean offered = false;
    for (byte method : methods) {
      offered |= method == wanted;
    }
    if (!offered) {
      out.write(new byte[] {5, (byte) 0xff});
      return;
    }
    out.write(new byte[] {5, (byte) wanted});
    if (user != null) {
      in.read(); // the sub-negotiation version, 1
      String u = new String(readExactly(in, in.read()), StandardCharsets.UTF_8);
      String p = new String(readExactly(in, in.read()), StandardCharsets.UTF_8);
      boolean ok = u.equals(user) && p.equals(password);
      out.write(new byte[] {1, (byte) (ok ? 0 : 1)});
      if (!ok) {
        return;
      }
    }
    byte[] request = readExactly(in, 4); // VER CMD RSV ATYP
    String host =
        switch (request[3]) {
          case 1 -> InetAddress.getByAddress(readExactly(in, 4)).getHostAddress();
          case 4 -> InetAddress.getByAddress(readExactly(in, 16)).getHostAddress();
          default -> new String(readExactly(in, in.read()), StandardCharsets.US_ASCII);
        };
    byte[] port = readExactly(in, 2);
    int p = (port[0] & 0xff) << 8 | port[1] & 0xff;
    requests.add("SOCKS5 " + host + ":" + p);
    out.write(new byte[] {5, (byte) socksReply, 0, 1, 127, 0, 0, 1, 0x04, 0x38});
    if (socksReply == 0) {
      try (Socket origin = new Socket(host, p)) {
        TourSocketServer.relay(client, origin);
      }
    }
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  private static byte[] readExactly(InputStream in, int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length < n) {
      throw new EOFException();
    }
    return b;
  }

  /** The request head up to its empty line, as Latin-1. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException();
      }
      head.write(b);
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /** The value of field {@code name} in a head, or {@code null}. */
  static String field(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).toLowerCase(Locale.ROOT).equals(name)) {
        return line.substring(colon + 1).strip();
      }
    }
    return null;
  }

  @Override
  public void close() throws IOException {
    server.close();
    for (Socket s : sockets) {
      s.close();
    }
  }
}
