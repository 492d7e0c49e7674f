package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code eb-deploy bundle}: no AWS, so no sandbox. */
@Timeout(60)
class BundleCommandTest {
  @TempDir Path tmp;

  private static Run run(String... args) {
    return CliSandbox.execute(CliSandbox.context(Map.of("USER", "tester")), args);
  }

  private static List<String> entries(Path zip) throws Exception {
    try (ZipFile z = new ZipFile(zip.toFile())) {
      List<String> names = new ArrayList<>();
      for (var e : Collections.list(z.entries())) {
        names.add(e.getName());
      }
      return names;
    }
  }

  @Test
  void bundle_noOutputFile_writesLabelZipInTheProject() throws Exception {
    TestProject p = TestProject.create(tmp.resolve("app"));

    Run r = run("bundle", "--project-dir", p.path());

    assertThat(r.exitCode()).as(r.err()).isZero();
    Path zip = p.dir().resolve("v1.0.0.zip");
    assertThat(zip).isRegularFile();
    assertThat(entries(zip))
        .containsExactly(
            ".ebextensions/01-app.config", "application.py", "eb-deploy.yml", "VERSION.json");
    assertThat(r.out()).startsWith("Wrote " + zip + ": v1.0.0, 4 files, ");
  }

  @Test
  void bundle_sameCommitTwice_sameBytes() throws Exception {
    TestProject p =
        TestProject.create(
            tmp.resolve("app"),
            "build:\n  - echo compiled > out.txt && echo compiled\nbundle:\n  include: [out.txt]\n");
    Path a = tmp.resolve("a.zip");
    Path b = tmp.resolve("b.zip");

    Run first = run("bundle", "--project-dir", p.path(), "-o", a.toString());
    Run second = run("bundle", "--project-dir", p.path(), "-o", b.toString(), "--output", "json");

    assertThat(first.exitCode()).as(first.err()).isZero();
    assertThat(second.exitCode()).as(second.err()).isZero();
    assertThat(first.out()).contains("build | compiled").doesNotContain("\033");
    assertThat(Files.readAllBytes(a)).isEqualTo(Files.readAllBytes(b));
    JsonNode json = new ObjectMapper().readTree(second.out());
    assertThat(json.get("label").asText()).isEqualTo("v1.0.0");
    assertThat(json.get("path").asText()).isEqualTo(b.toString());
    assertThat(json.get("fileCount").asInt()).isEqualTo(5);
    assertThat(json.get("files").toString()).contains("out.txt");
    assertThat(second.err()).contains("build | ");
  }

  @Test
  void bundle_label_usedAndWrittenIntoTheVersionFile() throws Exception {
    TestProject p = TestProject.create(tmp.resolve("app"));

    Run r = run("bundle", "--project-dir", p.path(), "--label", "rc-2");

    assertThat(r.exitCode()).as(r.err()).isZero();
    Path zip = p.dir().resolve("rc-2.zip");
    try (ZipFile z = new ZipFile(zip.toFile())) {
      String version = new String(z.getInputStream(z.getEntry("VERSION.json")).readAllBytes());
      assertThat(version).contains("\"label\": \"rc-2\"", "\"deployed_by\": \"tester\"");
    }
  }

  @Test
  void bundle_notAGitRepository_exitTwo() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("plain"));
    Files.writeString(dir.resolve("a.txt"), "a");

    Run r = run("bundle", "--project-dir", dir.toString());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("is not in a git repository");
  }

  @Test
  void bundle_outputDirectoryMissing_exitTwo() {
    TestProject p = TestProject.create(tmp.resolve("app"));

    Run r = run("bundle", "--project-dir", p.path(), "-o", tmp.resolve("x/y.zip").toString());

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("does not exist");
  }
}
