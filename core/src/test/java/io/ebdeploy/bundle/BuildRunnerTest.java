package io.ebdeploy.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ebdeploy.api.EbDeployException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildRunnerTest {
  @TempDir Path dir;

  @Test
  void run_commands_runInOrderInTheProjectDirWithStderrMerged() throws Exception {
    List<String> lines = new ArrayList<>();

    BuildRunner.run(dir, List.of("echo one; echo two >&2", "pwd", "cat; echo three"), lines::add);

    assertThat(lines).containsExactly("one", "two", dir.toRealPath().toString(), "three");
  }

  @Test
  void run_slowCommand_streamsEachLineAsItComes() {
    List<Long> arrivals = new ArrayList<>();

    BuildRunner.run(
        dir, List.of("echo first; sleep 0.6; echo second"), l -> arrivals.add(System.nanoTime()));

    assertThat(arrivals).hasSize(2);
    assertThat((arrivals.get(1) - arrivals.get(0)) / 1_000_000).isGreaterThanOrEqualTo(400);
  }

  @Test
  void run_failingCommand_abortsNamingCommandExitCodeAndLastLines() {
    List<String> lines = new ArrayList<>();

    EbDeployException e =
        catchThrowableOfType(
            EbDeployException.class,
            () ->
                BuildRunner.run(
                    dir,
                    List.of("for i in $(seq 1 30); do echo line$i; done; exit 3", "touch ran"),
                    lines::add));

    assertThat(e.kind()).isEqualTo(EbDeployException.Kind.INVALID_INPUT);
    assertThat(e.getMessage())
        .contains("build command `for i in $(seq 1 30); do echo line$i; done; exit 3`")
        .contains("exit code 3")
        .contains("line30")
        .contains("line11")
        .doesNotContain("line10\n");
    assertThat(lines).hasSize(30);
    assertThat(Files.exists(dir.resolve("ran"))).isFalse();
  }

  @Test
  void run_noCommands_doesNothing() {
    List<String> lines = new ArrayList<>();

    BuildRunner.run(dir, List.of(), lines::add);

    assertThat(lines).isEmpty();
  }
}
