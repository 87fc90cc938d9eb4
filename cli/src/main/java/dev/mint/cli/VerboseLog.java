// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import dev.mint.Headers;
import dev.mint.Http2Operations;
import dev.mint.HttpConnection;
import dev.mint.ProxyOptions;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import java.io.PrintStream;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * The {@code -v} lines on stderr, each stamped with the milliseconds since the command started:
 * {@code *} for what the command does, {@code >} for what it sends, {@code <} for what arrives.
 * Warnings go to stderr too, unless {@code -s}.
 */
final class VerboseLog {
  private final PrintStream err;
  private final boolean verbose;
  private final boolean silent;
  private final long start = System.nanoTime();

  VerboseLog(PrintStream err, boolean verbose, boolean silent) {
    this.err = err;
    this.verbose = verbose;
    this.silent = silent;
  }

  /** A {@code -v} line. */
  void line(String line) {
    if (verbose) {
      long ms = (System.nanoTime() - start) / 1_000_000;
      err.println(String.format(Locale.ROOT, "%6d ms %s", ms, line));
    }
  }

  /** {@code mint: warning: ...}, unless {@code -s}. */
  void warning(String text) {
    if (!silent) {
      err.println("mint: warning: " + text);
    }
  }

  /**
   * The protocol spoken, the connection's id and socket addresses and, over TLS, the version,
   * cipher suite, ALPN result and the server's certificate; all through the public API.
   */
  void connection(HttpConnection conn) {
    line("* connected, speaking " + conn.protocol().alpnId());
    if (!verbose) {
      return;
    }
    line(
        "* connection "
            + conn.id()
            + " to "
            + conn.peerAddress().map(Object::toString).orElse("?")
            + " from "
            + conn.localAddress().map(Object::toString).orElse("?"));
    Optional<SSLSession> tls = conn.sslSession();
    if (tls.isEmpty()) {
      return;
    }
    SSLSession session = tls.get();
    line(
        "* TLS "
            + session.getProtocol()
            + ", cipher "
            + session.getCipherSuite()
            + ", ALPN selected "
            + conn.alpnProtocol().orElse("none"));
    try {
      Certificate[] chain = session.getPeerCertificates();
      if (chain.length > 0 && chain[0] instanceof X509Certificate leaf) {
        // As curl -v shows them: who the certificate names, who signed it, until when.
        line("* server certificate subject: " + leaf.getSubjectX500Principal().getName());
        line("* server certificate issuer: " + leaf.getIssuerX500Principal().getName());
        line("* server certificate expires: " + leaf.getNotAfter().toInstant());
      }
    } catch (SSLPeerUnverifiedException e) {
      line("* server certificate: none");
    }
  }

  /** Over HTTP/2: the settings the server announced (RFC 9113 §6.5.2). */
  void serverSettings(Http2Operations h2) {
    if (!verbose || !h2.serverSettingsReceived()) {
      return;
    }
    Http2Operations.Settings s = h2.serverSettings();
    line(
        "* HTTP/2 server settings: max concurrent streams "
            + limit(s.maxConcurrentStreams())
            + ", initial window "
            + s.initialWindowSize()
            + ", max frame size "
            + s.maxFrameSize()
            + ", max header list size "
            + limit(s.maxHeaderListSize())
            + ", header table "
            + s.headerTableSize());
  }

  private static String limit(long value) {
    return value == Http2Operations.Settings.UNLIMITED ? "unlimited" : Long.toString(value);
  }

  /**
   * The request as the connection sent it: the method and target, then the fields it wrote,
   * including those it added ({@code host}, {@code user-agent}); to a forwarding proxy the target
   * in absolute-form and the proxy's fields after the request's own.
   */
  void request(
      HttpConnection conn,
      RequestRef ref,
      String method,
      String target,
      Headers given,
      ProxyOptions forwardedTo) {
    if (!verbose) {
      return;
    }
    line("> " + method + " " + target);
    Headers sent = ref.sentHeaders().orElse(given);
    sent.forEach((name, value) -> line(">   " + name + ": " + ProxyTrace.shown(name, value)));
    if (forwardedTo != null) {
      ProxyTrace.forwardedFields(forwardedTo).forEach(this::line);
    }
  }

  /** A response part as it arrives. */
  void part(ResponsePart part) {
    if (!verbose) {
      return;
    }
    if (part instanceof ResponsePart.Headers h) {
      line("< Headers");
      h.headers().forEach((name, value) -> line("<   " + name + ": " + value));
    } else if (part instanceof ResponsePart.Trailers t) {
      line("< Trailers");
      t.trailers().forEach((name, value) -> line("<   " + name + ": " + value));
    } else if (part instanceof ResponsePart.Data d) {
      line("< Data " + d.bytes().length() + " bytes"); // the bytes themselves go to the output
    } else {
      line("< " + PartFormat.describe(part));
    }
  }
}
