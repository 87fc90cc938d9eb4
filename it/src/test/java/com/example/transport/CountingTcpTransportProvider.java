// SPDX-License-Identifier: Apache-2.0
package com.example.transport;

import dev.mint.TransportException;
import dev.mint.spi.Transport;
import dev.mint.spi.TransportContext;
import dev.mint.spi.TransportProvider;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Opens {@code counting-tcp} transports: plain TCP that counts the bytes it reads and writes. One
 * instance serves every connection, possibly on several threads, so the totals are atomic.
 */
public final class CountingTcpTransportProvider implements TransportProvider {
  /** The name to choose it by, with {@code ConnectOptions.builder().transport(NAME)}. */
  public static final String NAME = "counting-tcp";

  private final AtomicLong read = new AtomicLong();
  private final AtomicLong written = new AtomicLong();

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Transport open(TransportContext context) throws TransportException {
    return CountingTcpTransport.connect(context, this);
  }

  /** The bytes read from the network by every transport this provider opened. */
  public long bytesRead() {
    return read.get();
  }

  /** The bytes written to the network by every transport this provider opened. */
  public long bytesWritten() {
    return written.get();
  }

  void countRead(int n) {
    read.addAndGet(n);
  }

  void countWritten(long n) {
    written.addAndGet(n);
  }
}
