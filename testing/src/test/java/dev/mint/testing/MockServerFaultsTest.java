// SPDX-License-Identifier: Apache-2.0
package dev.mint.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.HttpConnection;
import dev.mint.HttpException;
import dev.mint.TransportException;
import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The faults that every protocol has, on each way to reach the server. */
class MockServerFaultsTest {
  @ParameterizedTest
  @EnumSource(Exchange.Via.class)
  void aTruncatedBodyIsAPrematureClose(Exchange.Via via) throws Exception {
    try (MockServer server = MockServer.start();
        HttpConnection conn = via.connect(server)) {
      server.enqueue(
          MockResponse.builder(200).body("0123456789").fault(Fault.truncateBody(4)).build());
      Exchange exchange = Exchange.get(conn, "/");
      assertEquals(200, exchange.status());
      assertEquals("10", exchange.headers().get("content-length"));
      assertEquals("0123", exchange.text());
      HttpException e = assertInstanceOf(HttpException.class, exchange.error());
      assertEquals(HttpException.Reason.PREMATURE_CLOSE, e.reason());
    }
  }

  @ParameterizedTest
  @EnumSource(Exchange.Via.class)
  void aConnectionResetIsATransportError(Exchange.Via via) throws Exception {
    try (MockServer server = MockServer.start();
        HttpConnection conn = via.connect(server)) {
      server.enqueue(MockResponse.builder(200).fault(Fault.resetConnection()).build());
      Exchange exchange = Exchange.get(conn, "/");
      assertEquals(0, exchange.status());
      TransportException e = assertInstanceOf(TransportException.class, exchange.error());
      assertEquals(TransportException.Reason.CLOSED, e.reason());
      assertTrue(e.getMessage().contains("Connection reset"), e.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Exchange.Via.class)
  void noResponseIsAClosedConnection(Exchange.Via via) throws Exception {
    try (MockServer server = MockServer.start();
        HttpConnection conn = via.connect(server)) {
      server.enqueue(MockResponse.builder(200).fault(Fault.noResponse()).build());
      Exchange exchange = Exchange.get(conn, "/");
      assertEquals(0, exchange.status());
      if (via == Exchange.Via.HTTP1 || via == Exchange.Via.TLS_HTTP1) {
        // Nothing of a response came: the HTTP/1.1 connection just closed.
        TransportException e = assertInstanceOf(TransportException.class, exchange.error());
        assertEquals(TransportException.Reason.CLOSED, e.reason());
      } else {
        // An HTTP/2 connection that ends without GOAWAY leaves its open stream incomplete.
        HttpException e = assertInstanceOf(HttpException.class, exchange.error());
        assertEquals(HttpException.Reason.PREMATURE_CLOSE, e.reason());
      }
      assertEquals("/", server.takeRequest(Duration.ofSeconds(5)).target());
    }
  }
}
