package io.ebdeploy.bundle;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which commit a run deploys and who started it, as Slack, the report and the version file name
 * them.
 *
 * <p>The commit is the project's HEAD (short, as {@code git rev-parse --short} gives it), else, for
 * a bundle built elsewhere, the CI's commit variable ({@code GITHUB_SHA}, {@code CI_COMMIT_SHA},
 * {@code BUILDKITE_COMMIT}, {@code CIRCLE_SHA1}) shortened the same way. Who started it: the CI's
 * actor ({@code GITHUB_ACTOR}, {@code GITLAB_USER_LOGIN}, {@code BUILDKITE_BUILD_CREATOR}, {@code
 * CIRCLE_USERNAME}, {@code BITBUCKET_STEP_TRIGGERER_UUID}), else git's {@code user.email} (the
 * project's configuration, or the global one; a run without a project, such as a rollback, skips
 * it), else {@code USER} or {@code USERNAME}, else the account the JVM runs as (a container's root
 * has no {@code USER}), else {@code unknown}.
 *
 * @param commit empty when there is none to name (a rollback, a zip outside git and CI)
 */
public record Attribution(Optional<String> commit, String startedBy) {
  private static final List<String> CI_ACTORS =
      List.of(
          "GITHUB_ACTOR",
          "GITLAB_USER_LOGIN",
          "BUILDKITE_BUILD_CREATOR",
          "CIRCLE_USERNAME",
          "BITBUCKET_STEP_TRIGGERER_UUID");
  private static final List<String> CI_COMMITS =
      List.of("GITHUB_SHA", "CI_COMMIT_SHA", "BUILDKITE_COMMIT", "CIRCLE_SHA1");
  private static final int SHORT = 7;

  /** A deploy of the project in {@code projectDir} (empty for a zip built elsewhere). */
  public static Attribution of(Map<String, String> env, Optional<Path> projectDir) {
    return new Attribution(commit(env, projectDir), startedBy(env, projectDir));
  }

  /** A run that deploys no new commit (a rollback): who started it only. */
  public static Attribution startedOnly(Map<String, String> env) {
    return new Attribution(Optional.empty(), startedBy(env, Optional.empty()));
  }

  /**
   * The CI's actor, else git's user.email in {@code dir} (none without a directory: no guess from
   * wherever the process runs), else the login name.
   */
  public static String startedBy(Map<String, String> env, Optional<Path> dir) {
    return variable(env, CI_ACTORS)
        .or(() -> dir.flatMap(d -> git(d, "config", "user.email")))
        .or(() -> variable(env, List.of("USER", "USERNAME")))
        .or(() -> Optional.ofNullable(System.getProperty("user.name")).filter(u -> !u.isBlank()))
        .orElse("unknown");
  }

  private static Optional<String> commit(Map<String, String> env, Optional<Path> dir) {
    return dir.flatMap(d -> git(d, "rev-parse", "--short", "HEAD"))
        .or(
            () ->
                variable(env, CI_COMMITS)
                    .map(sha -> sha.length() > SHORT ? sha.substring(0, SHORT) : sha));
  }

  private static Optional<String> variable(Map<String, String> env, List<String> names) {
    return names.stream()
        .map(env::get)
        .filter(v -> v != null && !v.isBlank())
        .map(String::strip)
        .findFirst();
  }

  /** Git's answer, empty when git fails, is missing, or says nothing. */
  private static Optional<String> git(Path dir, String... args) {
    try {
      Git.Result r = Git.run(dir, args);
      return r.exit() == 0 && !r.text().isEmpty() ? Optional.of(r.text()) : Optional.empty();
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
