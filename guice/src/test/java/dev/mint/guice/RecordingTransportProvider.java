// SPDX-License-Identifier: Apache-2.0
package dev.mint.guice;

import dev.mint.MintException;
import dev.mint.spi.Transport;
import dev.mint.spi.TransportContext;
import dev.mint.spi.TransportProvider;
import dev.mint.transport.tcp.TcpTransportProvider;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An application's own transport, {@value #NAME}: plain TCP through the {@code tcp} provider,
 * counting the transports it opened, so that a test can tell it was the one used. Guice builds it
 * from its no-argument constructor; bound as a singleton, the test reads the count back from the
 * injector.
 */
final class RecordingTransportProvider implements TransportProvider {
  static final String NAME = "recording";

  private final TransportProvider tcp = new TcpTransportProvider();
  private final AtomicInteger opened = new AtomicInteger();

  RecordingTransportProvider() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Transport open(TransportContext context) throws MintException {
    Transport transport = tcp.open(context);
    opened.incrementAndGet();
    return transport;
  }

  /** How many transports {@link #open} returned. */
  int opened() {
    return opened.get();
  }
}
