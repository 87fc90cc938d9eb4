// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tls;

import dev.mint.MintException;
import dev.mint.TlsOptions;
import dev.mint.TransportException;
import dev.mint.TransportException.Reason;
import dev.mint.spi.Transport;
import dev.mint.spi.TransportContext;
import dev.mint.spi.TransportProvider;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code tls} transport provider: TLS 1.3 or 1.2 through an {@link SSLEngine} over the inner
 * transport of the {@link TransportContext} (TCP, a CONNECT tunnel, or TLS to an HTTPS proxy).
 *
 * <p>Its settings are the context's {@link TransportContext#tls()}: the origin's {@link
 * TlsOptions}, or an HTTPS proxy's own when it is the TLS layer to the proxy.
 *
 * <p>For each connection it:
 *
 * <ul>
 *   <li>takes the {@link SSLContext} from {@link TlsOptions}: the caller's as given, or one built
 *       from the trust store, the PEM file of CA certificates, or the JDK's default trust, with the
 *       client key store if any, and cached per trust configuration (see {@link TlsOptions} for the
 *       order). {@link TlsOptions#insecureTrustAllCertificates()} trusts any certificate and skips
 *       the host name check; it is logged at WARN for every context built with it. With a caller
 *       context, that option only turns the host name check off: the context is used as given.
 *   <li>sends SNI (RFC 6066 §3) for {@link TransportContext#serverName()} unless it is an IP
 *       literal, which SNI does not allow;
 *   <li>checks the certificate against the server name ({@code HTTPS} endpoint identification, RFC
 *       9110 §4.3.4) unless {@link TlsOptions#verifyHostname()} is off;
 *   <li>enables exactly {@link TlsOptions#protocols()} (TLS 1.3 and 1.2 only);
 *   <li>offers exactly {@link TransportContext#alpnProtocols()} by ALPN (RFC 7301); when that is
 *       empty, or when {@link TlsOptions#alpn()} is off whatever the context lists, the ClientHello
 *       carries no ALPN extension at all (for servers that break on it). The result is {@link
 *       Transport#negotiatedProtocol()}, judged by the connector;
 *   <li>runs the handshake, blocking on the inner transport until {@link
 *       TransportContext#deadline()}.
 * </ul>
 *
 * <p>Errors ({@link TransportException}, naming server and port; the inner transport is closed):
 * {@link Reason#UNTRUSTED_CERTIFICATE}, {@link Reason#EXPIRED_CERTIFICATE}, {@link
 * Reason#HOSTNAME_MISMATCH}, {@link Reason#CONNECT_TIMEOUT} for a handshake past the deadline, and
 * {@link Reason#TLS_HANDSHAKE_FAILED} for everything else, including trust or key material that
 * cannot be loaded. Thread-safe: one instance serves every connection.
 */
public final class TlsTransportProvider implements TransportProvider {
  /** The name this provider registers under. */
  public static final String NAME = "tls";

  private static final Logger LOG = LoggerFactory.getLogger(TlsTransportProvider.class);

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  private final SslContextCache contexts = new SslContextCache();

  /** A provider with an empty context cache; {@link java.util.ServiceLoader} calls this. */
  public TlsTransportProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  /**
   * Opens TLS over {@link TransportContext#inner()}, which must be present.
   *
   * @throws IllegalArgumentException when the context has no inner transport
   */
  @Override
  public Transport open(TransportContext context) throws MintException {
    Transport inner =
        context
            .inner()
            .orElseThrow(
                () -> new IllegalArgumentException("tls needs an inner transport to layer on"));
    String peer = describe(context);
    TlsOptions tls = context.tls();
    SSLEngine engine;
    try {
      SSLContext ssl = contexts.contextFor(tls);
      engine = ssl.createSSLEngine(context.serverName(), context.port());
      engine.setUseClientMode(true);
      engine.setSSLParameters(parameters(engine, context, tls));
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      inner.close();
      throw new TransportException(
          Reason.TLS_HANDSHAKE_FAILED, "cannot set up TLS to " + peer + ": " + e, e);
    }
    TlsTransport transport = new TlsTransport(inner, engine, peer);
    transport.handshake(context.deadline(), context.options().connectTimeout());
    return transport;
  }

  /** The cached contexts (for tests). */
  SslContextCache contexts() {
    return contexts;
  }

  private static SSLParameters parameters(
      SSLEngine engine, TransportContext context, TlsOptions tls) {
    SSLParameters p = engine.getSSLParameters();
    p.setProtocols(tls.protocols().toArray(String[]::new));
    // An empty list leaves the extension out of the ClientHello (RFC 7301 §3.1 makes it optional).
    List<String> offer = tls.alpn() ? context.alpnProtocols() : List.of();
    p.setApplicationProtocols(offer.toArray(String[]::new));
    boolean verify = tls.verifyHostname() && !tls.insecureTrustAllCertificates();
    p.setEndpointIdentificationAlgorithm(verify ? "HTTPS" : null);
    p.setServerNames(serverNames(context.serverName()));
    return p;
  }

  /** The SNI list: the host name, or nothing for an IP literal or a name SNI cannot carry. */
  static List<SNIServerName> serverNames(String serverName) {
    if (isIpLiteral(serverName)) {
      return List.of();
    }
    // SNI carries the name without the root's trailing dot (RFC 6066 §3).
    String name =
        serverName.endsWith(".") ? serverName.substring(0, serverName.length() - 1) : serverName;
    try {
      return List.of(new SNIHostName(name));
    } catch (IllegalArgumentException e) {
      LOG.debug("no SNI for '{}': {}", serverName, e.getMessage());
      return List.of();
    }
  }

  static boolean isIpLiteral(String host) {
    return host.indexOf(':') >= 0 || IPV4.matcher(host).matches();
  }

  private static String describe(TransportContext context) {
    String server = bracket(context.serverName()) + ":" + context.port();
    return context.serverName().equals(context.host())
        ? server
        : server + " (" + bracket(context.host()) + ")";
  }

  private static String bracket(String host) {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }
}
