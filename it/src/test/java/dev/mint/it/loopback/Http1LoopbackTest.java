// SPDX-License-Identifier: Apache-2.0
package dev.mint.it.loopback;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.HttpConnection;
import dev.mint.HttpException;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.TransportException;
import dev.mint.testing.Dispatcher;
import dev.mint.testing.MockResponse;
import dev.mint.testing.MockServer;
import dev.mint.transport.tcp.AcceptQueueFiller;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * HTTP/1.1 over TCP on 127.0.0.1 through the public API ({@link Mint#connect}), against small
 * servers written here: keep-alive reuse, pipelining, failures that must carry the parts before
 * them, connect errors and passive timeouts.
 */
@Timeout(30)
class Http1LoopbackTest {
  private static final String HOST = "127.0.0.1";
  private static final Duration WAIT = Duration.ofSeconds(5);

  static ConnectOptions passive() {
    return ConnectOptions.builder().mode(Mode.PASSIVE).connectTimeout(WAIT).build();
  }

  static RequestRef get(HttpConnection c, String target) throws MintException {
    return c.request("GET", target, Headers.empty(), RequestBody.none());
  }

  /** Receives until {@code count} requests are done; bounded in calls and time. */
  static List<ResponsePart> recvDone(HttpConnection c, int count) throws MintException {
    List<ResponsePart> all = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    int done = 0;
    for (int calls = 0; done < count && calls < 100_000; calls++) {
      if (System.nanoTime() - deadline > 0) {
        throw new AssertionError("only " + done + " of " + count + " responses in " + WAIT);
      }
      for (ResponsePart p : c.recv(WAIT)) {
        all.add(p);
        if (p instanceof ResponsePart.Done) {
          done++;
        }
      }
    }
    assertEquals(count, done);
    return all;
  }

  static String body(List<ResponsePart> parts, RequestRef ref) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    for (ResponsePart p : parts) {
      if (p instanceof ResponsePart.Data d && d.ref() == ref) {
        b.writeBytes(d.bytes().toByteArray());
      }
    }
    return b.toString(StandardCharsets.UTF_8);
  }

  @Test
  void thousandSequentialRequestsReuseOneSocket() throws Exception {
    try (NioHttpServer server = new NioHttpServer();
        HttpConnection c = Mint.connect(Scheme.HTTP, HOST, server.port(), passive())) {
      assertEquals(Protocol.HTTP1, c.protocol());
      for (int i = 0; i < 1000; i++) {
        RequestRef ref = get(c, "/seq/" + i);
        List<ResponsePart> parts = recvDone(c, 1);
        assertEquals(new ResponsePart.Status(ref, 200, "OK"), parts.get(0));
        assertEquals("ok /seq/" + i, body(parts, ref));
        assertEquals(new ResponsePart.Done(ref), parts.get(parts.size() - 1));
      }
      assertTrue(c.isOpen());
      assertEquals(1, server.accepted(), "every request went over the first socket");
      assertEquals(1000, server.served());
    }
  }

  @Test
  void pipelinedResponsesArriveInOrderAndSeveralInOneRead() throws Exception {
    int n = 5;
    CountDownLatch allRequestsSeen = new CountDownLatch(1);
    try (ScriptedServer server =
        new ScriptedServer(
            (socket, in, out) -> {
              List<String> targets = new ArrayList<>();
              for (int i = 0; i < n; i++) {
                String head = ScriptedServer.readHead(in);
                targets.add(head.split(" ")[1]);
              }
              allRequestsSeen.countDown(); // every request arrived before any response left
              ByteArrayOutputStream all = new ByteArrayOutputStream();
              for (String t : targets) {
                all.writeBytes(ScriptedServer.response(200, "body of " + t));
              }
              out.write(all.toByteArray()); // one write: the responses travel together
              out.flush();
              ScriptedServer.readHead(in); // keep the connection until the client is done
            })) {
      try (HttpConnection c = Mint.connect(Scheme.HTTP, HOST, server.port(), passive())) {
        List<RequestRef> refs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
          refs.add(get(c, "/p" + i));
        }
        assertEquals(n, c.openRequestCount());
        assertTrue(allRequestsSeen.await(5, TimeUnit.SECONDS), "requests were pipelined");

        List<ResponsePart> all = new ArrayList<>();
        int mostDoneInOneCall = 0;
        for (int calls = 0; calls < 1000 && countDone(all) < n; calls++) {
          List<ResponsePart> got = c.recv(WAIT);
          mostDoneInOneCall = Math.max(mostDoneInOneCall, countDone(got));
          all.addAll(got);
        }
        assertTrue(mostDoneInOneCall >= 2, "several responses came from one read");
        List<RequestRef> doneOrder = new ArrayList<>();
        for (ResponsePart p : all) {
          if (p instanceof ResponsePart.Done d) {
            doneOrder.add(d.ref());
          }
        }
        assertEquals(refs, doneOrder, "responses complete in request order");
        for (int i = 0; i < n; i++) {
          assertEquals("body of /p" + i, body(all, refs.get(i)));
        }
        assertEquals(0, c.openRequestCount());
        get(c, "/last"); // lets the server finish its script
      }
      assertEquals(1, server.accepted());
    }
  }

  /**
   * A server that reads one request head, writes {@code partial} (a response cut short) and closes
   * the connection, then counts {@code closed} down.
   */
  private static ScriptedServer closingAfter(String partial, CountDownLatch closed)
      throws IOException {
    return new ScriptedServer(
        (socket, in, out) -> {
          ScriptedServer.readHead(in);
          out.write(partial.getBytes(StandardCharsets.ISO_8859_1));
          out.flush();
          socket.close();
          closed.countDown();
        });
  }

  private static int countDone(List<ResponsePart> parts) {
    return (int) parts.stream().filter(p -> p instanceof ResponsePart.Done).count();
  }

  @Test
  void serverClosingMidBodyReportsTheErrorAndThePartsBeforeIt() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    try (ScriptedServer server =
        closingAfter(
            "HTTP/1.1 200 OK\r\ncontent-length: 100\r\nx-test: mid-body\r\n\r\n0123456789",
            closed)) {
      HttpConnection c = Mint.connect(Scheme.HTTP, HOST, server.port(), passive());
      RequestRef ref = get(c, "/mid");
      assertTrue(closed.await(5, TimeUnit.SECONDS));
      // Everything the server sent, and its close, is now waiting: one recv sees all of it.
      HttpException e = assertThrows(HttpException.class, () -> recvDone(c, 1));
      assertEquals(HttpException.Reason.PREMATURE_CLOSE, e.reason(), e.getMessage());
      assertEquals(HttpException.Fault.PEER, e.fault());
      assertEquals(HttpException.Scope.CONNECTION, e.scope());
      List<ResponsePart> before = e.partsBeforeFailure();
      assertEquals(new ResponsePart.Status(ref, 200, "OK"), before.get(0));
      ResponsePart.Headers headers = assertInstanceOf(ResponsePart.Headers.class, before.get(1));
      assertEquals("mid-body", headers.headers().get("x-test"));
      assertEquals("0123456789", body(before, ref));
      assertFalse(before.stream().anyMatch(p -> p instanceof ResponsePart.Done));

      assertFalse(c.isOpen());
      TransportException later = assertThrows(TransportException.class, () -> c.recv(WAIT));
      assertEquals(TransportException.Reason.CLOSED, later.reason());
      assertSame(e, later.getCause());
      c.close();
    }
  }

  @Test
  void serverClosingMidBodyInActiveMode() throws Exception {
    CountDownLatch closed = new CountDownLatch(1);
    try (ScriptedServer server =
        closingAfter(
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n3\r\nwo", closed)) {
      try (HttpConnection c = Mint.connect(Scheme.HTTP, HOST, server.port(), active());
          java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
        RequestRef ref = get(c, "/mid-active");
        assertTrue(closed.await(5, TimeUnit.SECONDS));
        c.selectableChannel().orElseThrow().register(selector, c.interestOps());
        List<ResponsePart> seen = new ArrayList<>();
        HttpException failure = null;
        for (int i = 0; i < 100 && failure == null; i++) {
          selector.select(1_000);
          selector.selectedKeys().clear();
          try {
            seen.addAll(c.stream());
          } catch (HttpException e) {
            failure = e;
            seen.addAll(e.partsBeforeFailure());
          }
        }
        assertTrue(failure != null, "the close mid-body was reported");
        assertEquals(HttpException.Reason.PREMATURE_CLOSE, failure.reason());
        assertEquals(new ResponsePart.Status(ref, 200, "OK"), seen.get(0));
        assertTrue(body(seen, ref).startsWith("hello"), body(seen, ref));
        assertEquals(0, c.interestOps());
      }
    }
  }

  static ConnectOptions active() {
    return ConnectOptions.builder().mode(Mode.ACTIVE).connectTimeout(WAIT).build();
  }

  @Test
  void connectionRefused() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      port = s.getLocalPort();
    }
    TransportException e =
        assertThrows(
            TransportException.class, () -> Mint.connect(Scheme.HTTP, HOST, port, passive()));
    assertEquals(TransportException.Reason.CONNECTION_REFUSED, e.reason());
    assertTrue(e.getMessage().contains(HOST + ":" + port), e.getMessage());
  }

  @Test
  void connectTimeoutWhenTheAcceptQueueIsFull() throws Exception {
    try (AcceptQueueFiller full = AcceptQueueFiller.fill(InetAddress.getByName(HOST))) {
      assumeTrue(
          full.dropsSyns,
          "the kernel kept completing connects to a listener with a full accept queue");
      ConnectOptions options =
          ConnectOptions.builder().connectTimeout(Duration.ofMillis(300)).build();
      long start = System.nanoTime();
      TransportException e =
          assertThrows(
              TransportException.class,
              () -> Mint.connect(Scheme.HTTP, HOST, full.port(), options));
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(TransportException.Reason.CONNECT_TIMEOUT, e.reason(), e.getMessage());
      assertTrue(tookMillis >= 250 && tookMillis < 5_000, "took " + tookMillis + " ms");
    }
  }

  @Test
  void passiveRecvTimeoutLeavesTheConnectionUsable() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    Dispatcher heldUntilLetGo =
        request -> {
          if (request.target().equals("/slow") && !answer.await(10, TimeUnit.SECONDS)) {
            throw new AssertionError("the test never let the server answer");
          }
          return MockResponse.of(200, request.target().equals("/slow") ? "late" : "again");
        };
    try (MockServer server = MockServer.builder().dispatcher(heldUntilLetGo).start()) {
      HttpConnection c = Mint.connect(Scheme.HTTP, HOST, server.port(), passive());
      RequestRef first = get(c, "/slow");
      long start = System.nanoTime();
      TransportException e =
          assertThrows(TransportException.class, () -> c.recv(Duration.ofMillis(200)));
      long tookMillis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(TransportException.Reason.TIMEOUT, e.reason());
      assertTrue(tookMillis >= 180 && tookMillis < 5_000, "waited " + tookMillis + " ms");
      assertTrue(c.isOpen(), "a receive timeout leaves the connection open");
      assertEquals(1, c.openRequestCount());

      answer.countDown();
      assertEquals("late", body(recvDone(c, 1), first));
      RequestRef second = get(c, "/again");
      assertEquals("again", body(recvDone(c, 1), second));
      assertEquals(1, server.connectionCount());
      c.close();
    }
  }
}
