/**
 * Guice wiring for Mint: {@link dev.mint.guice.MintModule} binds a {@link dev.mint.Connector} built
 * from multibound transport and protocol providers.
 */
package dev.mint.guice;
