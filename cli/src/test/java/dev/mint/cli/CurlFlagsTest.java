// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import static dev.mint.cli.CommandRun.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** curl's everyday flags, each run through the real {@link Main#run} against {@link CurlServer}. */
@Timeout(60)
class CurlFlagsTest {
  private static CurlServer server;
  private static String base;

  @TempDir Path dir;

  @BeforeAll
  static void start() throws IOException {
    server = new CurlServer();
    base = server.base();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @Test
  void shortFlagsCombine() {
    CommandRun r = run("-sSi", base + "/status?code=201");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("HTTP/1.1 201 Created\n"), r.out());
    assertTrue(r.out().endsWith("\n\nstatus 201"), r.out());
    assertEquals("", r.err());

    CommandRun iv = run("-iv", base + "/status?code=200");
    assertTrue(iv.out().startsWith("HTTP/1.1 200 OK\n"), iv.out());
    assertTrue(iv.err().contains("ms < Status 200 OK"), iv.err());
  }

  @Test
  void longFormsAreTheSameFlags() {
    String to = base + "/redirect?code=302&to=" + encode("/echo");
    CommandRun r =
        run(
            "--silent",
            "--show-error",
            "--include",
            "--fail",
            "--location",
            "--max-redirs=1",
            "--user",
            "a:b",
            "--write-out",
            "[%{http_code}]",
            "--request",
            "PUT",
            "--head",
            "--verbose",
            "--max-time",
            "10",
            "--compressed",
            "--data-binary",
            "x",
            to);
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("HTTP/1.1 302 "), r.out());
    assertTrue(r.out().contains("\nHTTP/1.1 200 OK\n"), r.out());
    assertTrue(r.out().endsWith("\n\n[200]"), r.out());
    assertTrue(r.err().contains(" ms > PUT /echo"), r.err());
    assertTrue(r.err().contains(" ms >   authorization: Basic YTpi"), r.err());
    assertTrue(r.err().contains(" ms >   accept-encoding: gzip, deflate"), r.err());
  }

  @Test
  void versionNamesTheProjectAndTheLibrary() {
    CommandRun r = run("--version");
    assertEquals(0, r.exit(), r.err());
    assertTrue(
        r.out().matches("mint \\d+\\.\\d+\\.\\d+\\S* \\(mint-java/[^;]+; Java .+\\)\\n"), r.out());
    assertEquals(r.out(), run("-V").out());
  }

  @Test
  void silentHidesTheHeaderBlockAndErrorsUnlessShowError() {
    CommandRun ok = run("-s", base + "/status?code=200");
    assertEquals("status 200", ok.out());
    assertEquals("", ok.err());

    String refused = "http://127.0.0.1:1/";
    CommandRun quiet = run("-s", refused);
    assertEquals(ExitStatus.COULD_NOT_CONNECT, quiet.exit());
    assertEquals("", quiet.err());
    CommandRun shown = run("-sS", refused);
    assertEquals(ExitStatus.COULD_NOT_CONNECT, shown.exit());
    assertTrue(shown.err().startsWith("mint: CONNECTION_REFUSED: "), shown.err());
    assertFalse(shown.err().contains("Exception"), "no Java class name: " + shown.err());
  }

  @Test
  void failExits22WithoutTheBody() {
    CommandRun r = run("-f", base + "/status?code=404");
    assertEquals(ExitStatus.HTTP_RETURNED_ERROR, r.exit());
    assertEquals("", r.out());
    assertTrue(r.err().contains("mint: the server answered 404 Not Found\n"), r.err());
    assertEquals(0, run("-f", base + "/status?code=399").exit());
    assertEquals(0, run(base + "/status?code=500").exit(), "without -f any status is a response");
  }

  @Test
  void locationFollowsRedirectsAndPostBecomesGetOn302() {
    String to = base + "/redirect?code=302&to=" + encode("/echo");
    CommandRun plain = run(to);
    assertEquals("moved", plain.out());

    CommandRun followed = run("-L", "-d", "x=1", "-w", "%{num_redirects} %{url_effective}", to);
    assertEquals(0, followed.exit(), followed.err());
    assertTrue(followed.out().startsWith("GET\n"), followed.out());
    assertTrue(followed.out().endsWith("\n1 " + base + "/echo"), followed.out());

    String keep = base + "/redirect?code=307&to=" + encode("/echo");
    CommandRun kept = run("-L", "-d", "x=1", keep);
    assertTrue(kept.out().startsWith("POST\n"), kept.out());
    assertTrue(kept.out().endsWith("\n\nx=1"), kept.out());
  }

  @Test
  void maxRedirsBoundsALoopWithExit47() {
    CommandRun r = run("-L", "--max-redirs", "3", base + "/loop");
    assertEquals(ExitStatus.TOO_MANY_REDIRECTS, r.exit(), r.err());
    assertTrue(r.err().contains("more than 3 redirects"), r.err());
  }

  @Test
  void headSendsHeadAndPrintsTheHeaderBlock() {
    CommandRun r = run("-I", base + "/status?code=200");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().startsWith("HTTP/1.1 200 OK\n"), r.out());
    assertTrue(r.out().endsWith("\n\n"), r.out());
    assertFalse(r.out().contains("status 200"), r.out());
  }

  @Test
  void userAndUserInfoSendBasicCredentials() {
    CommandRun flag = run("-u", "alice:secret", base + "/echo");
    assertTrue(flag.out().contains("authorization: Basic YWxpY2U6c2VjcmV0\n"), flag.out());

    String withInfo = base.replace("http://", "http://alice:secret@") + "/echo";
    CommandRun info = run("-v", withInfo);
    assertEquals(0, info.exit(), info.err());
    assertTrue(info.out().contains("authorization: Basic YWxpY2U6c2VjcmV0\n"), info.out());
    assertTrue(info.out().contains("host: " + base.substring(7) + "\n"), info.out());
    // -v shows the fields the library sent, those it added included.
    assertTrue(info.err().contains(" ms >   host: " + base.substring(7) + "\n"), info.err());
    assertTrue(info.err().contains(" ms >   user-agent: mint-java/"), info.err());
    assertTrue(info.err().contains(" ms >   authorization: Basic YWxpY2U6c2VjcmV0\n"), info.err());
  }

  @Test
  void dataIsAFormJoinedWithAmpersands(@TempDir Path tmp) throws IOException {
    CommandRun r = run("-d", "a=1", "-d", "b=2", base + "/echo");
    assertTrue(r.out().startsWith("POST\n"), r.out());
    assertTrue(r.out().contains("content-type: application/x-www-form-urlencoded\n"), r.out());
    assertTrue(r.out().endsWith("\n\na=1&b=2"), r.out());

    Path file = Files.writeString(tmp.resolve("form.txt"), "x=1\r\ny=2\n");
    String stripped = run("-d", "@" + file, base + "/echo").out();
    assertTrue(stripped.endsWith("\n\nx=1y=2"), stripped);
    String binary = run("--data-binary", "@" + file, base + "/echo").out();
    assertTrue(binary.endsWith("\n\nx=1\r\ny=2\n"), binary);
    String raw = run("--data-raw", "@x", base + "/echo").out();
    assertTrue(raw.endsWith("\n\n@x"), raw);
    CommandRun encoded =
        run("--data-urlencode", "q=a b&c", "--data-urlencode", "=é", base + "/echo");
    assertTrue(encoded.out().endsWith("\n\nq=a%20b%26c&%C3%A9"), encoded.out());
    CommandRun typed = run("-H", "content-type: text/plain", "-d", "t", base + "/echo");
    assertTrue(typed.out().contains("content-type: text/plain\n"), typed.out());
  }

  @Test
  void compressedAsksForGzipAndDeflateAndDecodes() {
    CommandRun gzip = run("-i", "--compressed", base + "/gzip");
    assertEquals(0, gzip.exit(), gzip.err());
    assertTrue(gzip.out().contains("x-accept-encoding: gzip, deflate\n"), gzip.out());
    assertTrue(gzip.out().endsWith("\n\n" + CurlServer.TEXT), gzip.out());
    assertTrue(run("--compressed", base + "/deflate").out().equals(CurlServer.TEXT));
    assertFalse(run(base + "/gzip").out().contains("hello"), "undecoded without the flag");
  }

  @Test
  void aBodyThatDoesNotDecodeExits61() {
    CommandRun r = run("--compressed", "-H", "accept-encoding: gzip", base + "/deflate-as-gzip");
    assertEquals(ExitStatus.BAD_CONTENT_ENCODING, r.exit(), r.err());
    assertTrue(r.err().contains("not gzip"), r.err());
  }

  @Test
  void aServerThatClosesMidBodyExits56OrNames() throws Exception {
    try (java.net.ServerSocket socket =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      Thread peer =
          new Thread(
              () -> {
                try (java.net.Socket s = socket.accept()) {
                  s.getInputStream().read(new byte[4096]);
                  s.getOutputStream()
                      .write("HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly ten b".getBytes());
                } catch (IOException e) {
                  // the test sees what the client made of it
                }
              });
      peer.start();
      CommandRun r = run("http://127.0.0.1:" + socket.getLocalPort() + "/");
      peer.join(5_000);
      assertEquals("only ten b", r.out());
      assertTrue(
          r.exit() == ExitStatus.RECEIVE_ERROR || r.exit() == ExitStatus.WEIRD_SERVER_REPLY,
          r.exit() + " " + r.err());
      assertFalse(r.err().contains("Exception"), r.err());
    }
  }

  @Test
  void writeOutPrintsTheVariablesAfterTheBody() {
    CommandRun r =
        run(
            "-s",
            "-w",
            "\\n%{http_code} %{time_total} %{size_download} %{nope}",
            base + "/status?code=201");
    assertEquals(0, r.exit(), r.err());
    assertTrue(Pattern.matches("status 201\\n201 \\d+\\.\\d{6} 10 ", r.out()), r.out());
    CommandRun failed = run("-w", "%{http_code} %{exitcode}", "http://127.0.0.1:1/");
    assertEquals("000 7", failed.out());
  }

  @Test
  void maxTimeBoundsTheWholeOperationWithExit28() {
    // Untimed first: a command the JVM has not run yet (when this test comes first) spends its
    // first second or two loading and compiling, which is not what the bound is about.
    assertEquals(0, run("-s", base + "/status?code=200").exit());
    long start = System.nanoTime();
    CommandRun r = run("--max-time", "0.3", base + "/slow?ms=5000");
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertEquals(ExitStatus.TIMED_OUT, r.exit(), r.err());
    assertTrue(r.err().contains("--max-time 0.3 s"), r.err());
    assertTrue(millis < 3000, millis + " ms");
  }

  @Test
  void retryTriesTransientStatusesAgain() {
    CommandRun r = run("--retry", "3", "--retry-delay", "0", base + "/flaky?id=a&fail=2");
    assertEquals(0, r.exit(), r.err());
    assertEquals("ok after 2", r.out());
    assertEquals(2, r.err().lines().filter(l -> l.contains("retrying in 0.0 s")).count(), r.err());

    CommandRun tooFew = run("--retry", "1", "--retry-delay", "0", base + "/flaky?id=b&fail=2");
    assertEquals("unavailable 2", tooFew.out());
    CommandRun failing =
        run("-f", "--retry", "1", "--retry-delay", "0", base + "/flaky?id=c&fail=9");
    assertEquals(ExitStatus.HTTP_RETURNED_ERROR, failing.exit());
  }

  @Test
  void retryMaxTimeStopsRetryingAfterItsTime() {
    CommandRun r =
        run(
            "--retry",
            "5",
            "--retry-delay",
            "0.2",
            "--retry-max-time",
            "0.1",
            base + "/flaky?id=d&fail=9");
    assertEquals(0, r.exit(), r.err());
    assertEquals(1, r.err().lines().filter(l -> l.contains("retrying in 0.2 s")).count(), r.err());
    assertEquals("unavailable 2", r.out());
  }

  @Test
  void retryWithConnrefusedTriesARefusedConnectionAgain() {
    CommandRun r =
        run("--retry", "2", "--retry-delay", "0", "--retry-connrefused", "http://127.0.0.1:1/");
    assertEquals(ExitStatus.COULD_NOT_CONNECT, r.exit());
    assertEquals(2, r.err().lines().filter(l -> l.contains("retrying")).count(), r.err());
    assertEquals(1, run("--retry", "2", "http://127.0.0.1:1/").err().lines().count());
  }

  @Test
  void aNameThatDoesNotResolveExits6() {
    CommandRun r = run("--resolve", "other:80:127.0.0.1", "http://mint-no-such-host.invalid/");
    assertEquals(ExitStatus.COULD_NOT_RESOLVE_HOST, r.exit(), r.err());
  }

  @Test
  void aMalformedUrlExits3() {
    assertEquals(ExitStatus.URL_MALFORMED, run("ftp://h/").exit());
    assertEquals(ExitStatus.URL_MALFORMED, run("http://a b/").exit());
  }

  @Test
  void aReaderThatGoesAwayStopsTheDownloadWithExit23() {
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    ClosingPipe pipe = new ClosingPipe(10);
    long start = System.nanoTime();
    int exit =
        Main.run(
            new String[] {base + "/big?mib=512"},
            Map.of(),
            new PrintStream(pipe, false, StandardCharsets.UTF_8),
            new PrintStream(errBytes, true, StandardCharsets.UTF_8),
            false);
    long millis = (System.nanoTime() - start) / 1_000_000;
    String err = errBytes.toString(StandardCharsets.UTF_8);
    assertEquals(ExitStatus.WRITE_ERROR, exit, err);
    assertTrue(err.contains("mint: cannot write the body to stdout: the reader went away"), err);
    assertEquals(1, pipe.refusedWrites, "it stops at the first failed write");
    assertTrue(millis < 10_000, millis + " ms: it did not download the 512 MiB");
  }

  /** A pipe whose reader takes {@code keep} bytes, then goes away (writes fail). */
  private static final class ClosingPipe extends OutputStream {
    private int room;
    int refusedWrites;

    ClosingPipe(int keep) {
      this.room = keep;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (len > room) {
        room = 0;
        refusedWrites++;
        throw new IOException("Broken pipe");
      }
      room -= len;
    }
  }

  private static String encode(String text) {
    return URLEncoder.encode(text, StandardCharsets.UTF_8);
  }
}
