// SPDX-License-Identifier: Apache-2.0
package dev.mint.cli;

import dev.mint.MintException;
import dev.mint.spi.ProviderRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.util.Map;

/**
 * The {@code mint} command.
 *
 * <pre>
 * mint [options] URL        fetch URL, curl style (see {@code mint --help})
 * mint load [options] URL   drive many requests from one thread, h2load style
 * mint ws [options] URL     a WebSocket: stdin lines out as text, messages in printed
 * mint                      run a short tour of the library against an embedded server
 * </pre>
 *
 * <p>Exit status: curl's for the same failure ({@link ExitStatus}; {@code --help} lists them). A
 * failure prints one line on stderr, {@code mint: what happened}; a certificate the client does not
 * trust, or a proxy asking for credentials, adds a second line naming what to pass.
 */
public final class Main {
  /** A response arrived, or the tour passed. */
  public static final int EXIT_OK = ExitStatus.OK;

  /** A failure with no closer status, or a tour step failed. */
  public static final int EXIT_FAILED = ExitStatus.FAILED;

  /** The command line could not be understood. */
  public static final int EXIT_USAGE = ExitStatus.USAGE;

  private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

  private Main() {}

  /** Runs the command and exits with its status. */
  public static void main(String[] args) {
    MintCommand.Context context =
        new MintCommand.Context(
            System.getenv(), System.in, System.out, System.err, System.console() != null);
    int status = run(args, context);
    System.out.flush();
    System.exit(status);
  }

  /**
   * Runs the command without exiting: the entry point for tests.
   *
   * @param env the environment, where the {@code *_proxy} variables are read
   * @param terminal whether a user watches (progress lines are drawn only then)
   * @return the exit status
   */
  static int run(
      String[] args, Map<String, String> env, PrintStream out, PrintStream err, boolean terminal) {
    return run(
        args, new MintCommand.Context(env, InputStream.nullInputStream(), out, err, terminal));
  }

  /** Runs the command in {@code context}; returns the exit status. */
  static int run(String[] args, MintCommand.Context context) {
    picocli.CommandLine cl = MintCommand.parser(new MintCommand(context));
    cl.setParameterExceptionHandler(
        (e, given) -> {
          context.err().println("mint: " + e.getMessage());
          context.err().println("Try 'mint --help'.");
          return EXIT_USAGE;
        });
    cl.setExecutionExceptionHandler(
        (e, command, parsed) -> {
          // A bug of the command: say what, without a stack trace or class name.
          context.err().println("mint: internal error: " + e.getMessage());
          return EXIT_FAILED;
        });
    try {
      return cl.execute(args);
    } finally {
      context.out().flush();
      context.err().flush();
    }
  }

  /** Runs a fetch, the tour or the provider list: what {@code mint [options] [URL]} does. */
  static int runFetch(FetchArgs args, MintCommand.Context context) {
    configureLogging(args.debug());
    PrintStream out = context.out();
    PrintStream err = context.err();
    try {
      if (args.listProviders()) {
        listProviders(out);
        return EXIT_OK;
      }
      if (args.runsTour()) {
        new Tour(out).run();
        return EXIT_OK;
      }
    } catch (MintException e) {
      Failure f = Failure.of(e, false);
      err.println("mint: " + f.getMessage());
      return f.exitStatus();
    } catch (Tour.StepFailed e) {
      err.println("mint: the tour failed: " + e.getMessage());
      return EXIT_FAILED;
    } catch (IOException e) {
      err.println("mint: the tour failed: " + ExitStatus.describe(e));
      return EXIT_FAILED;
    }
    return new Fetch(args, context).run();
  }

  /**
   * Prints the transport and protocol providers {@link java.util.ServiceLoader} finds, one per
   * line: {@code transport tcp}, {@code protocol http/1.1}.
   */
  private static void listProviders(PrintStream out) throws MintException {
    ProviderRegistry registry = ProviderRegistry.installed();
    registry.transportNames().forEach(name -> out.println("transport " + name));
    registry.protocolIds().forEach(id -> out.println("protocol " + id));
  }

  /**
   * Logging is off unless {@code --debug} asks for it. slf4j-simple reads its level once, when the
   * first logger is made, so this runs before any Mint call. A level set with {@code -D} wins.
   */
  static void configureLogging(boolean debug) {
    if (debug) {
      System.setProperty(LOG_LEVEL_PROPERTY, "debug");
      // Each line starts with the milliseconds since the JVM started.
      System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    } else if (System.getProperty(LOG_LEVEL_PROPERTY) == null) {
      System.setProperty(LOG_LEVEL_PROPERTY, "off");
    }
  }
}
