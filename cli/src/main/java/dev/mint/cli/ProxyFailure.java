// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import dev.mint.ProxyOptions;
import dev.mint.TransportException;

/**
 * A connection through a proxy that failed, with the exit status curl gives the same failure and a
 * hint on what to pass. {@link Main} prints the error's one line, then the hint, if any.
 *
 * <table>
 *   <caption>Exit status of a failure through a proxy</caption>
 *   <tr><th>status</th><th>reasons</th></tr>
 *   <tr><td>{@value #COULD_NOT_RESOLVE_PROXY}</td><td>{@code UNRESOLVED_HOST} for the proxy's own
 *       name</td></tr>
 *   <tr><td>{@value #COULD_NOT_CONNECT}</td><td>{@code CONNECTION_REFUSED}, {@code IO_ERROR}: the
 *       proxy itself could not be reached</td></tr>
 *   <tr><td>{@value #TIMED_OUT}</td><td>{@code PROXY_TIMEOUT}, {@code CONNECT_TIMEOUT}: the proxy,
 *       the tunnel and TLS were not all up within the timeout</td></tr>
 *   <tr><td>{@value #TUNNEL_REFUSED}</td><td>{@code PROXY_AUTH_REQUIRED}, {@code PROXY_REFUSED}, and
 *       {@code PROXY_CLOSED}, {@code PROXY_BAD_REPLY} from an HTTP or HTTPS proxy</td></tr>
 *   <tr><td>{@value #SOCKS_FAILED}</td><td>{@code PROXY_AUTH_FAILED}, {@code
 *       PROXY_NO_ACCEPTABLE_AUTH}, the {@code SOCKS_*} reasons, and {@code PROXY_CLOSED}, {@code
 *       PROXY_BAD_REPLY} from a SOCKS5 proxy</td></tr>
 *   <tr><td>as without a proxy</td><td>anything else (the origin's TLS, an unresolved origin
 *       name with {@code socks5://}, ...): {@link ExitStatus#of(TransportException.Reason,
 *       boolean)}</td></tr>
 * </table>
 */
final class ProxyFailure extends Exception {
  private static final long serialVersionUID = 1L;

  /** curl's CURLE_COULDNT_RESOLVE_PROXY. */
  static final int COULD_NOT_RESOLVE_PROXY = 5;

  /** curl's CURLE_COULDNT_CONNECT. */
  static final int COULD_NOT_CONNECT = 7;

  /** curl's CURLE_OPERATION_TIMEDOUT. */
  static final int TIMED_OUT = 28;

  /** curl's CURLE_RECV_ERROR, which it returns when an HTTP proxy answers CONNECT with no 2xx. */
  static final int TUNNEL_REFUSED = 56;

  /** curl's CURLE_PROXY: a SOCKS handshake failed. */
  static final int SOCKS_FAILED = 97;

  private final transient TransportException error;
  private final int exitStatus;
  private final String hint;

  private ProxyFailure(TransportException error, int exitStatus, String hint) {
    super(error.getMessage(), error);
    this.error = error;
    this.exitStatus = exitStatus;
    this.hint = hint;
  }

  /** The failure of a connection through {@code proxy}. */
  static ProxyFailure of(TransportException e, ProxyOptions proxy) {
    return new ProxyFailure(e, exitStatus(e, proxy), hint(e, proxy));
  }

  /** The transport's error. */
  TransportException error() {
    return error;
  }

  /** The command's exit status. */
  int exitStatus() {
    return exitStatus;
  }

  /** A line on what to pass, or {@code null}. */
  String hint() {
    return hint;
  }

  /** curl's exit status for the same failure; see the class documentation. */
  static int exitStatus(TransportException e, ProxyOptions proxy) {
    return switch (e.reason()) {
      case UNRESOLVED_HOST ->
          namesTheProxy(e, proxy) ? COULD_NOT_RESOLVE_PROXY : ExitStatus.COULD_NOT_RESOLVE_HOST;
      case CONNECTION_REFUSED, IO_ERROR -> COULD_NOT_CONNECT;
      case PROXY_TIMEOUT, CONNECT_TIMEOUT -> TIMED_OUT;
      case PROXY_AUTH_REQUIRED, PROXY_REFUSED -> TUNNEL_REFUSED;
      case PROXY_CLOSED, PROXY_BAD_REPLY -> proxy.isHttp() ? TUNNEL_REFUSED : SOCKS_FAILED;
      case PROXY_AUTH_FAILED,
          PROXY_NO_ACCEPTABLE_AUTH,
          SOCKS_GENERAL_FAILURE,
          SOCKS_NOT_ALLOWED,
          SOCKS_NETWORK_UNREACHABLE,
          SOCKS_HOST_UNREACHABLE,
          SOCKS_CONNECTION_REFUSED,
          SOCKS_TTL_EXPIRED,
          SOCKS_COMMAND_NOT_SUPPORTED,
          SOCKS_ADDRESS_TYPE_NOT_SUPPORTED ->
          SOCKS_FAILED;
      default -> ExitStatus.of(e.reason(), false);
    };
  }

  /**
   * Whether an unresolved name is the proxy's. Only a SOCKS5 proxy with local resolution ({@code
   * socks5://}) makes this client resolve the origin's name too; the TCP layer's message names the
   * host it could not resolve.
   */
  private static boolean namesTheProxy(TransportException e, ProxyOptions proxy) {
    boolean originResolvedHere = proxy.kind() == ProxyOptions.Kind.SOCKS5 && !proxy.remoteDns();
    return !originResolvedHere || e.getMessage().contains("'" + proxy.host() + "'");
  }

  /** What to pass against the failure, or {@code null}. */
  static String hint(TransportException e, ProxyOptions proxy) {
    boolean withCredentials = proxy.credentials() != null;
    return switch (e.reason()) {
      case PROXY_AUTH_REQUIRED ->
          withCredentials
              ? "the proxy refused the credentials given"
              : "the proxy asks for credentials; pass --proxy-user USER:PASSWORD";
      case PROXY_NO_ACCEPTABLE_AUTH ->
          withCredentials
              ? null
              : "the SOCKS5 proxy wants a user name and password; pass --proxy-user USER:PASSWORD";
      case UNTRUSTED_CERTIFICATE, HOSTNAME_MISMATCH ->
          proxy.kind() == ProxyOptions.Kind.HTTPS
              ? Failure.trustHint(e.reason())
                  + "; for the HTTPS proxy's certificate, --proxy-cacert FILE or --proxy-insecure"
              : Failure.trustHint(e.reason());
      default -> null;
    };
  }
}
