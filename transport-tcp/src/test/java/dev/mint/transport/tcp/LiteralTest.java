// SPDX-License-Identifier: Apache-2.0
package dev.mint.transport.tcp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** Addresses in error messages read as people write them (RFC 5952). */
class LiteralTest {
  @Test
  void formatsAddresses() throws Exception {
    assertEquals("127.0.0.1", TcpTransport.literal(InetAddress.getByName("127.0.0.1")));
    assertEquals("[::1]", TcpTransport.literal(InetAddress.getByName("::1")));
    assertEquals("[::]", TcpTransport.literal(InetAddress.getByName("::")));
    assertEquals(
        "[fe80::1:0:0:2]", TcpTransport.literal(InetAddress.getByName("fe80:0:0:0:1:0:0:2")));
    assertEquals("[2001:db8::1]", TcpTransport.literal(InetAddress.getByName("2001:db8::1")));
    assertEquals(
        "[1:0:2:3:4:5:6:7]", TcpTransport.literal(InetAddress.getByName("1:0:2:3:4:5:6:7")));
    assertEquals("[1::]", TcpTransport.literal(InetAddress.getByName("1::")));
  }
}
