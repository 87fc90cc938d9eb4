// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tcp;

import dev.mint.ConnectOptions;
import dev.mint.TransportException;
import dev.mint.spi.Transport;
import dev.mint.spi.TransportContext;
import dev.mint.spi.TransportProvider;
import java.nio.file.Path;

/**
 * The {@code unix} transport provider: opens a {@link UnixTransport} to the path of {@link
 * ConnectOptions#unixSocket()}, chosen as the base transport whenever that option is set. The
 * context's host and port are not used to connect; the host still names the origin for the {@code
 * host} field, TLS SNI and certificate verification, so {@code https} over a Unix socket works as
 * over TCP. Under a proxy the socket is expected to lead to the proxy.
 *
 * <p>A base transport: a context with an {@link TransportContext#inner() inner} transport is a
 * programming error. Stateless and thread-safe; found by {@link java.util.ServiceLoader}.
 *
 * <p>Errors: see {@link UnixTransport#connect}; {@link TransportException.Reason#IO_ERROR} when the
 * options hold no path.
 */
public final class UnixTransportProvider implements TransportProvider {
  /** The name this provider is registered under. */
  public static final String NAME = "unix";

  /** The provider; used by ServiceLoader. */
  public UnixTransportProvider() {}

  /** Returns {@value #NAME}. */
  @Override
  public String name() {
    return NAME;
  }

  /**
   * Connects to {@link ConnectOptions#unixSocket()} before the context's deadline.
   *
   * @throws TransportException see {@link UnixTransport#connect}
   * @throws IllegalArgumentException when the context holds an inner transport
   */
  @Override
  public Transport open(TransportContext context) throws TransportException {
    if (context.inner().isPresent()) {
      throw new IllegalArgumentException(
          "unix is a base transport and cannot layer on " + context.inner().get());
    }
    Path path = context.options().unixSocket().orElse(null);
    if (path == null) {
      throw new TransportException(
          TransportException.Reason.IO_ERROR,
          "the unix transport needs a path: set ConnectOptions.builder().unixSocket(path)");
    }
    return UnixTransport.connect(path, context.deadline());
  }

  @Override
  public String toString() {
    return "UnixTransportProvider[" + NAME + "]";
  }
}
