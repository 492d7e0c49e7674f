package io.ebdeploy.deploy;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.EnvironmentInfo;
import io.ebdeploy.lint.Finding;
import io.ebdeploy.lint.LintOptions;
import io.ebdeploy.lint.LintReport;
import io.ebdeploy.lint.Linter;
import io.ebdeploy.lint.Rule;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Lints what will be bundled (docs/lint.md) once the group is known and before anything is built or
 * changed: errors stop the deploy as INVALID_INPUT naming each finding, warnings become {@link
 * DeployEvent.LintWarning} events. The group's tiers enable the rules that need them (a cron.yaml
 * in a group without a worker).
 *
 * <p>It runs before the build, so files the build creates are not linted, and a project eb-deploy
 * cannot bundle (bundle-refused) is left to the bundle step, which judges it with the build's
 * output in place.
 */
final class LintBundleStep {
  private LintBundleStep() {}

  static DeployContext run(DeployContext ctx) {
    Engine.Request r = ctx.request();
    LintOptions options =
        LintOptions.defaults()
            .config(withStaged(r.config(), r.staged()))
            .group(ctx.group().environments().stream().map(EnvironmentInfo::tier).toList());
    LintReport report =
        r.projectDir().isPresent()
            ? Linter.lint(r.projectDir().get(), options)
            : Linter.lintZip(r.bundleZip().orElseThrow(), options);
    for (Finding w : report.warnings()) {
      ctx.events().emit(new DeployEvent.LintWarning(ctx.events().now(), w));
    }
    List<Finding> blocking =
        report.errors().stream().filter(f -> f.rule() != Rule.BUNDLE_REFUSED).toList();
    if (!blocking.isEmpty()) {
      throw EbDeployException.invalidInput(
          "lint found "
              + blocking.size()
              + (blocking.size() == 1 ? " error" : " errors")
              + " in what would be deployed, so nothing was changed: "
              + blocking.stream().map(Finding::toString).collect(Collectors.joining("; "))
              + ". eb-deploy lint shows them; docs/lint.md explains each rule");
    }
    return ctx;
  }

  private static DeployConfig withStaged(DeployConfig config, boolean staged) {
    DeployConfig.Bundle b = config.bundle();
    return b.staged() == staged
        ? config
        : config.toBuilder()
            .bundle(new DeployConfig.Bundle(b.include(), b.exclude(), b.allowSecrets(), staged))
            .build();
  }
}
