// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tcp;

import dev.mint.ConnectOptions;
import dev.mint.TransportException;
import dev.mint.spi.Transport;
import dev.mint.spi.TransportContext;
import dev.mint.spi.TransportProvider;

/**
 * The {@code tcp} transport provider: opens a {@link TcpTransport}, a non-blocking {@link
 * java.nio.channels.SocketChannel} connected to {@link TransportContext#host()} and {@link
 * TransportContext#port()} within {@link TransportContext#deadline()}.
 *
 * <p>It is a base transport: it never layers on another one, so a context with an {@link
 * TransportContext#inner() inner} transport is a programming error. Stateless and thread-safe;
 * found by {@link java.util.ServiceLoader} (module {@code provides} clause and {@code
 * META-INF/services}).
 *
 * <p>Errors, all {@link TransportException}: {@link TransportException.Reason#UNRESOLVED_HOST},
 * {@link TransportException.Reason#CONNECTION_REFUSED}, {@link
 * TransportException.Reason#CONNECT_TIMEOUT}, {@link TransportException.Reason#IO_ERROR}; see
 * {@link TcpTransport#connect}.
 */
public final class TcpTransportProvider implements TransportProvider {
  /** The name this provider is registered under. */
  public static final String NAME = "tcp";

  /** The provider; used by ServiceLoader. */
  public TcpTransportProvider() {}

  /** Returns {@value #NAME}. */
  @Override
  public String name() {
    return NAME;
  }

  /**
   * Connects to the context's host and port before its deadline, resolving with {@link
   * dev.mint.ConnectOptions#resolver()} and with the socket options of {@link
   * dev.mint.ConnectOptions#socket()}.
   *
   * @throws TransportException see {@link TcpTransport#connect}
   * @throws IllegalArgumentException when the context holds an inner transport
   */
  @Override
  public Transport open(TransportContext context) throws TransportException {
    if (context.inner().isPresent()) {
      throw new IllegalArgumentException(
          "tcp is a base transport and cannot layer on " + context.inner().get());
    }
    ConnectOptions options = context.options();
    return TcpTransport.connect(
        context.host(), context.port(), context.deadline(), options.resolver(), options.socket());
  }

  @Override
  public String toString() {
    return "TcpTransportProvider[" + NAME + "]";
  }
}
