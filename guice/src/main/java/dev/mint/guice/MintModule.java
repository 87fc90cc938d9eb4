// SPDX-License-Identifier: Apache-2.0
package dev.mint.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.mint.ConnectOptions;
import dev.mint.Connector;
import dev.mint.ProviderException;
import dev.mint.spi.ProtocolProvider;
import dev.mint.spi.ProviderRegistry;
import dev.mint.spi.StandardConnector;
import dev.mint.spi.TransportProvider;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * Binds a {@link Connector} for Guice applications: a {@link StandardConnector} over a {@link
 * ProviderRegistry} of the multibound {@link TransportProvider}s and {@link ProtocolProvider}s.
 *
 * <p>What it binds:
 *
 * <ul>
 *   <li>{@code Set<TransportProvider>} and {@code Set<ProtocolProvider>}, through {@link
 *       Multibinder#newSetBinder(com.google.inject.Binder, Class)}. A module adds its own provider
 *       with {@code Multibinder.newSetBinder(binder(), TransportProvider.class).addBinding().to(
 *       MyTransport.class)}. Made by {@link #withServiceLoader()}, both sets also hold the
 *       providers {@link ServiceLoader} finds when the injector is created; made by {@link
 *       #explicitOnly()}, only the bound ones.
 *   <li>{@link ProviderRegistry} and {@link Connector}, singletons. Two providers under one key
 *       (transport name or ALPN id), whether bound or found, are refused by {@link
 *       ProviderRegistry#of} with {@link ProviderException.Reason#DUPLICATE_PROVIDER} naming both
 *       classes; Guice reports it as the cause of a {@link com.google.inject.ProvisionException}
 *       (or of a {@link com.google.inject.CreationException} in {@link
 *       com.google.inject.Stage#PRODUCTION}, where singletons are built eagerly). Installing both
 *       {@link #withServiceLoader()} and a binding of an installed provider's class is such a
 *       duplicate: bind your own providers, or use {@link #explicitOnly()}.
 *   <li>{@link ConnectOptions}: {@link ConnectOptions#defaults()} unless the application binds its
 *       own through {@code OptionalBinder.newOptionalBinder(binder(),
 *       ConnectOptions.class).setBinding()}. The connector does not read it; it is there to be
 *       injected where connections are made.
 * </ul>
 *
 * <p>Install it once per injector. The module is immutable; the connector it binds starts no thread
 * and is as thread-safe as {@link StandardConnector}.
 */
public final class MintModule extends AbstractModule {
  private final boolean serviceLoader;

  private MintModule(boolean serviceLoader) {
    this.serviceLoader = serviceLoader;
  }

  /** The default: the bound providers and the ones {@link ServiceLoader} finds. */
  public static MintModule withServiceLoader() {
    return new MintModule(true);
  }

  /** Only the providers bound through the multibinders; {@link ServiceLoader} is not asked. */
  public static MintModule explicitOnly() {
    return new MintModule(false);
  }

  /** Declares the multibindings, adds the installed providers if asked, binds the defaults. */
  @Override
  protected void configure() {
    Multibinder<TransportProvider> transports =
        Multibinder.newSetBinder(binder(), TransportProvider.class);
    Multibinder<ProtocolProvider> protocols =
        Multibinder.newSetBinder(binder(), ProtocolProvider.class);
    if (serviceLoader) {
      for (TransportProvider p : ServiceLoader.load(TransportProvider.class)) {
        transports.addBinding().toInstance(p);
      }
      for (ProtocolProvider p : ServiceLoader.load(ProtocolProvider.class)) {
        protocols.addBinding().toInstance(p);
      }
    }
    OptionalBinder.newOptionalBinder(binder(), ConnectOptions.class)
        .setDefault()
        .toInstance(ConnectOptions.defaults());
  }

  @Provides
  @Singleton
  ProviderRegistry registry(Set<TransportProvider> transports, Set<ProtocolProvider> protocols)
      throws ProviderException {
    return ProviderRegistry.of(transports, protocols);
  }

  @Provides
  @Singleton
  Connector connector(ProviderRegistry registry) {
    return new StandardConnector(registry);
  }

  @Override
  public String toString() {
    return "MintModule[" + (serviceLoader ? "withServiceLoader" : "explicitOnly") + "]";
  }
}
