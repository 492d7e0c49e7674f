package io.ebdeploy.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves {@link IgnoreRules} against git itself: random ignore files over a random tree, each
 * path's verdict compared with {@code git check-ignore --no-index}.
 */
class IgnoreRulesGitTest {
  @TempDir Path dir;

  @Test
  void matches_generatedCorpus_agreesWithGitCheckIgnore() throws IOException {
    TestRepo repo = TestRepo.init(dir);
    Random random = new Random(7);
    Map<String, Boolean> paths = new LinkedHashMap<>();
    IgnoreCorpus.createTree(random, dir, "", 0, paths);
    List<String> mismatches = new ArrayList<>();
    for (int round = 0; round < 120; round++) {
      List<String> lines = IgnoreCorpus.patterns(random);
      Files.writeString(dir.resolve(".gitignore"), String.join("\n", lines) + "\n");
      Set<String> ignoredByGit = IgnoreCorpus.gitIgnored(repo, paths.keySet());
      IgnoreRules rules = IgnoreRules.parse(lines, ".gitignore");
      for (Map.Entry<String, Boolean> path : paths.entrySet()) {
        boolean ours = rules.matches(path.getKey(), path.getValue());
        if (ours != ignoredByGit.contains(path.getKey())) {
          mismatches.add(
              lines + " " + path.getKey() + (path.getValue() ? "/" : "") + " ours=" + ours);
        }
      }
    }
    assertThat(mismatches).isEmpty();
    assertThat(paths).hasSizeGreaterThan(40);
  }

  @Test
  void matches_handPickedCases_agreeWithGitCheckIgnore() throws IOException {
    TestRepo repo = TestRepo.init(dir);
    for (String file :
        List.of(
            "build/out.js",
            "src/build/keep.js",
            "docs/a/b/c.md",
            "logs/debug.log",
            "logs/keep.log",
            "x/logs/y.log",
            "foo/bar/baz.txt",
            "foo/baz.txt",
            "node_modules/m/index.js",
            "a.pyc",
            "pkg/__pycache__/a.cpython.pyc",
            "static/app.1234abcd.js")) {
      repo.write(file, "x");
    }
    List<String> lines =
        List.of(
            "# comment",
            "/build/",
            "logs/*",
            "!logs/keep.log",
            "docs/**/c.md",
            "foo/**",
            "!foo/baz.txt",
            "node_modules",
            "*.py[co]",
            "__pycache__/",
            "static/*.[0-9a-f]*.js");
    Files.writeString(dir.resolve(".gitignore"), String.join("\n", lines) + "\n");
    Map<String, Boolean> paths = new LinkedHashMap<>();
    try (var walk = Files.walk(dir)) {
      walk.filter(p -> !p.equals(dir) && !dir.relativize(p).startsWith(".git"))
          .forEach(p -> paths.put(dir.relativize(p).toString(), Files.isDirectory(p)));
    }
    Set<String> ignoredByGit = IgnoreCorpus.gitIgnored(repo, paths.keySet());
    IgnoreRules rules = IgnoreRules.parse(lines, ".gitignore");
    for (Map.Entry<String, Boolean> path : paths.entrySet()) {
      assertThat(rules.matches(path.getKey(), path.getValue()))
          .as(path.getKey())
          .isEqualTo(ignoredByGit.contains(path.getKey()));
    }
    // Spot checks that the hand-picked rules mean what their comments in the docs say.
    assertThat(ignoredByGit).contains("build", "logs/debug.log", "foo/bar/baz.txt", "a.pyc");
    assertThat(ignoredByGit).doesNotContain("src/build/keep.js", "logs/keep.log", "foo/baz.txt");
  }
}
