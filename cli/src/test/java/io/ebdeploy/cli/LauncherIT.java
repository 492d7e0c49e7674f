package io.ebdeploy.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the real {@code ./eb-deploy} launcher on the shaded jar, as a separate process: failsafe
 * runs it after {@code package}.
 */
@Timeout(240)
class LauncherIT {
  private static Path root;
  private static Path launcher;

  @BeforeAll
  static void findLauncher() {
    root = Path.of(System.getProperty("ebdeploy.repoRoot", "..")).toAbsolutePath().normalize();
    launcher = root.resolve("eb-deploy");
    assertThat(launcher).isExecutable();
    assertThat(root.resolve("cli/target/eb-deploy.jar"))
        .as("the shaded jar, built by package before this test")
        .isRegularFile();
  }

  /** A finished process: exit code and output. */
  private record Result(int exitCode, String out, String err) {}

  private static ProcessBuilder builder(Path cwd, String... command) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
    // Never let the launcher start a Maven build from inside this Maven build.
    pb.environment().put("EB_DEPLOY_NO_BUILD", "1");
    return pb;
  }

  /**
   * Runs the command with stdout and stderr in files: reading a process's pipes while it exits can
   * fail with "Stream closed" when the JDK drains them.
   */
  private static Result run(Path cwd, String... command) throws Exception {
    return run(cwd, env -> {}, command);
  }

  /** {@link #run(Path, String...)} with the environment changed first. */
  private static Result run(Path cwd, Consumer<Map<String, String>> env, String... command)
      throws Exception {
    Path out = Files.createTempFile("launcher", ".out");
    Path err = Files.createTempFile("launcher", ".err");
    try {
      ProcessBuilder pb =
          builder(cwd, command)
              .redirectOutput(out.toFile())
              .redirectError(err.toFile())
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      env.accept(pb.environment());
      Process p = pb.start();
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  @Test
  void launcher_sandbox_printsEndpointFirstServesAndExitsZeroOnSigterm(@TempDir Path tmp)
      throws Exception {
    Path out = tmp.resolve("out");
    Path err = tmp.resolve("err");
    Process p =
        builder(root, launcher.toString(), "sandbox", "--port", "0", "--time-scale", "0.001")
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    try {
      String first = firstLine(out, p);
      assertThat(first).as("first line").matches("endpoint: http://127\\.0\\.0\\.1:\\d+");
      String endpoint = first.substring("endpoint: ".length());

      HttpResponse<String> faults =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(endpoint + "/_sandbox/faults"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(faults.statusCode()).isEqualTo(200);
      assertThat(faults.body()).isEqualTo("[]");

      // The launcher execs java, so this is the JVM itself: SIGTERM.
      p.destroy();
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
      String stderr = Files.readString(err);
      assertThat(p.exitValue()).as("exit code; stderr: %s", stderr).isZero();
      assertThat(Files.readString(out)).contains("Ctrl-C stops it.");
      assertThat(stderr)
          .contains("eb-deploy: sandbox stopped (SIGTERM)")
          .doesNotContain("Exception", "WARN");
    } finally {
      p.destroyForcibly();
    }
  }

  /** Waits for the first complete line the process writes to {@code out}. */
  private static String firstLine(Path out, Process p) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      String text = Files.readString(out);
      int eol = text.indexOf('\n');
      if (eol >= 0) {
        return text.substring(0, eol);
      }
      assertThat(p.isAlive()).as("still running; stdout so far: %s", text).isTrue();
      Thread.sleep(20);
    }
    throw new AssertionError("no line on stdout within 30 s");
  }

  @Test
  void launcher_throughSymlinkFromAnotherDirectory_printsVersion(@TempDir Path tmp)
      throws Exception {
    Path link = Files.createSymbolicLink(tmp.resolve("ebd"), launcher);

    Result r = run(tmp, "./ebd", "--version");

    assertThat(r.exitCode()).as(r.err()).isZero();
    assertThat(r.out()).startsWith("eb-deploy " + VersionProvider.version());
    // Removed here: JUnit warns when it meets a link to outside its temporary directory.
    Files.delete(link);
  }

  @Test
  void launcher_absolutePathFromAnotherDirectory_passesUsageExitCodeThrough(@TempDir Path tmp)
      throws Exception {
    Result r = run(tmp, launcher.toString(), "sandbox", "--port", "70000");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err()).contains("--port 70000 is out of range");
  }

  @Test
  void launcher_jarMissing_printsBuildCommandAndExitsUsage(@TempDir Path tmp) throws Exception {
    Path copy = Files.copy(launcher, tmp.resolve("eb-deploy"));
    assertThat(copy.toFile().setExecutable(true)).isTrue();

    Result r = run(tmp, copy.toString(), "--version");

    assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
    assertThat(r.err())
        .contains("eb-deploy.jar is missing")
        .contains("mvn -q -B package -DskipTests");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void launcher_firstBuild_printsNoAnsiCodes_inCiWithNoColorOrWithoutTerminal(@TempDir Path tmp)
      throws Exception {
    // A checkout in miniature: the launcher beside a pom with nothing to build, so that the real
    // Maven runs the launcher's first build in seconds. The jar stays missing: java then says so.
    Path copy = Files.copy(launcher, tmp.resolve("eb-deploy"));
    assertThat(copy.toFile().setExecutable(true)).isTrue();
    Files.writeString(
        tmp.resolve("pom.xml"),
        "<project xmlns=\"http://maven.apache.org/POM/4.0.0\"><modelVersion>4.0.0</modelVersion>"
            + "<groupId>t</groupId><artifactId>t</artifactId><version>1</version>"
            + "<packaging>pom</packaging></project>\n");

    for (Map<String, String> env :
        List.of(Map.of("CI", "true"), Map.of("NO_COLOR", "1"), Map.<String, String>of())) {
      // The launcher may build here; CI and NO_COLOR only as the case says.
      Result r =
          run(
              tmp,
              e -> {
                e.keySet().removeAll(List.of("EB_DEPLOY_NO_BUILD", "CI", "NO_COLOR"));
                e.putAll(env);
              },
              copy.toString(),
              "--version");

      assertThat(r.err()).as("%s", env).contains("is missing; building it once");
      assertThat(r.out() + r.err()).as("%s: %s", env, r.err()).doesNotContain("\033");
    }
  }

  @Test
  void shellcheck_launcherAndCiScript_reportNothing() throws Exception {
    boolean required = Boolean.getBoolean("ebdeploy.requireTools");
    boolean present = onPath("shellcheck");
    assertThat(present || !required)
        .as("shellcheck is required (-Debdeploy.requireTools=true): apt-get install shellcheck")
        .isTrue();
    assumeTrue(present, "shellcheck is not installed: apt-get install shellcheck");

    Result r =
        run(
            root,
            "shellcheck",
            "-x",
            "eb-deploy",
            ".ci/run",
            "scripts/test",
            "bench/sandbox.sh",
            "bench/assets/run.sh",
            "bench/status/run.sh");

    assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
  }

  private static boolean onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
        return true;
      }
    }
    return false;
  }
}
