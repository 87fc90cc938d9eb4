// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted SOCKS5 server (RFC 1928, RFC 1929) for {@link LoopbackServer}: it reads the greeting,
 * authenticates when configured to, reads the CONNECT request (recording its address type, host and
 * port), answers with the configured reply code and bound address, and on success relays to a fixed
 * origin whatever the request named. Public for the {@code it} module.
 */
public final class SocksServer implements LoopbackServer.Script {
  /**
   * One CONNECT request as received.
   *
   * @param atyp the address type: 1 IPv4, 3 domain name, 4 IPv6
   * @param host the address or name
   * @param port the port
   */
  public record Request(int atyp, String host, int port) {}

  private final String originHost;
  private final int originPort;
  private String user;
  private String password;
  private int reply;
  private byte[] bound = {1, 127, 0, 0, 1, 0x04, 0x38}; // ATYP + BND.ADDR + BND.PORT
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final List<List<Integer>> offeredMethods = new CopyOnWriteArrayList<>();

  /** A server relaying successful tunnels to {@code originHost:originPort}. */
  public SocksServer(String originHost, int originPort) {
    this.originHost = originHost;
    this.originPort = originPort;
  }

  /** Requires this user name and password (method X'02'). */
  public SocksServer requireLogin(String user, String password) {
    this.user = user;
    this.password = password;
    return this;
  }

  /** Answers CONNECT with this reply code (0 succeeds). */
  public SocksServer reply(int code) {
    this.reply = code;
    return this;
  }

  /** Reports this bound address: ATYP, BND.ADDR and BND.PORT as on the wire. */
  public SocksServer bound(byte[] typedAddressAndPort) {
    this.bound = typedAddressAndPort.clone();
    return this;
  }

  /** The CONNECT requests received. */
  public List<Request> requests() {
    return List.copyOf(requests);
  }

  /** The methods each greeting offered. */
  public List<List<Integer>> offeredMethods() {
    return List.copyOf(offeredMethods);
  }

  @Override
  public void run(Session s) throws Exception {
    if (!greet(s)) {
      return;
    }
    Request request = readRequest(s);
    requests.add(request);
    byte[] answer = new byte[3 + bound.length];
    answer[0] = 5;
    answer[1] = (byte) reply;
    System.arraycopy(bound, 0, answer, 3, bound.length);
    s.write(answer);
    if (reply == 0) {
      s.relay(originHost, originPort);
    }
  }

  /** The method negotiation and login; false when the client is turned away. */
  private boolean greet(Session s) throws IOException {
    if (s.readByte() != 5) {
      throw new IllegalStateException("not SOCKS5");
    }
    int n = s.readByte();
    List<Integer> methods = new java.util.ArrayList<>();
    for (byte b : s.readExactly(n)) {
      methods.add(b & 0xff);
    }
    offeredMethods.add(methods);
    int wanted = user == null ? 0 : 2;
    if (!methods.contains(wanted)) {
      s.write(new byte[] {5, (byte) 0xFF});
      return false;
    }
    s.write(new byte[] {5, (byte) wanted});
    if (user == null) {
      return true;
    }
    if (s.readByte() != 1) {
      throw new IllegalStateException("not RFC 1929");
    }
    String u = new String(s.readExactly(s.readByte()), StandardCharsets.UTF_8);
    String p = new String(s.readExactly(s.readByte()), StandardCharsets.UTF_8);
    boolean ok = u.equals(user) && p.equals(password);
    s.write(new byte[] {1, (byte) (ok ? 0 : 1)});
    return ok;
  }

  private static Request readRequest(Session s) throws IOException {
    byte[] head = s.readExactly(4);
    if (head[0] != 5 || head[1] != 1) {
      throw new IllegalStateException("not a SOCKS5 CONNECT");
    }
    int atyp = head[3];
    String host =
        switch (atyp) {
          case 1 -> InetAddress.getByAddress(s.readExactly(4)).getHostAddress();
          case 4 -> InetAddress.getByAddress(s.readExactly(16)).getHostAddress();
          case 3 -> new String(s.readExactly(s.readByte()), StandardCharsets.US_ASCII);
          default -> throw new IllegalStateException("address type " + atyp);
        };
    byte[] port = s.readExactly(2);
    return new Request(atyp, host, (port[0] & 0xff) << 8 | port[1] & 0xff);
  }
}
