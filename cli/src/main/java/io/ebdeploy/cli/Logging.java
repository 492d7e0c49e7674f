package io.ebdeploy.cli;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Log levels for the CLI process. Defaults live in {@code simplelogger.properties} (slf4j-simple):
 * eb-deploy at info, the AWS SDK and the sandbox at warn, all on stderr. {@code -v} raises
 * eb-deploy's loggers (the sandbox's included) to debug; {@code -vv} to trace, and the AWS SDK to
 * debug. java.util.logging, which the sandbox and the JDK use, is routed into slf4j so that one
 * configuration and one format hold for everything.
 *
 * <p>slf4j-simple fixes a logger's level when the logger is created, so {@link Main} calls {@link
 * #configure(int)} before anything else, with the verbosity read from the raw arguments.
 */
public final class Logging {
  private static final String SIMPLE = "org.slf4j.simpleLogger.log.";

  /** Held so that java.util.logging, which keeps loggers weakly, does not forget the level. */
  private static java.util.logging.Logger ebDeployJul;

  private Logging() {}

  /**
   * Counts {@code -v}, {@code -vv}, {@code --verbose} in raw arguments, up to a {@code --} that
   * ends the options.
   */
  public static int verbosityOf(String[] args) {
    int verbosity = 0;
    for (String arg : args) {
      if (arg.equals("--")) {
        break;
      }
      if (arg.equals("--verbose")) {
        verbosity++;
      } else if (arg.matches("-v+")) {
        verbosity += arg.length() - 1;
      }
    }
    return verbosity;
  }

  /** Sets the levels for this process; call once, before the first logger is created. */
  public static void configure(int verbosity) {
    if (verbosity >= 1) {
      String level = verbosity >= 2 ? "trace" : "debug";
      System.setProperty(SIMPLE + "io.ebdeploy", level);
      System.setProperty(SIMPLE + "io.ebdeploy.sandbox", level);
    }
    if (verbosity >= 2) {
      System.setProperty(SIMPLE + "software.amazon.awssdk", "debug");
    }
    routeJavaUtilLogging(
        verbosity >= 2 ? Level.FINEST : verbosity == 1 ? Level.FINE : Level.WARNING);
  }

  /**
   * Replaces java.util.logging's console handler with one that hands records to slf4j: the JDK's
   * own loggers at warning, eb-deploy's (the sandbox's) at {@code ebDeployLevel}.
   */
  static void routeJavaUtilLogging(Level ebDeployLevel) {
    LogManager.getLogManager().reset();
    java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
    root.setLevel(Level.WARNING);
    root.addHandler(new Slf4jHandler());
    ebDeployJul = java.util.logging.Logger.getLogger("io.ebdeploy");
    ebDeployJul.setLevel(ebDeployLevel);
  }

  /** A java.util.logging handler that logs through slf4j under the same logger name. */
  static final class Slf4jHandler extends Handler {
    private final SimpleFormatter formatter = new SimpleFormatter();

    @Override
    public void publish(LogRecord record) {
      if (record == null || !isLoggable(record)) {
        return;
      }
      String name = record.getLoggerName() == null ? "jul" : record.getLoggerName();
      Logger log = LoggerFactory.getLogger(name);
      String message = formatter.formatMessage(record);
      Throwable thrown = record.getThrown();
      int level = record.getLevel().intValue();
      if (level >= Level.SEVERE.intValue()) {
        log.error(message, thrown);
      } else if (level >= Level.WARNING.intValue()) {
        log.warn(message, thrown);
      } else if (level >= Level.INFO.intValue()) {
        log.info(message, thrown);
      } else if (level >= Level.FINE.intValue()) {
        log.debug(message, thrown);
      } else {
        log.trace(message, thrown);
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  }
}
