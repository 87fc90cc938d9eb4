// SPDX-License-Identifier: Apache-2.0
package dev.mint;

import java.util.Objects;

/**
 * A proxy's answer to a tunnel request: the final reply of an HTTP proxy to {@code CONNECT}, or the
 * reply of a SOCKS5 proxy to its {@code CONNECT} command. Immutable values.
 *
 * <p>Where it shows: {@link HttpConnection#proxyResponse()} holds the successful one of a
 * connection that went through a tunnel; {@link TransportException#proxyResponse()} holds the one
 * that refused it ({@code 407} with its {@code proxy-authenticate} fields, a SOCKS reply code).
 */
public sealed interface ProxyResponse permits ProxyResponse.Http, ProxyResponse.Socks5 {

  /** Whether the proxy agreed to open the tunnel. */
  boolean isSuccess();

  /**
   * An HTTP proxy's final response to {@code CONNECT} (interim 1xx responses are skipped). Only the
   * status line and header section are read: a refusal's body is never read, and a 2xx has none
   * (RFC 9110 §9.3.6).
   *
   * @param status the status code, such as 200 or 407
   * @param reasonPhrase the reason phrase, possibly empty
   * @param headers the header fields, names in lower case, in the order received
   */
  record Http(int status, String reasonPhrase, Headers headers) implements ProxyResponse {
    /** Rejects nulls. */
    public Http {
      Objects.requireNonNull(reasonPhrase, "reasonPhrase");
      Objects.requireNonNull(headers, "headers");
    }

    /** Whether the status is 2xx. */
    @Override
    public boolean isSuccess() {
      return status / 100 == 2;
    }
  }

  /**
   * A SOCKS5 proxy's reply to {@code CONNECT} (RFC 1928 §6).
   *
   * @param reply the REP field: 0 succeeded, 1 to 8 the failures of RFC 1928 §6, others unassigned
   * @param boundHost BND.ADDR: the address the proxy connected from, as an IPv4 or IPv6 literal
   *     (without brackets) or a domain name; may be empty when the reply was cut short
   * @param boundPort BND.PORT, or 0 when the reply was cut short
   */
  record Socks5(int reply, String boundHost, int boundPort) implements ProxyResponse {
    /** Rejects nulls. */
    public Socks5 {
      Objects.requireNonNull(boundHost, "boundHost");
    }

    /** Whether REP is 0 (succeeded). */
    @Override
    public boolean isSuccess() {
      return reply == 0;
    }
  }
}
