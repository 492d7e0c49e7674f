package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebdeploy.api.BeanstalkEvent;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.EnvironmentInfo;
import io.ebdeploy.api.EnvironmentOutcome;
import io.ebdeploy.api.Role;
import io.ebdeploy.api.Tier;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class ProgressRendererTest {
  static final String WEB = "Iaso-staging";
  static final String WORKER = "Iaso-staging-worker";
  static final Instant T0 = Instant.parse("2026-11-22T12:00:00Z");

  /** Any SGR (color) sequence. */
  static final Pattern SGR = Pattern.compile("\033\\[[0-9;]*m");

  private final StringWriter text = new StringWriter();

  private ProgressRenderer renderer(Style style) {
    return new ProgressRenderer(
        new PrintWriter(text, true),
        style,
        ZoneOffset.UTC,
        Clock.fixed(T0.plusSeconds(42), ZoneOffset.UTC));
  }

  private static Instant at(int seconds) {
    return T0.plusSeconds(seconds);
  }

  /** A deploy of a web and a worker environment, as core reports it. */
  private static List<DeployEvent> deploy() {
    return List.of(
        new DeployEvent.DiscoveryDone(
            at(0),
            "staging",
            "Iaso",
            List.of(
                new EnvironmentInfo(WEB, "e-1", "Iaso", Tier.WEB, "v0.9", "Ready", "Green", "arn"),
                new EnvironmentInfo(
                    WORKER, "e-2", "Iaso", Tier.WORKER, "v0.9", "Ready", "Green", "arn")),
            List.of("staging")),
        new DeployEvent.BuildLine(at(1), "\033[32mcompiled\033[0m 3 files"),
        new DeployEvent.UpdateRequested(at(2), WORKER, "v1.0", Role.WORKER),
        new DeployEvent.EnvironmentChanged(at(2), WORKER, "Updating", "Grey", "v1.0"),
        new DeployEvent.BeanstalkEventReceived(
            at(3),
            new BeanstalkEvent(at(3), WORKER, "INFO", "Deploying new version to instance(s).")),
        new DeployEvent.BeanstalkEventReceived(
            at(4), new BeanstalkEvent(at(4), WORKER, "ERROR", "Failed to deploy application.")),
        new DeployEvent.EnvironmentFailed(
            at(5), WORKER, EnvironmentOutcome.REVERTED, "Beanstalk put it back on v0.9"),
        new DeployEvent.EnvironmentSucceeded(at(6), WEB, Duration.ofSeconds(61)));
  }

  @Test
  void plain_lintWarning_oneLineWithLocationRuleAndFix() {
    ProgressRenderer r = renderer(Style.PLAIN);

    r.onEvent(
        new DeployEvent.LintWarning(
            at(1),
            new io.ebdeploy.lint.Finding(
                "cron.yaml",
                0,
                io.ebdeploy.lint.Rule.CRON_WITHOUT_WORKER,
                io.ebdeploy.lint.Severity.WARNING,
                "its jobs never run",
                "deploy to a group with a worker")));

    assertThat(text.toString())
        .isEqualTo(
            "12:00:01 lint warning cron.yaml: warning EB015 cron-without-worker: its jobs never"
                + " run (fix: deploy to a group with a worker)\n");
  }

  @Test
  void plain_deployEvents_oneTimestampedLineEachWithoutEscapes() {
    ProgressRenderer r = renderer(Style.PLAIN);

    deploy().forEach(r::onEvent);

    assertThat(text.toString())
        .contains("12:00:00 found 2 environments of Iaso tagged staging\n")
        .contains("12:00:00 Iaso-staging         Ready  Green  web, running v0.9\n")
        .contains("12:00:01 build | compiled 3 files\n")
        .contains("12:00:02 Iaso-staging-worker  deploying v1.0 (EB_DEPLOY_ROLE=worker)\n")
        .contains("12:00:02 Iaso-staging-worker  Updating  Grey  on v1.0\n")
        .contains(
            "12:00:03 Iaso-staging-worker  Updating  Grey  \"Deploying new version to"
                + " instance(s).\"\n")
        .contains("12:00:04 Iaso-staging-worker  Updating  Grey  ERROR \"Failed to deploy")
        .contains("12:00:05 Iaso-staging-worker  reverted: Beanstalk put it back on v0.9\n")
        .contains("12:00:06 Iaso-staging         succeeded in 1m01s\n")
        .doesNotContain("\033");
  }

  @Test
  void plain_eventsOfAPollOlderThanItsStateChange_printedBeforeTheChange() {
    ProgressRenderer r = renderer(Style.PLAIN);
    r.onEvent(deploy().get(0));
    r.onEvent(new DeployEvent.UpdateRequested(at(1), WORKER, "v1.0", Role.WORKER));

    // One poll: the state seen at 12:00:10, then the events since the last poll.
    r.onEvent(new DeployEvent.EnvironmentChanged(at(10), WORKER, "Ready", "Green", "v0.9"));
    r.onEvent(
        new DeployEvent.BeanstalkEventReceived(
            at(10), new BeanstalkEvent(at(8), WORKER, "ERROR", "Failed to deploy application.")));
    r.onEvent(
        new DeployEvent.BeanstalkEventReceived(
            at(10), new BeanstalkEvent(at(11), WORKER, "INFO", "Environment health has...")));
    r.close();

    assertThat(text.toString())
        .contains(
            "12:00:08 Iaso-staging-worker  Updating  Green  ERROR \"Failed to deploy application.\"\n"
                + "12:00:10 Iaso-staging-worker  Ready  Green  on v0.9\n"
                + "12:00:11 Iaso-staging-worker  Ready  Green  \"Environment health has...\"\n");
  }

  @Test
  void plain_stateChangeWithoutEvents_printedWithinASecond() throws Exception {
    ProgressRenderer r = renderer(Style.PLAIN);
    r.onEvent(deploy().get(0));

    r.onEvent(new DeployEvent.EnvironmentChanged(at(10), WORKER, "Updating", "Grey", "v1.0"));

    long deadline = System.nanoTime() + 5_000_000_000L;
    while (!text.toString().contains("Updating  Grey  on v1.0") && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(text.toString()).contains("12:00:10 Iaso-staging-worker  Updating  Grey  on v1.0");
    r.close();
  }

  @Test
  void live_withColors_rewritesTheBlockInPlaceAndPaints() {
    ProgressRenderer r = renderer(new Style(true, true, 120));

    deploy().forEach(r::onEvent);
    r.close();

    String out = text.toString();
    // The block (two lines) is moved over and cleared before each redraw.
    assertThat(out).contains("\r\033[2A\033[J");
    assertThat(SGR.matcher(out).find()).isTrue();
    assertThat(out).contains(Style.RED + "ERROR \"Failed to deploy application.\"" + Style.RESET);
    // The last drawing of the block: the web succeeded, the worker reverted.
    String lastBlock = out.substring(out.lastIndexOf("\033[J") + 3);
    assertThat(SGR.matcher(lastBlock).replaceAll(""))
        .contains("+ Iaso-staging         web     Ready      Green   v0.9  succeeded")
        .contains("x Iaso-staging-worker  worker  Updating   Grey    v1.0  reverted:");
  }

  @Test
  void live_noColor_movesTheCursorButNeverColors() {
    ProgressRenderer r = renderer(new Style(true, false, 120));

    deploy().forEach(r::onEvent);
    r.close();

    String out = text.toString();
    assertThat(out).contains("\033[2A", "\033[J");
    assertThat(SGR.matcher(out).find()).as("color codes in: %s", out).isFalse();
  }

  @Test
  void live_deploying_showsARunningClockAndTheLastMessage() {
    ProgressRenderer r = renderer(new Style(true, false, 200));

    deploy().subList(0, 5).forEach(r::onEvent);

    String lastBlock = text.toString().substring(text.toString().lastIndexOf("\033[J") + 3);
    assertThat(lastBlock)
        .contains(
            WORKER
                + "  worker  Updating   Grey    v1.0  deploying v1.0 0:40  \"Deploying new version"
                + " to instance(s).\"")
        .contains(WEB + "         web     Ready      Green   v0.9  waiting for its turn");
    r.close();
  }

  @Test
  void live_narrowTerminal_blockLinesNeverWrap() {
    ProgressRenderer r = renderer(new Style(true, true, 40));

    deploy().forEach(r::onEvent);
    r.close();

    String out = text.toString();
    String[] lines = out.split("\n");
    // The block is the last two lines drawn.
    for (String line : List.of(lines[lines.length - 2], lines[lines.length - 1])) {
      assertThat(SGR.matcher(line).replaceAll("").length()).as(line).isLessThanOrEqualTo(39);
    }
  }

  @Test
  void live_done_erasesTheBlockForTheSummary() {
    ProgressRenderer r = renderer(new Style(true, false, 120));
    deploy().forEach(r::onEvent);

    r.onEvent(new DeployEvent.Done(at(7), null));

    assertThat(text.toString()).endsWith("\r\033[2A\033[J");
  }

  @Test
  void clean_escapeAndControlCodes_removed() {
    assertThat(ProgressRenderer.clean("\033[1;31mred\033[0m\u0007 bell\ttab\r"))
        .isEqualTo("red  bell\ttab ");
  }

  @Test
  void style_ciOrPipeOrDumbTerminal_plain() {
    CliContext terminal = CliSandbox.context(Map.of("COLUMNS", "80"));
    terminal =
        new CliContext(
            terminal.env(),
            true,
            terminal.zone(),
            terminal.pollInitial(),
            terminal.pollMax(),
            terminal.healthGrace(),
            terminal.credentials(),
            terminal.clientOverride());

    assertThat(Style.of(terminal)).isEqualTo(new Style(true, true, 80));
    assertThat(Style.of(withEnv(terminal, Map.of("CI", "true"))))
        .isEqualTo(new Style(false, false, 100));
    assertThat(Style.of(withEnv(terminal, Map.of("CI", "false", "COLUMNS", "80"))).live()).isTrue();
    assertThat(Style.of(withEnv(terminal, Map.of("TERM", "dumb"))).live()).isFalse();
    assertThat(Style.of(withEnv(terminal, Map.of("NO_COLOR", "1", "COLUMNS", "80"))))
        .isEqualTo(new Style(true, false, 80));
    assertThat(Style.of(CliSandbox.context(Map.of())).live()).as("not a terminal").isFalse();
  }

  private static CliContext withEnv(CliContext c, Map<String, String> env) {
    return new CliContext(
        env,
        c.terminal(),
        c.zone(),
        c.pollInitial(),
        c.pollMax(),
        c.healthGrace(),
        c.credentials(),
        c.clientOverride());
  }

  @Test
  void deploy_terminalWithNoColor_liveWithoutColorCodes(@TempDir Path tmp) {
    try (CliSandbox sb = new CliSandbox()) {
      sb.group("Iaso", "staging", List.of(WEB), List.of(WORKER));
      TestProject p = TestProject.create(tmp.resolve("app"));
      CliContext tty = withEnv(CliSandbox.context(Map.of()), Map.of("NO_COLOR", "1"));
      tty = terminal(tty);

      Run r =
          CliSandbox.execute(
              tty,
              "deploy",
              "staging",
              "--project-dir",
              p.path(),
              "--endpoint-url",
              sb.sandbox.endpoint().toString(),
              "--region",
              CliSandbox.REGION);

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).contains("\033[J").contains("Deployed v1.0.0 to staging");
      assertThat(SGR.matcher(r.out()).find()).as("color codes").isFalse();
    }
  }

  @Test
  void deploy_terminalInCi_plainLines(@TempDir Path tmp) {
    try (CliSandbox sb = new CliSandbox()) {
      sb.group("Iaso", "staging", List.of(WEB), List.of());
      TestProject p = TestProject.create(tmp.resolve("app"));
      CliContext ci = terminal(withEnv(CliSandbox.context(Map.of()), Map.of("CI", "true")));

      Run r =
          CliSandbox.execute(
              ci,
              "staging",
              "--project-dir",
              p.path(),
              "--endpoint-url",
              sb.sandbox.endpoint().toString(),
              "--region",
              CliSandbox.REGION);

      assertThat(r.exitCode()).as(r.err()).isZero();
      assertThat(r.out()).doesNotContain("\033").contains(WEB + "  succeeded in ");
    }
  }

  private static CliContext terminal(CliContext c) {
    return new CliContext(
        c.env(),
        true,
        c.zone(),
        c.pollInitial(),
        c.pollMax(),
        c.healthGrace(),
        c.credentials(),
        c.clientOverride());
  }
}
