// SPDX-License-Identifier: Apache-2.0
package dev.mint.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The load comparison's server answers at the wire: pipelined requests, in order, complete. */
class BenchServerTest {

  @Test
  @Timeout(5)
  void answersPipelinedRequestsWithTheFixedResponse() throws Exception {
    byte[] expected = BenchServer.response(1024);
    try (BenchServer server = new BenchServer(1024);
        Socket socket = new Socket(InetAddress.getByName("127.0.0.1"), server.port())) {
      socket.setSoTimeout(2_000);
      OutputStream out = socket.getOutputStream();
      // One request and the start of a second in one write; the rest of the second comes later.
      out.write(
          "GET / HTTP/1.1\r\nhost: x\r\n\r\nGET /two HTTP/1.1\r\nho"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      byte[] first = new byte[expected.length];
      new DataInputStream(in).readFully(first);
      assertArrayEquals(expected, first);
      String head = new String(first, 0, 80, StandardCharsets.US_ASCII);
      assertTrue(head.startsWith("HTTP/1.1 200 OK\r\n"), head);
      assertTrue(
          new String(first, StandardCharsets.US_ASCII).contains("content-length: 1024\r\n\r\n"));

      out.write("st: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      byte[] second = new byte[expected.length];
      new DataInputStream(in).readFully(second);
      assertArrayEquals(expected, second);
      assertEquals(2, server.served());
    }
  }
}
