// SPDX-License-Identifier: Apache-2.0
package dev.mint;

/**
 * Assembles a connection from a transport chain and a protocol engine. This is the seam between the
 * API and the plugins: {@link Mint} finds the installed connector through {@link
 * java.util.ServiceLoader}; {@code mint-spi} provides the standard one. Applications rarely
 * implement this.
 */
public interface Connector {
  /**
   * Connects, blocking until the transport chain is up and the protocol chosen, within {@link
   * ConnectOptions#connectTimeout()}.
   */
  HttpConnection connect(Scheme scheme, String host, int port, ConnectOptions options)
      throws MintException;
}
