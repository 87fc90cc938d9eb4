// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import dev.mint.MintException;
import dev.mint.TransportException;

/**
 * Why a fetch failed, as the command reports it: one line of text, maybe a hint on what to pass,
 * and curl's exit status for it ({@link ExitStatus}). The message never names a Java class.
 */
final class Failure extends Exception {
  private static final long serialVersionUID = 1L;

  private final int exitStatus;
  private final String hint;

  Failure(int exitStatus, String message) {
    this(exitStatus, message, null);
  }

  Failure(int exitStatus, String message, String hint) {
    super(message);
    this.exitStatus = exitStatus;
    this.hint = hint;
  }

  /**
   * A failure of the library, without a proxy.
   *
   * @param connected whether the connection was up
   */
  static Failure of(MintException e, boolean connected) {
    String hint = e instanceof TransportException t ? trustHint(t.reason()) : null;
    return new Failure(ExitStatus.of(e, connected), PartFormat.errorLine(e), hint);
  }

  /** A failure to connect through a proxy. */
  static Failure of(ProxyFailure e) {
    return new Failure(e.exitStatus(), PartFormat.errorLine(e.error()), e.hint());
  }

  /** curl's exit status. */
  int exitStatus() {
    return exitStatus;
  }

  /** A line on what to pass against it, or {@code null}. */
  String hint() {
    return hint;
  }

  /** What the command line offers against a certificate the client refused, or {@code null}. */
  static String trustHint(TransportException.Reason reason) {
    return switch (reason) {
      case UNTRUSTED_CERTIFICATE ->
          "--cacert FILE trusts the CA certificates of a PEM file;"
              + " -k/--insecure skips verification (tests only)";
      case HOSTNAME_MISMATCH ->
          "the certificate names another host; -k/--insecure skips the check (tests only)";
      default -> null;
    };
  }
}
