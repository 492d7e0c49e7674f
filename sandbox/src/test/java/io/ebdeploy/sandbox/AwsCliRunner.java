package io.ebdeploy.sandbox;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real AWS CLI ({@code aws}) against a sandbox endpoint with dummy credentials. Tests that
 * use it skip with a reason when {@code aws} is absent, unless the system property {@code
 * ebdeploy.requireTools=true} is set, in which case they fail.
 */
final class AwsCliRunner {
  /** What one run of the CLI gave. */
  record Run(int exitCode, String stdout, String stderr) {
    Map<String, Object> json() {
      return Json.object(stdout.getBytes(StandardCharsets.UTF_8));
    }
  }

  private final URI endpoint;
  private final String region;

  AwsCliRunner(URI endpoint, String region) {
    this.endpoint = endpoint;
    this.region = region;
  }

  /** Skips (or, with ebdeploy.requireTools=true, fails) the calling test when aws is missing. */
  static void assumeAvailable() {
    boolean found = false;
    for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "aws"))) {
        found = true;
        break;
      }
    }
    if (!found) {
      String reason = "the AWS CLI ('aws') is not on the PATH; install awscli to run this test";
      if (Boolean.getBoolean("ebdeploy.requireTools")) {
        fail(reason + " (ebdeploy.requireTools=true makes a missing tool a failure)");
      }
      Assumptions.abort(reason);
    }
  }

  /** Runs {@code aws --endpoint-url ENDPOINT --region REGION --output json ARGS...}. */
  Run run(String... args) {
    List<String> command = new ArrayList<>();
    command.add("aws");
    command.add("--endpoint-url");
    command.add(endpoint.toString());
    command.add("--region");
    command.add(region);
    command.add("--output");
    command.add("json");
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command);
    Map<String, String> env = pb.environment();
    env.put("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
    env.put("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY");
    env.remove("AWS_SESSION_TOKEN");
    env.remove("AWS_PROFILE");
    env.put("AWS_CONFIG_FILE", "/dev/null");
    env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
    env.put("AWS_PAGER", "");
    env.put("AWS_MAX_ATTEMPTS", "1");
    try {
      Path out = Files.createTempFile("aws-cli", ".out");
      Path err = Files.createTempFile("aws-cli", ".err");
      try {
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          fail("aws " + String.join(" ", args) + " did not finish in 60 s");
        }
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }
}
