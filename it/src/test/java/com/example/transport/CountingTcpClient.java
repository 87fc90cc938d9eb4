// SPDX-License-Identifier: Apache-2.0
package com.example.transport;

import dev.mint.ConnectOptions;
import dev.mint.Connector;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.RequestBody;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.TlsOptions;
import dev.mint.http1.Http1ProtocolProvider;
import dev.mint.spi.ProviderRegistry;
import dev.mint.spi.StandardConnector;
import dev.mint.transport.tls.TlsTransportProvider;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.List;

/**
 * A caller of {@code counting-tcp}: one {@code GET /} to {@code 127.0.0.1}, in passive or active
 * mode, over {@code http} or {@code https}, with the providers wired explicitly. Each GET returns
 * {@code "STATUS BODY"}; {@link #counting()} tells how many bytes went over the wire.
 */
public final class CountingTcpClient {
  private final CountingTcpTransportProvider counting = new CountingTcpTransportProvider();
  private final Connector connector;

  /** A client with {@code counting-tcp}, {@code tls} and HTTP/1.1, and nothing else. */
  public CountingTcpClient() throws MintException {
    ProviderRegistry providers =
        ProviderRegistry.of(
            List.of(counting, new TlsTransportProvider()), List.of(new Http1ProtocolProvider()));
    connector = new StandardConnector(providers);
  }

  /** The provider, whose totals count every connection this client made. */
  public CountingTcpTransportProvider counting() {
    return counting;
  }

  /** {@code GET /} in passive mode: {@code recv} blocks in the transport's {@code awaitReady}. */
  public String getPassive(Scheme scheme, int port, TlsOptions tls) throws MintException {
    ConnectOptions options =
        ConnectOptions.builder().transport("counting-tcp").mode(Mode.PASSIVE).tls(tls).build();
    StringBuilder response = new StringBuilder();
    try (HttpConnection conn = connector.connect(scheme, "127.0.0.1", port, options)) {
      conn.request("GET", "/", Headers.empty(), RequestBody.none());
      boolean done = false;
      while (!done) {
        for (ResponsePart part : conn.recv(Duration.ofSeconds(10))) {
          done |= collect(part, response);
        }
      }
    }
    return response.toString();
  }

  /** {@code GET /} in active mode: the caller's selector watches the transport's channel. */
  public String getActive(Scheme scheme, int port, TlsOptions tls)
      throws MintException, IOException {
    ConnectOptions options =
        ConnectOptions.builder().transport("counting-tcp").mode(Mode.ACTIVE).tls(tls).build();
    StringBuilder response = new StringBuilder();
    try (HttpConnection conn = connector.connect(scheme, "127.0.0.1", port, options);
        Selector selector = Selector.open()) {
      conn.request("GET", "/", Headers.empty(), RequestBody.none());
      SelectionKey key =
          conn.selectableChannel().orElseThrow().register(selector, conn.interestOps());
      boolean done = false;
      while (!done) {
        selector.select(1000);
        selector.selectedKeys().clear();
        do {
          for (ResponsePart part : conn.stream()) {
            done |= collect(part, response);
          }
        } while (conn.hasBufferedInput());
        if (key.isValid()) {
          key.interestOps(conn.interestOps());
        }
      }
    }
    return response.toString();
  }

  /** Adds a part to {@code "STATUS BODY"}; returns whether the response is done. */
  private static boolean collect(ResponsePart part, StringBuilder response) throws MintException {
    if (part instanceof ResponsePart.Status s) {
      response.append(s.code()).append(' ');
    } else if (part instanceof ResponsePart.Data d) {
      response.append(d.bytes().utf8());
    } else if (part instanceof ResponsePart.RequestError e) {
      throw e.error();
    }
    return part instanceof ResponsePart.Done;
  }
}
