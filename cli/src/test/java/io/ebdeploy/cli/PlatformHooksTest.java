package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hooks in platform/: shellcheck-clean, executable, #!, strict mode; the health check. */
class PlatformHooksTest {
  static final Path REPO = NginxRunner.REPO;

  @TempDir Path tmp;

  static List<Path> hooks() throws Exception {
    try (Stream<Path> files = Files.walk(REPO.resolve("platform"))) {
      return files.filter(f -> f.toString().endsWith(".sh")).sorted().toList();
    }
  }

  @Test
  void shellcheck_everyShippedHook_reportsNothing() throws Exception {
    Path shellcheck = Tools.require("shellcheck", "shellcheck");
    List<String> cmd = new ArrayList<>(List.of(shellcheck.toString()));
    hooks().forEach(h -> cmd.add(h.toString()));

    NginxRunner.Result r = NginxRunner.run(cmd);

    assertThat(hooks()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(r.exit()).as(r.output()).isZero();
  }

  @Test
  void everyShippedHook_executableWithShebangAndStrictMode() throws Exception {
    for (Path h : hooks()) {
      List<String> lines = Files.readAllLines(h);
      assertThat(Files.isExecutable(h)).as(h + " executable").isTrue();
      assertThat(lines.get(0)).as(h + " #!").isEqualTo("#!/bin/bash");
      assertThat(lines).as(h + " strict mode").contains("set -euo pipefail");
    }
  }

  @Test
  void healthCheck_skippedWithoutAPath_passesWhenTheApplicationAnswers200() throws Exception {
    Path props = Files.createDirectories(tmp.resolve("props"));
    Path getConfig = tmp.resolve("get-config");
    Files.writeString(
        getConfig, "#!/bin/sh\nf=\"" + props + "/$3\"\n[ -f \"$f\" ] && exec cat \"$f\"\nexit 1\n");
    Files.setPosixFilePermissions(getConfig, PosixFilePermissions.fromString("rwxr-xr-x"));
    String hook = REPO.resolve("platform/hooks/postdeploy/90-health-check.sh").toString();

    try (Backend backend = new Backend()) {
      Map<String, String> env =
          Map.of(
              "EB_GET_CONFIG",
              getConfig.toString(),
              "EB_HEALTH_CHECK_BASE",
              "http://127.0.0.1:" + backend.port());
      NginxRunner.Result skipped = NginxRunner.run(List.of(hook), env, Duration.ofSeconds(30));
      Files.writeString(props.resolve("EB_HEALTH_PATH"), "/health/");
      NginxRunner.Result passed = NginxRunner.run(List.of(hook), env, Duration.ofSeconds(30));

      assertThat(skipped.exit()).isZero();
      assertThat(skipped.output()).contains("skipped");
      assertThat(passed.exit()).as(passed.output()).isZero();
      assertThat(passed.output()).contains("answered 200");
      assertThat(backend.paths).containsExactly("/health/");
    }
  }
}
