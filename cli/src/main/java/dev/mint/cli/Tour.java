// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import dev.mint.Bytes;
import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.Http2Operations;
import dev.mint.HttpConnection;
import dev.mint.Mint;
import dev.mint.MintException;
import dev.mint.Mode;
import dev.mint.Protocol;
import dev.mint.ProxyOptions;
import dev.mint.ProxyResponse;
import dev.mint.RequestBody;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.Scheme;
import dev.mint.websocket.CloseCodes;
import dev.mint.websocket.Message;
import dev.mint.websocket.WebSocket;
import dev.mint.websocket.WebSocketOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;

/**
 * A short tour of Mint against an embedded server, printing what it does. Each step is written the
 * way an application would use the library, and checks its outcome.
 *
 * <ol>
 *   <li>one request in passive mode: {@code request}, then {@code recv} until {@code Done};
 *   <li>pipelining: three requests in flight on one connection, responses in request order;
 *   <li>a streamed upload: {@code streamRequestBody} in chunks, then {@code endRequestBody};
 *   <li>a chunked download: {@code Data} parts arrive as the server flushes them;
 *   <li>one {@link Selector} driving several connections in active mode, on one thread;
 *   <li>HTTP/2 (h2c, against an embedded Jetty): many streams multiplexed on one connection;
 *   <li>a PING and its PONG, timed;
 *   <li>a flow-controlled upload: a body larger than the server's window, sent as its WINDOW_UPDATE
 *       frames allow;
 *   <li>a request through an HTTP {@code CONNECT} tunnel of an embedded proxy: the proxy's answer
 *       ({@code proxyResponse()}), then the response from the server behind it;
 *   <li>a WebSocket echo: {@code WebSocket.connect}, a text and a binary message sent and echoed,
 *       and the close handshake with 1000.
 * </ol>
 */
final class Tour {
  /** The number of steps; each prints a heading {@code "N. ..."}. */
  static final int STEPS = 10;

  /** The requests of the multiplexing step, all on one connection at once. */
  static final int STREAMS = 10;

  /** The size of the flow-controlled upload: sixteen times the server's initial window. */
  static final int UPLOAD_SIZE = 16 * TourH2Server.INITIAL_WINDOW;

  /** How long any one wait may take before the tour gives up. */
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final PrintStream out;
  private long stepStart;

  /** A tour printing to {@code out}. */
  Tour(PrintStream out) {
    this.out = out;
  }

  /**
   * Starts the server, runs every step, stops the server.
   *
   * @throws StepFailed when a step sees something other than what it expects
   * @throws IOException when the server cannot start, or Mint fails ({@link MintException})
   */
  void run() throws IOException, StepFailed {
    try (TourServer server = TourServer.start()) {
      http1(server);
      http2();
      proxyAndWebSocket(server);
    }
    out.println();
    out.println("Tour complete: " + STEPS + " steps, every check passed.");
  }

  private void http1(TourServer server) throws IOException, StepFailed {
    out.println(
        "Mint tour, against an embedded HTTP/1.1 server at http://"
            + server.host()
            + ":"
            + server.port());
    onePassiveRequest(server);
    pipelining(server);
    streamedUpload(server);
    chunkedDownload(server);
    oneSelectorManyConnections(server);
  }

  private void http2() throws IOException, StepFailed {
    try (TourH2Server h2 = TourH2Server.start()) {
      out.println();
      out.println(
          "And HTTP/2, against an embedded h2c server at http://" + h2.host() + ":" + h2.port());
      manyStreams(h2);
      ping(h2);
      flowControlledUpload(h2);
    }
  }

  private void proxyAndWebSocket(TourServer server) throws IOException, StepFailed {
    try (TourProxy proxy = TourProxy.start();
        TourEchoServer echo = TourEchoServer.start()) {
      out.println();
      out.println(
          "And the layers above: a CONNECT proxy at "
              + proxy.host()
              + ":"
              + proxy.port()
              + ", a WebSocket echo server at ws://"
              + echo.host()
              + ":"
              + echo.port());
      proxyTunnel(server, proxy);
      webSocketEcho(echo);
    }
  }

  private void onePassiveRequest(TourServer server) throws MintException, StepFailed {
    step(1, "One request in passive mode: request(), then recv() until Done");
    try (HttpConnection conn = connect(server, Mode.PASSIVE)) {
      RequestRef ref =
          conn.request("GET", "/hello", Headers.of("accept", "text/plain"), RequestBody.none());
      say("request(GET /hello) -> " + ref);
      Map<RequestRef, String> bodies = recvUntilDone(conn, 1);
      check(TourServer.HELLO.equals(bodies.get(ref)), "unexpected body " + bodies.get(ref));
    }
  }

