// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.util.Iterator;
import java.util.ServiceLoader;

/**
 * The entry point: opens connections.
 *
 * <pre>{@code
 * try (HttpConnection conn = Mint.connect(Scheme.HTTP, "localhost", 8080,
 *     ConnectOptions.builder().mode(Mode.PASSIVE).build())) {
 *   RequestRef ref = conn.request("GET", "/", Headers.empty(), RequestBody.none());
 *   for (ResponsePart part : conn.recv(Duration.ofSeconds(5))) { ... }
 * }
 * }</pre>
 *
 * <p>The connector is found once, on first use, through {@link ServiceLoader}.
 */
public final class Mint {
  private Mint() {}

  /** Connects with the {@linkplain ConnectOptions#defaults() default options}. */
  public static HttpConnection connect(Scheme scheme, String host, int port) throws MintException {
    return connect(scheme, host, port, ConnectOptions.defaults());
  }

  /**
   * Connects: resolves {@code host}, opens the transport chain (TCP, then TLS for https), and
   * chooses the protocol, all within {@link ConnectOptions#connectTimeout()}.
   *
   * @throws TransportException when the transport cannot be opened (see its reasons)
   * @throws ProviderException when no connector, transport or protocol is installed for the job
   */
  public static HttpConnection connect(Scheme scheme, String host, int port, ConnectOptions options)
      throws MintException {
    return InstalledConnector.CONNECTOR.connect(scheme, host, port, options);
  }

  /** Holds the connector found on first use (class initialization is the only lazy step). */
  private static final class InstalledConnector {
    static final Connector CONNECTOR = find();

    private static Connector find() {
      Iterator<Connector> it =
          ServiceLoader.load(Connector.class, Mint.class.getClassLoader()).iterator();
      if (!it.hasNext()) {
        return (scheme, host, port, options) -> {
          throw new ProviderException(
              ProviderException.Reason.NO_CONNECTOR,
              "no dev.mint.Connector found by ServiceLoader; add mint-spi (or mint-all, which"
                  + " brings the whole client) to the class or module path");
        };
      }
      return it.next();
    }
  }
}
