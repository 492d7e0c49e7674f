package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code eb-deploy demo} in-process, fast; DemoIT runs it through the launcher. */
@Timeout(120)
class DemoCommandTest {
  @Test
  void demo_fastTimeScale_deploysTheSampleToWebAndWorkerThenShowsStatus() {
    Run r = CliSandbox.execute(CliSandbox.context(Map.of()), "demo", "--time-scale", "0.002");

    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
    assertThat(r.out())
        .contains("found 2 environments of sample tagged staging")
        .contains("build | built static/dist/app.")
        .contains("Deployed v1.0.0 to staging (sample): 2 environments")
        .containsPattern(
            "sample-staging +web +web \\(migrates\\) +\\(none\\) -> v1.0.0 +Ready +Green")
        .containsPattern(
            "sample-staging-worker +worker +worker +\\(none\\) -> v1.0.0 +Ready +Yellow +succeeded")
        .contains("Slack notifications go to a local webhook sink at http://127.0.0.1:")
        .contains("What Slack would have shown (2 messages):")
        .contains("  | :hourglass_flowing_sand: Deploying sample v1.0.0 to staging")
        .contains("  | :white_check_mark: Deployed sample v1.0.0 to staging: succeeded")
        .containsPattern("  \\| Commit: [0-9a-f]{7,}\n")
        .containsPattern("  \\| Started by: (?!unknown)\\S+\n")
        .containsPattern("  \\| sample-staging-worker +worker +\\S+ -> v1.0.0 +Yellow +succeeded")
        .contains("$ eb-deploy status staging")
        .containsPattern("sample-staging +web +v1.0.0 +Ready +Green")
        .containsPattern("sample-staging-worker +worker +v1.0.0 +Ready +Yellow")
        .contains("All 2 run v1.0.0.")
        .containsPattern("Demo done in \\d+")
        .doesNotContain("\033");
  }

  @Test
  void findSample_fromTheCheckout_found() {
    Path sample = DemoCommand.findSample(DemoCommand.searchStarts(Path.of("").toAbsolutePath()));

    assertThat(sample.resolve("eb-deploy.yml")).isRegularFile();
    assertThat(sample.toString()).endsWith("examples/sample-app");
  }

  @Test
  void findSample_outsideACheckout_usageErrorSayingWhere(@TempDir Path tmp) {
    assertThatThrownBy(() -> DemoCommand.findSample(List.of(tmp)))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("cannot find examples/sample-app")
        .hasMessageContaining(tmp.toString())
        .extracting(e -> ((CliException) e).exitCode())
        .isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void copyTree_sample_keepsExecutableHooksAndSkipsBuildOutput(@TempDir Path tmp) throws Exception {
    Path sample = DemoCommand.findSample(DemoCommand.searchStarts(Path.of("").toAbsolutePath()));
    Path copy = tmp.resolve("copy");

    DemoCommand.copyTree(sample, copy);

    assertThat(copy.resolve(".platform/hooks/predeploy/01-check-python.sh")).isExecutable();
    assertThat(copy.resolve("static/dist")).doesNotExist();
    assertThat(Files.readString(copy.resolve("eb-deploy.yml")))
        .isEqualTo(Files.readString(sample.resolve("eb-deploy.yml")));
  }

  @Test
  void demo_badTimeScale_exitTwo() {
    Run r = CliSandbox.execute(CliSandbox.context(Map.of()), "demo", "--time-scale", "0");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--time-scale 0.0 must be a positive number");
  }
}
