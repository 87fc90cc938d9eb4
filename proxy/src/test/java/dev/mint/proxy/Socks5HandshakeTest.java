// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mint.ProxyOptions;
import dev.mint.ProxyResponse;
import dev.mint.TransportException;
import dev.mint.TransportException.Reason;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SOCKS5 codec at byte level (RFC 1928, RFC 1929): what it sends, and every reply fed whole,
 * one byte at a time and randomly cut.
 */
class Socks5HandshakeTest {
  private static final ProxyOptions.Credentials ALICE = new ProxyOptions.Credentials("alice", "pw");

  /** No authentication chosen. */
  private static final byte[] NO_AUTH = {5, 0};

  /** Username/password chosen, then accepted. */
  private static final byte[] USER_PASS_OK = {5, 2, 1, 0};

  /** A success reply bound to 10.1.2.3:4660. */
  private static final byte[] BOUND_IPV4 = {5, 0, 0, 1, 10, 1, 2, 3, 0x12, 0x34};

  private static Supplier<Handshake> toName(String name, ProxyOptions.Credentials credentials) {
    return () -> {
      try {
        return Socks5Handshake.forName(name, 443, credentials, "SOCKS5 test");
      } catch (TransportException e) {
        throw new AssertionError(e);
      }
    };
  }

  private static final Supplier<Handshake> PLAIN = toName("origin.test", null);
  private static final Supplier<Handshake> WITH_AUTH = toName("origin.test", ALICE);

