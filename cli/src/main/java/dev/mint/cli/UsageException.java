package dev.mint.cli;

/** The command line cannot be understood; the message says what to fix. */
final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }
}