  private void pipelining(TourServer server) throws MintException, StepFailed {
    step(2, "Pipelining: three requests in flight on one connection");
    try (HttpConnection conn = connect(server, Mode.PASSIVE)) {
      List<RequestRef> sent = new ArrayList<>();
      for (int i = 1; i <= 3; i++) {
        RequestRef ref = conn.request("GET", "/items/" + i, Headers.empty(), RequestBody.none());
        sent.add(ref);
        say("request(GET /items/" + i + ") -> " + ref);
      }
      say(conn.openRequestCount() + " requests in flight before the first recv()");
      Map<RequestRef, String> bodies = recvUntilDone(conn, 3);
      check(
          new ArrayList<>(bodies.keySet()).equals(sent),
          "responses completed out of order: " + bodies.keySet());
      for (int i = 1; i <= 3; i++) {
        check(("item " + i).equals(bodies.get(sent.get(i - 1))), "wrong body for item " + i);
      }
      say("the responses completed in request order, each with its own body");
    }
  }

  private void streamedUpload(TourServer server) throws MintException, StepFailed {
    step(3, "A streamed upload: request(streaming), streamRequestBody() x16, endRequestBody()");
    byte[] chunk = new byte[64 * 1024];
    Random random = new Random(2024);
    CRC32 crc = new CRC32();
    long size = 0;
    try (HttpConnection conn = connect(server, Mode.PASSIVE)) {
      RequestRef ref =
          conn.request(
              "POST",
              "/upload",
              Headers.of("content-type", "application/octet-stream"),
              RequestBody.streaming());
      say("request(POST /upload, streaming) -> " + ref);
      for (int i = 0; i < 16; i++) {
        random.nextBytes(chunk);
        crc.update(chunk);
        size += chunk.length;
        conn.streamRequestBody(ref, ByteBuffer.wrap(chunk)); // the buffer may be reused after
      }
      conn.endRequestBody(ref);
      say(
          String.format(
              Locale.ROOT,
              "streamed %s in 16 chunks and ended the body; our crc32 is %08x",
              Progress.size(size),
              crc.getValue()));
      Map<RequestRef, String> bodies = recvUntilDone(conn, 1);
      String expected = TourServer.uploadAnswer(size, crc.getValue());
      check(expected.equals(bodies.get(ref)), "the server saw '" + bodies.get(ref) + "'");
      say("the server received every byte: size and checksum match");
    }
  }

  private void chunkedDownload(TourServer server) throws MintException, StepFailed {
    step(4, "A chunked download: Data parts arrive as the server sends each chunk");
    try (HttpConnection conn = connect(server, Mode.PASSIVE)) {
      RequestRef ref =
          conn.request("GET", "/chunked?n=5&delay=100", Headers.empty(), RequestBody.none());
      say("request(GET /chunked, 5 chunks 100 ms apart) -> " + ref);
      Map<RequestRef, String> bodies = recvUntilDone(conn, 1);
      StringBuilder expected = new StringBuilder();
      for (int i = 1; i <= 5; i++) {
        expected.append(TourServer.chunkLine(i, 5));
      }
      check(expected.toString().equals(bodies.get(ref)), "unexpected body " + bodies.get(ref));
    }
  }

