package io.ebdeploy.lint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.Tier;
import io.ebdeploy.bundle.Bundler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import net.lingala.zip4j.io.outputstream.ZipOutputStream;
import net.lingala.zip4j.model.ZipParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What lint reads: the bundle plan of a git project, a zip, a folder; and the report. */
class LinterTest {
  static final String MIGRATE_NO_LEADER =
      "container_commands:\n  01_migrate:\n    command: \"python manage.py migrate\"\n";

  @TempDir Path dir;

  @Test
  void lint_gitProject_skipsFilesLeftOutByEbignore() throws Exception {
    write(".ebextensions/01-bad.config", MIGRATE_NO_LEADER);
    write(".ebextensions/02-ok.config", "option_settings: {}\n");
    write(".ebignore", ".ebextensions/01-bad.config\n");
    git("init", "-q", "-b", "main", ".");
    git("add", "-A");

    LintReport report = Linter.lint(dir, LintOptions.defaults());

    assertThat(report.source()).contains("git-tracked files");
    assertThat(report.files()).containsExactly(".ebextensions/02-ok.config");
    assertThat(report.findings().stream().map(LintCorpusTest::line))
        .containsExactly(
            "EB024 .ebextensions/01-bad.config warning",
            "EB007 .ebextensions/01-bad.config:2 warning");
  }

  @Test
  void lint_gitProject_untrackedFiles_reportedAsLeftOutAndReadAsIfAdded() throws Exception {
    git("init", "-q", "-b", "main", ".");
    write("app.py", "print()\n");
    write("notes/cron.yaml", "not read\n");
    git("add", "-A");
    write(".ebextensions/01-bad.config", MIGRATE_NO_LEADER); // never added
    write(".ebextensions/02-broken.config", "option_settings:\n  - namespace: [\n"); // never added
    write(".platform/hooks/predeploy/01.sh", "#!/bin/bash\n"); // never added, not executable

    LintReport report = Linter.lint(dir, LintOptions.defaults());

    assertThat(report.findings().stream().map(LintCorpusTest::line))
        .containsExactly(
            "EB024 .ebextensions/01-bad.config warning",
            "EB007 .ebextensions/01-bad.config:2 warning",
            "EB024 .ebextensions/02-broken.config warning",
            "EB001 .ebextensions/02-broken.config:3 warning",
            "EB012 .platform/hooks/predeploy/01.sh warning",
            "EB024 .platform/hooks/predeploy/01.sh warning");
    assertThat(report.findings().get(0).fix())
        .isEqualTo(
            "git add .ebextensions/01-bad.config (or, if it is left out on purpose, delete it)");
    assertThat(report.findings().get(1).message())
        .endsWith("(an error once this file is bundled; it is not yet)");
    assertThat(report.files()).as("the bundle's files only").isEmpty();
    assertThat(report.passed()).as("nothing bundled is wrong").isTrue();
  }

  @Test
  void lint_stagedBundle_judgesTheHookModeAndContentGitRecords() throws Exception {
    git("init", "-q", "-b", "main", ".");
    write(".platform/hooks/predeploy/01.sh", "#!/bin/bash\necho staged\n");
    git("add", "-A"); // recorded 644
    executable(".platform/hooks/predeploy/01.sh");
    write(".ebextensions/01.config", MIGRATE_NO_LEADER);
    git("add", ".ebextensions"); // the hook's new mode stays unstaged
    write(".ebextensions/01.config", "option_settings: {}\n"); // fixed, but not staged
    DeployConfig staged =
        DeployConfig.builder()
            .bundle(new DeployConfig.Bundle(List.of(), List.of(), List.of(), true))
            .build();

    LintReport fromIndex = Linter.lint(dir, LintOptions.defaults().config(staged));
    LintReport fromTree = Linter.lint(dir, LintOptions.defaults());

    assertThat(ids(fromIndex)).containsExactlyInAnyOrder("EB007", "EB012");
    assertThat(ids(fromTree)).isEmpty();
  }

  @Test
  void lint_projectEbDeployRefusesToBundle_reportsItAndStillLintsTheFiles() throws Exception {
    git("init", "-q", "-b", "main", ".");
    write("id_rsa", "-----BEGIN OPENSSH PRIVATE KEY-----\nx\n-----END OPENSSH PRIVATE KEY-----\n");
    write(".ebextensions/01.config", MIGRATE_NO_LEADER);
    git("add", "-A");

    LintReport report = Linter.lint(dir, LintOptions.defaults());

    assertThat(ids(report)).containsExactlyInAnyOrder("EB023", "EB007");
    assertThat(report.findings().get(0).location()).isEqualTo("bundle");
    assertThat(report.findings().get(0).message()).contains("id_rsa");
  }

