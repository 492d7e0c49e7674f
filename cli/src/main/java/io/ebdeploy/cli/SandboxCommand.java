package io.ebdeploy.cli;

import io.ebdeploy.sandbox.LocalBeanstalk;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code eb-deploy sandbox}: runs {@link LocalBeanstalk} in the foreground until SIGINT or SIGTERM.
 * The first line on stdout is always {@code endpoint: http://127.0.0.1:PORT}, flushed, for scripts
 * and tests to read; the lines after it are for people.
 */
@Command(
    name = "sandbox",
    sortOptions = false,
    description = {
      "Runs a local Elastic Beanstalk until Ctrl-C: try eb-deploy without AWS.",
      "",
      "The Elastic Beanstalk, Resource Groups Tagging and S3 APIs on one loopback port. Point"
          + " eb-deploy or the AWS CLI at it to try a deploy without an AWS account, and rehearse"
          + " failures through its /_sandbox endpoints. Runs until SIGINT (Ctrl-C, exit 130) or"
          + " SIGTERM (exit 0).",
      "",
      "The first line printed is 'endpoint: http://127.0.0.1:PORT'.",
      ""
    })
public final class SandboxCommand implements Callable<Integer> {
  /** The port when none is given: fixed, so that scripts and shell exports survive a restart. */
  public static final int DEFAULT_PORT = 4599;

  @Spec private CommandSpec spec;

  @Mixin private VerbosityOption verbosity;

  private int port = DEFAULT_PORT;
  private double timeScale = 1.0;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      description =
          "Keep the sandbox's applications, environments and buckets in DIR, so that a restart"
              + " finds them again (default: in memory, lost on exit).")
  private Path stateDir;

  @Option(
      names = "--port",
      paramLabel = "N",
      defaultValue = "" + DEFAULT_PORT,
      description = "Loopback port to listen on; 0 picks a free one (default: ${DEFAULT-VALUE}).")
  void setPort(int port) {
    if (port < 0 || port > 65535) {
      throw new ParameterException(
          spec.commandLine(),
          "--port " + port + " is out of range: use 1 to 65535, or 0 for any free port");
    }
    this.port = port;
  }

  @Option(
      names = "--time-scale",
      paramLabel = "X",
      defaultValue = "1",
      description =
          "Real seconds per simulated second: 1 is Beanstalk's own pace, 0.01 makes a 60 s deploy"
              + " take 0.6 s (default: ${DEFAULT-VALUE}).")
  void setTimeScale(double timeScale) {
    if (!(timeScale > 0) || Double.isInfinite(timeScale)) {
      throw new ParameterException(
          spec.commandLine(),
          "--time-scale "
              + timeScale
              + " must be a positive number: 1 = real time, 0.01 = 100 times faster");
    }
    this.timeScale = timeScale;
  }

  @Override
  public Integer call() {
    if (stateDir != null && Files.exists(stateDir) && !Files.isDirectory(stateDir)) {
      throw CliException.usage("--state-dir " + stateDir + " is a file, not a directory");
    }
    LocalBeanstalk sandbox = start();
    AtomicBoolean closed = new AtomicBoolean();
    Runnable close =
        () -> {
          if (closed.compareAndSet(false, true)) {
            sandbox.close();
          }
        };
    // If the JVM shuts down some other way (SIGHUP, signals not taken over), still close cleanly.
    Thread hook = new Thread(close, "eb-deploy-sandbox-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    try (Signals.Handle signals = Signals.interruptOnSignal(Thread.currentThread())) {
      printBanner(sandbox);
      try {
        new CountDownLatch(1).await();
      } catch (InterruptedException e) {
        // Ctrl-C, SIGTERM, or the caller's interrupt: stop serving.
      }
      close.run();
      String why = signals.received().map(s -> " (SIG" + s + ")").orElse("");
      spec.commandLine().getErr().println("eb-deploy: sandbox stopped" + why);
      spec.commandLine().getErr().flush();
      // SIGTERM is a request to stop: a clean stop. Ctrl-C and interrupts end as shells expect.
      return signals.received().filter("TERM"::equals).isPresent()
          ? ExitCodes.OK
          : ExitCodes.INTERRUPTED;
    } finally {
      close.run();
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // The hook is running or has run.
      }
    }
  }

  private LocalBeanstalk start() {
    try {
      return LocalBeanstalk.builder().port(port).stateDir(stateDir).timeScale(timeScale).start();
    } catch (UncheckedIOException e) {
      if (e.getCause() instanceof BindException) {
        throw CliException.usage(
            "port "
                + port
                + " is already in use: stop what holds it, or pick another with --port N"
                + " (--port 0 picks any free port)");
      }
      throw CliException.usage(e.getMessage());
    }
  }

  private void printBanner(LocalBeanstalk sandbox) {
    PrintWriter out = spec.commandLine().getOut();
    String url = sandbox.endpoint().toString();
    out.println("endpoint: " + url);
    out.flush();
    out.println();
    out.println(
        "A local Elastic Beanstalk (with Resource Groups Tagging and S3) is listening on " + url);
    out.println(
        "State: "
            + (stateDir == null
                ? "in memory, lost on exit"
                : "kept in " + stateDir.toAbsolutePath().normalize())
            + ". Time scale: "
            + timeScaleText()
            + ".");
    out.println();
    out.println("Point any AWS client at it, with test credentials:");
    out.println(
        "  export AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_DEFAULT_REGION=us-east-1");
    out.println("  aws --endpoint-url " + url + " elasticbeanstalk describe-applications");
    out.println();
    out.println("Rehearse failures and watch calls (JSON):");
    out.println("  curl " + url + "/_sandbox/faults       active faults (DELETE clears them)");
    out.println(
        "  curl -d '{\"kind\":\"instance-failure\",\"environment\":\"NAME\"}' "
            + url
            + "/_sandbox/faults");
    out.println(
        "  curl -X PUT -d '{\"deploySeconds\":60,\"health\":\"Green\"}' "
            + url
            + "/_sandbox/environments/NAME");
    out.println("  curl " + url + "/_sandbox/calls        every AWS call answered (NDJSON)");
    out.println();
    out.println("Ctrl-C stops it.");
    out.flush();
  }

  private String timeScaleText() {
    String number =
        timeScale == Math.rint(timeScale) ? Long.toString((long) timeScale) : "" + timeScale;
    if (timeScale == 1) {
      return "1 (Beanstalk's own pace)";
    }
    return number
        + (timeScale < 1
            ? " (" + formatFactor(1 / timeScale) + " times faster than Beanstalk)"
            : " (" + formatFactor(timeScale) + " times slower than Beanstalk)");
  }

  private static String formatFactor(double f) {
    return f == Math.rint(f) ? Long.toString((long) f) : String.format("%.1f", f);
  }
}
