package io.ebdeploy.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.lint.Rule;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lint in the pipeline: after discovery (it knows the group), before any change. */
class LintBundleStepTest {
  static final String APP = "Iaso";
  static final String UNGUARDED =
      "container_commands:\n"
          + "  01_migrate:\n"
          + "    command: \"python manage.py migrate --noinput\"\n"
          + "    leader_only: true\n";
  static final String CRON =
      "version: 1\ncron:\n  - name: nightly\n    url: /jobs/nightly/\n    schedule: \"0 3 * * *\"\n";

  @TempDir Path dir;
  SandboxFixture fx;
  final List<DeployEvent> events = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void start() {
    fx = new SandboxFixture();
  }

  @AfterEach
  void stop() {
    fx.close();
  }

  @Test
  void deploy_lintErrorInWebAndWorkerGroup_refusedNamingTheFindingAndNothingChanged()
      throws IOException {
    fx.group(APP, "staging", List.of("iaso-web"), List.of("iaso-worker"));
    Path zip = zip(Map.of(".ebextensions/01-django.config", UNGUARDED, "app.py", "print()\n"));
    int before = fx.mutatingCalls().size();

    EbDeployException e =
        catchThrowableOfType(
            EbDeployException.class,
            () -> fx.forBundle(zip, "staging", "v1").listener(events::add).deploy());

    assertThat(e.kind()).isEqualTo(EbDeployException.Kind.INVALID_INPUT);
    assertThat(e.getMessage())
        .contains("lint found 1 error")
        .contains(".ebextensions/01-django.config:2: error EB008 migration-without-role-guard")
        .contains("nothing was changed");
    assertThat(fx.mutatingCalls()).hasSize(before);
  }

  @Test
  void plan_lintError_refusedToo() throws IOException {
    fx.group(APP, "staging", List.of("iaso-web"), List.of("iaso-worker"));
    Path zip = zip(Map.of(".ebextensions/01.yml", "x", "Procfile", "# nothing\n"));
    int before = fx.mutatingCalls().size();

    EbDeployException e =
        catchThrowableOfType(
            EbDeployException.class, () -> fx.forBundle(zip, "staging", "v1").plan());

    assertThat(e.getMessage()).contains("Procfile: error EB016 procfile-empty");
    assertThat(fx.mutatingCalls()).hasSize(before);
  }

  @Test
  void deploy_groupOfOneWebEnvironment_warningsAreEventsAndTheDeployGoesOn() throws IOException {
    fx.group(APP, "staging", List.of("iaso-web"), List.of());
    Path zip =
        zip(
            Map.of(
                ".ebextensions/01-django.config", UNGUARDED, "cron.yaml", CRON, "app.py", "x\n"));

    fx.forBundle(zip, "staging", "v1").listener(events::add).deploy();

    List<Rule> warned =
        events.stream()
            .filter(ev -> ev instanceof DeployEvent.LintWarning)
            .map(ev -> ((DeployEvent.LintWarning) ev).finding().rule())
            .toList();
    assertThat(warned)
        .containsExactlyInAnyOrder(Rule.MIGRATION_WITHOUT_ROLE_GUARD, Rule.CRON_WITHOUT_WORKER);
    int lint = indexOf(DeployEvent.LintWarning.class);
    assertThat(indexOf(DeployEvent.DiscoveryDone.class)).isLessThan(lint);
    assertThat(indexOf(DeployEvent.UploadDone.class)).isGreaterThan(lint);
  }

  private int indexOf(Class<? extends DeployEvent> type) {
    for (int i = 0; i < events.size(); i++) {
      if (type.isInstance(events.get(i))) {
        return i;
      }
    }
    return -1;
  }

  private Path zip(Map<String, String> files) throws IOException {
    Path zip = Files.createTempFile(dir, "bundle", ".zip");
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(out)) {
      for (Map.Entry<String, String> f : new java.util.TreeMap<>(files).entrySet()) {
        z.putNextEntry(new ZipEntry(f.getKey()));
        z.write(f.getValue().getBytes(StandardCharsets.UTF_8));
        z.closeEntry();
      }
    }
    return zip;
  }
}