  private void oneSelectorManyConnections(TourServer server)
      throws IOException, MintException, StepFailed {
    step(5, "One Selector driving four connections in active mode, on one thread");
    int count = 4;
    List<HttpConnection> connections = new ArrayList<>();
    Map<HttpConnection, StringBuilder> bodies = new HashMap<>();
    try (Selector selector = Selector.open()) {
      for (int i = 1; i <= count; i++) {
        HttpConnection conn = connect(server, Mode.ACTIVE);
        connections.add(conn);
        conn.putPrivate("name", "conn" + i); // caller-private data rides along with the connection
        conn.request("GET", "/chunked?n=3&delay=" + 30 * i, Headers.empty(), RequestBody.none());
        // Register for what the connection wants now: OP_READ, plus OP_WRITE while bytes wait.
        conn.selectableChannel().orElseThrow().register(selector, conn.interestOps(), conn);
        bodies.put(conn, new StringBuilder());
      }
      say(count + " requests sent; now one loop: select(), then stream() on each ready connection");

      int unfinished = count;
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (unfinished > 0) {
        check(System.nanoTime() - deadline < 0, "responses did not complete within " + WAIT);
        selector.select(100);
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey key = keys.next();
          keys.remove();
          HttpConnection conn = (HttpConnection) key.attachment();
          // stream() reads what is there without blocking; repeat while input sits decoded
          // inside the connection (TLS), which the selector cannot see.
          do {
            for (ResponsePart part : conn.stream()) {
              say(conn.getPrivate("name") + "  " + PartFormat.describe(part));
              if (part instanceof ResponsePart.Data d) {
                bodies.get(conn).append(d.bytes().utf8());
              } else if (part instanceof ResponsePart.Done) {
                unfinished--;
              } else if (part instanceof ResponsePart.RequestError e) {
                throw e.error();
              }
            }
          } while (conn.hasBufferedInput());
          if (key.isValid()) {
            key.interestOps(conn.interestOps());
          }
        }
      }
    } finally {
      connections.forEach(HttpConnection::close);
    }
    for (HttpConnection conn : connections) {
      String expected =
          TourServer.chunkLine(1, 3) + TourServer.chunkLine(2, 3) + TourServer.chunkLine(3, 3);
      check(expected.equals(bodies.get(conn).toString()), "wrong body on " + conn);
    }
    say("all " + count + " responses complete; their parts interleaved on one thread");
  }

  private void manyStreams(TourH2Server server) throws MintException, StepFailed {
    step(6, "HTTP/2: " + STREAMS + " requests multiplexed on one connection, one stream each");
    try (HttpConnection conn = connectH2(server)) {
      List<RequestRef> sent = new ArrayList<>();
      for (int i = 1; i <= STREAMS; i++) {
        sent.add(conn.request("GET", "/items/" + i, Headers.empty(), RequestBody.none()));
      }
      say(
          STREAMS
              + " requests sent before any response; "
              + conn.http2().orElseThrow().openStreamCount()
              + " streams open on "
              + conn.id());
      Map<RequestRef, String> bodies = recvUntilDone(conn, STREAMS);
      for (int i = 1; i <= STREAMS; i++) {
        check(("item " + i).equals(bodies.get(sent.get(i - 1))), "wrong body for stream " + i);
      }
      say("every stream got its own response, on one TCP connection");
    }
  }

  private void ping(TourH2Server server) throws MintException, StepFailed {
    step(7, "HTTP/2 PING: ping(), then recv() until its Pong");
    try (HttpConnection conn = connectH2(server)) {
      long start = System.nanoTime();
      RequestRef ping = conn.http2().orElseThrow().ping();
      say("ping() -> " + ping);
      boolean ponged = false;
      while (!ponged) {
        for (ResponsePart part : conn.recv(WAIT)) {
          say("recv() -> " + part.ref() + " " + PartFormat.describe(part));
          ponged |= part instanceof ResponsePart.Pong && part.ref() == ping;
        }
      }
      long micros = (System.nanoTime() - start) / 1_000;
      say(String.format(Locale.ROOT, "the server answered the PING in %.2f ms", micros / 1000.0));
      check(ponged, "no Pong");
    }
  }

  private void flowControlledUpload(TourH2Server server) throws MintException, StepFailed {
    step(8, "HTTP/2 flow control: an upload larger than the server's window");
    byte[] body = new byte[UPLOAD_SIZE];
    new Random(2025).nextBytes(body);
    CRC32 crc = new CRC32();
    crc.update(body);
    try (HttpConnection conn = connectH2(server)) {
      Http2Operations h2 = conn.http2().orElseThrow();
      RequestRef ref = conn.request("POST", "/upload", Headers.empty(), RequestBody.streaming());
      say(
          "the server's window: "
              + h2.connectionSendWindow()
              + " bytes for the connection; the body is "
              + Progress.size(UPLOAD_SIZE));
      int chunk = 64 * 1024;
      int calls = 0;
      for (int at = 0; at < body.length; at += chunk) {
        int n = Math.min(chunk, body.length - at);
        // DATA frames go out as far as the server's windows allow (RFC 9113 §6.9); the rest is
        // queued, and sent by later calls as the server's WINDOW_UPDATE frames open the window.
        conn.streamRequestBody(ref, ByteBuffer.wrap(body, at, n));
        calls++;
      }
      conn.endRequestBody(ref);
      say(
          "streamRequestBody() x"
              + calls
              + ", endRequestBody(): "
              + Progress.size(UPLOAD_SIZE)
              + " through a 64 KiB window: "
              + (UPLOAD_SIZE - h2.queuedRequestBodyBytes())
              + " bytes sent, "
              + h2.queuedRequestBodyBytes()
              + " queued until the server opens its window");
      Map<RequestRef, String> bodies = recvUntilDone(conn, 1);
      say(
          "recv() read the server's WINDOW_UPDATEs and sent the rest: "
              + h2.queuedRequestBodyBytes()
              + " bytes queued now");
      check(h2.queuedRequestBodyBytes() == 0, "bytes left in the queue");
      String expected = TourServer.uploadAnswer(UPLOAD_SIZE, crc.getValue());
      check(expected.equals(bodies.get(ref)), "the server saw '" + bodies.get(ref) + "'");
      say("the server received every byte: size and checksum match");
    }
  }

  private void proxyTunnel(TourServer server, TourProxy proxy) throws MintException, StepFailed {
    step(9, "Through an HTTP proxy: a CONNECT tunnel to the server, then a request inside it");
    ProxyOptions viaProxy =
        ProxyOptions.http(proxy.host(), proxy.port()).withTunnelHttp(true); // CONNECT for http too
    ConnectOptions options =
        ConnectOptions.builder().mode(Mode.PASSIVE).connectTimeout(WAIT).proxy(viaProxy).build();
    try (HttpConnection conn = Mint.connect(Scheme.HTTP, server.host(), server.port(), options)) {
      say(
          "Mint.connect(HTTP, "
              + server.host()
              + ", "
              + server.port()
              + ", proxy http://"
              + proxy.host()
              + ":"
              + proxy.port()
              + " tunnelling) -> "
              + conn.protocol());
      ProxyResponse.Http reply =
          conn.proxyResponse()
              .filter(ProxyResponse.Http.class::isInstance)
              .map(ProxyResponse.Http.class::cast)
              .orElseThrow(() -> new StepFailed("no proxy response on a tunnelled connection"));
      say(
          "proxyResponse() -> "
              + (reply.status() + " " + reply.reasonPhrase()).strip()
              + " "
              + PartFormat.fields(reply.headers()));
      check(reply.isSuccess(), "the proxy refused the tunnel: " + reply.status());
      String authority = server.host() + ":" + server.port();
      check(proxy.tunnels().contains(authority), "the proxy opened " + proxy.tunnels());
      RequestRef ref = conn.request("GET", "/hello", Headers.empty(), RequestBody.none());
      say("request(GET /hello) -> " + ref + ", inside the tunnel to " + authority);
      Map<RequestRef, String> bodies = recvUntilDone(conn, 1);
      check(TourServer.HELLO.equals(bodies.get(ref)), "unexpected body " + bodies.get(ref));
      say("the server answered through the proxy; the proxy only relayed the bytes");
    }
  }

  private void webSocketEcho(TourEchoServer echo) throws IOException, StepFailed {
    step(10, "A WebSocket: connect, send a text and a binary message, read the echoes, close");
    URI uri = URI.create("ws://" + echo.host() + ":" + echo.port() + "/echo");
    ConnectOptions options =
        ConnectOptions.builder().connectTimeout(WAIT).protocols(Protocol.HTTP1).build();
    try (WebSocket ws = WebSocket.connect(uri, options, WebSocketOptions.defaults(), WAIT)) {
      say(
          "WebSocket.connect("
              + uri
              + ") -> "
              + ws.state()
              + ", sec-websocket-accept: "
              + ws.responseHeaders().get("sec-websocket-accept"));
      String text = "Hello, WebSocket!";
      Bytes binary = Bytes.of(new byte[] {0, 1, 2, (byte) 0xfe, (byte) 0xff});
      ws.sendText(text);
      say("sendText(\"" + text + "\")");
      ws.sendBinary(binary);
      say("sendBinary(" + binary.length() + " bytes: " + hex(binary) + ")");
      List<Message> received = new ArrayList<>();
      // recv() blocks until a message arrives (TIMEOUT after WAIT); it returns none once closed.
      while (received.size() < 2 && ws.state() != WebSocket.State.CLOSED) {
        for (Message m : ws.recv(WAIT)) {
          say("recv() -> " + describe(m));
          received.add(m);
        }
      }
      check(
          received.equals(List.of(new Message.Text(text), new Message.Binary(binary))),
          "the echoes differ from what was sent: " + received);
      ws.send(new Message.Close(CloseCodes.NORMAL));
      say("send(Close 1000)");
      Message.Close closed = null;
      // After the server's Close, the WebSocket is CLOSED once the server has closed the TCP
      // connection too (RFC 6455 §7.1.1), which may arrive in a later read: receive until then.
      while (ws.state() != WebSocket.State.CLOSED) {
        for (Message m : ws.recv(WAIT)) {
          say("recv() -> " + describe(m));
          closed = m instanceof Message.Close c ? c : closed;
        }
      }
      check(closed != null, "the connection ended without the server's Close");
      check(closed.code() == CloseCodes.NORMAL, "the server closed with " + closed.code());
      check(ws.state() == WebSocket.State.CLOSED, "the WebSocket is " + ws.state());
      say("both Closes exchanged: the WebSocket is " + ws.state());
    }
  }

  /** A received WebSocket message in one line. */
  private static String describe(Message m) {
    if (m instanceof Message.Text t) {
      return "Text \"" + t.text() + "\"";
    } else if (m instanceof Message.Binary b) {
      return "Binary " + b.bytes().length() + " bytes: " + hex(b.bytes());
    } else if (m instanceof Message.Close c) {
      return ("Close " + c.code() + " " + c.reason()).strip();
    }
    return m.toString();
  }

  private static String hex(Bytes bytes) {
    StringBuilder s = new StringBuilder();
    for (byte b : bytes.toByteArray()) {
      s.append(s.length() == 0 ? "" : " ").append(String.format(Locale.ROOT, "%02x", b));
    }
    return s.toString();
  }

  private HttpConnection connectH2(TourH2Server server) throws MintException {
    ConnectOptions options =
        ConnectOptions.builder()
            .mode(Mode.PASSIVE)
            .connectTimeout(WAIT)
            .writeTimeout(WAIT)
            .protocols(List.of(Protocol.HTTP2))
            .build();
    HttpConnection conn = Mint.connect(Scheme.HTTP, server.host(), server.port(), options);
    say(
        "Mint.connect(HTTP, "
            + server.host()
            + ", "
            + server.port()
            + ", HTTP/2 prior knowledge) -> "
            + conn.protocol());
    return conn;
  }

  private HttpConnection connect(TourServer server, Mode mode) throws MintException {
    ConnectOptions options = ConnectOptions.builder().mode(mode).connectTimeout(WAIT).build();
    HttpConnection conn = Mint.connect(Scheme.HTTP, server.host(), server.port(), options);
    say("Mint.connect(HTTP, " + server.host() + ", " + server.port() + ", " + mode + ")");
    return conn;
  }

  /**
   * Passive mode: {@code recv()} until {@code requests} responses are done, printing each part.
   *
   * @return each request's body as text, in the order the requests completed
   */
  private Map<RequestRef, String> recvUntilDone(HttpConnection conn, int requests)
      throws MintException {
    Map<RequestRef, StringBuilder> bodies = new HashMap<>();
    Map<RequestRef, String> completed = new LinkedHashMap<>();
    while (completed.size() < requests) {
      // recv() blocks until at least one part arrives, or fails with TIMEOUT after WAIT.
      for (ResponsePart part : conn.recv(WAIT)) {
        say("recv() -> " + part.ref() + " " + PartFormat.describe(part));
        if (part instanceof ResponsePart.Data d) {
          bodies.computeIfAbsent(part.ref(), r -> new StringBuilder()).append(d.bytes().utf8());
        } else if (part instanceof ResponsePart.Done) {
          StringBuilder body = bodies.get(part.ref());
          completed.put(part.ref(), body == null ? "" : body.toString());
        } else if (part instanceof ResponsePart.RequestError e) {
          throw e.error();
        }
      }
    }
    return completed;
  }

  private void step(int number, String title) {
    out.println();
    out.println(number + ". " + title);
    stepStart = System.nanoTime();
  }

  /** A line of the current step, stamped with the milliseconds since the step started. */
  private void say(String line) {
    long ms = (System.nanoTime() - stepStart) / 1_000_000;
    out.println(String.format(Locale.ROOT, "   %5d ms  %s", ms, line));
  }

  private static void check(boolean condition, String failure) throws StepFailed {
    if (!condition) {
      throw new StepFailed(failure);
    }
  }

  /** A step of the tour saw something other than what it expects. */
  static final class StepFailed extends Exception {
    private static final long serialVersionUID = 1L;

    StepFailed(String message) {
      super(message);
    }
  }
}
