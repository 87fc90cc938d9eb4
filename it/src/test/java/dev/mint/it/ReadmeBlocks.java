// SPDX-License-Identifier: Apache-2.0
package dev.mint.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Java blocks of a README.md section, and whether each appears in a source file as written: how
 * the README tests keep the text and the code that runs it from drifting apart.
 */
final class ReadmeBlocks {
  private static final Path README = Path.of("../README.md");

  private ReadmeBlocks() {}

  /** The contents of the {@code ```java} blocks of the level-2 section {@code heading}. */
  static List<String> javaBlocks(String heading) throws IOException {
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    int start = readme.indexOf("\n## " + heading + "\n");
    assertTrue(start >= 0, "README.md has a section " + heading);
    int end = readme.indexOf("\n## ", start + 1);
    String section = readme.substring(start, end < 0 ? readme.length() : end);
    Matcher blocks = Pattern.compile("```java\n(.*?)```", Pattern.DOTALL).matcher(section);
    List<String> found = new ArrayList<>();
    while (blocks.find()) {
      found.add(blocks.group(1));
    }
    return found;
  }

  /**
   * The text of the source file {@code file} as the README shows it: whole, but without the license
   * line every source file starts with.
   */
  static String sourceAsShown(Path file) throws IOException {
    String text = Files.readString(file, StandardCharsets.UTF_8);
    String license = "// SPDX-License-Identifier: Apache-2.0\n";
    return text.startsWith(license) ? text.substring(license.length()) : text;
  }

  /** Whether {@code block}'s lines appear in {@code source} in a row, each with the same indent. */
  static boolean appearsIndented(String block, List<String> source) {
    List<String> lines = block.lines().toList();
    for (int i = 0; i + lines.size() <= source.size(); i++) {
      String first = source.get(i);
      if (!first.endsWith(lines.get(0))
          || !first.substring(0, first.length() - lines.get(0).length()).isBlank()) {
        continue;
      }
      String indent = first.substring(0, first.length() - lines.get(0).length());
      List<String> expected = new ArrayList<>();
      for (String line : lines) {
        expected.add(line.isEmpty() ? "" : indent + line);
      }
      if (expected.equals(source.subList(i, i + lines.size()))) {
        return true;
      }
    }
    return false;
  }
}
