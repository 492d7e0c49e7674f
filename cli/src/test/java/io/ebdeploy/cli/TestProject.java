package io.ebdeploy.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A project to deploy in a throwaway git repository: an application file, a valid {@code
 * .ebextensions} config and an {@code eb-deploy.yml}, committed and tagged {@code v1.0.0}. Git runs
 * without the user's or the system's configuration.
 */
final class TestProject {
  private final Path dir;

  private TestProject(Path dir) {
    this.dir = dir;
  }

  /** The default project in {@code dir}, with this {@code eb-deploy.yml} content. */
  static TestProject create(Path dir, String ebDeployYml) {
    TestProject p = new TestProject(dir);
    p.write("application.py", "def application(environ, start_response):\n    return []\n");
    p.write(
        ".ebextensions/01-app.config",
        "option_settings:\n  aws:elasticbeanstalk:application:environment:\n    APP: demo\n");
    p.write("eb-deploy.yml", ebDeployYml);
    p.git("-c", "init.defaultBranch=main", "init", "-q");
    p.commit("initial").tag("v1.0.0");
    return p;
  }

  /** The default project with an empty-but-for-comments {@code eb-deploy.yml}. */
  static TestProject create(Path dir) {
    return create(dir, "# defaults\n");
  }

  Path dir() {
    return dir;
  }

  String path() {
    return dir.toString();
  }

  TestProject write(String path, String content) {
    try {
      Path file = dir.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TestProject symlink(String path, String target) {
    try {
      Path link = dir.resolve(path);
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, Path.of(target));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TestProject commit(String message) {
    git("add", "-A");
    git("commit", "-q", "--no-gpg-sign", "--allow-empty", "-m", message);
    return this;
  }

  TestProject tag(String name) {
    git("tag", "-a", name, "-m", name);
    return this;
  }

  /** Runs git in the project; returns stdout, or fails the test. */
  String git(String... args) {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    isolate(pb.environment(), dir);
    pb.redirectErrorStream(true);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor() != 0) {
        throw new AssertionError("git " + String.join(" ", args) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  static void isolate(Map<String, String> env, Path home) {
    env.put("HOME", home.toString());
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.put("GIT_AUTHOR_NAME", "Test");
    env.put("GIT_AUTHOR_EMAIL", "test@example.com");
    env.put("GIT_COMMITTER_NAME", "Test");
    env.put("GIT_COMMITTER_EMAIL", "test@example.com");
    env.remove("GIT_DIR");
    env.remove("GIT_WORK_TREE");
    env.remove("GIT_INDEX_FILE");
  }
}
