package io.ebdeploy.bundle;

import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.text.Printable;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.Consumer;

/** Runs the project's build commands ({@code build:} in eb-deploy.yml) before bundling. */
public final class BuildRunner {
  /** How many of a failed command's last output lines its error quotes. */
  static final int TAIL_LINES = 20;

  private BuildRunner() {}

  /**
   * Runs each command with {@code sh -c} in {@code projectDir}, in order, with stdout and stderr
   * merged and handed to {@code outputLine} line by line as they come, on the calling thread.
   * Standard input is empty, so a command that prompts fails instead of hanging.
   *
   * @throws EbDeployException INVALID_INPUT when a command exits non-zero (naming it, its exit code
   *     and its last lines of output; later commands do not run), INTERRUPTED when the thread is
   *     interrupted (the command's processes are killed)
   */
  public static void run(Path projectDir, List<String> commands, Consumer<String> outputLine) {
    for (String command : commands) {
      runOne(projectDir, command, outputLine);
    }
  }

  private static void runOne(Path projectDir, String command, Consumer<String> outputLine) {
    ProcessBuilder builder =
        new ProcessBuilder("sh", "-c", command)
            .directory(projectDir.toFile())
            .redirectErrorStream(true);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw EbDeployException.invalidInput(
          "cannot start build command `"
              + command
              + "` in "
              + Printable.of(projectDir.toString())
              + ": "
              + e.getMessage());
    }
    Deque<String> tail = new ArrayDeque<>();
    try {
      process.getOutputStream().close();
      try (BufferedReader out =
          new BufferedReader(
              new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          if (tail.size() == TAIL_LINES) {
            tail.removeFirst();
          }
          tail.addLast(line);
          outputLine.accept(line);
          if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedException();
          }
        }
      }
      int exit = process.waitFor();
      if (exit != 0) {
        throw EbDeployException.invalidInput(
            "build command `"
                + command
                + "` failed with exit code "
                + exit
                + " in "
                + Printable.of(projectDir.toString())
                + "; nothing was bundled or deployed. Fix the build (or the `build:` list in"
                + " eb-deploy.yml)."
                + (tail.isEmpty() ? "" : " Last lines of its output:\n" + String.join("\n", tail)));
      }
    } catch (IOException e) {
      kill(process);
      throw EbDeployException.invalidInput(
          "reading the output of build command `" + command + "` failed: " + e.getMessage());
    } catch (InterruptedException e) {
      kill(process);
      Thread.currentThread().interrupt();
      throw new EbDeployException(
          EbDeployException.Kind.INTERRUPTED,
          "interrupted during build command `" + command + "`",
          e);
    }
  }

  private static void kill(Process process) {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
  }
}
