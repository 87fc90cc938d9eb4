/**
 * Mint for Java: the application-facing API.
 *
 * <p>Applications call {@link dev.mint.Mint#connect} and drive the returned {@link
 * dev.mint.HttpConnection}. This module has no dependencies; it finds the connector that assembles
 * transports and protocols through {@link java.util.ServiceLoader}, and an installed {@link
 * dev.mint.Resolver} the same way.
 */
// The qualified export names the SPI module, which is built after this one.
@SuppressWarnings("module")
module dev.mint.api {
  exports dev.mint;
  // Construction doors for the connection machinery, not for callers: see ApiDoors.
  exports dev.mint.internal to
      dev.mint.spi;

  uses dev.mint.Connector;
  uses dev.mint.Resolver;
}
