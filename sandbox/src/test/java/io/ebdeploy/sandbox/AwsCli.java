package io.ebdeploy.sandbox;

import static org.junit.jupiter.api.Assertions.fail;

import io.ebdeploy.sandbox.service.Json;
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
 * Runs the real AWS CLI ({@code aws --endpoint-url ENDPOINT ...}) against a sandbox, with dummy
 * credentials and no user configuration. Tests that need it call {@link #requireAvailable()}: when
 * {@code aws} is not on PATH they are skipped with the reason, unless the system property {@code
 * ebdeploy.requireTools=true} (set in CI), in which case they fail.
 */
final class AwsCli {
  private static Boolean available;

  private final URI endpoint;
  private final String region;

  /** What one run of the CLI did. */
  record Result(int exitCode, String stdout, String stderr) {
    Map<String, Object> json() {
      return Json.object(stdout.getBytes(StandardCharsets.UTF_8));
    }

    Result assertOk() {
      if (exitCode != 0) {
        fail("aws exited with " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
      }
      return this;
    }
  }

  AwsCli(URI endpoint, String region) {
    this.endpoint = endpoint;
    this.region = region;
  }

  static synchronized void requireAvailable() {
    if (available == null) {
      try {
        Process p =
            new ProcessBuilder("aws", "--version")
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        available = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
      } catch (IOException e) {
        available = false;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        available = false;
      }
    }
    if (!available) {
      String reason = "the AWS CLI ('aws') is not on PATH: these tests drive the sandbox with it";
      if (Boolean.getBoolean("ebdeploy.requireTools")) {
        fail(reason + " (required: ebdeploy.requireTools=true)");
      }
      Assumptions.abort(reason);
    }
  }

  /** Runs {@code aws --endpoint-url ENDPOINT args...} and waits for it (at most two minutes). */
  Result run(String... args) {
    List<String> command =
        new ArrayList<>(List.of("aws", "--endpoint-url", endpoint.toString(), "--output", "json"));
    command.addAll(List.of(args));
    try {
      Path out = Files.createTempFile("aws-cli", ".out");
      Path err = Files.createTempFile("aws-cli", ".err");
      try {
        ProcessBuilder pb =
            new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("AWS_"));
        env.put("AWS_ACCESS_KEY_ID", "AKIDSANDBOX");
        env.put("AWS_SECRET_ACCESS_KEY", "sandbox-secret");
        env.put("AWS_DEFAULT_REGION", region);
        env.put("AWS_CONFIG_FILE", "/dev/null");
        env.put("AWS_SHARED_CREDENTIALS_FILE", "/dev/null");
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_PAGER", "");
        // One attempt: injected faults must reach the test, not the CLI's retry loop.
        env.put("AWS_MAX_ATTEMPTS", "1");
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
          p.destroyForcibly();
          fail("aws " + String.join(" ", args) + " did not finish in 120 s");
        }
        return new Result(
            p.exitValue(),
            Files.readString(out, StandardCharsets.UTF_8),
            Files.readString(err, StandardCharsets.UTF_8));
      } finally {
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
