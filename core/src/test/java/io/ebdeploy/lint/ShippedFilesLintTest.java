package io.ebdeploy.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebdeploy.api.Tier;
import io.ebdeploy.config.ConfigLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the repository ships as an example lints clean. */
class ShippedFilesLintTest {
  static final Path SAMPLE_APP = Path.of("../examples/sample-app");

  @Test
  void sampleApp_lintsCleanForAWebAndWorkerGroup() {
    LintReport report =
        Linter.lint(
            SAMPLE_APP,
            LintOptions.defaults()
                .config(ConfigLoader.load(SAMPLE_APP, Map.of()))
                .group(List.of(Tier.WEB, Tier.WORKER))
                .strict(true));

    assertThat(report.findings()).isEmpty();
    assertThat(report.files())
        .contains(
            ".ebextensions/01-django.config",
            ".ebextensions/02-wsgi.config",
            ".platform/hooks/predeploy/01-check-python.sh",
            ".platform/nginx/conf.d/proxy.conf",
            "Procfile",
            "cron.yaml");
  }
}