  @Test
  void lint_bundleOverTheLimit_errorWhenCompressedFilesAloneExceedItWarningOtherwise()
      throws Exception {
    git("init", "-q", "-b", "main", ".");
    write("app.py", "print()\n");
    git("add", "-A");
    long over = Bundler.MAX_BUNDLE_BYTES + 1024;
    sparse("media/video.mp4", over); // stored as is: over for certain
    DeployConfig includeMp4 =
        DeployConfig.builder()
            .bundle(new DeployConfig.Bundle(List.of("media/"), List.of(), List.of(), false))
            .build();

    LintReport stored = Linter.lint(dir, LintOptions.defaults().config(includeMp4));

    assertThat(stored.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo(Rule.BUNDLE_TOO_BIG);
              assertThat(f.severity()).isEqualTo(Severity.ERROR);
              assertThat(f.fix()).contains("media/video.mp4");
            });

    Files.delete(dir.resolve("media/video.mp4"));
    sparse("media/data.csv", over); // text: may compress below the limit

    LintReport text = Linter.lint(dir, LintOptions.defaults().config(includeMp4));

    assertThat(text.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo(Rule.BUNDLE_TOO_BIG);
              assertThat(f.severity()).isEqualTo(Severity.WARNING);
            });
  }

  @Test
  void bundleRules_moreEntriesThanAZipHoldsWithoutZip64_warns() {
    Findings findings = new Findings();
    BundleRules.check(new CountOnly(BundleRules.ZIP_ENTRIES + 1), findings);

    assertThat(findings.findings())
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.rule()).isEqualTo(Rule.BUNDLE_TOO_MANY_FILES);
              assertThat(f.message()).contains("65,536 files");
            });

    Findings none = new Findings();
    BundleRules.check(new CountOnly(BundleRules.ZIP_ENTRIES), none);
    assertThat(none.findings()).isEmpty();
  }

  @Test
  void lintZip_readsModesAndContentFromTheZip() throws Exception {
    Path zip = dir.resolve("app.zip");
    try (OutputStream out = Files.newOutputStream(zip);
        ZipOutputStream z = new ZipOutputStream(out)) {
      entry(z, ".platform/hooks/predeploy/01.sh", "#!/bin/bash\necho\n", 0100644);
      entry(z, ".platform/hooks/predeploy/02.sh", "#!/bin/bash\necho\n", 0100755);
      entry(
          z,
          "cron.yaml",
          "version: 1\ncron:\n  - name: a\n    url: /a\n    schedule: '0 3 * *'\n",
          0100644);
    }

    LintReport report =
        Linter.lintZip(zip, LintOptions.defaults().group(List.of(Tier.WEB, Tier.WORKER)));

    assertThat(report.source()).isEqualTo("the zip " + zip);
    assertThat(report.findings().stream().map(LintCorpusTest::line))
        .containsExactly("EB012 .platform/hooks/predeploy/01.sh error", "EB014 cron.yaml:5 error");
  }

  @Test
  void lint_notAFolder_refused() {
    assertThatThrownBy(() -> Linter.lint(dir.resolve("missing"), LintOptions.defaults()))
        .isInstanceOf(EbDeployException.class)
        .hasMessageContaining("is not a folder");
    assertThatThrownBy(() -> Linter.lintZip(dir.resolve("missing.zip"), LintOptions.defaults()))
        .isInstanceOf(EbDeployException.class)
        .hasMessageContaining("does not exist");
  }

  @Test
  void report_strictMakesWarningsBlock() throws Exception {
    write(".ebextensions/01.yml", "option_settings: {}\n"); // EB011, a warning

    LintReport normal = Linter.lint(dir, LintOptions.defaults());
    LintReport strict = Linter.lint(dir, LintOptions.defaults().strict(true));

    assertThat(normal.passed()).isTrue();
    assertThat(normal.warnings()).hasSize(1);
    assertThat(strict.passed()).isFalse();
    assertThat(strict.blocking()).hasSize(1);
    assertThat(strict.summary()).isEqualTo("0 errors, 1 warning in 1 file");
  }

  @Test
  void report_json_listsFileLineRuleSeverityMessageAndFix() throws Exception {
    write(".ebextensions/01.config", MIGRATE_NO_LEADER);
    write(".platform/hooks/prebuild/01.sh", "echo\n");
    executable(".platform/hooks/prebuild/01.sh");

    JsonNode json = new ObjectMapper().readTree(Linter.lint(dir, LintOptions.defaults()).toJson());

    assertThat(json.get("passed").asBoolean()).isFalse();
    assertThat(json.get("errors").asInt()).isEqualTo(2);
    assertThat(json.get("files")).hasSize(2);
    JsonNode first = json.get("findings").get(0);
    assertThat(first.get("file").asText()).isEqualTo(".ebextensions/01.config");
    assertThat(first.get("line").asInt()).isEqualTo(2);
    assertThat(first.get("rule").asText()).isEqualTo("EB007");
    assertThat(first.get("name").asText()).isEqualTo("migration-not-leader-only");
    assertThat(first.get("severity").asText()).isEqualTo("error");
    assertThat(first.get("message").asText()).contains("01_migrate");
    assertThat(first.get("fix").asText()).contains("leader_only: true");
    assertThat(json.get("findings").get(1).get("rule").asText()).isEqualTo("EB013");
  }

  @Test
  void rules_idsAreUniqueSequentialAndFindable() {
    List<String> ids = new ArrayList<>();
    for (Rule r : Rule.values()) {
      ids.add(r.id());
      assertThat(Rule.find(r.slug())).contains(r);
      assertThat(Rule.find(r.id().toLowerCase())).contains(r);
    }
    for (int i = 0; i < ids.size(); i++) {
      assertThat(ids.get(i)).isEqualTo(String.format("EB%03d", i + 1));
    }
  }

  @Test
  void namespaces_typosSuggestTheDocumentedName() {
    assertThat(Namespaces.check("aws:elasticbeanstalk:application:environment")).isEmpty();
    assertThat(Namespaces.check("aws:elasticbeanstalk:environment:process:api")).isEmpty();
    assertThat(Namespaces.check("aws:elb:listener:8080")).isEmpty();
    assertThat(Namespaces.suggest("AWS:AutoScaling:ASG")).contains("aws:autoscaling:asg");
    assertThat(Namespaces.suggest("aws:elasticbeanstalk:enviroment:process:api"))
        .contains("aws:elasticbeanstalk:environment:process:api");
    assertThat(Namespaces.suggest("aws:elasticbeanstalk:sqs"))
        .contains("aws:elasticbeanstalk:sqsd");
    assertThat(Namespaces.suggest("acme:feature:flags")).isEmpty();
  }

  @Test
  void cronSchedule_fiveFieldsInRange() {
    assertThat(CronRules.schedule("*/5 0-6,22 1 jan-MAR sun")).isEmpty();
    assertThat(CronRules.schedule("0 0 * * 7")).isEmpty();
    assertThat(CronRules.schedule("60 * * * *")).contains("minute '60' is out of range 0-59");
    assertThat(CronRules.schedule("0 5-2 * * *"))
        .contains("hour '5-2' has a range that goes backwards");
    assertThat(CronRules.schedule("0 0 0 * *")).contains("day of month '0' is out of range 1-31");
    assertThat(CronRules.schedule("0 0 * * fri-mon"))
        .contains("day of week 'fri-mon' has a range that goes backwards");
  }

  // helpers -------------------------------------------------------------------------------------

  private static List<String> ids(LintReport report) {
    return report.findings().stream().map(Finding::ruleId).toList();
  }

  private void write(String path, String content) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private void executable(String path) throws IOException {
    Files.setPosixFilePermissions(dir.resolve(path), PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  /** A file of this size that takes no disk space. */
  private void sparse(String path, long size) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(size);
    }
  }

  private static void entry(ZipOutputStream z, String name, String content, int mode)
      throws IOException {
    ZipParameters p = new ZipParameters();
    p.setFileNameInZip(name);
    z.putNextEntry(p);
    z.write(content.getBytes(StandardCharsets.UTF_8));
    z.closeEntry()
        .setExternalFileAttributes(
            new byte[] {0, 0, (byte) (mode << 16 >>> 16), (byte) (mode << 16 >>> 24)});
  }

  private void git(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    ProcessBuilder b =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    Map<String, String> env = b.environment();
    env.put("HOME", dir.toString());
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.remove("GIT_DIR");
    env.remove("GIT_WORK_TREE");
    env.remove("GIT_INDEX_FILE");
    Process p = b.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("git %s: %s", String.join(" ", args), out).isZero();
  }

  /** An inventory that only has a number of entries. */
  private record CountOnly(int entries) implements Inventory {
    @Override
    public String describe() {
      return "count";
    }

    @Override
    public List<Item> files() {
      return List.of();
    }

    @Override
    public Optional<Item> find(String name) {
      return Optional.empty();
    }

    @Override
    public byte[] read(String name) {
      return new byte[0];
    }

    @Override
    public boolean complete() {
      return true;
    }

    @Override
    public int entryCount() {
      return entries;
    }

    @Override
    public Optional<Long> zipSize() {
      return Optional.empty();
    }
  }
}
