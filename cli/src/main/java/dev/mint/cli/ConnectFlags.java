// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import dev.mint.ConnectOptions;
import dev.mint.Resolver;
import dev.mint.StaticResolver;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How to connect, as curl's flags say it: {@code --resolve HOST:PORT:ADDR[,ADDR...]}, {@code
 * --unix-socket PATH} and {@code --connect-timeout SECONDS}.
 *
 * @param resolve the {@code --resolve} entries, in the order given (a later one for the same host
 *     and port wins)
 * @param unixSocket {@code --unix-socket}: the Unix domain socket to connect to instead of TCP, or
 *     {@code null}
 * @param connectTimeout {@code --connect-timeout}: the longest wait for connecting, or {@code null}
 *     to use {@code --timeout}
 */
record ConnectFlags(List<Resolve> resolve, Path unixSocket, Duration connectTimeout) {

  /** Copies the entries. */
  ConnectFlags {
    resolve = List.copyOf(resolve);
  }

  /**
   * One {@code --resolve} entry: connections to {@code host} on {@code port} go to {@code
   * addresses}.
   *
   * @param host the host name, as in the URL
   * @param port the port
   * @param addresses the addresses, literals only, in the order given
   */
  record Resolve(String host, int port, List<InetAddress> addresses) {
    /** Copies the addresses. */
    Resolve {
      addresses = List.copyOf(addresses);
    }

    /**
     * Parses curl's {@code HOST:PORT:ADDR[,ADDR]...}; an IPv6 address may be in brackets.
     *
     * @throws UsageException when a part is missing or an address is not a literal
     */
    static Resolve parse(String text) throws UsageException {
      int first = text.indexOf(':');
      int second = first < 0 ? -1 : text.indexOf(':', first + 1);
      if (first <= 0 || second < 0 || second == text.length() - 1) {
        throw new UsageException("--resolve takes HOST:PORT:ADDR, got '" + text + "'");
      }
      String host = text.substring(0, first);
      int port;
      try {
        port = Integer.parseInt(text.substring(first + 1, second));
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 0 || port > 0xFFFF) {
        throw new UsageException("--resolve: bad port in '" + text + "'");
      }
      List<InetAddress> addresses = new ArrayList<>();
      for (String a : text.substring(second + 1).split(",", -1)) {
        addresses.add(literal(a.trim(), text));
      }
      return new Resolve(host, port, addresses);
    }

    private static InetAddress literal(String text, String entry) throws UsageException {
      String bare =
          text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
      boolean looksLiteral = bare.indexOf(':') >= 0 || bare.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
      if (!looksLiteral) {
        throw new UsageException(
            "--resolve: '" + text + "' in '" + entry + "' is not an IP address");
      }
      try {
        return InetAddress.getByName(bare); // a literal: parsed, never looked up
      } catch (UnknownHostException e) {
        throw new UsageException("--resolve: bad address '" + text + "' in '" + entry + "'");
      }
    }
  }

  /** No flags: the system resolver, TCP, {@code --timeout} for connecting. */
  static ConnectFlags none() {
    return new ConnectFlags(List.of(), null, null);
  }

  /** These flags applied to {@code b}: the resolver, the Unix socket, the connect timeout. */
  ConnectOptions.Builder applyTo(ConnectOptions.Builder b) {
    if (!resolve.isEmpty()) {
      b.resolver(resolver());
    }
    b.unixSocket(unixSocket);
    if (connectTimeout != null) {
      b.connectTimeout(connectTimeout);
    }
    return b;
  }

  /** The {@code --resolve} entries, other names through the installed resolver (or the JDK's). */
  Resolver resolver() {
    StaticResolver table = StaticResolver.empty();
    for (Resolve r : resolve) {
      table = table.with(r.host(), r.port(), r.addresses().toArray(new InetAddress[0]));
    }
    return table.orElse(Resolver.installed());
  }

  /** Collects the flags while the command line is parsed. */
  static final class Builder {
    private final List<Resolve> resolve = new ArrayList<>();
    private Path unixSocket;
    private Duration connectTimeout;

    void resolve(String text) throws UsageException {
      resolve.add(Resolve.parse(text));
    }

    void unixSocket(Path path) {
      this.unixSocket = path;
    }

    void connectTimeout(String text) throws UsageException {
      this.connectTimeout = seconds("--connect-timeout", text);
    }

    ConnectFlags build() {
      return new ConnectFlags(resolve, unixSocket, connectTimeout);
    }
  }

  /** A number of seconds, 0 or more, with a fraction allowed. */
  static Duration secondsOrZero(String option, String text) throws UsageException {
    return text.equals("0") ? Duration.ZERO : seconds(option, text);
  }

  /** A positive number of seconds, with a fraction allowed ({@code 2.5}). */
  static Duration seconds(String option, String text) throws UsageException {
    try {
      BigDecimal seconds = new BigDecimal(text);
      long millis = seconds.movePointRight(3).longValueExact();
      if (millis <= 0) {
        throw new UsageException(option + " must be positive, got " + text);
      }
      return Duration.ofMillis(millis);
    } catch (NumberFormatException | ArithmeticException e) {
      throw new UsageException(option + " takes a number of seconds, got '" + text + "'");
    }
  }
}
