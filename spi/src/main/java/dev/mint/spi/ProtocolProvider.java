package dev.mint.spi;

/**
 * Creates protocol engines for one protocol, registered under its ALPN id ({@code http/1.1}, {@code
 * h2}). Found through {@link java.util.ServiceLoader} or passed to {@link ProviderRegistry#of}.
 * Implementations must be stateless or thread-safe.
 */
public interface ProtocolProvider {

  /** The ALPN protocol id this provider serves; the key it is registered under. */
  String alpnId();

  /** A new engine for one connection. */
  ProtocolEngine newEngine(EngineContext context);
}
