// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.servers;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Proxy handshakes written byte by byte over plain {@link Socket}s (HTTP CONNECT of RFC 9110
 * §9.3.6, absolute-form requests, SOCKS5 of RFC 1928 with RFC 1929's username/password),
 * independent of Mint's own proxy support, so that the proxy servers of {@code .ci/servers.sh} are
 * proven on their own. Every read waits at most {@link #TIMEOUT_MILLIS}; heads are read one byte at
 * a time, so no byte of a tunnel is buffered away from a TLS layer put over it.
 */
final class ProxyWire {
  /** The longest wait for connecting and for each read. */
  static final int TIMEOUT_MILLIS = 10_000;

  /** The largest response head read: a bound against a peer that never ends its head. */
  private static final int MAX_HEAD = 64 * 1024;

  private ProxyWire() {}

  /** An HTTP/1.1 response head: the status code and the header fields (names lower-cased). */
  record Head(int status, String statusLine, Map<String, String> fields) {
    String field(String name) {
      return fields.get(name);
    }
  }

  /** A TCP connection to {@code address} (host and port as the servers file gives them). */
  static Socket open(InetSocketAddress address) throws IOException {
    Socket s = new Socket();
    s.connect(
        new InetSocketAddress(InetAddress.getByName(address.getHostString()), address.getPort()),
        TIMEOUT_MILLIS);
    s.setSoTimeout(TIMEOUT_MILLIS);
    return s;
  }

  /** {@code host:port}, the authority of a CONNECT request or a {@code host} field. */
  static String authority(InetSocketAddress address) {
    return address.getHostString() + ":" + address.getPort();
  }

  /** The value of a {@code proxy-authorization} field for Basic credentials (RFC 7617). */
  static String basic(String user, String password) {
    byte[] pair = (user + ":" + password).getBytes(StandardCharsets.UTF_8);
    return "Basic " + Base64.getEncoder().encodeToString(pair);
  }

  /**
   * Sends {@code CONNECT target} over {@code s}, with a {@code proxy-authorization} field unless
   * {@code authorization} is {@code null}, and reads the proxy's response head. After a 2xx the
   * socket is a tunnel to {@code target}.
   */
  static Head connect(Socket s, InetSocketAddress target, String authorization) throws IOException {
    String authority = authority(target);
    StringBuilder request =
        new StringBuilder("CONNECT ")
            .append(authority)
            .append(" HTTP/1.1\r\nhost: ")
            .append(authority)
            .append("\r\n");
    if (authorization != null) {
      request.append("proxy-authorization: ").append(authorization).append("\r\n");
    }
    write(s.getOutputStream(), request.append("\r\n").toString());
    return readHead(s.getInputStream());
  }

  /**
   * GETs {@code /small.txt} from the origin server {@code authority} over {@code s} (a tunnel, or a
   * TLS socket over one) and returns the body; the request asks the server to close after it.
   */
  static String getSmallTxt(Socket s, String authority) throws IOException {
    write(
        s.getOutputStream(),
        "GET /small.txt HTTP/1.1\r\nhost: " + authority + "\r\nconnection: close\r\n\r\n");
    return readResponse(s.getInputStream());
  }

  /**
   * GETs {@code /small.txt} of {@code origin} through an HTTP proxy, as the absolute-form target a
   * forward proxy receives (RFC 9112 §3.2.2), and returns the body.
   */
  static String getSmallTxtThroughProxy(Socket proxy, InetSocketAddress origin) throws IOException {
    String authority = authority(origin);
    write(
        proxy.getOutputStream(),
        "GET http://"
            + authority
            + "/small.txt HTTP/1.1\r\nhost: "
            + authority
            + "\r\nconnection: close\r\n\r\n");
    return readResponse(proxy.getInputStream());
  }

  /** Reads a response head that must say 200, then the body its {@code content-length} gives. */
  private static String readResponse(InputStream in) throws IOException {
    Head head = readHead(in);
    if (head.status() != 200) {
      throw new IOException("expected 200, got " + head.statusLine() + " " + head.fields());
    }
    String length = head.field("content-length");
    if (length == null) {
      throw new IOException("no content-length: " + head.fields());
    }
    return new String(in.readNBytes(Integer.parseInt(length)), StandardCharsets.UTF_8);
  }

  /** Reads an HTTP/1.1 response head up to its empty line, one byte at a time. */
  static Head readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the peer closed within the head: " + head);
      }
      if (head.size() == MAX_HEAD) {
        throw new IOException("a head longer than " + MAX_HEAD + " bytes");
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    List<String> lines = head.toString(StandardCharsets.ISO_8859_1).lines().toList();
    String statusLine = lines.get(0);
    String[] words = statusLine.split(" ", 3);
    if (words.length < 2 || !words[0].startsWith("HTTP/1.")) {
      throw new IOException("not an HTTP/1.x status line: " + statusLine);
    }
    Map<String, String> fields = new LinkedHashMap<>();
    for (String line : lines.subList(1, lines.size())) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        fields.putIfAbsent(
            line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).strip());
      }
    }
    return new Head(Integer.parseInt(words[1]), statusLine, fields);
  }

  /**
   * An SSL context trusting only the CA of the PEM file {@code caPem} (the servers file's {@code
   * ca}).
   */
  static SSLContext trusting(Path caPem) throws IOException, GeneralSecurityException {
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(caPem)) {
      trust.setCertificateEntry(
          "mint-test-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }

  /**
   * TLS over {@code under} (a plain socket, a tunnel, or TLS itself) to a server whose certificate
   * must name {@code hostname}, offering ALPN {@code http/1.1}; the handshake is done on return.
   */
  static SSLSocket tls(SSLContext context, Socket under, String hostname) throws IOException {
    SSLSocket tls =
        (SSLSocket)
            context
                .getSocketFactory()
                .createSocket(under, hostname, under.getPort(), /* autoClose= */ true);
    SSLParameters parameters = tls.getSSLParameters();
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    parameters.setServerNames(List.of(new SNIHostName(hostname)));
    parameters.setApplicationProtocols(new String[] {"http/1.1"});
    tls.setSSLParameters(parameters);
    tls.setSoTimeout(TIMEOUT_MILLIS);
    tls.startHandshake();
    return tls;
  }

  /** SOCKS5 (RFC 1928 §3): offers {@code methods}; returns the method the server selected. */
  static int socks5Greeting(Socket s, int... methods) throws IOException {
    byte[] greeting = new byte[2 + methods.length];
    greeting[0] = 5;
    greeting[1] = (byte) methods.length;
    for (int i = 0; i < methods.length; i++) {
      greeting[2 + i] = (byte) methods[i];
    }
    s.getOutputStream().write(greeting);
    byte[] reply = readExactly(s.getInputStream(), 2);
    expectVersion(reply[0], 5);
    return reply[1] & 0xff;
  }

  /** SOCKS5 username/password (RFC 1929 §2); returns the status (0 is success). */
  static int socks5UserPassword(Socket s, String user, String password) throws IOException {
    byte[] u = user.getBytes(StandardCharsets.UTF_8);
    byte[] p = password.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    request.write(1);
    request.write(u.length);
    request.writeBytes(u);
    request.write(p.length);
    request.writeBytes(p);
    s.getOutputStream().write(request.toByteArray());
    byte[] reply = readExactly(s.getInputStream(), 2);
    expectVersion(reply[0], 1);
    return reply[1] & 0xff;
  }

  /**
   * SOCKS5 CONNECT (RFC 1928 §4) to the IPv4 address of {@code target}; returns the reply code (0
   * is success), having read the whole reply.
   */
  static int socks5Connect(Socket s, InetSocketAddress target) throws IOException {
    byte[] ip = InetAddress.getByName(target.getHostString()).getAddress();
    if (ip.length != 4) {
      throw new IllegalArgumentException("not IPv4: " + target);
    }
    byte[] request = {
      5,
      1,
      0,
      1,
      ip[0],
      ip[1],
      ip[2],
      ip[3],
      (byte) (target.getPort() >> 8),
      (byte) target.getPort()
    };
    s.getOutputStream().write(request);
    InputStream in = s.getInputStream();
    byte[] reply = readExactly(in, 4);
    expectVersion(reply[0], 5);
    int addressLength =
        switch (reply[3]) {
          case 1 -> 4;
          case 4 -> 16;
          case 3 -> readExactly(in, 1)[0] & 0xff;
          default -> throw new IOException("unknown address type " + reply[3]);
        };
    readExactly(in, addressLength + 2); // BND.ADDR and BND.PORT
    return reply[1] & 0xff;
  }

  private static void expectVersion(byte version, int expected) throws IOException {
    if (version != expected) {
      throw new IOException("version " + version + " where " + expected + " was expected");
    }
  }

  private static byte[] readExactly(InputStream in, int n) throws IOException {
    byte[] bytes = in.readNBytes(n);
    if (bytes.length != n) {
      throw new EOFException("the peer closed after " + bytes.length + " of " + n + " bytes");
    }
    return bytes;
  }

  private static void write(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }
}
