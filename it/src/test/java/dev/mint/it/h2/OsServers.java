package dev.mint.it.h2;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.Scheme;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The nginx and nghttpd servers that {@code .ci/servers.sh start} runs on 127.0.0.1, and the check
 * every test class tagged {@code os_servers} makes before it starts: when a port does not answer,
 * the class is skipped, unless the system property {@code mint.requireServers} is {@code true} (CI
 * sets it), which fails it instead.
 */
public final class OsServers {
  /** nginx: TLS with ALPN h2 and http/1.1. */
  public static final int NGINX_TLS = 18443;

  /** nginx: cleartext HTTP/2 with prior knowledge. */
  public static final int NGINX_H2C = 18080;

  /** nginx: cleartext HTTP/1.1. */
  public static final int NGINX_H1 = 18082;

  /** nginx: TLS with ALPN http/1.1 only. */
  public static final int NGINX_TLS_H1_ONLY = 18445;

  /** nghttpd: TLS with ALPN h2. */
  public static final int NGHTTPD_TLS = 18444;

  /** nghttpd: cleartext HTTP/2 with prior knowledge. */
  public static final int NGHTTPD_H2C = 18081;

  /** What to do when the servers are not running. */
  public static final String HOW_TO_START =
      "needs nginx and nghttpd: bash .ci/servers.sh install && bash .ci/servers.sh start";

  /** The body of {@code /small.txt}. */
  public static final String SMALL_TXT = "hello from the mint test server\n";

  /** The length of {@code /big.bin} (zeros). */
  public static final long BIG_BIN_LENGTH = 1L << 30;

  private OsServers() {}

  /**
   * Connects to 127.0.0.1:{@code port} speaking HTTP/2: over TLS trusting the test CA (ALPN), or in
   * cleartext with prior knowledge. Any local HTTP/2 server will do (the embedded Jetty too); the
   * connection is closed and the test fails when the server does not speak HTTP/2.
   */
  public static HttpConnection connectH2(boolean tls, int port, Mode mode) throws MintException {
    ConnectOptions.Builder options =
        ConnectOptions.builder().mode(mode).connectTimeout(Duration.ofSeconds(10));
    HttpConnection conn =
        tls
            ? Mint.connect(
                Scheme.HTTPS,
                "127.0.0.1",
                port,
                options.tls(TrustMaterial.trustingTestCa()).build())
            : Mint.connect(
                Scheme.HTTP, "127.0.0.1", port, options.protocols(Protocol.HTTP2).build());
    if (conn.protocol() != Protocol.HTTP2) {
      conn.close();
      throw new AssertionError("port " + port + " did not give HTTP/2 but " + conn.protocol());
    }
    return conn;
  }

  /**
   * GETs {@code /small.txt} and checks that the answer is {@code 200} with the document that {@code
   * .ci/servers.sh} wrote.
   *
   * @return the response, for the caller's own checks
   */
  public static Responses.Received getSmallTxt(
      HttpConnection conn, Responses responses, Duration limit) throws MintException {
    Responses.Received r =
        responses.exchange(conn, "GET", "/small.txt", Headers.empty(), RequestBody.none(), limit);
    Assertions.assertEquals(200, r.status());
    Assertions.assertEquals(SMALL_TXT, r.text());
    return r;
  }

  /** Skips (or, with {@code -Dmint.requireServers=true}, fails) unless every port answers. */
  public static void require(int... ports) {
    List<Integer> silent = silentPorts(ports);
    if (silent.isEmpty()) {
      return;
    }
    String message = HOW_TO_START + " (nothing listens on 127.0.0.1 port(s) " + silent + ")";
    if (Boolean.getBoolean("mint.requireServers")) {
      Assertions.fail(message);
    }
    Assumptions.abort(message);
  }

  private static List<Integer> silentPorts(int... ports) {
    List<Integer> silent = new ArrayList<>();
    for (int port : ports) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
      } catch (IOException e) {
        silent.add(port);
      }
    }
    return silent;
  }

  /**
   * Disables a test class, with {@link #HOW_TO_START} as the reason that the test report shows,
   * when the servers are not running. With {@code -Dmint.requireServers=true} (CI) the class runs
   * anyway, and {@link #require} fails it.
   */
  public static final class Running implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      if (Boolean.getBoolean("mint.requireServers")) {
        return ConditionEvaluationResult.enabled("mint.requireServers=true: the servers must run");
      }
      List<Integer> silent =
          silentPorts(NGINX_TLS, NGINX_H2C, NGINX_H1, NGINX_TLS_H1_ONLY, NGHTTPD_TLS, NGHTTPD_H2C);
      return silent.isEmpty()
          ? ConditionEvaluationResult.enabled("nginx and nghttpd are running")
          : ConditionEvaluationResult.disabled(
              HOW_TO_START + " (nothing listens on 127.0.0.1 port(s) " + silent + ")");
    }
  }
}
