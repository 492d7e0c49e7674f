package io.ebdeploy.cli;

/**
 * The {@code eb-deploy} process: sets up logging and signals, runs one command, exits with its
 * code.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // Before any logger exists: slf4j-simple fixes a logger's level when it is created.
    Logging.configure(Logging.verbosityOf(args));
    Signals.enable();
    System.exit(EbDeployCommand.commandLine().execute(args));
  }
}
