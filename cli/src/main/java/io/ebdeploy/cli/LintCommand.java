package io.ebdeploy.cli;

import io.ebdeploy.api.Tier;
import io.ebdeploy.config.ConfigLoader;
import io.ebdeploy.lint.Finding;
import io.ebdeploy.lint.LintOptions;
import io.ebdeploy.lint.LintReport;
import io.ebdeploy.lint.Linter;
import io.ebdeploy.lint.Severity;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code eb-deploy lint [DIR|ZIP]}: checks the Elastic Beanstalk configuration of a project (what
 * would be bundled) or of a zip, without AWS (docs/lint.md). Findings go to stdout; exit {@link
 * ExitCodes#USAGE} when an error (or, with {@code --strict}, a warning) is found. {@code deploy}
 * and {@code plan} run the same checks after discovery.
 */
@Command(
    name = "lint",
    sortOptions = false,
    description = {
      "Checks .ebextensions, .platform (hooks, nginx), cron.yaml, the Procfile and the bundle's"
          + " size before anything is uploaded: the mistakes that otherwise fail on the instances,"
          + " minutes into a deploy. Lints what would be bundled (git-tracked files, .ebignore"
          + " applied). Exits 2 on an error; warnings do not fail unless --strict.",
      ""
    })
public final class LintCommand implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin private VerbosityOption verbosity;

  @Parameters(
      index = "0",
      arity = "0..1",
      paramLabel = "DIR|ZIP",
      description =
          "The project (default: EB_DEPLOY_PROJECT_DIR, else the current directory), or a bundle"
              + " zip.")
  private Path target;

  @Option(names = "--strict", description = "Warnings fail too (exit 2).")
  private boolean strict;

  @Option(
      names = "--tiers",
      paramLabel = "TIERS",
      split = ",",
      description =
          "The tiers of the group the bundle goes to, e.g. web,worker: enables the checks that"
              + " need them, as a deploy does (a cron.yaml without a worker).")
  private List<String> tiers;

  @Option(
      names = "--output",
      paramLabel = "FORMAT",
      defaultValue = "${env:EB_DEPLOY_OUTPUT:-text}",
      description = "text or json (env EB_DEPLOY_OUTPUT; default: ${DEFAULT-VALUE}).")
  private OutputFormat output = OutputFormat.text;

  @Override
  public Integer call() {
    CliContext ctx = CliContext.of(spec);
    Path path = target(ctx);
    LintOptions options = LintOptions.defaults().strict(strict);
    if (tiers != null) {
      options = options.group(tiers());
    }
    LintReport report;
    if (Files.isRegularFile(path)) {
      report = Linter.lintZip(path, options);
    } else if (Files.isDirectory(path)) {
      report = Linter.lint(path, options.config(ConfigLoader.load(path, ctx.configEnv())));
    } else {
      throw CliException.usage(path + " does not exist: name a project directory or a bundle zip");
    }
    PrintWriter out = spec.commandLine().getOut();
    if (output == OutputFormat.json) {
      out.println(report.toJson());
    } else {
      print(out, report, Style.of(ctx));
    }
    out.flush();
    return report.passed() ? ExitCodes.OK : ExitCodes.USAGE;
  }

  private Path target(CliContext ctx) {
    Path p =
        target != null
            ? target
            : ctx.variable("EB_DEPLOY_PROJECT_DIR").map(Path::of).orElse(Path.of(""));
    return p.toAbsolutePath().normalize();
  }

  private List<Tier> tiers() {
    List<Tier> out = new ArrayList<>();
    for (String t : tiers) {
      switch (t.strip().toLowerCase(Locale.ROOT)) {
        case "web", "webserver" -> out.add(Tier.WEB);
        case "worker" -> out.add(Tier.WORKER);
        default ->
            throw CliException.usage(
                "--tiers: '" + t + "' is not a tier; write web or worker, e.g. --tiers web,worker");
      }
    }
    return out;
  }

  /**
   * One block per finding: {@code FILE:LINE: error EB007 name}, the message, the fix; then a
   * summary.
   */
  static void print(PrintWriter out, LintReport report, Style style) {
    for (Finding f : report.findings()) {
      String severity =
          f.severity() == Severity.ERROR
              ? style.paint("error", Style.RED)
              : style.paint("warning", Style.YELLOW);
      out.println(
          style.paint(f.location(), Style.BOLD)
              + ": "
              + severity
              + " "
              + f.rule().id()
              + " "
              + f.rule().slug());
      out.println("    " + f.message());
      out.println("    fix: " + f.fix());
    }
    String verdict;
    if (report.passed()) {
      verdict = style.paint("lint passed", Style.GREEN);
    } else {
      verdict = style.paint("lint failed", Style.RED);
    }
    out.println(
        verdict
            + ": "
            + report.summary()
            + (report.strict() ? " (strict: warnings fail too)" : "")
            + ", "
            + report.source());
  }
}
