package dev.mint.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * README.md's "Writing a protocol" section shows the code of {@code com.example.echo} as written:
 * the provider and the engine whole, and the caller's lines. {@link PluggedInProtocolTest} runs
 * that code from jars of its own.
 */
class ReadmeProtocolExamplesTest {
  private static final Path ECHO = Path.of("src/test/java/com/example/echo");

  @Test
  void theProviderAndTheEngineAreShownWhole() throws IOException {
    List<String> blocks = ReadmeBlocks.javaBlocks("Writing a protocol");
    assertEquals(4, blocks.size(), "the Java blocks of the section");
    assertEquals(source("EchoProtocolProvider.java"), blocks.get(0));
    assertEquals(source("EchoEngine.java"), blocks.get(1));
  }

  @Test
  void theCallersLinesAreTheClients() throws IOException {
    List<String> blocks = ReadmeBlocks.javaBlocks("Writing a protocol");
    List<String> client = source("EchoClient.java").lines().toList();
    for (String block : blocks.subList(2, blocks.size())) {
      assertTrue(ReadmeBlocks.appearsIndented(block, client), "not in EchoClient:\n" + block);
    }
  }

  private static String source(String file) throws IOException {
    return Files.readString(ECHO.resolve(file), StandardCharsets.UTF_8);
  }
}
