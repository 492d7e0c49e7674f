package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's main-job command, exactly: {@code ./eb-deploy demo} through the real launcher and
 * the shaded jar, from another directory, at the demo's own pace. Failsafe runs it after package.
 */
@Timeout(120)
class DemoIT {
  @Test
  void launcher_demo_deploysTheSampleAndEndsWithTheStatus(@TempDir Path tmp) throws Exception {
    Path root = Path.of(System.getProperty("ebdeploy.repoRoot", "..")).toAbsolutePath().normalize();
    Path out = tmp.resolve("out");
    Path err = tmp.resolve("err");
    ProcessBuilder pb =
        new ProcessBuilder(root.resolve("eb-deploy").toString(), "demo")
            .directory(tmp.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    pb.environment().put("EB_DEPLOY_NO_BUILD", "1");
    Instant start = Instant.now();

    Process p = pb.start();
    boolean finished = p.waitFor(100, TimeUnit.SECONDS);
    if (!finished) {
      p.destroyForcibly();
    }

    String stdout = Files.readString(out);
    String stderr = Files.readString(err);
    assertThat(finished).as("finished; stdout: %s", stdout).isTrue();
    assertThat(p.exitValue()).as("exit code; stdout: %s; stderr: %s", stdout, stderr).isZero();
    assertThat(stdout)
        .contains("Deployed v1.0.0 to staging (sample): 2 environments")
        .containsPattern("sample-staging +web +v1.0.0 +Ready +Green\n")
        .containsPattern("sample-staging-worker +worker +v1.0.0 +Ready +Yellow\n")
        .contains("All 2 run v1.0.0.\n")
        .containsPattern("  \\| Commit: [0-9a-f]{7,}\n")
        .containsPattern("  \\| Started by: (?!unknown)\\S+\n")
        .containsPattern("Demo done in \\d+")
        .doesNotContain("\033");
    assertThat(stderr).doesNotContain("Exception", "WARN", "ERROR");
    System.out.println(
        "DemoIT: ./eb-deploy demo took "
            + Duration.between(start, Instant.now()).toMillis()
            + " ms");
  }
}
