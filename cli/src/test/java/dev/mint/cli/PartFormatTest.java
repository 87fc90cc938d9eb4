// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mint.Headers;
import dev.mint.HttpException;
import dev.mint.Protocol;
import dev.mint.RequestRef;
import dev.mint.ResponsePart;
import dev.mint.TransportException;
import dev.mint.spi.ApiAccess;
import org.junit.jupiter.api.Test;

class PartFormatTest {
  private final RequestRef ref = ApiAccess.newRequestRef(1, "");

  @Test
  void http2PartsAreDescribed() {
    assertEquals("Pong", PartFormat.describe(new ResponsePart.Pong(ref)));
    RequestRef pushed = ApiAccess.newRequestRef(2, "push");
    assertEquals(
        "PushPromise RequestRef#2(push) [:path: /style.css]",
        PartFormat.describe(
            new ResponsePart.PushPromise(ref, pushed, Headers.of(":path", "/style.css"))));
  }

  @Test
  void aStreamErrorNamesItsHttp2ErrorCode() {
    HttpException reset =
        new HttpException(
            HttpException.Reason.HTTP2_STREAM_ERROR,
            HttpException.Fault.PEER,
            HttpException.Scope.REQUEST,
            "the server reset stream 1",
            0x7,
            true,
            null);
    assertEquals(
        "RequestError HTTP2_STREAM_ERROR: the server reset stream 1 (peer fault, request scope,"
            + " HTTP/2 error REFUSED_STREAM (0x7), safe to retry)",
        PartFormat.describe(new ResponsePart.RequestError(ref, reset)));
  }

  @Test
  void http2ErrorCodesByName() {
    assertEquals("NO_ERROR (0x0)", PartFormat.http2ErrorName(0));
    assertEquals("ENHANCE_YOUR_CALM (0xb)", PartFormat.http2ErrorName(0xb));
    assertEquals("HTTP_1_1_REQUIRED (0xd)", PartFormat.http2ErrorName(0xd));
    assertEquals("0xe", PartFormat.http2ErrorName(0xe)); // not in RFC 9113 §7: the value alone
  }

  @Test
  void http1ErrorsHaveNoHttp2Code() {
    assertEquals(
        "PREMATURE_CLOSE: gone (peer fault, connection scope)",
        PartFormat.errorLine(HttpException.peer(HttpException.Reason.PREMATURE_CLOSE, "gone")));
    assertEquals(
        "UNTRUSTED_CERTIFICATE: no",
        PartFormat.errorLine(
            new TransportException(TransportException.Reason.UNTRUSTED_CERTIFICATE, "no")));
  }

  @Test
  void statusLines() {
    assertEquals("HTTP/2 204", PartFormat.statusLine(Protocol.HTTP2, 204, ""));
    assertEquals("HTTP/1.1 404", PartFormat.statusLine(Protocol.HTTP1, 404, ""));
    assertEquals("HTTP/1.1 404 Not Found", PartFormat.statusLine(Protocol.HTTP1, 404, "Not Found"));
  }

  @Test
  void errorLinesNameNoJavaClass() {
    String line =
        PartFormat.errorLine(
            new TransportException(
                TransportException.Reason.UNTRUSTED_CERTIFICATE,
                "not trusted: PKIX path building failed:"
                    + " sun.security.provider.certpath.SunCertPathBuilderException: unable to"
                    + " find valid certification path; javax.net.ssl.SSLHandshakeException"));
    assertEquals(
        "UNTRUSTED_CERTIFICATE: not trusted: PKIX path building failed: unable to find valid"
            + " certification path; ",
        line);
  }

  @Test
  void simpleClassNamesGoToo() {
    String line =
        PartFormat.errorLine(
            new TransportException(
                TransportException.Reason.CONNECTION_REFUSED,
                "cannot connect to 127.0.0.1:1; tried 127.0.0.1 (ConnectException: Connection"
                    + " refused); PROTOCOL_ERROR stays"));
    assertEquals(
        "CONNECTION_REFUSED: cannot connect to 127.0.0.1:1; tried 127.0.0.1 (Connection refused);"
            + " PROTOCOL_ERROR stays",
        line);
  }

  @Test
  void statusPartsKeepTheReasonPhrase() {
    assertEquals(
        "Status 404 Not Found",
        PartFormat.describe(new ResponsePart.Status(ref, 404, "Not Found")));
    assertEquals("Status 200", PartFormat.describe(new ResponsePart.Status(ref, 200, "")));
  }
}
