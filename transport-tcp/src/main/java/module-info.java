/**
 * Mint for Java: the TCP transport. Provides the {@code tcp} {@link
 * dev.mint.spi.TransportProvider}, a non-blocking {@link java.nio.channels.SocketChannel} that
 * every other transport (TLS, tunnels) layers on, with Happy Eyeballs over several addresses; and
 * the {@code unix} provider, the same over a Unix domain socket.
 */
module dev.mint.transport.tcp {
  requires transitive dev.mint.spi;
  requires org.slf4j;

  exports dev.mint.transport.tcp;

  provides dev.mint.spi.TransportProvider with
      dev.mint.transport.tcp.TcpTransportProvider,
      dev.mint.transport.tcp.UnixTransportProvider;
}
