package io.ebdeploy.cli;

import java.io.Console;
import java.lang.reflect.Method;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import picocli.CommandLine.Model.CommandSpec;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;

/**
 * What a command reads from the process around it: the environment variables, whether stdout is a
 * terminal, the time zone of timestamps, and how fast a deploy polls. {@link #system()} is the real
 * process; tests build their own (a fixed environment, no terminal, millisecond polling against a
 * sandbox) and pass it to {@link EbDeployCommand#commandLine(CliContext, Object...)}.
 *
 * @param env the environment variables ({@code CI}, {@code NO_COLOR}, {@code EB_DEPLOY_*}...)
 * @param terminal true when stdout is an interactive terminal
 * @param zone the time zone of the timestamps in progress lines
 * @param pollInitial how often a deploy polls Beanstalk at first
 * @param pollMax how often at most, once quiet
 * @param healthGrace how long unaccepted health is tolerated on the new label
 * @param credentials credentials for every AWS client; empty for the SDK's chain (or the profile)
 * @param clientOverride SDK settings for every client (retries); empty for the SDK's defaults
 */
public record CliContext(
    Map<String, String> env,
    boolean terminal,
    ZoneId zone,
    Duration pollInitial,
    Duration pollMax,
    Duration healthGrace,
    Optional<AwsCredentialsProvider> credentials,
    Optional<ClientOverrideConfiguration> clientOverride) {

  /**
   * {@code EB_DEPLOY_*} variables that belong to the command line and the launcher, not to {@code
   * eb-deploy.yml}: they are taken out before the configuration loader, which refuses unknown
   * {@code EB_DEPLOY_*} names.
   */
  static final Set<String> CLI_VARIABLES =
      Set.of(
          "EB_DEPLOY_PROJECT_DIR",
          "EB_DEPLOY_ENDPOINT_URL",
          "EB_DEPLOY_OUTPUT",
          "EB_DEPLOY_JAVA_OPTS",
          "EB_DEPLOY_NO_BUILD",
          "EB_DEPLOY_SLACK_API_URL");

  public CliContext {
    env = Map.copyOf(env);
  }

  /**
   * This process: its environment, its terminal, Beanstalk-friendly polling (2 s up to 15 s, health
   * grace 2 minutes). For rehearsals against a fast sandbox (and the tests that run the real
   * process), the system properties {@code ebdeploy.pollInterval=INITIAL,MAX} and {@code
   * ebdeploy.healthGrace=D} (durations in milliseconds, e.g. {@code 5,40} and {@code 400}) override
   * them: {@code EB_DEPLOY_JAVA_OPTS='-Debdeploy.pollInterval=5,40'}.
   */
  public static CliContext system() {
    Duration[] poll = millis(System.getProperty("ebdeploy.pollInterval"), 2_000, 15_000);
    Duration grace = millis(System.getProperty("ebdeploy.healthGrace"), 120_000, 120_000)[0];
    return new CliContext(
        System.getenv(),
        stdoutIsTerminal(),
        ZoneId.systemDefault(),
        poll[0],
        poll[1],
        grace,
        Optional.empty(),
        Optional.empty());
  }

  /** {@code A} or {@code A,B} in milliseconds; the defaults when absent or not numbers. */
  static Duration[] millis(String value, long first, long second) {
    long a = first;
    long b = second;
    if (value != null && !value.isBlank()) {
      try {
        String[] parts = value.split(",");
        a = Long.parseLong(parts[0].trim());
        b = parts.length > 1 ? Long.parseLong(parts[1].trim()) : a;
      } catch (NumberFormatException e) {
        a = first;
        b = second;
      }
    }
    if (a <= 0 || b < a) {
      a = first;
      b = second;
    }
    return new Duration[] {Duration.ofMillis(a), Duration.ofMillis(b)};
  }

  /** The context of the command being run: the one its root command line was built with. */
  static CliContext of(CommandSpec spec) {
    Object root = spec.root().userObject();
    return root instanceof EbDeployCommand c ? c.context() : system();
  }

  /** The environment without the command line's own variables, for {@code ConfigLoader.load}. */
  Map<String, String> configEnv() {
    Map<String, String> out = new TreeMap<>(env);
    out.keySet().removeAll(CLI_VARIABLES);
    return out;
  }

  /** A variable, empty when unset or blank. */
  Optional<String> variable(String name) {
    return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
  }

  /** This context with other polling; for the demo, which talks to a local sandbox. */
  CliContext withPolling(Duration initial, Duration max) {
    return new CliContext(
        env, terminal, zone, initial, max, healthGrace, credentials, clientOverride);
  }

  /**
   * True when stdout is an interactive terminal. {@code System.console()} is null when stdin or
   * stdout is redirected on Java 17 to 21; from Java 22 it may be non-null anyway, and {@code
   * Console.isTerminal()} tells.
   */
  static boolean stdoutIsTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      Method isTerminal = Console.class.getMethod("isTerminal");
      return (Boolean) isTerminal.invoke(console);
    } catch (NoSuchMethodException e) {
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }
}
