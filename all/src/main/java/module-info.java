/**
 * Mint for Java in one module: requiring {@code dev.mint.all} reads the API, the SPI, the TCP and
 * TLS transports, the proxy tunnels and the HTTP/1.1 and HTTP/2 engines, and puts them all in the
 * module graph, so that {@link java.util.ServiceLoader} finds every transport and protocol.
 *
 * <p>The module holds no package of its own. On the class path its jar is empty; the artifact's
 * dependencies bring the modules' jars.
 */
module dev.mint.all {
  requires transitive dev.mint.api;
  requires transitive dev.mint.spi;
  requires transitive dev.mint.transport.tcp;
  requires transitive dev.mint.transport.tls;
  requires transitive dev.mint.proxy;
  requires transitive dev.mint.http1;
  requires transitive dev.mint.http2;
}
