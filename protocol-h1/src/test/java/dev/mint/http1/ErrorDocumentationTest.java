// SPDX-License-Identifier: Apache-2.0
package dev.mint.http1;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.HttpException.Reason;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Javadoc of each {@link Reason} constant says, on its {@code HTTP/1.1:} line, the fault and
 * scope the engine throws it with: the one list. The throws are read from the main sources of this
 * package (each goes through {@code HttpException.caller}, {@code HttpException.peer} or the full
 * constructor), so a new reason, or one thrown with another scope, fails here until it is
 * documented; and a constant that claims HTTP/1.1 throws it must be thrown.
 */
class ErrorDocumentationTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/mint/http1");

  private static final Pattern CALLER =
      Pattern.compile("HttpException\\.caller\\(\\s*(?:HttpException\\.)?Reason\\.([A-Z_0-9]+)");
  private static final Pattern PEER =
      Pattern.compile("HttpException\\.peer\\(\\s*(?:HttpException\\.)?Reason\\.([A-Z_0-9]+)");

  private static final Pattern FULL =
      Pattern.compile(
          "new HttpException\\(\\s*(?:HttpException\\.)?Reason\\.([A-Z_0-9]+),\\s*"
              + "(?:HttpException\\.)?Fault\\.([A-Z]+),\\s*(?:HttpException\\.)?Scope\\.([A-Z]+)");

  /** The api module's HttpException, whose Reason constants carry the documentation. */
  private static final Path REASONS = Path.of("../api/src/main/java/dev/mint/HttpException.java");

  /** A constant with its Javadoc. */
  private static final Pattern CONSTANT =
      Pattern.compile("/\\*\\*((?:(?!\\*/).)*)\\*/\\s*([A-Z_0-9]+)[,\\s}]", Pattern.DOTALL);

  private static final Pattern PAIR = Pattern.compile("(caller|peer), (request|connection)");

  /** Where a reason is thrown from, as "fault/scope". */
  private static Map<String, Set<String>> thrown() throws IOException {
    Map<String, Set<String>> thrown = new TreeMap<>();
    try (Stream<Path> files = Files.list(SOURCES)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String source = Files.readString(file);
        collect(thrown, CALLER.matcher(source), "caller/request");
        collect(thrown, PEER.matcher(source), "peer/connection");
        Matcher full = FULL.matcher(source);
        while (full.find()) {
          String where = full.group(2).toLowerCase() + "/" + full.group(3).toLowerCase();
          thrown.computeIfAbsent(full.group(1), k -> new TreeSet<>()).add(where);
        }
      }
    }
    // FieldRules (spi) checks fields for both engines: its caller errors for the request's fields,
    // its peer errors (Violation.toPeerError) for the response's content-length.
    for (Reason r :
        List.of(
            Reason.INVALID_HEADER_NAME,
            Reason.INVALID_HEADER_VALUE,
            Reason.INVALID_REQUEST_HEADER)) {
      thrown.computeIfAbsent(r.name(), k -> new TreeSet<>()).add("caller/request");
    }
    for (Reason r : List.of(Reason.INVALID_CONTENT_LENGTH, Reason.CONFLICTING_CONTENT_LENGTH)) {
      thrown.computeIfAbsent(r.name(), k -> new TreeSet<>()).add("peer/connection");
    }
    // OutputQueue.add (spi) reports a full queue for every engine that bounds its output with it.
    thrown
        .computeIfAbsent(Reason.OUTPUT_QUEUE_FULL.name(), k -> new TreeSet<>())
        .add("caller/request");
    return thrown;
  }

  private static void collect(Map<String, Set<String>> thrown, Matcher m, String where) {
    while (m.find()) {
      thrown.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(where);
    }
  }

  /** What the Javadoc of each Reason constant says for HTTP/1.1, as reason to "fault/scope". */
  static Map<String, Set<String>> documented() throws IOException {
    String source = Files.readString(REASONS);
    String body = source.substring(source.indexOf("public enum Reason {"));
    Map<String, Set<String>> documented = new HashMap<>();
    Matcher constant = CONSTANT.matcher(body);
    while (constant.find()) {
      String doc = constant.group(1).replaceAll("\\s*\\n\\s*\\*", " ");
      int at = doc.indexOf("HTTP/1.1:");
      if (at < 0) {
        continue;
      }
      int end = doc.indexOf("HTTP/2:", at);
      Matcher pair = PAIR.matcher(doc.substring(at, end < 0 ? doc.length() : end));
      while (pair.find()) {
        documented
            .computeIfAbsent(constant.group(2), k -> new TreeSet<>())
            .add(pair.group(1) + "/" + pair.group(2));
      }
    }
    return documented;
  }

  @Test
  void everyThrownReasonIsDocumentedWithItsFaultAndScope() throws IOException {
    Map<String, Set<String>> thrown = thrown();
    Map<String, Set<String>> documented = documented();
    assertTrue(thrown.size() > 20, "found only " + thrown.keySet());
    List<String> missing = new ArrayList<>();
    for (Map.Entry<String, Set<String>> e : thrown.entrySet()) {
      Reason.valueOf(e.getKey()); // a real reason
      Set<String> doc = documented.getOrDefault(e.getKey(), Set.of());
      if (!doc.containsAll(e.getValue())) {
        missing.add(e.getKey() + " thrown as " + e.getValue() + ", documented as " + doc);
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void nothingIsDocumentedThatIsNeverThrown() throws IOException {
    Map<String, Set<String>> thrown = thrown();
    for (Map.Entry<String, Set<String>> e : documented().entrySet()) {
      Set<String> actual = thrown.getOrDefault(e.getKey(), Set.of());
      assertTrue(
          actual.containsAll(e.getValue()),
          e.getKey() + " documented as " + e.getValue() + ", thrown as " + actual);
    }
  }
}
