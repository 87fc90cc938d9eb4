package dev.mint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.Headers;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CommandLineTest {

  @Test
  void noArgumentsRunsTheTour() throws Exception {
    CommandLine cmd = CommandLine.parse();
    assertTrue(cmd.runsTour());
    assertFalse(cmd.verbose());
    assertEquals(CommandLine.DEFAULT_TIMEOUT, cmd.timeout());
  }

  @Test
  void aUrlAloneIsAGet() throws Exception {
    CommandLine cmd = CommandLine.parse("http://127.0.0.1:8080/a/b?q=1");
    assertFalse(cmd.runsTour());
    assertEquals(URI.create("http://127.0.0.1:8080/a/b?q=1"), cmd.url());
    assertEquals("GET", cmd.effectiveMethod());
    assertEquals(Headers.empty(), cmd.headers());
    assertNull(cmd.data());
    assertNull(cmd.dataFile());
  }

  @Test
  void everyOptionWithItsValue() throws Exception {
    CommandLine cmd =
        CommandLine.parse(
            "-X",
            "PUT",
            "-H",
            "accept: text/plain",
            "--header",
            "x-trace:  abc ",
            "-o",
            "out.bin",
            "-i",
            "-v",
            "--http1.1",
            "--timeout",
            "2.5",
            "--debug",
            "http://localhost/");
    assertEquals("PUT", cmd.effectiveMethod());
    assertEquals(Headers.of("accept", "text/plain", "x-trace", "abc"), cmd.headers());
    assertEquals(Path.of("out.bin"), cmd.output());
    assertTrue(cmd.includeHeaders());
    assertTrue(cmd.verbose());
    assertTrue(cmd.http11Only());
    assertEquals(Duration.ofMillis(2500), cmd.timeout());
    assertTrue(cmd.debug());
  }

  @Test
  void attachedValues() throws Exception {
    CommandLine cmd =
        CommandLine.parse("-XDELETE", "-Hx-a: 1", "--timeout=3", "--output=f", "http://h/");
    assertEquals("DELETE", cmd.method());
    assertEquals(Headers.of("x-a", "1"), cmd.headers());
    assertEquals(Duration.ofSeconds(3), cmd.timeout());
    assertEquals(Path.of("f"), cmd.output());
  }

  @Test
  void dataMakesAPostAndAtNamesAFile() throws Exception {
    CommandLine inline = CommandLine.parse("-d", "a=1", "http://h/");
    assertEquals("POST", inline.effectiveMethod());
    assertEquals("a=1", inline.data());
    assertNull(inline.dataFile());

    CommandLine file = CommandLine.parse("--data", "@body.json", "http://h/");
    assertEquals("POST", file.effectiveMethod());
    assertNull(file.data());
    assertEquals(Path.of("body.json"), file.dataFile());

    assertEquals("PUT", CommandLine.parse("-X", "PUT", "-d", "x", "http://h/").effectiveMethod());
  }

  @Test
  void hiddenAndHelpFlags() throws Exception {
    assertTrue(CommandLine.parse("--providers").listProviders());
    assertTrue(CommandLine.parse("-h").help());
    assertTrue(CommandLine.parse("--help").help());
  }

  @Test
  void doubleDashEndsOptions() throws Exception {
    assertEquals(URI.create("http://h/-x"), CommandLine.parse("--", "http://h/-x").url());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--nope",
        "-X",
        "-H|no-colon",
        "-H|: empty name",
        "--timeout|soon",
        "--timeout|0",
        "--timeout|-1",
        "-X|GE T",
        "ftp://h/",
        "localhost:8080",
        "http:///nohost",
        "http://a/|http://b/",
        "http://a b/"
      })
  void rejectsWithAUsageError(String joined) {
    String[] args = joined.split("\\|");
    UsageException e = assertThrows(UsageException.class, () -> CommandLine.parse(args));
    assertFalse(e.getMessage().isBlank());
  }

  @Test
  void targetIsPathAndQuery() {
    assertEquals("/", Fetch.target(URI.create("http://h")));
    assertEquals("/", Fetch.target(URI.create("http://h/")));
    assertEquals("/a%20b?x=1&y", Fetch.target(URI.create("http://h/a%20b?x=1&y#frag")));
  }
}
