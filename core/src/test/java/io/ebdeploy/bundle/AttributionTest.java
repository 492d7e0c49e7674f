package io.ebdeploy.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The commit and who started a run, each source in turn, with a real git repository. */
class AttributionTest {
  @TempDir Path dir;

  @Test
  void startedBy_ciActorThenGitEmailThenUser() {
    TestRepo repo = TestRepo.init(dir).write("a.txt", "a").addAll().commit("one");
    repo.git("config", "user.email", "dev@example.org");
    Map<String, String> env = new HashMap<>(Map.of("USER", "runner"));
    Optional<Path> project = Optional.of(dir);

    assertThat(Attribution.startedBy(env, project)).isEqualTo("dev@example.org");
    assertThat(Attribution.startedBy(env, Optional.empty()))
        .as("no project, no git: the login name")
        .isEqualTo("runner");
    for (String actor :
        new String[] {
          "CIRCLE_USERNAME", "BUILDKITE_BUILD_CREATOR", "GITLAB_USER_LOGIN", "GITHUB_ACTOR"
        }) {
      env.put(actor, actor.toLowerCase());
      assertThat(Attribution.startedBy(env, project)).isEqualTo(actor.toLowerCase());
    }
  }

  @Test
  void commit_projectHeadShort_elseTheCiCommit_noneForARollback() {
    TestRepo repo = TestRepo.init(dir).write("a.txt", "a").addAll().commit("one");
    String head = repo.git("rev-parse", "--short", "HEAD").strip();
    Map<String, String> ci = Map.of("GITHUB_SHA", "0123456789abcdef0123", "GITHUB_ACTOR", "o");

    assertThat(Attribution.of(ci, Optional.of(dir)).commit()).contains(head);
    assertThat(Attribution.of(ci, Optional.empty()).commit()).contains("0123456");
    assertThat(Attribution.of(Map.of("CI_COMMIT_SHA", "fedcba9876"), Optional.empty()).commit())
        .contains("fedcba9");
    assertThat(Attribution.of(Map.of(), Optional.of(dir.resolve("not-a-repo"))).commit()).isEmpty();
    assertThat(Attribution.startedOnly(ci)).isEqualTo(new Attribution(Optional.empty(), "o"));
  }
}
