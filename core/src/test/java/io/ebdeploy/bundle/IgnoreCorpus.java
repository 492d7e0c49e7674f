package io.ebdeploy.bundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Random trees and ignore patterns, built from names and pattern pieces chosen to hit gitignore's
 * corners (escapes, brackets, spaces, '#', '!', '**', non-ASCII), and git's own verdict on them.
 */
final class IgnoreCorpus {
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

  private IgnoreCorpus() {}

  /** Creates a random tree under {@code root}; records each path and whether it is a directory. */
  static void createTree(
      Random random, Path root, String prefix, int depth, Map<String, Boolean> paths)
      throws IOException {
    List<String> names = new ArrayList<>(List.of(NAMES));
    Collections.shuffle(names, random);
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

  /** 1 to 6 random patterns: the lines of an ignore file. */
  static List<String> patterns(Random random) {
    List<String> lines = new ArrayList<>();
    for (int n = 1 + random.nextInt(6); n > 0; n--) {
      lines.add(pattern(random));
    }
    return lines;
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

  /** The paths git reports as ignored, with {@code gitArgs} placed before {@code check-ignore}. */
  static Set<String> gitIgnored(TestRepo repo, Iterable<String> paths, String... gitArgs) {
    String stdin = String.join("\0", paths) + "\0";
    List<String> args = new ArrayList<>(List.of(gitArgs));
    args.addAll(List.of("check-ignore", "--no-index", "--stdin", "-z"));
    TestRepo.Result result = repo.run(stdin, args.toArray(String[]::new));
    if (result.exit() != 0 && result.exit() != 1) {
      throw new AssertionError("git check-ignore failed: " + result.stderr());
    }
    Set<String> ignored = new TreeSet<>(Arrays.asList(result.stdout().split("\0")));
    ignored.remove("");
    return ignored;
  }
}
