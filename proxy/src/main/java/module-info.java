/**
 * Mint for Java: proxies. Provides the {@code http-connect} and {@code socks5} {@link
 * dev.mint.spi.TransportProvider}s, the tunnel layers of a {@link dev.mint.spi.TransportChain}, and
 * {@link dev.mint.proxy.ProxyLookup}, which reads proxy settings from the JVM's properties and the
 * environment. See the package documentation of {@link dev.mint.proxy}.
 */
module dev.mint.proxy {
  requires transitive dev.mint.spi;
  requires org.slf4j;

  exports dev.mint.proxy;

  provides dev.mint.spi.TransportProvider with
      dev.mint.proxy.HttpConnectTransportProvider,
      dev.mint.proxy.Socks5TransportProvider;
}
