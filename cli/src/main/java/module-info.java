/**
 * The {@code mint} command: a curl-like client built on Mint, and a tour of the library against an
 * embedded server.
 *
 * <p>The command names no transport or protocol class: {@code dev.mint.spi} finds them with {@link
 * java.util.ServiceLoader}, so on the module path any module that {@code provides} a {@code
 * dev.mint.spi.TransportProvider} or {@code dev.mint.spi.ProtocolProvider} is bound in. It reads
 * {@code dev.mint.proxy} for {@link dev.mint.proxy.ProxyLookup}, which applies the proxy variables
 * of the environment and {@code NO_PROXY} as the library documents them.
 */
module dev.mint.cli {
  requires dev.mint.api;
  requires dev.mint.spi;
  requires dev.mint.proxy;
  requires dev.mint.websocket;
  requires jdk.httpserver;
  requires info.picocli;
  requires org.eclipse.jetty.server;
  requires org.eclipse.jetty.http2.server;

  // picocli fills the option fields of the commands by reflection.
  opens dev.mint.cli to
      info.picocli;
}
