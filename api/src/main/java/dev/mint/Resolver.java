// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into the addresses to connect to.
 *
 * <p><b>Which resolver a connection uses</b>, first that applies:
 *
 * <ol>
 *   <li>the one set with {@link ConnectOptions.Builder#resolver};
 *   <li>else the one resolver installed through {@link java.util.ServiceLoader}: a jar naming its
 *       class in {@code META-INF/services/dev.mint.Resolver}, or a module saying {@code provides
 *       dev.mint.Resolver with ...} (it needs a public no-argument constructor);
 *   <li>else the JDK's, {@link #system()}.
 * </ol>
 *
 * Steps 2 and 3 are {@link #installed()}, the default of {@link ConnectOptions#resolver()}. When
 * several resolvers are installed, none is preferred: resolving any name through {@link
 * #installed()} fails ({@link TransportException.Reason#UNRESOLVED_HOST}) with a message naming
 * them all, until one is removed or the connect sets its own.
 *
 * <p>The base {@code tcp} transport calls it once per connect with the host and port it reaches
 * (the proxy's when there is one), and so does the SOCKS5 tunnel when it resolves the origin's name
 * locally. Address literals never reach a resolver.
 *
 * <p><b>Blocking:</b> a resolver runs on the caller's thread inside {@code connect}. The {@link
 * #system() JDK resolver} blocks in the operating system's resolver, bounded by the system's own
 * timeouts and <em>not</em> by the connect deadline: bounding it would take a thread, which Mint
 * does not start. A caller that needs a bound resolves on its own terms and passes the result in
 * with {@link StaticResolver}.
 *
 * <p>Implementations must be thread-safe: one instance may serve many connections at once.
 */
@FunctionalInterface
public interface Resolver {

  /**
   * The addresses of {@code host}, in the order the resolver prefers them; the transport reorders
   * them by family (RFC 8305 §4) before connecting.
   *
   * @param host a host name, without brackets
   * @param port the port about to be connected to (for port-specific entries such as curl's {@code
   *     --resolve host:port:addr})
   * @return at least one address; an empty list counts as a failure to resolve
   * @throws UnknownHostException when the name does not resolve
   */
  List<InetAddress> resolve(String host, int port) throws UnknownHostException;

  /** The JDK's resolver, {@link InetAddress#getAllByName}: blocking, see the class comment. */
  static Resolver system() {
    return SystemResolver.INSTANCE;
  }

  /**
   * The resolver installed through {@link java.util.ServiceLoader} when there is exactly one, else
   * the JDK's ({@link #system()}); the default of {@link ConnectOptions#resolver()}. The providers
   * are looked up once, on the first name this resolves, and kept. With several installed it fails
   * every name: see the class comment.
   */
  static Resolver installed() {
    return InstalledResolver.INSTANCE;
  }
}
