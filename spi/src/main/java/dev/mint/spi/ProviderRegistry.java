// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import dev.mint.ProviderException;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The transport and protocol providers a connector may use, by key.
 *
 * <p>{@link #installed()} finds providers once with {@link ServiceLoader} (module {@code provides}
 * clauses and {@code META-INF/services} files alike) and keeps the result. {@link #of} takes
 * provider instances directly, for tests, shaded jars and dependency-injection setups. Either way
 * two providers under one key are refused with {@link ProviderException.Reason#DUPLICATE_PROVIDER},
 * naming both classes. Immutable and thread-safe.
 */
public final class ProviderRegistry {
  private final Map<String, TransportProvider> transports;
  private final Map<String, ProtocolProvider> protocols;

  private ProviderRegistry(
      Map<String, TransportProvider> transports, Map<String, ProtocolProvider> protocols) {
    // Sorted, so that messages listing the installed keys read the same on every run.
    this.transports = Collections.unmodifiableMap(new TreeMap<>(transports));
    this.protocols = Collections.unmodifiableMap(new TreeMap<>(protocols));
  }

  /** The providers installed on the class or module path, found once. */
  public static ProviderRegistry installed() throws ProviderException {
    return Installed.get();
  }

  /** A registry of exactly these providers. */
  public static ProviderRegistry of(
      Collection<? extends TransportProvider> transports,
      Collection<? extends ProtocolProvider> protocols)
      throws ProviderException {
    Map<String, TransportProvider> t = new TreeMap<>();
    for (TransportProvider p : transports) {
      putUnique(t, p.name(), p, "transport");
    }
    Map<String, ProtocolProvider> pr = new TreeMap<>();
    for (ProtocolProvider p : protocols) {
      putUnique(pr, p.alpnId(), p, "protocol");
    }
    return new ProviderRegistry(t, pr);
  }

  private static <P> void putUnique(Map<String, P> map, String key, P provider, String kind)
      throws ProviderException {
    P previous = map.putIfAbsent(key, provider);
    if (previous != null) {
      throw new ProviderException(
          ProviderException.Reason.DUPLICATE_PROVIDER,
          "two "
              + kind
              + " providers claim '"
              + key
              + "': "
              + previous.getClass().getName()
              + " and "
              + provider.getClass().getName());
    }
  }

  /**
   * The transport provider named {@code name}.
   *
   * @throws ProviderException {@link ProviderException.Reason#NO_TRANSPORT_PROVIDER} when none is
   *     registered, listing those that are
   */
  public TransportProvider transport(String name) throws ProviderException {
    TransportProvider p = transports.get(name);
    if (p == null) {
      throw new ProviderException(
          ProviderException.Reason.NO_TRANSPORT_PROVIDER,
          "no transport provider named '"
              + name
              + "' (installed: "
              + transports.keySet()
              + "); "
              + ProviderArtifacts.forTransport(name));
    }
    return p;
  }

  /**
   * The protocol provider for ALPN id {@code alpnId}.
   *
   * @throws ProviderException {@link ProviderException.Reason#NO_PROTOCOL_PROVIDER} when none is
   *     registered, listing those that are
   */
  public ProtocolProvider protocol(String alpnId) throws ProviderException {
    ProtocolProvider p = protocols.get(alpnId);
    if (p == null) {
      throw new ProviderException(
          ProviderException.Reason.NO_PROTOCOL_PROVIDER,
          "no protocol provider for '"
              + alpnId
              + "' (installed: "
              + protocols.keySet()
              + "); "
              + ProviderArtifacts.forProtocols(List.of(alpnId)));
    }
    return p;
  }

  /** The names of the registered transport providers, sorted. */
  public SortedSet<String> transportNames() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(transports.keySet()));
  }

  /** The ALPN ids of the registered protocol providers, sorted. */
  public SortedSet<String> protocolIds() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(protocols.keySet()));
  }

  /** Whether a transport provider named {@code name} is registered. */
  public boolean hasTransport(String name) {
    return transports.containsKey(name);
  }

  /** Whether a protocol provider for {@code alpnId} is registered. */
  public boolean hasProtocol(String alpnId) {
    return protocols.containsKey(alpnId);
  }

  @Override
  public String toString() {
    return "ProviderRegistry[transports="
        + transports.keySet()
        + ", protocols="
        + protocols.keySet()
        + "]";
  }

  /** Loads the installed providers on first use and keeps the registry or the failure. */
  private static final class Installed {
    private static final ProviderRegistry REGISTRY;
    private static final ProviderException.Reason FAILURE_REASON;
    private static final String FAILURE;

    static {
      ProviderRegistry registry = null;
      String failure = null;
      ProviderException.Reason reason = null;
      try {
        ClassLoader loader = ProviderRegistry.class.getClassLoader();
        registry =
            of(
                ServiceLoader.load(TransportProvider.class, loader).stream()
                    .map(ServiceLoader.Provider::get)
                    .toList(),
                ServiceLoader.load(ProtocolProvider.class, loader).stream()
                    .map(ServiceLoader.Provider::get)
                    .toList());
      } catch (ProviderException e) {
        reason = e.reason();
        failure = e.detail();
      } catch (ServiceConfigurationError e) {
        reason = ProviderException.Reason.PROVIDER_FAILED;
        failure = "a provider could not be loaded: " + e.getMessage();
      }
      REGISTRY = registry;
      FAILURE_REASON = reason;
      FAILURE = failure;
    }

    static ProviderRegistry get() throws ProviderException {
      if (REGISTRY == null) {
        throw new ProviderException(FAILURE_REASON, FAILURE);
      }
      return REGISTRY;
    }

    private Installed() {}
  }
}
