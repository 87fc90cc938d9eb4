// SPDX-License-Identifier: Apache-2.0
package dev.mint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * README.md's "Writing a protocol" section shows the plug-in of {@code examples/echo-protocol} as
 * written: the provider, the engine, the services file and the module declaration whole; and the
 * caller's lines as {@code EchoClient} has them. {@link PluggedInProtocolTest} runs that code.
 */
class ReadmeProtocolExamplesTest {
  private static final Path PLUGIN = Path.of("../examples/echo-protocol/src/main");
  private static final Path ECHO = PLUGIN.resolve("java/com/example/echo");
  private static final String SERVICES = "META-INF/services/dev.mint.spi.ProtocolProvider";

  @Test
  void theProviderTheEngineAndTheModuleAreShownWhole() throws IOException {
    List<String> blocks = ReadmeBlocks.javaBlocks("Writing a protocol");
    assertEquals(5, blocks.size(), "the Java blocks of the section");
    assertEquals(read(ECHO.resolve("EchoProtocolProvider.java")), blocks.get(0));
    assertEquals(read(ECHO.resolve("EchoEngine.java")), blocks.get(1));
    assertEquals(read(PLUGIN.resolve("java/module-info.java")), blocks.get(2));
  }

  @Test
  void theServicesFileIsShownWhole() throws IOException {
    String shown =
        "# src/main/resources/" + SERVICES + "\n" + read(PLUGIN.resolve("resources/" + SERVICES));
    assertTrue(read(Path.of("../README.md")).contains("```\n" + shown + "```\n"), shown);
  }

  @Test
  void theCallersLinesAreTheClients() throws IOException {
    List<String> blocks = ReadmeBlocks.javaBlocks("Writing a protocol");
    List<String> client =
        read(Path.of("src/test/java/com/example/echo/client/EchoClient.java")).lines().toList();
    for (String block : blocks.subList(3, blocks.size())) {
      assertTrue(ReadmeBlocks.appearsIndented(block, client), "not in EchoClient:\n" + block);
    }
  }

  private static String read(Path file) throws IOException {
    return ReadmeBlocks.sourceAsShown(file);
  }
}
