package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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

  /**
   * A tracked file the user cannot read (a container wrote it as root, mode 600), and one in a
   * directory the user cannot enter, in a real {@code eb-deploy} process: root reads everything, so
   * when the test runs as root the process runs without the capabilities that let it (setpriv,
   * util-linux), and file modes hold for it as for anyone.
   */
  @Test
  void bundle_unreadableTrackedFiles_exitTwoNamingEveryPathAndTheFix() throws Exception {
    TestProject p =
        TestProject.create(tmp.resolve("app"))
            .write("secret/blob.txt", "locked")
            .write("locked/inside.txt", "locked")
            .commit("files");
    Files.setPosixFilePermissions(p.dir().resolve("secret/blob.txt"), Set.of());
    Files.setPosixFilePermissions(p.dir().resolve("locked"), Set.of());
    List<String> command = new ArrayList<>();
    if ((Integer) Files.getAttribute(p.dir(), "unix:uid") == 0) {
      command.addAll(
          List.of(
              Tools.require("setpriv", "util-linux").toString(),
              "--inh-caps=-all",
              "--bounding-set=-all",
              "--"));
    }
    command.addAll(
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            Main.class.getName(),
            "bundle",
            "--project-dir",
            p.path(),
            "-o",
            tmp.resolve("out.zip").toString()));
    ProcessBuilder pb =
        new ProcessBuilder(command)
            .redirectOutput(tmp.resolve("stdout").toFile())
            .redirectError(tmp.resolve("stderr").toFile());
    TestProject.isolate(pb.environment(), tmp);
    try {
      Process process = pb.start();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();
      String err = Files.readString(tmp.resolve("stderr"));

      assertThat(process.exitValue()).as(err).isEqualTo(ExitCodes.USAGE);
      assertThat(err)
          .contains("cannot read a file to bundle: locked/inside.txt (permission denied")
          .contains("chmod u+r")
          .contains(".ebignore or bundle.exclude")
          .doesNotContain("internal error");
      assertThat(tmp.resolve("out.zip")).doesNotExist();

      Files.setPosixFilePermissions(
          p.dir().resolve("locked"), PosixFilePermissions.fromString("rwxr-xr-x"));
      process = pb.start();
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();
      err = Files.readString(tmp.resolve("stderr"));

      assertThat(process.exitValue()).as(err).isEqualTo(ExitCodes.USAGE);
      assertThat(err).contains("cannot read a file to bundle: secret/blob.txt (permission denied)");
    } finally {
      Files.setPosixFilePermissions(
          p.dir().resolve("locked"), PosixFilePermissions.fromString("rwxr-xr-x"));
      Files.setPosixFilePermissions(
          p.dir().resolve("secret/blob.txt"), PosixFilePermissions.fromString("rw-r--r--"));
    }
  }
}
