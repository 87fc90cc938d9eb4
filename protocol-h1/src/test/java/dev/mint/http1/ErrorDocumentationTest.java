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
 * The class Javadoc of {@link Http1Engine} lists every {@link Reason} the engine can throw under
 * the fault and scope it is thrown with. The throws are read from the main sources of this package
 * (each goes through {@code HttpException.caller}, {@code HttpException.peer} or the full
 * constructor), so a new reason, or one thrown with another scope, fails here until it is
 * documented.
 */
class ErrorDocumentationTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/mint/http1");

  private static final Pattern CALLER =
      Pattern.compile("HttpException\\.caller\\(\\s*(?:HttpException\\.)?Reason\\.([A-Z_0-9]+)");
  private static final Pattern PEER =
      Pattern.compile("HttpException\\.peer\\(\\s*(?:HttpException\\.)?Reason\\.([A-Z_0-9]+)");

  /** ResponseReader's end-of-input errors, built by {@code endError} as peer errors. */
  private static final Pattern END =
      Pattern.compile("endError\\(\\s*(?:HttpException\\.)?Reason\\.([A-Z_0-9]+)");

  private static final Pattern FULL =
      Pattern.compile(
          "new HttpException\\(\\s*(?:HttpException\\.)?Reason\\.([A-Z_0-9]+),\\s*"
              + "(?:HttpException\\.)?Fault\\.([A-Z]+),\\s*(?:HttpException\\.)?Scope\\.([A-Z]+)");
  private static final Pattern GROUP =
      Pattern.compile("<li><b>(caller|peer), (request|connection) scope</b>(.*?)(?=<li>|</ul>)");
  private static final Pattern CODE = Pattern.compile("\\{@code\\s+([A-Z_0-9]+)}");

  /** Where a reason is thrown from, as "fault/scope". */
  private static Map<String, Set<String>> thrown() throws IOException {
    Map<String, Set<String>> thrown = new TreeMap<>();
    try (Stream<Path> files = Files.list(SOURCES)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String source = Files.readString(file);
        collect(thrown, CALLER.matcher(source), "caller/request");
        collect(thrown, PEER.matcher(source), "peer/connection");
        collect(thrown, END.matcher(source), "peer/connection");
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
    // OutputQueue.requireRoom (spi) reports a full queue for every engine.
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

  /** What the class Javadoc says, as reason to "fault/scope" groups. */
  static Map<String, Set<String>> documented() throws IOException {
    String source = Files.readString(SOURCES.resolve("Http1Engine.java"));
    int end = source.indexOf("public final class Http1Engine");
    String doc =
        source.substring(source.lastIndexOf("/**", end), end).replaceAll("\\s*\\n\\s*\\*", " ");
    Map<String, Set<String>> documented = new HashMap<>();
    Matcher group = GROUP.matcher(doc);
    while (group.find()) {
      Matcher code = CODE.matcher(group.group(3));
      while (code.find()) {
        documented
            .computeIfAbsent(code.group(1), k -> new TreeSet<>())
            .add(group.group(1) + "/" + group.group(2));
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
