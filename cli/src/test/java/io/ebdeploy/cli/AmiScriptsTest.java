package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The AMI build scripts in ami/ through the tools that judge them: shellcheck on every script and
 * test, the bats suite (ami/test, fixture libraries, no network, no root), and Debian's packer
 * validating the template offline for both profiles. A missing tool skips its test with the reason,
 * unless -Debdeploy.requireTools=true.
 */
class AmiScriptsTest {
  static final Path AMI = NginxRunner.REPO.resolve("ami");

  @TempDir Path tmp;

  @Test
  void shellcheck_scriptAndTests_reportNothing() throws Exception {
    Path shellcheck = Tools.require("shellcheck", "shellcheck");
    List<String> cmd = new ArrayList<>(List.of(shellcheck.toString()));
    try (Stream<Path> files = Files.walk(AMI)) {
      files
          .filter(f -> f.toString().matches(".*\\.(sh|bash|bats)$"))
          .sorted()
          .forEach(f -> cmd.add(f.toString()));
    }

    NginxRunner.Result r = NginxRunner.run(cmd);

    assertThat(cmd).anyMatch(f -> f.endsWith("create_ami.sh")).anyMatch(f -> f.endsWith(".bats"));
    assertThat(r.exit()).as(r.output()).isZero();
  }

  @Test
  void bats_amiSuite_passes() throws Exception {
    Path bats = Tools.require("bats", "bats");
    Tools.require("cmake", "cmake"); // the CMake fixtures configure with the real cmake

    NginxRunner.Result r =
        NginxRunner.run(
            List.of(bats.toString(), AMI.resolve("test").toString()),
            Map.of("TMPDIR", tmp.toString()),
            Duration.ofMinutes(30));

    assertThat(r.exit()).as(r.output()).isZero();
    assertThat(r.output()).contains("ok ").doesNotContain("not ok");
  }

  @Test
  void packerValidate_templateWithSampleVariables_offlineForBothProfiles() throws Exception {
    Path packer = Tools.require("packer", "packer");
    Path template = AMI.resolve("packer/gis-ami.pkr.hcl");
    Path vars = AMI.resolve("packer/example.pkrvars.hcl");
    // No AWS credentials, no Packer home or plugins, no update check: validate needs none.
    Map<String, String> env = new HashMap<>();
    env.put("HOME", tmp.toString());
    env.put("CHECKPOINT_DISABLE", "1");
    env.put("AWS_SHARED_CREDENTIALS_FILE", tmp.resolve("none").toString());
    env.put("AWS_CONFIG_FILE", tmp.resolve("none").toString());

    for (String profile : List.of("current", "iaso-legacy")) {
      NginxRunner.Result r =
          NginxRunner.run(
              List.of(
                  packer.toString(),
                  "validate",
                  "-var-file=" + vars,
                  "-var",
                  "profile=" + profile,
                  template.toString()),
              env,
              Duration.ofMinutes(2));
      assertThat(r.exit()).as(profile + ": " + r.output()).isZero();
    }
    NginxRunner.Result fmt =
        NginxRunner.run(
            List.of(packer.toString(), "fmt", "-check", template.toString()),
            env,
            Duration.ofMinutes(1));
    assertThat(fmt.exit()).as("packer fmt -check: " + fmt.output()).isZero();
  }
}
