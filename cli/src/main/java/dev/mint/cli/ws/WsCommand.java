// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli.ws;

import dev.mint.ConnectOptions;
import dev.mint.Headers;
import dev.mint.Protocol;
import dev.mint.TlsOptions;
import dev.mint.TransportException;
import dev.mint.websocket.CloseCodes;
import dev.mint.websocket.HandshakeException;
import dev.mint.websocket.Message;
import dev.mint.websocket.Opcode;
import dev.mint.websocket.WebSocket;
import dev.mint.websocket.WebSocketException;
import dev.mint.websocket.WebSocketOptions;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * {@code mint ws URL}: a WebSocket client on the command line, like websocat. Each line read from
 * standard input is sent as a text message; every message that arrives is printed on standard
 * output (text as a line, binary as its bytes); the end of input sends a Close (1000) and waits for
 * the server's. {@code -v} prints each frame sent and received on standard error.
 *
 * <p>Standard input is read on a thread of its own (the command's; the library starts none), and
 * handed over through a queue to the thread that drives the WebSocket in passive mode.
 */
public final class WsCommand {
  /** The usage text. */
  public static final String USAGE =
      """
      Usage: mint ws [options] URL      (URL: ws://host[:port]/path or wss://...)
        Sends each line of standard input as a text message and prints what arrives.
        -v, --verbose            print the frames sent (>) and received (<) on standard error
        -H, --header 'N: V'      send a header field with the handshake (repeatable)
        --subprotocol NAME       offer a subprotocol (repeatable)
        --no-deflate             do not offer permessage-deflate
        --http2                  allow HTTP/2 (extended CONNECT) when ALPN picks it (wss only)
        --cacert FILE            trust the CA certificates of this PEM file
        --timeout SECONDS        the handshake's and the close's time limit (default 10)
      Exit status: 0 closed cleanly, 1 failed, 2 usage error.""";

  /** How long one receive waits before input lines are looked at again. */
  private static final Duration TICK = Duration.ofMillis(50);

  private static final String EOF = "\u0000eof";

  private final Options options;
  private final PrintStream out;
  private final PrintStream err;
  private final BlockingQueue<String> lines = new LinkedBlockingQueue<>(1024);

  private WsCommand(Options options, PrintStream out, PrintStream err) {
    this.options = options;
    this.out = out;
    this.err = err;
  }

  /**
   * Runs {@code mint ws} with {@code args} (without the leading {@code ws}).
   *
   * @return the exit status: 0 closed cleanly, 1 failed, 2 usage error
   */
  public static int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("mint ws: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    if (options.help) {
      out.println(USAGE);
      return 0;
    }
    try {
      return new WsCommand(options, out, err).session(in);
    } catch (HandshakeException e) {
      err.println("mint ws: handshake failed: " + e.reason() + ": " + e.getMessage());
      return 1;
    } catch (WebSocketException e) {
      err.println("mint ws: closed with " + e.closeCode() + ": " + e.getMessage());
      return 1;
    } catch (IOException e) {
      err.println("mint ws: " + e.getMessage());
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    } finally {
      out.flush();
    }
  }

  private int session(InputStream in) throws IOException, InterruptedException {
    Thread reader = startReader(in);
    try (WebSocket ws =
        WebSocket.connect(options.uri, options.connect(), options.webSocket(), options.timeout)) {
      verbose("connected over " + ws.connection().protocol() + " " + ws.extensions());
      long closeDeadline = Long.MAX_VALUE;
      TextAssembly text = new TextAssembly();
      while (ws.state() != WebSocket.State.CLOSED) {
        if (ws.state() == WebSocket.State.OPEN && sendLines(ws)) {
          ws.send(new Message.Close(CloseCodes.NORMAL));
          verbose("> close 1000");
          closeDeadline = System.nanoTime() + options.timeout.toNanos();
        }
        if (System.nanoTime() - closeDeadline > 0) {
          err.println("mint ws: the server did not close in time");
          return 1;
        }
        try {
          for (Message m : ws.recv(TICK)) {
            show(m, text);
          }
        } catch (TransportException e) {
          if (e.reason() != TransportException.Reason.TIMEOUT) {
            throw e;
          }
        }
      }
      return 0;
    } finally {
      reader.interrupt();
    }
  }

  /** Sends the lines waiting; returns whether the input ended. */
  private boolean sendLines(WebSocket ws) throws IOException {
    List<String> waiting = new ArrayList<>();
    lines.drainTo(waiting);
    for (String line : waiting) {
      if (line == EOF) {
        return true;
      }
      ws.sendText(line);
      verbose("> text " + line.getBytes(StandardCharsets.UTF_8).length + " bytes");
    }
    return false;
  }

  private Thread startReader(InputStream in) {
    Thread t =
        new Thread(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  lines.put(line);
                }
              } catch (IOException | InterruptedException e) {
                // the input ends here either way
              }
              lines.offer(EOF);
            },
            "mint-ws-stdin");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private void show(Message m, TextAssembly text) {
    if (m instanceof Message.Text t) {
      verbose("< text " + t.text().getBytes(StandardCharsets.UTF_8).length + " bytes");
      out.println(t.text());
    } else if (m instanceof Message.Binary b) {
      verbose("< binary " + b.bytes().length() + " bytes");
      out.write(b.bytes().toByteArray(), 0, b.bytes().length());
      out.flush();
    } else if (m instanceof Message.Fragment f) {
      verbose(
          "< "
              + f.opcode().name().toLowerCase(Locale.ROOT)
              + " frame "
              + f.payload().length()
              + " bytes"
              + (f.fin() ? " fin" : ""));
      text.add(f, out);
    } else if (m instanceof Message.Ping p) {
      verbose("< ping " + p.payload().length() + " bytes (answered)");
    } else if (m instanceof Message.Pong p) {
      verbose("< pong " + p.payload().length() + " bytes");
    } else if (m instanceof Message.Close c) {
      verbose("< close " + c.code() + (c.reason().isEmpty() ? "" : " " + c.reason()));
    }
  }

  private void verbose(String line) {
    if (options.verbose) {
      err.println(line);
    }
  }

  /** With frames delivered one by one ({@code -v}), puts messages back together for output. */
  private static final class TextAssembly {
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean text;

    void add(Message.Fragment f, PrintStream out) {
      if (f.opcode() != Opcode.CONTINUATION) {
        text = f.opcode() == Opcode.TEXT;
        pending.reset();
      }
      pending.writeBytes(f.payload().toByteArray());
      if (f.fin()) {
        if (text) {
          out.println(pending.toString(StandardCharsets.UTF_8));
        } else {
          out.writeBytes(pending.toByteArray());
        }
        out.flush();
        pending.reset();
      }
    }
  }

  /** The command line. */
  private static final class Options {
    URI uri;
    boolean verbose;
    boolean help;
    boolean deflate = true;
    boolean http2;
    Path cacert;
    Duration timeout = Duration.ofSeconds(10);
    final Headers.Builder headers = Headers.builder();
    final List<String> subprotocols = new ArrayList<>();

    static Options parse(String[] args) {
      Options o = new Options();
      for (int i = 0; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "-v", "--verbose" -> o.verbose = true;
          case "-h", "--help" -> o.help = true;
          case "--no-deflate" -> o.deflate = false;
          case "--http2" -> o.http2 = true;
          case "-H", "--header" -> o.header(value(args, ++i, a));
          case "--subprotocol" -> o.subprotocols.add(value(args, ++i, a));
          case "--cacert" -> o.cacert = Path.of(value(args, ++i, a));
          case "--timeout" -> o.timeout = seconds(value(args, ++i, a));
          default -> {
            if (a.startsWith("-") || o.uri != null) {
              throw new IllegalArgumentException("unexpected argument " + a);
            }
            o.uri = uri(a);
          }
        }
      }
      if (o.uri == null && !o.help) {
        throw new IllegalArgumentException("no URL given");
      }
      return o;
    }

    private static String value(String[] args, int i, String option) {
      if (i >= args.length) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return args[i];
    }

    private static Duration seconds(String s) {
      try {
        long n = Long.parseLong(s);
        if (n > 0) {
          return Duration.ofSeconds(n);
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException("--timeout takes a positive number of seconds: " + s);
    }

    private static URI uri(String s) {
      try {
        URI u = new URI(s);
        String scheme = String.valueOf(u.getScheme()).toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss") || u.getHost() == null) {
          throw new IllegalArgumentException("the URL is ws://host/path or wss://host/path: " + s);
        }
        return u;
      } catch (URISyntaxException e) {
        throw new IllegalArgumentException("not a URL: " + s);
      }
    }

    private void header(String line) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new IllegalArgumentException("a header is 'name: value', got " + line);
      }
      headers.add(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
    }

    ConnectOptions connect() {
      ConnectOptions.Builder b =
          ConnectOptions.builder()
              .protocols(http2 ? List.of(Protocol.HTTP2, Protocol.HTTP1) : List.of(Protocol.HTTP1));
      if (cacert != null) {
        b.tls(TlsOptions.defaults().withCaCertificatesPem(cacert));
      }
      return b.build();
    }

    WebSocketOptions webSocket() {
      WebSocketOptions o =
          WebSocketOptions.defaults()
              .withHeaders(headers.build())
              .withSubprotocols(subprotocols)
              .withDelivery(
                  verbose ? WebSocketOptions.Delivery.FRAMES : WebSocketOptions.Delivery.MESSAGES);
      return deflate ? o : o.withDeflate(null);
    }
  }
}
