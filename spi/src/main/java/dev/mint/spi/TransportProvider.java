// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import dev.mint.MintException;

/**
 * Opens transports of one kind, registered under a unique {@link #name()} ({@code tcp}, {@code
 * tls}, {@code http-connect}, {@code socks5}, or a user's own). Found through {@link
 * java.util.ServiceLoader} (a {@code provides} clause in {@code module-info}, or {@code
 * META-INF/services/dev.mint.spi.TransportProvider} on the class path), or passed to {@link
 * ProviderRegistry#of}. Implementations must be stateless or thread-safe: one instance serves every
 * connection.
 */
public interface TransportProvider {

  /** The unique key this provider is registered under. */
  String name();

  /**
   * Opens a connected transport, blocking until it is ready or {@link TransportContext#deadline()}
   * passes. A layering provider wraps {@link TransportContext#inner()} and, on failure, closes it.
   *
   * @throws MintException a {@link dev.mint.TransportException} naming the failure
   */
  Transport open(TransportContext context) throws MintException;
}
