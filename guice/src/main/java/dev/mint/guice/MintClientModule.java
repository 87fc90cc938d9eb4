// SPDX-License-Identifier: Apache-2.0
package dev.mint.guice;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import dev.mint.ConnectOptions;
import dev.mint.Connector;
import dev.mint.pool.MintClient;
import dev.mint.pool.Pool;
import dev.mint.pool.PoolConfig;
import dev.mint.pool.PoolListener;

/**
 * Binds a {@link MintClient} singleton over the {@link Connector} that {@link MintModule} binds
 * (install both). Its default {@link PoolConfig} opens connections with the bound {@link
 * ConnectOptions}; an application sets its own through {@code
 * OptionalBinder.newOptionalBinder(binder(), PoolConfig.class).setBinding()}, and a {@link
 * PoolListener} the same way. The client's threads come from its default thread factory.
 *
 * <p>Guice does not close what it creates: the application closes the client ({@link
 * MintClient#close()}, a graceful shutdown) when it stops.
 */
public final class MintClientModule extends AbstractModule {

  /** A module binding the client. */
  public MintClientModule() {}

  /** Declares the optional bindings of the pool's configuration and listener. */
  @Override
  protected void configure() {
    OptionalBinder.newOptionalBinder(binder(), PoolConfig.class);
    OptionalBinder.newOptionalBinder(binder(), PoolListener.class)
        .setDefault()
        .toInstance(new PoolListener() {});
  }

  @Provides
  @Singleton
  MintClient client(
      Connector connector,
      ConnectOptions options,
      java.util.Optional<PoolConfig> config,
      PoolListener listener) {
    PoolConfig defaults =
        config.orElseGet(() -> PoolConfig.builder().connectOptions(options).build());
    return MintClient.builder()
        .pool(Pool.builder().connector(connector).defaults(defaults).listener(listener))
        .build();
  }

  @Override
  public String toString() {
    return "MintClientModule";
  }
}
