// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.Http1Options;
import dev.mint.RequestBody;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.spi.EngineContext;
import dev.mint.spi.ForwardProxy;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Requests to a forwarding proxy (RFC 9112 §3.2.2): absolute-form targets naming the origin, {@code
 * host} still the origin's, and the proxy's fields on every request.
 */
class ForwardProxyTest {
  private static final Headers PROXY_FIELDS =
      Headers.of("proxy-authorization", "Basic dTpw", "x-team", "search");

  private static Script.Client client(String host, int port, ConnectOptions options) {
    EngineContext context =
        new EngineContext(
            Scheme.HTTP, host, port, options, Optional.of(new ForwardProxy(PROXY_FIELDS)));
    return new Script.Client(new Http1Engine(context));
  }

  private static Script.Client client(String host, int port) {
    return client(host, port, Checks.NO_AGENT);
  }

  @Test
  void originFormBecomesAbsoluteFormWithTheProxyFields() throws Exception {
    Script.Client c = client("origin.test", 80);
    c.request("GET", "/a?b=c", Headers.of("accept", "*/*"), RequestBody.none());
    assertEquals(
        "GET http://origin.test/a?b=c HTTP/1.1\r\n"
            + "host: origin.test\r\n"
            + "accept: */*\r\n"
            + "proxy-authorization: Basic dTpw\r\n"
            + "x-team: search\r\n"
            + "\r\n",
        c.sent());
  }

  @Test
  void theOriginsPortAndIpv6LiteralAreKept() throws Exception {
    Script.Client c = client("fe80::1%eth0", 8080);
    c.get("/");
    assertEquals(
        "GET http://[fe80::1]:8080/ HTTP/1.1\r\nhost: [fe80::1]:8080\r\n"
            + "proxy-authorization: Basic dTpw\r\nx-team: search\r\n\r\n",
        c.sent(),
        "bracketed, and the zone id never sent (RFC 6874 §4)");
  }

  @Test
  void optionsAsteriskBecomesTheBareOrigin() throws Exception {
    // RFC 9112 §3.2.4: through a proxy, OPTIONS * is sent as the absolute URI with an empty path.
    Script.Client c = client("origin.test", 8001);
    c.request("OPTIONS", "*", Headers.empty(), RequestBody.none());
    assertEquals(
        "OPTIONS http://origin.test:8001 HTTP/1.1\r\nhost: origin.test:8001\r\n"
            + "proxy-authorization: Basic dTpw\r\nx-team: search\r\n\r\n",
        c.sent());
  }

  @Test
  void absoluteFormAndTheCallersOwnFieldsPassUnchanged() throws Exception {
    Script.Client c = client("origin.test", 80);
    c.request(
        "GET",
        "http://other.test/x",
        Headers.of("Proxy-Authorization", "Bearer t"),
        RequestBody.none());
    assertEquals(
        "GET http://other.test/x HTTP/1.1\r\nhost: other.test\r\n"
            + "proxy-authorization: Bearer t\r\nx-team: search\r\n\r\n",
        c.sent());
  }

  @Test
  void everyRequestOnTheKeptAliveConnectionIsRewritten() throws Exception {
    Script.Client c = client("origin.test", 80);
    c.get("/one");
    c.request("POST", "/two", Headers.empty(), RequestBody.utf8("hi"));
    assertEquals(
        "GET http://origin.test/one HTTP/1.1\r\nhost: origin.test\r\n"
            + "proxy-authorization: Basic dTpw\r\nx-team: search\r\n\r\n"
            + "POST http://origin.test/two HTTP/1.1\r\nhost: origin.test\r\n"
            + "proxy-authorization: Basic dTpw\r\nx-team: search\r\n"
            + "content-length: 2\r\n\r\nhi",
        c.sent());
    List<ResponsePart> parts = new ArrayList<>();
    c.engine.receive(
        ByteBuffer.wrap(
            Script.bytes(
                "HTTP/1.1 200 OK\r\ncontent-length: 1\r\n\r\na"
                    + "HTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n")),
        parts);
    assertEquals(2, parts.stream().filter(p -> p instanceof ResponsePart.Done).count());
    assertEquals(0, c.engine.openRequestCount());
    c.get("/three"); // the connection to the proxy is still usable
    assertEquals(
        "GET http://origin.test/three HTTP/1.1\r\nhost: origin.test\r\n"
            + "proxy-authorization: Basic dTpw\r\nx-team: search\r\n\r\n",
        c.sent());
  }

  @Test
  void headerCaseIsPreservedWhenAsked() throws Exception {
    ConnectOptions options =
        Checks.NO_AGENT.toBuilder()
            .http1(Http1Options.defaults().withPreserveHeaderCase(true))
            .build();
    Script.Client c = client("origin.test", 80, options);
    c.get("/");
    assertEquals(
        "GET http://origin.test/ HTTP/1.1\r\nHost: origin.test\r\n"
            + "proxy-authorization: Basic dTpw\r\nx-team: search\r\n\r\n",
        c.sent());
  }
}
