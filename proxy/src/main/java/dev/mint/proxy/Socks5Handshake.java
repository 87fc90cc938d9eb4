// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import dev.mint.ProxyOptions;
import dev.mint.ProxyResponse;
import dev.mint.TransportException;
import dev.mint.TransportException.Reason;
import java.net.IDN;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The SOCKS5 {@code CONNECT} handshake (RFC 1928), with username/password authentication (RFC
 * 1929), sans-I/O.
 *
 * <p><b>Theory of operation.</b> The client speaks in lock-step, each message queued in {@link
 * #output()} once the reply before it arrived:
 *
 * <pre>
 *   greeting  VER=5 NMETHODS METHODS       -&gt;  METHOD     VER=5 METHOD
 *   [auth     VER=1 ULEN UNAME PLEN PASSWD -&gt;  AUTH       VER=1 STATUS]     when METHOD=X'02'
 *   request   VER=5 CMD=1 RSV ATYP DST.ADDR DST.PORT -&gt; REPLY VER=5 REP RSV ATYP BND.ADDR BND.PORT
 * </pre>
 *
 * The greeting offers no authentication (X'00'), and username/password (X'02') when credentials are
 * set. Each reply is collected into a small buffer until the bytes it needs have arrived: two for
 * METHOD and AUTH, four for the head of REPLY, then BND.ADDR by its ATYP (four bytes for X'01',
 * sixteen for X'04', a length octet and that many for the domain name of X'03') and two for
 * BND.PORT. Nothing past BND.PORT is consumed.
 *
 * <p><b>Errors.</b> {@link Reason#PROXY_BAD_REPLY}: a version other than 5 (1 for AUTH), a method
 * that was not offered, an unknown address type in a successful reply, an unassigned reply code
 * (with its {@link ProxyResponse.Socks5}). {@link Reason#PROXY_NO_ACCEPTABLE_AUTH}: METHOD X'FF'.
 * {@link Reason#PROXY_AUTH_FAILED}: a non-zero AUTH status. Reply codes X'01' to X'08' map to the
 * {@code SOCKS_*} reasons, carrying a {@link ProxyResponse.Socks5}; a failure is reported as soon
 * as REP has arrived, without its BND fields (meaningless on failure; the proxy closes right after,
 * RFC 1928 §6), so the outcome does not depend on how the bytes were split. {@link
 * Reason#PROXY_CLOSED} from {@link #receiveEnd()}. Left out: GSSAPI (RFC 1961), BIND and UDP
 * ASSOCIATE.
 */
final class Socks5Handshake implements Handshake {
  private static final int VERSION = 5;
  private static final int AUTH_VERSION = 1; // RFC 1929 §2
  private static final int NO_AUTH = 0x00;
  private static final int USER_PASS = 0x02;
  private static final int NO_ACCEPTABLE = 0xFF;
  private static final int ATYP_IPV4 = 0x01;
  private static final int ATYP_DOMAIN = 0x03;
  private static final int ATYP_IPV6 = 0x04;

  private enum State {
    METHOD,
    AUTH,
    REPLY_HEAD,
    REPLY_ADDRESS,
    DONE,
    FAILED
  }

  private final byte[] auth; // null without credentials
  private final byte[] request;
  private final String what;
  private ByteBuffer output;

  /** The reply being collected: at most 4 + 1 + 255 + 2 bytes (a domain BND.ADDR). */
  private final byte[] reply = new byte[262];

  private int have;
  private int need = 2;
  private State state = State.METHOD;
  private ProxyResponse.Socks5 response;

  private Socks5Handshake(
      byte[] address, int port, ProxyOptions.Credentials credentials, String what) {
    this.what = what;
    this.auth = credentials == null ? null : authRequest(credentials);
    this.request = connectRequest(address, port);
    this.output =
        ByteBuffer.wrap(
            auth == null
                ? new byte[] {VERSION, 1, NO_AUTH}
                : new byte[] {VERSION, 2, NO_AUTH, USER_PASS});
  }

  /**
   * A handshake asking the proxy to resolve {@code name} (ATYP X'03').
   *
   * @throws TransportException {@link Reason#UNRESOLVED_HOST} when the name is longer than the 255
   *     bytes a SOCKS5 request can carry
   */
  static Socks5Handshake forName(
      String name, int port, ProxyOptions.Credentials credentials, String what)
      throws TransportException {
    byte[] ascii;
    try {
      // An internationalized name travels in its ASCII form (RFC 5890 A-labels), as in DNS.
      ascii = IDN.toASCII(name).getBytes(StandardCharsets.US_ASCII);
    } catch (IllegalArgumentException e) {
      ascii = new byte[0];
    }
    if (ascii.length == 0 || ascii.length > 255) {
      throw new TransportException(
          Reason.UNRESOLVED_HOST,
          "the host name '"
              + name
              + "' cannot be sent to a SOCKS5 proxy: 1 to 255 ASCII bytes (RFC 1928 §5)");
    }
    byte[] address = new byte[1 + ascii.length];
    address[0] = (byte) ascii.length;
    System.arraycopy(ascii, 0, address, 1, ascii.length);
    return new Socks5Handshake(withType(ATYP_DOMAIN, address), port, credentials, what);
  }

  /** A handshake sending {@code address} (ATYP X'01' or X'04'). */
  static Socks5Handshake forAddress(
      InetAddress address, int port, ProxyOptions.Credentials credentials, String what) {
    int type = address instanceof Inet4Address ? ATYP_IPV4 : ATYP_IPV6;
    return new Socks5Handshake(withType(type, address.getAddress()), port, credentials, what);
  }

  private static byte[] withType(int type, byte[] address) {
    byte[] b = new byte[1 + address.length];
    b[0] = (byte) type;
    System.arraycopy(address, 0, b, 1, address.length);
    return b;
  }

  /** VER CMD=CONNECT RSV ATYP DST.ADDR DST.PORT (RFC 1928 §4). */
  private static byte[] connectRequest(byte[] typedAddress, int port) {
    byte[] b = new byte[3 + typedAddress.length + 2];
    b[0] = VERSION;
    b[1] = 0x01; // CONNECT
    b[2] = 0x00;
    System.arraycopy(typedAddress, 0, b, 3, typedAddress.length);
    b[b.length - 2] = (byte) (port >>> 8);
    b[b.length - 1] = (byte) port;
    return b;
  }

  /** VER=1 ULEN UNAME PLEN PASSWD (RFC 1929 §2); ProxyOptions checks the lengths. */
  private static byte[] authRequest(ProxyOptions.Credentials credentials) {
    byte[] user = credentials.username().getBytes(StandardCharsets.UTF_8);
    byte[] password = credentials.password().getBytes(StandardCharsets.UTF_8);
    byte[] b = new byte[3 + user.length + password.length];
    b[0] = AUTH_VERSION;
    b[1] = (byte) user.length;
    System.arraycopy(user, 0, b, 2, user.length);
    b[2 + user.length] = (byte) password.length;
    System.arraycopy(password, 0, b, 3 + user.length, password.length);
    return b;
  }

  @Override
  public ByteBuffer output() {
    return output;
  }

  @Override
  public Progress receive(ByteBuffer in) throws TransportException {
    while (in.hasRemaining()) {
      if (state == State.DONE || state == State.FAILED) {
        throw new IllegalStateException("receive after the handshake ended: " + state);
      }
      int n = Math.min(need - have, in.remaining());
      in.get(reply, have, n);
      have += n;
      if (have == need) {
        State before = state;
        if (complete()) {
          return Progress.DONE;
        }
        if (state != before && state != State.REPLY_ADDRESS) {
          return Progress.SEND; // the next message was queued: it goes out before its reply is read
        }
      }
    }
    return Progress.NEED_MORE;
  }

  /**
   * Handles the message collected in {@code reply[0..need)}.
   *
   * @return whether the handshake is done
   */
  private boolean complete() throws TransportException {
    switch (state) {
      case METHOD -> method();
      case AUTH -> authStatus();
      case REPLY_HEAD -> replyHead();
      case REPLY_ADDRESS -> {
        return replyAddress();
      }
      case DONE, FAILED -> throw new IllegalStateException("no message expected: " + state);
    }
    return false;
  }

  private void method() throws TransportException {
    int version = reply[0] & 0xff;
    int method = reply[1] & 0xff;
    if (version != VERSION) {
      throw fail(Reason.PROXY_BAD_REPLY, "not a SOCKS5 proxy: version " + hex(version));
    }
    if (method == NO_ACCEPTABLE) {
      throw fail(
          Reason.PROXY_NO_ACCEPTABLE_AUTH,
          "the proxy accepts none of the methods offered ("
              + (auth == null
                  ? "no authentication: it may need credentials"
                  : "none, user/password")
              + ")");
    }
    if (method == NO_AUTH) {
      next(State.REPLY_HEAD, 4, request);
    } else if (method == USER_PASS && auth != null) {
      next(State.AUTH, 2, auth);
    } else {
      throw fail(Reason.PROXY_BAD_REPLY, "the proxy chose method " + hex(method) + ", not offered");
    }
  }

  private void authStatus() throws TransportException {
    int version = reply[0] & 0xff;
    int status = reply[1] & 0xff;
    if (version != AUTH_VERSION) {
      throw fail(
          Reason.PROXY_BAD_REPLY, "username/password reply of version " + hex(version) + ", not 1");
    }
    if (status != 0) {
      throw fail(
          Reason.PROXY_AUTH_FAILED,
          "the proxy rejected the user name and password (status " + hex(status) + ")");
    }
    next(State.REPLY_HEAD, 4, request);
  }

  /** VER REP RSV ATYP: a failure ends here; success goes on to BND.ADDR. RSV is not checked. */
  private void replyHead() throws TransportException {
    int version = reply[0] & 0xff;
    int code = reply[1] & 0xff;
    int type = reply[3] & 0xff;
    if (version != VERSION) {
      throw fail(Reason.PROXY_BAD_REPLY, "a reply of version " + hex(version) + ", not 5");
    }
    if (code != 0) {
      state = State.FAILED;
      response = new ProxyResponse.Socks5(code, "", 0);
      throw new TransportException(
          replyReason(code), what + ": " + describe(code) + " (reply " + hex(code) + ")", response);
    }
    switch (type) {
      case ATYP_IPV4 -> need = 4 + 4 + 2;
      case ATYP_IPV6 -> need = 4 + 16 + 2;
      case ATYP_DOMAIN -> need = 4 + 1; // the length octet first
      default ->
          throw fail(Reason.PROXY_BAD_REPLY, "a reply with unknown address type " + hex(type));
    }
    state = State.REPLY_ADDRESS;
  }

  /**
   * BND.ADDR and BND.PORT; for a domain name, the first call has only its length octet.
   *
   * @return whether the reply is complete
   */
  private boolean replyAddress() throws TransportException {
    int type = reply[3] & 0xff;
    if (type == ATYP_DOMAIN && need == 5) {
      need = 5 + (reply[4] & 0xff) + 2;
      return false;
    }
    int port = (reply[need - 2] & 0xff) << 8 | reply[need - 1] & 0xff;
    String host;
    if (type == ATYP_DOMAIN) {
      host = new String(reply, 5, need - 7, StandardCharsets.ISO_8859_1);
    } else {
      byte[] raw = new byte[type == ATYP_IPV4 ? 4 : 16];
      System.arraycopy(reply, 4, raw, 0, raw.length);
      try {
        host = InetAddress.getByAddress(raw).getHostAddress(); // a literal: no lookup
      } catch (UnknownHostException impossible) {
        throw new IllegalStateException(impossible);
      }
    }
    response = new ProxyResponse.Socks5(0, host, port);
    state = State.DONE;
    return true;
  }

  private void next(State nextState, int bytes, byte[] message) {
    state = nextState;
    need = bytes;
    have = 0;
    // Whatever was queued before went out first (SEND); any left stays in front.
    ByteBuffer queued = ByteBuffer.allocate(output.remaining() + message.length);
    queued.put(output).put(message).flip();
    output = queued;
  }

  @Override
  public void receiveEnd() throws TransportException {
    throw fail(
        Reason.PROXY_CLOSED,
        "the proxy closed the connection "
            + switch (state) {
              case METHOD -> "before choosing a method";
              case AUTH -> "before answering the user name and password";
              default -> "before answering CONNECT";
            });
  }

  @Override
  public ProxyResponse response() {
    return state == State.DONE ? response : null;
  }

  /** The handshake and the proxy, as messages name them. */
  @Override
  public String toString() {
    return what;
  }

  /** The reason for a non-zero REP (RFC 1928 §6). */
  static Reason replyReason(int code) {
    return switch (code) {
      case 0x01 -> Reason.SOCKS_GENERAL_FAILURE;
      case 0x02 -> Reason.SOCKS_NOT_ALLOWED;
      case 0x03 -> Reason.SOCKS_NETWORK_UNREACHABLE;
      case 0x04 -> Reason.SOCKS_HOST_UNREACHABLE;
      case 0x05 -> Reason.SOCKS_CONNECTION_REFUSED;
      case 0x06 -> Reason.SOCKS_TTL_EXPIRED;
      case 0x07 -> Reason.SOCKS_COMMAND_NOT_SUPPORTED;
      case 0x08 -> Reason.SOCKS_ADDRESS_TYPE_NOT_SUPPORTED;
      default -> Reason.PROXY_BAD_REPLY; // X'09' to X'FF' are unassigned
    };
  }

  private static String describe(int code) {
    return switch (code) {
      case 0x01 -> "general SOCKS server failure";
      case 0x02 -> "connection not allowed by ruleset";
      case 0x03 -> "network unreachable";
      case 0x04 -> "host unreachable";
      case 0x05 -> "connection refused";
      case 0x06 -> "TTL expired";
      case 0x07 -> "command not supported";
      case 0x08 -> "address type not supported";
      default -> "an unassigned reply code";
    };
  }

  private TransportException fail(Reason reason, String why) {
    state = State.FAILED;
    return new TransportException(reason, what + ": " + why);
  }

  private static String hex(int b) {
    return String.format("X'%02X'", b);
  }
}
