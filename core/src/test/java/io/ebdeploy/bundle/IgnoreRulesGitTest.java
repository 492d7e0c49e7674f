package io.ebdeploy.bundle;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Proves {@link IgnoreRules} against git itself: random ignore files over a random tree, each
 * path's verdict compared with {@code git check-ignore --no-index}.
 */
class IgnoreRulesGitTest {
  private static final String[] NAMES = {
    "a", "b", "ab", "ba", "a.txt", "b.md", "x y", "#h", "!n", "[c]", "d*", "é", "A", "lib", "a b "
  };
  private static final String[] SEGMENTS = {
    "a",
    "b",
    "ab",
    "*",
    "?",
    "a*",
    "*b",
    "*.txt",
    "[ab]",
    "[!a]*",
    "[^b]",
    "**",
    "**",
    "\\*",
    "x\\ y",
    "x y",
    "[[:alpha:]]*",
    "[[:digit:]]",
    "#h",
    "\\#h",
    "\\!n",
    "é",
    "?",
    "[a-c]",
    "\\[c]",
    "[[]c]",
    "d\\*",
    "lib",
    "*.md",
    "a?",
    "**a",
    "A",
    "[]]",
    "[z-",
    "a\\",
    "a b\\ ",
    "[b-a]"
  };

  @TempDir Path dir;

  @Test
  void matches_generatedCorpus_agreesWithGitCheckIgnore() throws IOException {
    TestRepo repo = TestRepo.init(dir);
    Random random = new Random(7);
    Map<String, Boolean> paths = new LinkedHashMap<>();
    createTree(random, dir, "", 0, paths);
    List<String> mismatches = new ArrayList<>();
    for (int round = 0; round < 120; round++) {
      List<String> lines = new ArrayList<>();
      for (int n = 1 + random.nextInt(6); n > 0; n--) {
        lines.add(pattern(random));
      }
      Files.writeString(dir.resolve(".gitignore"), String.join("\n", lines) + "\n");
      Set<String> ignoredByGit = gitIgnored(repo, paths.keySet());
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
    Set<String> ignoredByGit = gitIgnored(repo, paths.keySet());
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

  private static Set<String> gitIgnored(TestRepo repo, Set<String> paths) {
    String stdin = String.join("\0", paths) + "\0";
    TestRepo.Result result = repo.run(stdin, "check-ignore", "--no-index", "--stdin", "-z");
    assertThat(result.exit()).as(result.stderr()).isIn(0, 1);
    Set<String> ignored = new TreeSet<>(Arrays.asList(result.stdout().split("\0")));
    ignored.remove("");
    return ignored;
  }

  private static void createTree(
      Random random, Path root, String prefix, int depth, Map<String, Boolean> paths)
      throws IOException {
    List<String> names = new ArrayList<>(List.of(NAMES));
    java.util.Collections.shuffle(names, random);
    for (String name : names.subList(0, 4 + random.nextInt(4))) {
      String path = prefix + name;
      boolean isDir = depth < 3 && random.nextInt(3) > 0;
      paths.put(path, isDir);
      if (isDir) {
        Files.createDirectories(root.resolve(path));
        createTree(random, root, path + "/", depth + 1, paths);
      } else {
        Files.writeString(root.resolve(path), "x");
      }
    }
  }

  private static String pattern(Random random) {
    StringBuilder b = new StringBuilder();
    if (random.nextInt(4) == 0) {
      b.append('!');
    }
    if (random.nextInt(4) == 0) {
      b.append('/');
    }
    for (int segments = 1 + random.nextInt(3); segments > 0; segments--) {
      b.append(SEGMENTS[random.nextInt(SEGMENTS.length)]);
      if (segments > 1) {
        b.append('/');
      }
    }
    switch (random.nextInt(8)) {
      case 0 -> b.append('/');
      case 1 -> b.append("  ");
      case 2 -> b.append("\\ ");
      default -> {}
    }
    return b.toString();
  }
}
