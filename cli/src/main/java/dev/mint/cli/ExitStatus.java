// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import dev.mint.HttpException;
import dev.mint.MintException;
import dev.mint.TransportException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * The exit statuses of the {@code mint} command: curl's, for the same failures (its {@code CURLE_*}
 * codes), so that scripts written for curl read them the same way. {@code --help} lists them.
 */
final class ExitStatus {
  /** Success: a response arrived (of any status, unless {@code -f}), or the tour passed. */
  static final int OK = 0;

  /** A failure with no closer code, or a failed tour step. */
  static final int FAILED = 1;

  /** The command line could not be understood. */
  static final int USAGE = 2;

  /** The URL is malformed, or not http or https. */
  static final int URL_MALFORMED = 3;

  /** The proxy's name did not resolve. */
  static final int COULD_NOT_RESOLVE_PROXY = 5;

  /** The host's name did not resolve. */
  static final int COULD_NOT_RESOLVE_HOST = 6;

  /** The host (or the proxy) could not be connected to. */
  static final int COULD_NOT_CONNECT = 7;

  /** The server's reply is not HTTP as the library reads it. */
  static final int WEIRD_SERVER_REPLY = 8;

  /** An HTTP/2 connection error: a framing or protocol failure of the connection. */
  static final int HTTP2 = 16;

  /** {@code -f}: the server answered with a status of 400 or more. */
  static final int HTTP_RETURNED_ERROR = 22;

  /** Writing the body (to stdout or {@code -o}) failed, as when the reader of a pipe went away. */
  static final int WRITE_ERROR = 23;

  /** A local file ({@code -d @FILE}) could not be read. */
  static final int READ_ERROR = 26;

  /** A timeout: connecting, a part, or {@code --max-time}. */
  static final int TIMED_OUT = 28;

  /** {@code --compressed}: the body did not decode. */
  static final int BAD_CONTENT_ENCODING = 61;

  /** The TLS handshake failed. */
  static final int TLS_CONNECT_ERROR = 35;

  /** {@code -L} met more than {@code --max-redirs} redirects. */
  static final int TOO_MANY_REDIRECTS = 47;

  /** The server closed the connection before the response ended. */
  static final int RECEIVE_ERROR = 56;

  /** The server's certificate is not trusted, expired, or names another host. */
  static final int PEER_FAILED_VERIFICATION = 60;

  /** The {@code --cacert} file could not be read. */
  static final int CA_CERT_BAD_FILE = 77;

  /** An HTTP/2 stream was reset, or ended in a stream error. */
  static final int HTTP2_STREAM = 92;

  /** The lines {@code --help} prints for them, {@code code:meaning}. */
  static final String[] HELP = {
    " 0:a response arrived (any status without -f), or the tour passed",
    " 1:another failure, or a tour step failed",
    " 2:a usage error",
    " 3:the URL is malformed, or not http:// or https://",
    " 5:the proxy's name does not resolve",
    " 6:the host's name does not resolve",
    " 7:the host or proxy cannot be connected to",
    " 8:the server's reply is not valid HTTP",
    "16:an HTTP/2 connection error",
    "22:-f and a status of 400 or more",
    "23:the body cannot be written (the reader of a pipe went away)",
    "26:a -d @FILE cannot be read",
    "28:a timeout: --connect-timeout, --timeout, --max-time",
    "35:the TLS handshake failed",
    "47:more redirects than --max-redirs",
    "56:the connection failed while receiving; an HTTP proxy refused the tunnel",
    "60:the server's certificate is not trusted, or names another host",
    "61:--compressed and the body does not decode",
    "77:the --cacert or --proxy-cacert file cannot be read",
    "92:an HTTP/2 stream error (a reset stream)",
    "97:the SOCKS5 handshake failed"
  };

  private ExitStatus() {}

  /**
   * curl's status for a failure of the library.
   *
   * @param connected whether the connection was up when it failed (an I/O error is then a receive
   *     error rather than a failure to connect)
   */
  static int of(MintException e, boolean connected) {
    if (e instanceof TransportException t) {
      return of(t.reason(), connected);
    }
    if (e instanceof HttpException h) {
      if (h.http2ErrorCode() >= 0) {
        return h.scope() == HttpException.Scope.REQUEST ? HTTP2_STREAM : HTTP2;
      }
      return WEIRD_SERVER_REPLY;
    }
    return FAILED;
  }

  /** curl's status for a transport failure without a proxy. */
  static int of(TransportException.Reason reason, boolean connected) {
    return switch (reason) {
      case UNRESOLVED_HOST -> COULD_NOT_RESOLVE_HOST;
      case CONNECTION_REFUSED -> COULD_NOT_CONNECT;
      case IO_ERROR -> connected ? RECEIVE_ERROR : COULD_NOT_CONNECT;
      case CONNECT_TIMEOUT, TIMEOUT, WRITE_TIMEOUT, PROXY_TIMEOUT -> TIMED_OUT;
      case CLOSED -> RECEIVE_ERROR;
      case TLS_HANDSHAKE_FAILED, ALPN_NOT_NEGOTIATED, UNEXPECTED_ALPN_PROTOCOL -> TLS_CONNECT_ERROR;
      case UNTRUSTED_CERTIFICATE, EXPIRED_CERTIFICATE, HOSTNAME_MISMATCH ->
          PEER_FAILED_VERIFICATION;
      default -> FAILED;
    };
  }

  /** What went wrong with a local file, in words rather than an exception's class name. */
  static String describe(IOException e) {
    String file = e instanceof java.nio.file.FileSystemException f ? f.getFile() : null;
    String what;
    if (e instanceof NoSuchFileException) {
      what = "no such file";
    } else if (e instanceof AccessDeniedException) {
      what = "permission denied";
    } else if (e instanceof NotDirectoryException) {
      what = "not a directory";
    } else if (e instanceof FileAlreadyExistsException) {
      what = "the file exists";
    } else if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null) {
      what = f.getReason();
    } else {
      what = e.getMessage() == null ? "input/output error" : e.getMessage();
    }
    return file == null ? what : what + " (" + file + ")";
  }
}
