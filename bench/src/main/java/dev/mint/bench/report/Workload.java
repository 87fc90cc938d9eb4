// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench.report;

/**
 * The workloads of the report: each a wire (protocol and whether TLS carries it), a number of
 * connections, the requests kept in flight over all of them, and the document fetched.
 *
 * <p>Small GETs fetch {@link #SMALL_PATH} ({@link #SMALL_BODY} bytes); downloads fetch {@link
 * #LARGE_PATH} ({@link #LARGE_BODY} bytes), one at a time on one connection.
 */
public enum Workload {
  /** HTTP/1.1 cleartext, 1 connection, one small GET after another. */
  H1_SEQUENTIAL("HTTP/1.1, 1 connection, sequential small GETs", Wire.H1, 1, 1, false),
  /** HTTP/1.1 cleartext, 16 connections, one small GET in flight on each. */
  H1_16_CONNECTIONS(
      "HTTP/1.1, 16 connections, one small GET in flight on each", Wire.H1, 16, 16, false),
  /** HTTP/2 over TLS (ALPN h2), 1 connection, 100 streams in flight. */
  H2_TLS_100_STREAMS("HTTP/2 over TLS, 1 connection x 100 streams", Wire.H2_TLS, 1, 100, false),
  /** HTTP/2 over cleartext with prior knowledge, 1 connection, 100 streams in flight. */
  H2C_100_STREAMS("h2c, 1 connection x 100 streams", Wire.H2C, 1, 100, false),
  /** 64 MiB downloads one after another, HTTP/2 over TLS. */
  DOWNLOAD_H2_TLS("64 MiB downloads, HTTP/2 over TLS", Wire.H2_TLS, 1, 1, true),
  /** 64 MiB downloads one after another, HTTP/1.1 over TLS. */
  DOWNLOAD_H1_TLS("64 MiB downloads, HTTP/1.1 over TLS", Wire.H1_TLS, 1, 1, true);

  /** The small document. */
  public static final String SMALL_PATH = "/small";

  /** Its size in bytes. */
  public static final int SMALL_BODY = 1024;

  /** The small document's bytes: the letters a to z, repeated. */
  public static byte[] smallBody() {
    byte[] body = new byte[SMALL_BODY];
    for (int i = 0; i < body.length; i++) {
      body[i] = (byte) ('a' + i % 26);
    }
    return body;
  }

  /** The large document. */
  public static final String LARGE_PATH = "/large";

  /** Its size in bytes: 64 MiB. */
  public static final long LARGE_BODY = 64L << 20;

  private final String title;
  private final Wire wire;
  private final int connections;
  private final int inFlight;
  private final boolean download;

  Workload(String title, Wire wire, int connections, int inFlight, boolean download) {
    this.title = title;
    this.wire = wire;
    this.connections = connections;
    this.inFlight = inFlight;
    this.download = download;
  }

  /** The heading of the workload's table. */
  public String title() {
    return title;
  }

  /** The protocol and transport. */
  public Wire wire() {
    return wire;
  }

  /** Connections opened. */
  public int connections() {
    return connections;
  }

  /** Requests kept in flight, over all connections. */
  public int inFlight() {
    return inFlight;
  }

  /** Whether it fetches the large document. */
  public boolean download() {
    return download;
  }

  /** The path fetched. */
  public String path() {
    return download ? LARGE_PATH : SMALL_PATH;
  }

  /** The size of each response body. */
  public long bodySize() {
    return download ? LARGE_BODY : SMALL_BODY;
  }

  /** The command-line name: the constant's name in lower case with dashes. */
  public String cliName() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** The workload named {@code name} ({@link #cliName()} or the constant's name). */
  public static Workload named(String name) {
    for (Workload w : values()) {
      if (w.cliName().equals(name) || w.name().equals(name)) {
        return w;
      }
    }
    throw new IllegalArgumentException("unknown workload: " + name);
  }

  /** A protocol on a transport. */
  public enum Wire {
    /** HTTP/1.1 over cleartext TCP. */
    H1(false, false),
    /** HTTP/1.1 over TLS (ALPN http/1.1). */
    H1_TLS(false, true),
    /** HTTP/2 over cleartext TCP with prior knowledge (RFC 9113 §3.3). */
    H2C(true, false),
    /** HTTP/2 over TLS (ALPN h2). */
    H2_TLS(true, true);

    private final boolean http2;
    private final boolean tls;

    Wire(boolean http2, boolean tls) {
      this.http2 = http2;
      this.tls = tls;
    }

    /** Whether it speaks HTTP/2. */
    public boolean http2() {
      return http2;
    }

    /** Whether TLS carries it. */
    public boolean tls() {
      return tls;
    }

    /** The URI scheme. */
    public String scheme() {
      return tls ? "https" : "http";
    }
  }
}
