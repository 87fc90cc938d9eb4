// SPDX-License-Identifier: Apache-2.0
package dev.mint.spi;

import dev.mint.HttpException;
import dev.mint.MintException;

/**
 * How an engine runs a command that queues bytes outside {@link ProtocolEngine#request} and the
 * body calls: the HTTP/2 operations that send frames (ping, window and settings changes). The
 * connection shell hands its runner to {@link ProtocolEngine#http2(CommandRunner)}, and the
 * engine's own operations pass each such command through it, so the command gets the semantics of a
 * request without the shell knowing the operation:
 *
 * <ol>
 *   <li>refused with {@link dev.mint.TransportException.Reason#CLOSED} once the connection is
 *       closed or failed, before the command runs;
 *   <li>run with the connection's id in the SLF4J MDC;
 *   <li>a caller error ({@link HttpException} of request scope) leaves the connection as it was; a
 *       connection-scoped {@link HttpException} fails the connection and is rethrown;
 *   <li>after the command returned, what it queued is written as after a request (active mode: what
 *       the transport takes now; passive mode: all of it within the write timeout).
 * </ol>
 *
 * Operations that only read the engine's state need no runner. Confined to the connection's thread
 * like the engine.
 */
public interface CommandRunner {

  /**
   * Runs commands as they are, with no shell around them: for an engine used on its own (tests).
   */
  CommandRunner DIRECT =
      new CommandRunner() {
        @Override
        public <T> T run(Command<T> command) throws HttpException {
          return command.run();
        }
      };

  /**
   * Runs {@code command} as described above and returns its result.
   *
   * @throws dev.mint.TransportException with {@code CLOSED} when the connection is no longer usable
   *     (the command did not run), or when writing what it queued failed (it ran)
   * @throws HttpException what the command threw
   */
  <T> T run(Command<T> command) throws MintException;

  /**
   * A command of an engine: changes the engine's state and queues bytes to send.
   *
   * @param <T> what the command returns ({@link Void} for none)
   */
  @FunctionalInterface
  interface Command<T> {
    /** Runs the command; an {@link HttpException} says who was at fault and for what scope. */
    T run() throws HttpException;
  }
}
