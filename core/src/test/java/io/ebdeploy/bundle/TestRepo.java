package io.ebdeploy.bundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A throwaway git repository for tests, isolated from the user's and the system's git config. */
final class TestRepo {
  private final Path dir;

  private TestRepo(Path dir) {
    this.dir = dir;
  }

  static TestRepo init(Path dir) {
    TestRepo repo = new TestRepo(dir);
    repo.git("init", "-q", "-b", "main", ".");
    return repo;
  }

  Path dir() {
    return dir;
  }

  TestRepo write(String path, String content) {
    try {
      Path file = dir.resolve(path);
      Files.createDirectories(file.getParent());
      Files.writeString(file, content);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TestRepo executable(String path, String content) {
    write(path, content);
    try {
      Files.setPosixFilePermissions(
          dir.resolve(path), PosixFilePermissions.fromString("rwxr-xr-x"));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TestRepo symlink(String path, String target) {
    try {
      Path link = dir.resolve(path);
      Files.createDirectories(link.getParent());
      Files.createSymbolicLink(link, Path.of(target));
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  TestRepo addAll() {
    git("add", "-A");
    return this;
  }

  TestRepo commit(String message) {
    git("add", "-A");
    git("commit", "-q", "--allow-empty", "-m", message);
    return this;
  }

  TestRepo tag(String name) {
    git("tag", "-a", name, "-m", name);
    return this;
  }

  /** Runs git in the repository; returns stdout, or fails the test with stderr. */
  String git(String... args) {
    Result result = run(null, args);
    if (result.exit() != 0) {
      throw new AssertionError("git " + String.join(" ", args) + " failed: " + result.stderr());
    }
    return result.stdout();
  }

  record Result(int exit, String stdout, String stderr) {}

  Result run(String stdin, String... args) {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
    isolate(builder.environment(), dir);
    try {
      Path out = Files.createTempFile("git-out", ".txt");
      Path err = Files.createTempFile("git-err", ".txt");
      try {
        builder.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process process = builder.start();
        if (stdin != null) {
          process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        int exit = process.waitFor();
        return new Result(exit, Files.readString(out), Files.readString(err));
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

  /** No global or system config (a user's core.excludesFile would change check-ignore). */
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
