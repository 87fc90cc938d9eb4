package dev.mint.cli;

import dev.mint.MintException;
import dev.mint.TransportException;
import dev.mint.spi.ProviderRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Map;

/**
 * The {@code mint} command.
 *
 * <pre>
 * mint [options] URL     fetch URL, curl style (see {@code mint --help})
 * mint ws [options] URL  a WebSocket: stdin lines out as text, messages in printed
 * mint                   run a short tour of the library against an embedded server
 * </pre>
 *
 * <p>Exit status: {@value #EXIT_OK} when a response (of any status) arrived or the tour passed,
 * {@value #EXIT_FAILED} when the request or the tour failed, {@value #EXIT_USAGE} for a usage
 * error, {@value #EXIT_LOCAL_FILE} when a local file cannot be read or written, and for a failure
 * through a proxy curl's status for it (see {@link ProxyFailure}: 5, 7, 28, 56, 97). A failure
 * prints one line on stderr: {@code mint: REASON: what happened}; a certificate the client does not
 * trust, or a proxy asking for credentials, adds a second line naming what to pass.
 */
public final class Main {
  /** A response arrived, or the tour passed. */
  public static final int EXIT_OK = 0;

  /** Connecting, sending or receiving failed, or the tour failed a check. */
  public static final int EXIT_FAILED = 1;

  /** The command line could not be understood. */
  public static final int EXIT_USAGE = 2;

  /**
   * The {@code -d @file} data or the {@code --cacert} file could not be read, or the {@code -o}
   * file written.
   */
  public static final int EXIT_LOCAL_FILE = 3;

  private static final String LOG_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";

  private Main() {}

  /** Runs the command and exits with its status. */
  public static void main(String[] args) {
    int status = run(args, System.getenv(), System.out, System.err, System.console() != null);
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
    if (args.length > 0 && args[0].equals("ws")) {
      return dev.mint.cli.ws.WsCommand.run(
          java.util.Arrays.copyOfRange(args, 1, args.length), System.in, out, err);
    }
    CommandLine cmd;
    try {
      cmd = CommandLine.parse(args);
    } catch (UsageException e) {
      err.println("mint: " + e.getMessage());
      err.println("Try 'mint --help'.");
      return EXIT_USAGE;
    }
    if (cmd.help()) {
      out.println(CommandLine.USAGE);
      return EXIT_OK;
    }
    configureLogging(cmd.debug());

    try {
      if (cmd.listProviders()) {
        listProviders(out);
      } else if (cmd.runsTour()) {
        new Tour(out).run();
      } else {
        new Fetch(cmd, env, out, err, terminal).run();
      }
      return EXIT_OK;
    } catch (MintException e) {
      err.println("mint: " + PartFormat.errorLine(e));
      String hint = e instanceof TransportException t ? trustHint(t.reason()) : null;
      if (hint != null) {
        err.println("mint: " + hint);
      }
      return EXIT_FAILED;
    } catch (ProxyFailure e) {
      err.println("mint: " + PartFormat.errorLine(e.error()));
      if (e.hint() != null) {
        err.println("mint: " + e.hint());
      }
      return e.exitStatus();
    } catch (UsageException e) {
      err.println("mint: " + e.getMessage()); // a proxy variable of the environment
      return EXIT_USAGE;
    } catch (Tour.StepFailed e) {
      err.println("mint: the tour failed: " + e.getMessage());
      return EXIT_FAILED;
    } catch (Fetch.LocalFileException e) {
      err.println("mint: " + e.getMessage());
      return EXIT_LOCAL_FILE;
    } catch (IOException e) {
      err.println("mint: " + e);
      return EXIT_FAILED;
    } finally {
      out.flush();
      err.flush();
    }
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
  private static void configureLogging(boolean debug) {
    if (debug) {
      System.setProperty(LOG_LEVEL_PROPERTY, "debug");
      // Each line starts with the milliseconds since the JVM started.
      System.setProperty("org.slf4j.simpleLogger.showDateTime", "true");
    } else if (System.getProperty(LOG_LEVEL_PROPERTY) == null) {
      System.setProperty(LOG_LEVEL_PROPERTY, "off");
    }
  }
}
