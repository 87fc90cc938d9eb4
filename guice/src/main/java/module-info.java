/**
 * Mint for Java: wiring for Guice. {@link dev.mint.guice.MintModule} binds a {@link
 * dev.mint.Connector} built from Guice multibindings of {@link dev.mint.spi.TransportProvider} and
 * {@link dev.mint.spi.ProtocolProvider}, which by default also hold the providers {@link
 * java.util.ServiceLoader} finds; {@link dev.mint.guice.MintClientModule} binds a {@link
 * dev.mint.pool.MintClient} over that connector.
 */
@SuppressWarnings({"requires-automatic", "requires-transitive-automatic"})
module dev.mint.guice {
  requires transitive dev.mint.spi;
  requires transitive dev.mint.pool;
  // Transitive: MintModule extends Guice's AbstractModule. Guice 7 is an automatic module (the
  // name com.google.guice comes from its manifest), hence the suppressed warnings above.
  requires transitive com.google.guice;

  exports dev.mint.guice;

  // Guice calls the module's @Provides methods, and builds the providers a user binds by class, by
  // reflection.
  opens dev.mint.guice to
      com.google.guice;

  uses dev.mint.spi.TransportProvider;
  uses dev.mint.spi.ProtocolProvider;
}
