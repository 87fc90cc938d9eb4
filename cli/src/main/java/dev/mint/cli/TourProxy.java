// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The tour's HTTP proxy: it opens {@code CONNECT} tunnels (RFC 9110 §9.3.6) and relays bytes both
 * ways until either side ends. Only tunnels to a loopback address are opened (others get {@code
 * 403}), any other method gets {@code 405}, a malformed request {@code 400}. It records the
 * authority of each tunnel it opened.
 */
final class TourProxy extends TourSocketServer {
  /** The {@code proxy-agent} field of the proxy's answer to {@code CONNECT}. */
  static final String AGENT = "mint-tour-proxy";

  private final List<String> tunnels = new CopyOnWriteArrayList<>();

  private TourProxy() throws IOException {
    super("tour-proxy");
  }

  /** Starts a proxy on 127.0.0.1 and a free port. */
  static TourProxy start() throws IOException {
    return started(new TourProxy());
  }

  /** The authorities ({@code host:port}) of the tunnels opened so far, in order. */
  List<String> tunnels() {
    return List.copyOf(tunnels);
  }

  @Override
  void serve(Socket client) throws IOException {
    InputStream in = client.getInputStream();
    OutputStream out = client.getOutputStream();
    String head = readHead(in);
    String[] line = head.substring(0, head.indexOf("\r\n")).split(" ");
    if (line.length != 3 || !line[2].startsWith("HTTP/1.")) {
      refuse(out, "400 Bad Request");
      return;
    }
    if (!line[0].equals("CONNECT")) {
      refuse(out, "405 Method Not Allowed\r\nallow: CONNECT");
      return;
    }
    int colon = line[1].lastIndexOf(':');
    String host = colon > 0 ? line[1].substring(0, colon).replace("[", "").replace("]", "") : "";
    int port = colon > 0 ? parsePort(line[1].substring(colon + 1)) : -1;
    if (port < 0) {
      refuse(out, "400 Bad Request");
      return;
    }
    InetAddress address = InetAddress.getByName(host);
    if (!address.isLoopbackAddress()) {
      refuse(out, "403 Forbidden");
      return;
    }
    try (Socket origin = track(new Socket())) {
      origin.connect(new InetSocketAddress(address, port), READ_TIMEOUT_MILLIS);
      tunnels.add(line[1]);
      write(out, "HTTP/1.1 200 Connection established\r\nproxy-agent: " + AGENT + "\r\n\r\n");
      relay(client, origin);
    }
  }

  private static void refuse(OutputStream out, String status) throws IOException {
    write(out, "HTTP/1.1 " + status + "\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
  }

  /** The port in {@code text}, or -1 when it is not one. */
  private static int parsePort(String text) {
    if (text.isEmpty() || text.length() > 5 || !text.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    int port = Integer.parseInt(text);
    return port >= 1 && port <= 65535 ? port : -1;
  }
}
