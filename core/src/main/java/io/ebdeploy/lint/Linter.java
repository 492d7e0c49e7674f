package io.ebdeploy.lint;

import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.bundle.Bundler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Checks a project's Elastic Beanstalk configuration before it is uploaded: {@code .ebextensions},
 * {@code .platform} (hooks, nginx), {@code cron.yaml}, {@code Procfile} and the bundle's size. The
 * rules are listed in {@link Rule} and explained in docs/lint.md.
 *
 * <p>It lints what will be bundled: for a git checkout, the files {@link Bundler#plan} lists (so a
 * file left out by {@code .ebignore} is not linted, and a hook's mode is the one git records), with
 * the content the bundle would take. A folder that is not a git checkout (a template folder) is
 * linted as it is on disk; a zip made elsewhere, as it is.
 *
 * <pre>{@code
 * LintReport report = Linter.lint(dir, LintOptions.defaults().config(config));
 * report.findings().forEach(System.out::println);
 * }</pre>
 */
public final class Linter {
  private Linter() {}

  /**
   * Lints the project in {@code projectDir}.
   *
   * @throws EbDeployException INVALID_INPUT when {@code projectDir} is not a folder
   */
  public static LintReport lint(Path projectDir, LintOptions options) {
    Path dir = projectDir.toAbsolutePath().normalize();
    if (!Files.isDirectory(dir)) {
      throw EbDeployException.invalidInput(dir + " is not a folder: lint a project's folder");
    }
    Findings findings = new Findings();
    Inventory inventory;
    if (isGitCheckout(dir)) {
      try {
        inventory = new PlanInventory(dir, Bundler.plan(dir, options.config()));
        lintNotBundled(dir, notBundled(dir, inventory, findings), options, findings);
      } catch (EbDeployException e) {
        findings.add(
            "",
            0,
            Rule.BUNDLE_REFUSED,
            e.getMessage(),
            "see the message; eb-deploy plan lists what would be bundled");
        inventory = new DirectoryInventory(dir, "eb-deploy refuses to bundle it");
      }
    } else {
      inventory = new DirectoryInventory(dir, "not a git checkout, so every file is linted");
    }
    return run(inventory, options, findings);
  }

  /**
   * Lints a bundle zipped elsewhere.
   *
   * @throws EbDeployException INVALID_INPUT when it is not a readable zip
   */
  public static LintReport lintZip(Path zip, LintOptions options) {
    if (!Files.isRegularFile(zip)) {
      throw EbDeployException.invalidInput("bundle " + zip + " does not exist or is not a file");
    }
    return run(new ZipInventory(zip), options, new Findings());
  }

  private static LintReport run(Inventory inventory, LintOptions options, Findings findings) {
    check(inventory, options, findings);
    return new LintReport(
        inventory.describe(), findings.files(), findings.findings(), options.strict());
  }

  private static void check(Inventory inventory, LintOptions options, Findings findings) {
    EbextensionsRules.check(inventory, findings, options);
    PlatformRules.check(inventory, findings);
    CronRules.check(inventory, findings, options);
    ProcfileRules.check(inventory, findings);
    if (inventory.complete()) {
      BundleRules.check(inventory, findings);
    }
  }

  /**
   * Reports the configuration files on disk that the bundle leaves out: eb-deploy bundles what git
   * tracks, so a new {@code .ebextensions} file that was never {@code git add}ed is not deployed.
   * Returns their names.
   */
  private static Set<String> notBundled(Path dir, Inventory bundle, Findings findings) {
    Set<String> left = new HashSet<>();
    for (Inventory.Item item : new DirectoryInventory(dir, "on disk").files()) {
      if (!bundle.contains(item.name())) {
        left.add(item.name());
        findings.add(
            item.name(),
            0,
            Rule.NOT_BUNDLED,
            "on disk but not in the bundle: git does not track it, or .ebignore or bundle.exclude"
                + " leave it out, so Beanstalk never sees it",
            "git add " + item.name() + " (or, if it is left out on purpose, delete it)");
      }
    }
    return left;
  }

  /**
   * Lints the files the bundle leaves out as they are on disk, as if they were added: someone
   * editing a new file expects it read before {@code git add}. What is wrong there is a warning
   * (the deploy does not take the file), named as such, next to the file's EB024.
   */
  private static void lintNotBundled(
      Path dir, Set<String> names, LintOptions options, Findings findings) {
    if (names.isEmpty()) {
      return;
    }
    Findings own = new Findings();
    check(new DirectoryInventory(dir, "not bundled", names::contains), options, own);
    for (Finding f : own.findings()) {
      findings.add(
          f.file(),
          f.line(),
          f.rule(),
          Severity.WARNING,
          f.message()
              + (f.severity() == Severity.ERROR
                  ? " (an error once this file is bundled; it is not yet)"
                  : " (in a file not bundled yet)"),
          f.fix());
    }
  }

  /** Whether git sees {@code dir} inside a work tree; false without git. */
  static boolean isGitCheckout(Path dir) {
    try {
      Process p =
          new ProcessBuilder("git", "rev-parse", "--is-inside-work-tree")
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes()).strip();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return false;
      }
      return p.exitValue() == 0 && out.equals("true");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EbDeployException(EbDeployException.Kind.INTERRUPTED, "interrupted", e);
    }
  }
}
