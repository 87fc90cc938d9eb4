// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ConnectOptions;
import dev.mint.Protocol;
import dev.mint.Scheme;
import dev.mint.spi.EngineContext;
import dev.mint.spi.ProtocolEngine;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Http1ProtocolProviderTest {

  @Test
  void servesHttp11() {
    Http1ProtocolProvider provider = new Http1ProtocolProvider();
    assertEquals("http/1.1", provider.alpnId());
    ProtocolEngine engine =
        provider.newEngine(
            new EngineContext(Scheme.HTTPS, "example.com", 443, ConnectOptions.defaults()));
    assertTrue(engine instanceof Http1Engine);
    assertEquals(Protocol.HTTP1, engine.protocol());
    assertTrue(engine.canSendRequests());
    assertFalse(engine.isClosed());
    assertEquals(0, engine.openRequestCount());
    assertFalse(engine.hasOutput());
  }

  @Test
  void isRegisteredAsAService() throws Exception {
    try (InputStream in =
        Http1ProtocolProvider.class.getResourceAsStream(
            "/META-INF/services/dev.mint.spi.ProtocolProvider")) {
      assertNotNull(in, "services file missing");
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
      assertEquals(Http1ProtocolProvider.class.getName(), text);
    }
    Module module = Http1ProtocolProvider.class.getModule();
    assertTrue(module.isNamed(), "tests run inside the dev.mint.http1 module");
    assertEquals("dev.mint.http1", module.getName());
    {
      assertTrue(
          module.getDescriptor().provides().stream()
              .anyMatch(
                  p ->
                      p.service().equals("dev.mint.spi.ProtocolProvider")
                          && p.providers().contains(Http1ProtocolProvider.class.getName())));
    }
  }
}
