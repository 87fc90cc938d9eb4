// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import dev.mint.HttpConnection;
import dev.mint.Protocol;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** What {@code -w} reports of a fetch: times since the start, sizes, the last response. */
final class TransferStats {
  private final long start = System.nanoTime();
  private long connected = -1;
  private long firstByte = -1;
  private long downloaded;
  private long uploaded;
  private int status;
  private String httpVersion = "";
  private String contentType = "";
  private String remoteIp = "";
  private String remotePort = "";

  /** A connection is up (TCP, proxy and TLS). */
  void connected(HttpConnection conn) {
    connected = System.nanoTime();
    SocketAddress peer = conn.peerAddress().orElse(null);
    if (peer instanceof InetSocketAddress inet && inet.getAddress() != null) {
      remoteIp = inet.getAddress().getHostAddress();
      remotePort = Integer.toString(inet.getPort());
    }
  }

  /** The first status arrived. */
  void firstByte() {
    if (firstByte < 0) {
      firstByte = System.nanoTime();
    }
  }

  /** The head of a final response arrived. */
  void response(Exchange.Response response, Protocol protocol) {
    status = response.status();
    httpVersion = protocol == Protocol.HTTP2 ? "2" : "1.1";
    String type = response.headers().get("content-type");
    contentType = type == null ? "" : type;
  }

  /** {@code n} more body bytes arrived (before any decoding). */
  void downloaded(long n) {
    downloaded += n;
  }

  /** {@code n} request body bytes were sent. */
  void uploaded(long n) {
    uploaded += n;
  }

  /** The {@code -w} variables, as curl names and writes them. */
  Map<String, String> variables(
      URI effectiveUrl, String method, int redirects, int exit, String error) {
    long now = System.nanoTime();
    double total = seconds(now);
    Map<String, String> v = new HashMap<>();
    v.put("http_code", String.format(Locale.ROOT, "%03d", status));
    v.put("response_code", Integer.toString(status));
    v.put("http_version", httpVersion.isEmpty() ? "0" : httpVersion);
    v.put("num_redirects", Integer.toString(redirects));
    v.put("url_effective", effectiveUrl == null ? "" : effectiveUrl.toString());
    v.put("content_type", contentType);
    v.put("method", method);
    v.put("scheme", effectiveUrl == null ? "" : effectiveUrl.getScheme().toUpperCase(Locale.ROOT));
    v.put("remote_ip", remoteIp);
    v.put("remote_port", remotePort);
    v.put("size_download", Long.toString(downloaded));
    v.put("size_upload", Long.toString(uploaded));
    v.put("speed_download", Long.toString(total > 0 ? (long) (downloaded / total) : 0));
    v.put("time_connect", time(connected < 0 ? 0 : seconds(connected)));
    v.put("time_starttransfer", time(firstByte < 0 ? 0 : seconds(firstByte)));
    v.put("time_total", time(total));
    v.put("exitcode", Integer.toString(exit));
    v.put("errormsg", error == null ? "" : error);
    return v;
  }

  private double seconds(long at) {
    return (at - start) / 1e9;
  }

  private static String time(double seconds) {
    return String.format(Locale.ROOT, "%.6f", seconds);
  }
}
