/**
 * Mint for Java: TLS over any transport. Provides the {@code tls} {@link
 * dev.mint.spi.TransportProvider}, an {@link javax.net.ssl.SSLEngine} layered over the transport
 * the connector opened first (TCP, a CONNECT tunnel, or TLS to an HTTPS proxy), with ALPN.
 */
module dev.mint.transport.tls {
  requires transitive dev.mint.spi;
  requires org.slf4j;

  exports dev.mint.transport.tls;

  provides dev.mint.spi.TransportProvider with
      dev.mint.transport.tls.TlsTransportProvider;
}
