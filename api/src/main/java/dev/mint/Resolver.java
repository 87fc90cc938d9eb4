package dev.mint;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Turns a host name into the addresses to connect to. Set one with {@link
 * ConnectOptions.Builder#resolver}; the default is {@link #system()}.
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
}