  private static byte[] bytes(int... values) {
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) values[i];
    }
    return b;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.write(p, 0, p.length);
    }
    return out.toByteArray();
  }

  /** The CONNECT request for origin.test:443 by name. */
  private static byte[] connectByName() {
    byte[] name = "origin.test".getBytes(StandardCharsets.US_ASCII);
    return concat(bytes(5, 1, 0, 3, name.length), name, bytes(1, 0xBB));
  }

  @Test
  void withoutCredentialsOnlyNoAuthIsOffered() {
    Fed fed = Fed.everySplit(PLAIN, concat(NO_AUTH, BOUND_IPV4));
    assertArrayEquals(concat(bytes(5, 1, 0), connectByName()), fed.sent());
    assertEquals(new ProxyResponse.Socks5(0, "10.1.2.3", 0x1234), fed.done(""));
  }

  @Test
  void withCredentialsBothMethodsAreOfferedAndTheProxyMayPickEither() {
    Fed userPass = Fed.everySplit(WITH_AUTH, concat(USER_PASS_OK, BOUND_IPV4));
    byte[] auth = concat(bytes(1, 5), "alice".getBytes(StandardCharsets.UTF_8), bytes(2, 'p', 'w'));
    assertArrayEquals(concat(bytes(5, 2, 0, 2), auth, connectByName()), userPass.sent());
    userPass.done("");
    Fed none = Fed.everySplit(WITH_AUTH, concat(NO_AUTH, BOUND_IPV4));
    assertArrayEquals(concat(bytes(5, 2, 0, 2), connectByName()), none.sent());
    none.done("");
  }

  @Test
  void rejectedCredentialsAreAuthFailed() {
    Fed fed = Fed.everySplit(WITH_AUTH, bytes(5, 2, 1, 1));
    fed.failed(Reason.PROXY_AUTH_FAILED);
    assertTrue(!fed.sentText().contains("origin.test"), "no CONNECT is sent after a failed login");
  }

  @Test
  void noAcceptableMethod() {
    TransportException e =
        Fed.everySplit(PLAIN, bytes(5, 0xFF)).failed(Reason.PROXY_NO_ACCEPTABLE_AUTH);
    assertTrue(e.getMessage().contains("credentials"), e.getMessage());
    Fed.everySplit(WITH_AUTH, bytes(5, 0xFF)).failed(Reason.PROXY_NO_ACCEPTABLE_AUTH);
  }

  /** The reply codes of RFC 1928 §6 and their reasons; also used by the loopback test. */
  static Stream<Arguments> assignedReplyCodes() {
    return Stream.of(
        Arguments.of(1, Reason.SOCKS_GENERAL_FAILURE),
        Arguments.of(2, Reason.SOCKS_NOT_ALLOWED),
        Arguments.of(3, Reason.SOCKS_NETWORK_UNREACHABLE),
        Arguments.of(4, Reason.SOCKS_HOST_UNREACHABLE),
        Arguments.of(5, Reason.SOCKS_CONNECTION_REFUSED),
        Arguments.of(6, Reason.SOCKS_TTL_EXPIRED),
        Arguments.of(7, Reason.SOCKS_COMMAND_NOT_SUPPORTED),
        Arguments.of(8, Reason.SOCKS_ADDRESS_TYPE_NOT_SUPPORTED));
  }

  /** Every code: the assigned ones, and unassigned ones (X'09' to X'FF'). */
  static Stream<Arguments> everyReplyCode() {
    return Stream.concat(
        assignedReplyCodes(),
        Stream.of(
            Arguments.of(9, Reason.PROXY_BAD_REPLY), Arguments.of(255, Reason.PROXY_BAD_REPLY)));
  }

  @ParameterizedTest
  @MethodSource("everyReplyCode")
  void everyReplyCodeHasItsReason(int code, Reason reason) {
    byte[] reply = bytes(5, code, 0, 1, 0, 0, 0, 0, 0, 0);
    TransportException e = Fed.everySplit(PLAIN, concat(NO_AUTH, reply)).failed(reason);
    assertEquals(new ProxyResponse.Socks5(code, "", 0), e.proxyResponse().orElseThrow());
  }

  @Test
  void aFailureNeedsOnlyTheReplyHead() {
    // The proxy closes right after a failure; its BND fields are not waited for.
    Fed.everySplit(PLAIN, concat(NO_AUTH, bytes(5, 5, 0, 3)))
        .failed(Reason.SOCKS_CONNECTION_REFUSED);
  }

  @Test
  void anIpv6BoundAddressIsParsed() {
    byte[] reply =
        concat(
            bytes(5, 0, 0, 4),
            bytes(0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1),
            bytes(0x1F, 0x90),
            "ab".getBytes(StandardCharsets.US_ASCII));
    assertEquals(
        new ProxyResponse.Socks5(0, "2001:db8:0:0:0:0:0:1", 8080),
        Fed.everySplit(PLAIN, concat(NO_AUTH, reply)).done("ab"));
  }

  @Test
  void aDomainBoundAddressIsParsedAndSkippedExactly() {
    byte[] name = "relay.proxy.test".getBytes(StandardCharsets.US_ASCII);
    byte[] reply =
        concat(bytes(5, 0, 0, 3, name.length), name, bytes(0, 80), bytes(5, 0, 0, 1, 9, 9));
    assertEquals(
        new ProxyResponse.Socks5(0, "relay.proxy.test", 80),
        Fed.everySplit(PLAIN, concat(NO_AUTH, reply)).done("\u0005\u0000\u0000\u0001\t\t"));
  }

  @Test
  void anEmptyDomainBoundAddressIsParsed() {
    assertEquals(
        new ProxyResponse.Socks5(0, "", 1),
        Fed.everySplit(PLAIN, concat(NO_AUTH, bytes(5, 0, 0, 3, 0, 0, 1))).done(""));
  }

  @Test
  void originBytesAfterAnIpv4ReplyAreLeftOver() {
    Fed.everySplit(
            PLAIN, concat(NO_AUTH, BOUND_IPV4, "HTTP/1.1".getBytes(StandardCharsets.US_ASCII)))
        .done("HTTP/1.1");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "4,0", // a SOCKS4 server's version
        "72,84", // "HT": an HTTP proxy answering
        "5,1", // GSSAPI, which was not offered
        "5,2", // username/password, not offered without credentials
        "5,0|4,0,0,1,1,1,1,1,0,1", // reply version 4
        "5,0|5,0,0,2,1,1,1,1,0,1", // unknown address type in a success
      })
  void malformedRepliesAreBadReplies(String script) {
    Fed.everySplit(PLAIN, parse(script)).failed(Reason.PROXY_BAD_REPLY);
  }

  @Test
  void aWrongAuthVersionIsABadReply() {
    Fed.everySplit(WITH_AUTH, bytes(5, 2, 5, 0)).failed(Reason.PROXY_BAD_REPLY);
  }

  @Test
  void anIncompleteReplyWaits() {
    Fed.everySplit(PLAIN, concat(NO_AUTH, bytes(5, 0, 0, 4, 1, 2, 3))).needsMore();
  }

  @Test
  void anEndOfStreamIsProxyClosedInEveryState() throws Exception {
    for (byte[] before : List.of(new byte[0], USER_PASS_OK.clone(), new byte[] {5, 2})) {
      Handshake h = WITH_AUTH.get();
      Fed.feed(h, before.length == 0 ? List.of() : List.of(before));
      TransportException e = assertThrows(TransportException.class, h::receiveEnd);
      assertEquals(Reason.PROXY_CLOSED, e.reason());
    }
  }

  @Test
  void addressesAreSentByType() throws Exception {
    Handshake v4 = Socks5Handshake.forAddress(InetAddress.getByName("192.0.2.7"), 80, null, "test");
    assertArrayEquals(
        concat(bytes(5, 1, 0), bytes(5, 1, 0, 1, 192, 0, 2, 7, 0, 80)),
        Fed.feed(v4, List.of(NO_AUTH)).sent());
    Handshake v6 = Socks5Handshake.forAddress(InetAddress.getByName("::1"), 443, null, "test");
    assertArrayEquals(
        concat(
            bytes(5, 1, 0),
            bytes(5, 1, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0xBB)),
        Fed.feed(v6, List.of(NO_AUTH)).sent());
  }

  @Test
  void namesAreSentInTheirAsciiFormAndMustFit() throws Exception {
    Handshake idn = Socks5Handshake.forName("b\u00fccher.test", 80, null, "test");
    String sent = Fed.feed(idn, List.of(NO_AUTH)).sentText();
    assertTrue(sent.contains("xn--bcher-kva.test"), sent);
    TransportException tooLong =
        assertThrows(
            TransportException.class,
            () ->
                Socks5Handshake.forName(
                    "a".repeat(63)
                        + "."
                        + "b".repeat(63)
                        + "."
                        + "c".repeat(63)
                        + "."
                        + "d".repeat(63)
                        + ".e",
                    80,
                    null,
                    "test"));
    assertEquals(Reason.UNRESOLVED_HOST, tooLong.reason());
  }

  /** Bytes from decimal values; {@code |} separates messages for readability only. */
  private static byte[] parse(String script) {
    String[] values = script.replace('|', ',').split(",");
    byte[] b = new byte[values.length];
    for (int i = 0; i < values.length; i++) {
      b[i] = (byte) Integer.parseInt(values[i].strip());
    }
    return b;
  }
}
