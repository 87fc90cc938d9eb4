/**
 * Mint for Java: the service provider interface. Transports implement {@link
 * dev.mint.spi.TransportProvider}, protocol engines {@link dev.mint.spi.ProtocolProvider}; the
 * {@link dev.mint.spi.StandardConnector} finds them with {@link java.util.ServiceLoader} and
 * assembles connections.
 */
module dev.mint.spi {
  requires transitive dev.mint.api;
  requires org.slf4j;

  exports dev.mint.spi;

  uses dev.mint.spi.TransportProvider;
  uses dev.mint.spi.ProtocolProvider;

  provides dev.mint.Connector with
      dev.mint.spi.StandardConnector;
}
