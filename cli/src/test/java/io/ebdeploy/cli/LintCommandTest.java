package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LintCommandTest {
  static final String UNGUARDED =
      "container_commands:\n"
          + "  01_migrate:\n"
          + "    command: \"python manage.py migrate\"\n"
          + "    leader_only: true\n";

  @TempDir Path dir;

  @Test
  void lint_cleanProject_exits0AndSaysWhatWasLinted() {
    TestProject p = TestProject.create(dir);

    Run r = Run.of("lint", p.path());

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("lint passed: 0 errors, 0 warnings in 1 file")
        .contains("the bundle of " + dir);
  }

  @Test
  void lint_error_exits2WithFileLineRuleMessageAndFix() {
    TestProject p = TestProject.create(dir).write(".ebextensions/02-db.config", UNGUARDED);
    p.commit("migrate");

    Run r = Run.of("lint", p.path());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.out())
        .contains(".ebextensions/02-db.config:2: error EB008 migration-without-role-guard")
        .contains("    '01_migrate' is leader_only but has no EB_DEPLOY_ROLE guard")
        .contains("    fix: run it only where eb-deploy set EB_DEPLOY_ROLE=web")
        .contains("lint failed: 1 error, 0 warnings in 2 files");
    assertThat(r.out()).doesNotContain("\033[");
  }

  @Test
  void lint_warningOnly_passesUnlessStrict() {
    TestProject p = TestProject.create(dir).write(".ebextensions/03.yml", "x: 1\n");
    p.commit("yml");

    Run normal = Run.of("lint", p.path());
    Run strict = Run.of("lint", "--strict", p.path());

    assertThat(normal.exitCode()).isZero();
    assertThat(normal.out()).contains("warning EB011 ignored-file").contains("lint passed");
    assertThat(strict.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(strict.out()).contains("lint failed").contains("(strict: warnings fail too)");
  }

  @Test
  void lint_tiers_enableTheGroupRules() {
    TestProject p =
        TestProject.create(dir)
            .write(
                "cron.yaml",
                "version: 1\ncron:\n  - name: a\n    url: /a/\n    schedule: \"0 3 * * *\"\n");
    p.commit("cron");

    Run webOnly = Run.of("lint", "--tiers", "web", p.path());
    Run withWorker = Run.of("lint", "--tiers", "web,worker", p.path());
    Run bad = Run.of("lint", "--tiers", "web,queue", p.path());

    assertThat(webOnly.out()).contains("cron.yaml: warning EB015 cron-without-worker");
    assertThat(withWorker.out()).doesNotContain("EB015");
    assertThat(bad.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(bad.err()).contains("'queue' is not a tier");
  }

  @Test
  void lint_json_oneDocumentWithEveryFinding() throws IOException {
    TestProject p = TestProject.create(dir).write(".ebextensions/02-db.config", UNGUARDED);
    p.commit("migrate");

    Run r = Run.of("lint", "--output", "json", p.path());

    JsonNode json = new ObjectMapper().readTree(r.out());
    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(json.get("passed").asBoolean()).isFalse();
    JsonNode f = json.get("findings").get(0);
    assertThat(f.get("file").asText()).isEqualTo(".ebextensions/02-db.config");
    assertThat(f.get("line").asInt()).isEqualTo(2);
    assertThat(f.get("rule").asText()).isEqualTo("EB008");
    assertThat(f.get("fix").asText()).contains("EB_DEPLOY_ROLE");
  }

  @Test
  void lint_zip_lintsTheZipAsItIs() throws IOException {
    Path zip = dir.resolve("app.zip");
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(out)) {
      z.putNextEntry(new ZipEntry("Procfile"));
      z.write("# nothing\n".getBytes(StandardCharsets.UTF_8));
      z.closeEntry();
    }

    Run r = Run.of("lint", zip.toString());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.out()).contains("Procfile: error EB016 procfile-empty").contains("the zip " + zip);
  }

  @Test
  void lint_missingPath_usageError() {
    Run r = Run.of("lint", dir.resolve("nope").toString());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("does not exist");
  }
}
