// SPDX-License-Identifier: Apache-2.0
package com.example.echo.client;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

/**
 * A caller of {@code x-echo/1}, run in a child JVM by {@code PluggedInProtocolTest}: connects to
 * {@code https://127.0.0.1:PORT} trusting the CA of {@code CA_PEM}, prints the protocol spoken,
 * sends each line and prints each echo; on a {@link MintException} prints its message (the reason
 * first) and exits with 3.
 *
 * <p>Arguments: {@code PORT CA_PEM ALLOWED LINE...}, where {@code ALLOWED} is {@code -} for the
 * README's choice ({@code x-echo/1}, then HTTP/2, then HTTP/1.1) or the ALPN ids to allow,
 * comma-separated, in preference order.
 */
public final class EchoClient {
  private EchoClient() {}

  /** Runs the client; see the class documentation for the arguments. */
  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    Path ca = Path.of(args[1]);
    ConnectOptions options =
        ConnectOptions.builder()
            .mode(Mode.PASSIVE)
            .protocols(Protocol.of("x-echo/1"), Protocol.HTTP2, Protocol.HTTP1) // by preference
            .tls(TlsOptions.defaults().withCaCertificatesPem(ca))
            .build();
    if (!args[2].equals("-")) {
      List<Protocol> allowed = Stream.of(args[2].split(",")).map(Protocol::of).toList();
      options = options.toBuilder().protocols(allowed).build();
    }
    try {
      echo(port, options, List.of(args).subList(3, args.length));
    } catch (MintException e) {
      System.out.println("failed " + e.getMessage());
      System.exit(3);
    }
  }

  private static void echo(int port, ConnectOptions options, List<String> lines)
      throws MintException {
    try (HttpConnection conn = Mint.connect(Scheme.HTTPS, "127.0.0.1", port, options)) {
      System.out.println("protocol " + conn.protocol().alpnId());
      for (String line : lines) {
        conn.request("ECHO", line, Headers.empty(), RequestBody.none());
      }
      int echoed = 0;
      while (echoed < lines.size()) {
        for (ResponsePart part : conn.recv(Duration.ofSeconds(10))) {
          if (part instanceof ResponsePart.Data d) {
            System.out.println("echo " + d.bytes().utf8());
          } else if (part instanceof ResponsePart.Done) {
            echoed++;
          }
        }
      }
    }
  }
}
