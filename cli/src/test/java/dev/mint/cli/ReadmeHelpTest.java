// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's section on the command shows exactly what {@code mint --help} prints. */
class ReadmeHelpTest {
  private static final Path README = Path.of("../README.md");
  private static final String SECTION = "### The `mint` command";

  @Test
  void theReadmeSectionIsTheHelpText() throws IOException {
    String readme = Files.readString(README);
    int section = readme.indexOf(SECTION);
    assertTrue(section >= 0, "no section '" + SECTION + "' in " + README.toAbsolutePath());
    int open = readme.indexOf("```\n", section) + 4;
    int close = readme.indexOf("```\n", open);
    String shown = readme.substring(open, close);
    CommandRun help = CommandRun.run("--help");
    assertEquals(0, help.exit(), help.err());
    assertEquals(help.out(), shown, "update the README's block with the output of mint --help");
  }

  @Test
  void theHelpListsEveryExitStatus() {
    String help = CommandRun.run("--help").out();
    for (String line : ExitStatus.HELP) {
      String code = line.substring(0, line.indexOf(':')).trim();
      assertTrue(help.contains("\n  " + (code.length() == 1 ? " " : "") + code + "   "), code);
    }
  }
}
