// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import dev.mint.Protocol;
import java.util.ArrayList;
import java.util.List;

/** Providers for connector tests that record what they were asked to do. */
final class FakeProviders {
  private FakeProviders() {}

  /** Opens {@link FakeTransport}s under a name; a layering one wraps the context's inner. */
  static final class Transports implements TransportProvider {
    private final String name;
    private String negotiated;
    final List<TransportContext> contexts = new ArrayList<>();
    final List<FakeTransport> opened = new ArrayList<>();

    Transports(String name) {
      this.name = name;
    }

    /** The ALPN protocol every transport this opens reports. */
    Transports negotiating(String alpnId) {
      this.negotiated = alpnId;
      return this;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Transport open(TransportContext context) {
      contexts.add(context);
      FakeTransport t = new FakeTransport(context.inner()).negotiated(negotiated);
      opened.add(t);
      return t;
    }
  }

  /** Another class claiming a transport name, for duplicate detection. */
  static final class OtherTransports implements TransportProvider {
    private final String name;

    OtherTransports(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Transport open(TransportContext context) {
      return new FakeTransport();
    }
  }

  /** Creates {@link ScriptedEngine}s for one protocol. */
  static final class Engines implements ProtocolProvider {
    private final Protocol protocol;
    final List<EngineContext> contexts = new ArrayList<>();
    final List<ScriptedEngine> created = new ArrayList<>();

    private final boolean startsWithoutAlpn;

    Engines(Protocol protocol) {
      this(protocol, false);
    }

    Engines(Protocol protocol, boolean startsWithoutAlpn) {
      this.protocol = protocol;
      this.startsWithoutAlpn = startsWithoutAlpn;
    }

    @Override
    public String alpnId() {
      return protocol.alpnId();
    }

    @Override
    public boolean startsWithoutAlpn() {
      return startsWithoutAlpn;
    }

    @Override
    public ProtocolEngine newEngine(EngineContext context) {
      contexts.add(context);
      ScriptedEngine e = new ScriptedEngine(protocol, OutputQueue.DEFAULT_LIMIT);
      created.add(e);
      return e;
    }
  }

  /** Another class claiming an ALPN id, for duplicate detection. */
  static final class OtherEngines implements ProtocolProvider {
    private final String alpnId;

    OtherEngines(String alpnId) {
      this.alpnId = alpnId;
    }

    @Override
    public String alpnId() {
      return alpnId;
    }

    @Override
    public ProtocolEngine newEngine(EngineContext context) {
      throw new IllegalStateException("engine creation failed in " + alpnId);
    }
  }
}
