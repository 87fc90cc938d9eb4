// SPDX-License-Identifier: Apache-2.0
package dev.mint.testing;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * One accepted connection as the protocol handlers see it: buffered streams over the socket (TLS or
 * not), and the raw TCP socket beneath for a reset.
 */
final class Wire {
  private final Socket raw;
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final boolean tls;
  private final int index;

  Wire(Socket raw, Socket socket, InputStream in, boolean tls, int index) throws IOException {
    this.raw = raw;
    this.socket = socket;
    this.in = new BufferedInputStream(in, 16 * 1024);
    this.out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    this.tls = tls;
    this.index = index;
  }

  InputStream in() {
    return in;
  }

  OutputStream out() {
    return out;
  }

  boolean tls() {
    return tls;
  }

  int index() {
    return index;
  }

  /** Closes the connection: TLS close_notify first where there is TLS, then a FIN. */
  void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // Closing anyway: the raw socket below.
    }
    try {
      raw.close();
    } catch (IOException e) {
      // Nothing more to do.
    }
  }

  /** Resets the TCP connection: SO_LINGER 0, so the close sends RST, without TLS close_notify. */
  void reset() {
    try {
      raw.setSoLinger(true, 0);
    } catch (IOException e) {
      // The close below still ends the connection.
    }
    try {
      raw.close();
    } catch (IOException e) {
      // Nothing more to do.
    }
  }
}
