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
    // The JDK's HTTP client keeps at most http.maxConnections idle connections per host (5 by
    // default) and closes the others; with the static files sync's 16 requests in flight that
    // re-opened a connection (a TLS handshake on S3) about every 25th request. Read once, at the
    // first connection, hence here.
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", "32");
    }
    System.exit(EbDeployCommand.commandLine().execute(args));
  }
}
