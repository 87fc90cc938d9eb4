// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.servers;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * The OS servers that {@code .ci/servers.sh start} runs on 127.0.0.1 (nginx, nghttpd, squid,
 * tinyproxy, microsocks, python3-websockets), as the {@value #FILE_NAME} it writes names them: one
 * key per server and port, its value {@code 127.0.0.1:PORT}, plus the proxies' credentials and the
 * CA file. The keys are the constants of this class; {@code .ci/servers.sh} documents each.
 *
 * <p>The file is in the directory named by the system property {@value #DIR_PROPERTY}, else by the
 * environment variable {@value #DIR_VARIABLE} (what the script reads too), else {@value
 * #DEFAULT_DIR}. It is read once, when first needed.
 *
 * <p>A test class says which servers it needs with {@link NeedsOsServers}: when one is absent from
 * the file or does not accept connections, the class is skipped with a message naming what it
 * needs, or fails when the system property {@value #REQUIRE_PROPERTY} is {@code true} (the full
 * run, {@code .ci/run}, sets it).
 */
public final class OsServers {
  /** The name of the file {@code .ci/servers.sh start} writes in its directory. */
  public static final String FILE_NAME = "servers.properties";

  /** The system property naming the servers' directory. */
  public static final String DIR_PROPERTY = "mint.serversDir";

  /** The environment variable naming the servers' directory, as {@code .ci/servers.sh} reads it. */
  public static final String DIR_VARIABLE = "MINT_SERVERS_DIR";

  /** The servers' directory when neither the property nor the variable names one. */
  public static final String DEFAULT_DIR = "/tmp/mint-servers";

  /** The system property that turns a skip for an absent server into a failure. */
  public static final String REQUIRE_PROPERTY = "mint.requireServers";

  /** What starts the servers, for the messages of skipped tests. */
  public static final String START_COMMAND =
      "bash .ci/servers.sh install && bash .ci/servers.sh start";

  /** nginx: HTTP/1.1 in cleartext. */
  public static final String NGINX_H1 = "nginx.h1";

  /** nginx: HTTP/2 in cleartext with prior knowledge. */
  public static final String NGINX_H2C = "nginx.h2c";

  /** nginx: TLS with ALPN h2 and http/1.1. */
  public static final String NGINX_TLS = "nginx.tls";

  /** nginx: TLS with ALPN http/1.1 only. */
  public static final String NGINX_TLS_H1 = "nginx.tls.h1";

  /** nghttpd: TLS with ALPN h2. */
  public static final String NGHTTPD_TLS = "nghttpd.tls";

  /** nghttpd: HTTP/2 in cleartext with prior knowledge. */
  public static final String NGHTTPD_H2C = "nghttpd.h2c";

  /** squid: forward proxy and CONNECT, no authentication. */
  public static final String SQUID = "squid";

  /**
   * squid: Basic proxy authentication with {@link #SQUID_BASIC_USER}/{@link #SQUID_BASIC_PASSWORD}.
   */
  public static final String SQUID_BASIC = "squid.basic";

  /** The user squid's Basic port accepts. */
  public static final String SQUID_BASIC_USER = "squid.basic.user";

  /** The password of {@link #SQUID_BASIC_USER}. */
  public static final String SQUID_BASIC_PASSWORD = "squid.basic.password";

  /** squid over TLS (an HTTPS proxy) with the test server certificate, no authentication. */
  public static final String SQUID_HTTPS = "squid.https";

  /** tinyproxy: forward proxy and CONNECT to the origin servers' ports, no authentication. */
  public static final String TINYPROXY = "tinyproxy";

  /** microsocks: SOCKS5 without authentication. */
  public static final String SOCKS5 = "socks5";

  /** microsocks: SOCKS5 with username/password authentication (RFC 1929). */
  public static final String SOCKS5_AUTH = "socks5.auth";

  /** The user {@link #SOCKS5_AUTH} accepts. */
  public static final String SOCKS5_AUTH_USER = "socks5.auth.user";

  /** The password of {@link #SOCKS5_AUTH_USER}. */
  public static final String SOCKS5_AUTH_PASSWORD = "socks5.auth.password";

  /** python3-websockets: WebSocket echo ({@code /echo}, {@code /fragments}, {@code /close}). */
  public static final String WEBSOCKETS = "websockets";

  /** python3-websockets over TLS with the test server certificate. */
  public static final String WEBSOCKETS_TLS = "websockets.tls";

  /** The PEM file of the CA that signed every server certificate. */
  public static final String CA = "ca";

  /** The host name the server certificates carry (they also carry IP 127.0.0.1). */
  public static final String TLS_HOSTNAME = "tls.hostname";

  /** How long a check that a server accepts connections waits. */
  private static final int PROBE_TIMEOUT_MILLIS = 1_000;

  private final Path file;
  private final Properties values;

  /** Why the file gave no values ({@code null} when it was read). */
  private final String unreadable;

  private OsServers(Path file, Properties values, String unreadable) {
    this.file = file;
    this.values = values;
    this.unreadable = unreadable;
  }

  /** The servers of the file named by the properties and environment of this JVM. */
  public static OsServers current() {
    return Current.INSTANCE;
  }

  /** The servers named by {@code file}; a file that is absent or unreadable names none. */
  public static OsServers read(Path file) {
    Properties values = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      values.load(in);
      return new OsServers(file, values, null);
    } catch (NoSuchFileException e) {
      return new OsServers(file, values, "no such file");
    } catch (IOException | IllegalArgumentException e) {
      return new OsServers(file, values, "unreadable: " + e);
    }
  }

  /** The file these values come from. */
  public Path file() {
    return file;
  }

  /** The value of {@code key}, if the file has it. */
  public Optional<String> find(String key) {
    return Optional.ofNullable(values.getProperty(key)).map(String::strip);
  }

  /**
   * The value of {@code key}.
   *
   * @throws IllegalStateException when the file lacks it (a test that declared it in {@link
   *     NeedsOsServers} never sees this)
   */
  public String value(String key) {
    return find(key).orElseThrow(() -> new IllegalStateException(describe(List.of(key))));
  }

  /** The address of server {@code key}, unresolved host and port as the file gives them. */
  public InetSocketAddress address(String key) {
    String value = value(key);
    InetSocketAddress address = parseAddress(value);
    if (address == null) {
      throw new IllegalStateException(key + "=" + value + " in " + file + " is not HOST:PORT");
    }
    return address;
  }

  /** The host of server {@code key}. */
  public String host(String key) {
    return address(key).getHostString();
  }

  /** The port of server {@code key}. */
  public int port(String key) {
    return address(key).getPort();
  }

  /** The CA file of the server certificates ({@link #CA}). */
  public Path caFile() {
    return Path.of(value(CA));
  }

  /**
   * The keys of {@code keys} that cannot be used: absent from the file, or naming an address
   * ({@code HOST:PORT}) where nothing accepts a TCP connection within a second. Each entry says
   * which.
   */
  public List<String> unavailable(List<String> keys) {
    List<String> unavailable = new ArrayList<>();
    for (String key : keys) {
      Optional<String> value = find(key);
      if (value.isEmpty()) {
        unavailable.add(key);
        continue;
      }
      InetSocketAddress address = parseAddress(value.get());
      if (address != null && !accepts(address)) {
        unavailable.add(key + "=" + value.get() + " (nothing accepts connections)");
      }
    }
    return unavailable;
  }

  /** A message saying that the servers {@code unavailable} are needed and how to start them. */
  public String describe(List<String> unavailable) {
    return "needs "
        + String.join(", ", unavailable)
        + " of the OS servers' file "
        + file
        + (unreadable == null ? "" : " (" + unreadable + ")")
        + "; start the servers with: "
        + START_COMMAND
        + " (the directory comes from -D"
        + DIR_PROPERTY
        + ", else $"
        + DIR_VARIABLE
        + ", else "
        + DEFAULT_DIR
        + ")";
  }

  /** Whether this run must fail, rather than skip, a test whose servers are unavailable. */
  public static boolean required() {
    return Boolean.getBoolean(REQUIRE_PROPERTY);
  }

  /** The file of this JVM's properties and environment. */
  static Path currentFile() {
    String dir = System.getProperty(DIR_PROPERTY);
    if (dir == null || dir.isBlank()) {
      dir = System.getenv(DIR_VARIABLE);
    }
    if (dir == null || dir.isBlank()) {
      dir = DEFAULT_DIR;
    }
    return Path.of(dir).resolve(FILE_NAME);
  }

  /** {@code HOST:PORT} as an unresolved address, or {@code null} when the value is not one. */
  private static InetSocketAddress parseAddress(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      return null;
    }
    String host = value.substring(0, colon);
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    String port = value.substring(colon + 1);
    if (!port.chars().allMatch(c -> c >= '0' && c <= '9') || port.length() > 5) {
      return null;
    }
    int number = Integer.parseInt(port);
    return number > 0 && number < 65536 ? InetSocketAddress.createUnresolved(host, number) : null;
  }

  private static boolean accepts(InetSocketAddress address) {
    try (Socket s = new Socket()) {
      s.connect(
          new InetSocketAddress(address.getHostString(), address.getPort()), PROBE_TIMEOUT_MILLIS);
      return true;
    } catch (IOException | UncheckedIOException e) {
      return false;
    }
  }

  /** The file of this JVM, read on first use. */
  private static final class Current {
    static final OsServers INSTANCE = read(currentFile());
  }
}
