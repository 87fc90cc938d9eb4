// SPDX-License-Identifier: Apache-2.0
package dev.mint.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code NO_PROXY} as curl and Go read it, and {@code http.nonProxyHosts} as the JDK does. */
class NoProxyTest {

  @ParameterizedTest(name = "NO_PROXY={0}: {1}:{2} direct={3}")
  @CsvSource(
      delimiter = ';',
      value = {
        // domains, with or without a leading dot (or *.), match the name and every name below
        "example.com; example.com; 80; true",
        "example.com; www.example.com; 80; true",
        "example.com; a.b.example.com; 443; true",
        "example.com; badexample.com; 80; false",
        "example.com; example.org; 80; false",
        ".example.com; example.com; 80; true",
        ".example.com; www.example.com; 80; true",
        "*.example.com; www.example.com; 80; true",
        "EXAMPLE.com; www.Example.COM; 80; true",
        "example.com.; www.example.com; 80; true",
        "example.com; www.example.com.; 80; true",
        // lists, with spaces
        "localhost, .internal ,10.0.0.1; svc.internal; 80; true",
        "localhost, .internal ,10.0.0.1; 10.0.0.1; 80; true",
        "localhost, .internal ,10.0.0.1; 10.0.0.2; 80; false",
        "'a.test b.test'; b.test; 80; true",
        // everything
        "*; anything.test; 1; true",
        "*; 10.1.1.1; 1; true",
        // ports
        "example.com:8080; example.com; 8080; true",
        "example.com:8080; example.com; 80; false",
        "10.0.0.1:8080; 10.0.0.1; 8080; true",
        "10.0.0.1:8080; 10.0.0.1; 80; false",
        "example.com:x; example.com; 80; false",
        // IP literals, compared as addresses
        "::1; ::1; 80; true",
        "::1; 0:0:0:0:0:0:0:1; 80; true",
        "[::1]; ::1; 80; true",
        "::1; [::1]; 80; true",
        "[::1]:8080; ::1; 8080; true",
        "[::1]:8080; ::1; 80; false",
        "2001:db8::1; 2001:db8::2; 80; false",
        "127.0.0.1; 127.0.0.1; 80; true",
        "127.0.0.1; 127.0.0.2; 80; false",
        "127.0.0.1; localhost; 80; false",
        // CIDR blocks
        "10.0.0.0/8; 10.200.3.4; 80; true",
        "10.0.0.0/8; 11.0.0.1; 80; false",
        "192.168.1.0/24; 192.168.1.77; 80; true",
        "192.168.1.0/24; 192.168.2.1; 80; false",
        "fd00::/8; fd12::1; 80; true",
        "fd00::/8; fe80::1; 80; false",
        "10.0.0.0/33; 10.0.0.1; 80; false",
        "10.0.0.0/8; example.com; 80; false",
        // nothing
        "''; example.com; 80; false",
      })
  void environment(String noProxy, String host, int port, boolean direct) {
    assertEquals(direct, NoProxy.parseEnvironment(noProxy).matches(host, port));
  }

  @ParameterizedTest(name = "nonProxyHosts={0}: {1} direct={2}")
  @CsvSource(
      delimiter = ';',
      value = {
        "localhost|127.*|[::1]|0.0.0.0|[::0]; localhost; true",
        "localhost|127.*|[::1]|0.0.0.0|[::0]; 127.0.0.1; true",
        "localhost|127.*|[::1]|0.0.0.0|[::0]; ::1; true",
        "localhost|127.*|[::1]|0.0.0.0|[::0]; [::1]; true",
        "localhost|127.*|[::1]|0.0.0.0|[::0]; 0:0:0:0:0:0:0:0; true",
        "localhost|127.*|[::1]|0.0.0.0|[::0]; example.com; false",
        "*.example.com|internal; www.example.com; true",
        "*.example.com|internal; example.com; false",
        "*.example.com|internal; INTERNAL; true",
        "*.example.com|internal; internal.example.org; false",
        "*; anything; true",
        "*corp*; a.corp.test; true",
        "'';  example.com; false",
      })
  void jvm(String patterns, String host, boolean direct) {
    assertEquals(direct, NoProxy.parseJvm(patterns).matches(host, 80));
  }
}
