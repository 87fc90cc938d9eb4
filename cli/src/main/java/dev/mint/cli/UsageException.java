// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

/**
 * The command line cannot be understood; the message says what to fix. A malformed URL exits with
 * curl's {@value ExitStatus#URL_MALFORMED}, anything else with {@value ExitStatus#USAGE}.
 */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int exitStatus;

  UsageException(String message) {
    this(message, ExitStatus.USAGE);
  }

  private UsageException(String message, int exitStatus) {
    super(message);
    this.exitStatus = exitStatus;
  }

  /** A URL that cannot be used. */
  static UsageException badUrl(String message) {
    return new UsageException(message, ExitStatus.URL_MALFORMED);
  }

  /** The command's exit status. */
  int exitStatus() {
    return exitStatus;
  }
}
