// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Scripts for {@link LoopbackServer}: an HTTP proxy answering {@code CONNECT}, an HTTP/1.1 origin,
 * and a forwarding proxy that is its own origin. Public for the {@code it} module.
 */
public final class Scripts {
  /** The usual {@code CONNECT} success. */
  public static final String ESTABLISHED = "HTTP/1.1 200 Connection established\r\n\r\n";

  private Scripts() {}

  /**
   * A {@code CONNECT} proxy: reads the request head, writes {@code reply}, then relays to the
   * target the request named.
   */
  public static LoopbackServer.Script connect(String reply) {
    return session -> {
      String head = session.readHead();
      session.write(reply);
      String target = connectTarget(head);
      int colon = target.lastIndexOf(':');
      String host = target.substring(0, colon).replace("[", "").replace("]", "");
      session.relay(host, Integer.parseInt(target.substring(colon + 1)));
    };
  }

  /** A {@code CONNECT} proxy that relays to {@code host:port}, whatever the request named. */
  public static LoopbackServer.Script connectTo(String reply, String host, int port) {
    return session -> {
      session.readHead();
      session.write(reply);
      session.relay(host, port);
    };
  }

  /** The authority-form target of a {@code CONNECT} head. */
  public static String connectTarget(String head) {
    String line = head.substring(0, head.indexOf("\r\n"));
    String[] parts = line.split(" ");
    if (parts.length != 3 || !parts[0].equals("CONNECT")) {
      throw new IllegalStateException("not a CONNECT request: " + line);
    }
    return parts[1];
  }

  /**
   * An HTTP/1.1 origin (or a forwarding proxy acting as one): answers every request on the
   * connection with 200 and the body {@code "hello " + request-target}, until the client closes.
   * Request bodies with {@code content-length} are read and dropped.
   */
  public static LoopbackServer.Script origin() {
    return session -> {
      String head;
      while ((head = session.readHead()) != null) {
        String length = field(head, "content-length");
        if (length != null) {
          session.readExactly(Integer.parseInt(length));
        }
        String line = head.substring(0, head.indexOf("\r\n"));
        byte[] body = ("hello " + line.split(" ")[1]).getBytes(StandardCharsets.UTF_8);
        session.write(
            "HTTP/1.1 200 OK\r\ncontent-length: "
                + body.length
                + "\r\nx-host: "
                + field(head, "host")
                + "\r\n\r\n");
        session.write(body);
      }
    };
  }

  /** The first value of field {@code name} in a head, or {@code null}. */
  public static String field(String head, String name) {
    for (String line : head.split("\r\n")) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).toLowerCase(Locale.ROOT).equals(name)) {
        return line.substring(colon + 1).strip();
      }
    }
    return null;
  }

  /** A proxy that reads the request head and then says nothing until the client goes away. */
  public static LoopbackServer.Script silent() {
    return session -> {
      session.expectFailure();
      session.readHead();
      session.in().read(); // blocks until the client closes
    };
  }

  /** Reads the request head and closes without a word. */
  public static LoopbackServer.Script closing() {
    return session -> session.readHead();
  }

  /** Reads the request head, writes {@code reply}, and closes. */
  public static LoopbackServer.Script answering(String reply) {
    return session -> {
      session.readHead();
      session.write(reply);
      try {
        session.in().read(); // until the client closes its side
      } catch (IOException e) {
        // a reset: the client closed
      }
    };
  }
}
