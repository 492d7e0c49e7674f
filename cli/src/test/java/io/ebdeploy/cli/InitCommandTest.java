package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.Tier;
import io.ebdeploy.config.ConfigLoader;
import io.ebdeploy.lint.LintOptions;
import io.ebdeploy.lint.LintReport;
import io.ebdeploy.lint.Linter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {
  static final Path REPO = Path.of("..").toAbsolutePath().normalize();

  @TempDir Path dir;

  @Test
  void init_django_writesConfigTemplatesAndPlatformFiles() throws IOException {
    Run r = Run.of("init", dir.toString(), "--template", "django", "--worker", "--gzip");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("wrote  eb-deploy.yml")
        .contains("wrote  .ebextensions/01-django.config")
        .contains("wrote  .ebextensions/02-django-options.config")
        .contains("wrote  cron.yaml")
        .contains("wrote  .platform/nginx/nginx.conf")
        .contains("wrote  .platform/hooks/predeploy/50-maintenance.sh")
        .contains("eb-deploy lint");
    assertThat(Files.isExecutable(dir.resolve(".platform/hooks/predeploy/50-maintenance.sh")))
        .isTrue();
    assertThat(Files.isExecutable(dir.resolve(".platform/confighooks/predeploy/50-maintenance.sh")))
        .isTrue();
    assertThat(Files.readString(dir.resolve(".ebextensions/01-django.config")))
        .isEqualTo(Files.readString(REPO.resolve("ebextensions/django/01-django.config")));
  }

  @Test
  void init_everyTemplateChoice_lintsCleanEvenStrict() {
    for (String template : List.of("django", "generic")) {
      Path project = dir.resolve(template);
      project.toFile().mkdirs();
      assertThat(
              Run.of("init", project.toString(), "--template", template, "--worker", "--gzip")
                  .exitCode())
          .isZero();

      LintReport report =
          Linter.lint(
              project,
              LintOptions.defaults()
                  .config(ConfigLoader.load(project, Map.of()))
                  .group(List.of(Tier.WEB, Tier.WORKER))
                  .strict(true));

      assertThat(report.findings()).as(template).isEmpty();
      assertThat(report.files()).as(template).hasSizeGreaterThanOrEqualTo(8);
    }
  }

  @Test
  void init_ebDeployYml_isEveryDefault() {
    Run.of("init", dir.toString());

    DeployConfig written = ConfigLoader.load(dir, Map.of());
    DeployConfig defaults = DeployConfig.defaults();

    assertThat(written.tag()).isEqualTo(defaults.tag());
    assertThat(written.application()).isEqualTo(defaults.application());
    assertThat(written.region()).isEqualTo(defaults.region());
    assertThat(written.profile()).isEqualTo(defaults.profile());
    assertThat(written.platform()).isEqualTo(defaults.platform());
    assertThat(written.build()).isEqualTo(defaults.build());
    assertThat(written.bundle()).isEqualTo(defaults.bundle());
    assertThat(written.versionFile()).isEqualTo(defaults.versionFile());
    assertThat(written.migration()).isEqualTo(defaults.migration());
    assertThat(written.health()).isEqualTo(defaults.health());
    assertThat(written.timeouts()).isEqualTo(defaults.timeouts());
    assertThat(written.staticAssets()).isEqualTo(defaults.staticAssets());
    assertThat(written.slack()).isEqualTo(defaults.slack());
    assertThat(written.database()).isEqualTo(defaults.database());
    assertThat(written.lock()).isEqualTo(defaults.lock());
  }

  @Test
  void init_neverOverwrites_andSaysSoWhenNothingIsLeftToWrite() throws IOException {
    Files.writeString(dir.resolve("eb-deploy.yml"), "tag: team\n");

    Run first = Run.of("init", dir.toString());
    Run second = Run.of("init", dir.toString());

    assertThat(first.exitCode()).isZero();
    assertThat(first.out()).contains("kept   eb-deploy.yml (exists; init never overwrites)");
    assertThat(Files.readString(dir.resolve("eb-deploy.yml"))).isEqualTo("tag: team\n");
    assertThat(second.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(second.err()).contains("nothing written: every file exists already");
  }

  @Test
  void init_missingDirectory_refused() {
    Run r = Run.of("init", dir.resolve("nope").toString());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("does not exist");
  }

  @Test
  void templates_everyShippedFileIsOfferedAndIdenticalInTheJar() throws IOException {
    List<String> offered = new ArrayList<>();
    for (InitCommand.File f : InitCommand.files(InitCommand.Template.django, true, true)) {
      offered.add(f.resource());
    }
    InitCommand.files(InitCommand.Template.generic, false, false).stream()
        .map(InitCommand.File::resource)
        .forEach(offered::add);
    List<String> shipped = new ArrayList<>();
    for (String top : List.of("ebextensions", "platform")) {
      try (Stream<Path> files = Files.walk(REPO.resolve(top))) {
        files
            .filter(Files::isRegularFile)
            .filter(f -> !f.getFileName().toString().equals("README.md"))
            .forEach(f -> shipped.add(REPO.relativize(f).toString()));
      }
    }

    assertThat(offered).containsAll(shipped);
    for (String s : shipped) {
      assertThat(InitCommand.resource(s)).as(s).isEqualTo(Files.readAllBytes(REPO.resolve(s)));
    }
  }
}
