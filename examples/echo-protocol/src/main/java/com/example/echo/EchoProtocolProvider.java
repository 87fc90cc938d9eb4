// SPDX-License-Identifier: Apache-2.0
package com.example.echo;

import dev.mint.spi.EngineContext;
import dev.mint.spi.ProtocolEngine;
import dev.mint.spi.ProtocolProvider;

/** Serves the line echo protocol, ALPN id {@code x-echo/1}. */
public final class EchoProtocolProvider implements ProtocolProvider {
  @Override
  public String alpnId() {
    return EchoEngine.PROTOCOL.alpnId();
  }

  @Override
  public ProtocolEngine newEngine(EngineContext context) {
    return new EchoEngine();
  }
}
