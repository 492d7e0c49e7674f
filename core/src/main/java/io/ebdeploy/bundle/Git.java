package io.ebdeploy.bundle;

import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.text.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Runs git in a project directory; no JGit, so the user's own git (and its config) decides. */
final class Git {
  record Result(int exit, byte[] stdout, String stderr) {
    String text() {
      return new String(stdout, StandardCharsets.UTF_8).strip();
    }

    /** The NUL-separated records of a {@code -z} listing. */
    List<String> records() {
      List<String> result = new ArrayList<>();
      int start = 0;
      for (int i = 0; i < stdout.length; i++) {
        if (stdout[i] == 0) {
          result.add(new String(stdout, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      return result;
    }
  }

  private Git() {}

  /** Runs {@code git args...} in {@code dir}; the caller judges the exit code. */
  static Result run(Path dir, String... args) {
    List<String> command = new ArrayList<>();
    command.add("git");
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    // Messages are parsed nowhere, but keep them in English for the user's report.
    builder.environment().put("LC_ALL", "C");
    builder.environment().put("GIT_TERMINAL_PROMPT", "0");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw EbDeployException.invalidInput(
          "cannot run git in "
              + Printable.of(dir.toString())
              + " ("
              + e.getMessage()
              + "); install git and put it on PATH");
    }
    try {
      process.getOutputStream().close();
      // stderr on its own thread, so that a full stderr pipe cannot block stdout.
      CompletableFuture<byte[]> stderr =
          CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
      byte[] stdout = readAll(process.getInputStream());
      int exit = process.waitFor();
      return new Result(exit, stdout, new String(stderr.join(), StandardCharsets.UTF_8).strip());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new EbDeployException(
          EbDeployException.Kind.INTERRUPTED, "interrupted while running git", e);
    }
  }

  /** Runs git and returns its output; a non-zero exit is an error naming the command. */
  static Result check(Path dir, String... args) {
    Result result = run(dir, args);
    if (result.exit() != 0) {
      throw EbDeployException.invalidInput(
          "git "
              + String.join(" ", args)
              + " failed in "
              + Printable.of(dir.toString())
              + " (exit "
              + result.exit()
              + "): "
              + result.stderr());
    }
    return result;
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
