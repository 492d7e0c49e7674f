package io.ebdeploy.lint;

import static org.assertj.core.api.Assertions.assertThat;

import io.ebdeploy.api.Tier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Lints every case of src/test/lint-corpus (see its README.md) and compares the findings, exactly,
 * with the case's expected.txt: rule id, file, line and severity.
 */
class LintCorpusTest {
  static final Path CORPUS = Path.of("src/test/lint-corpus");

  @TempDir Path tmp;

  static Stream<String> cases() throws IOException {
    try (Stream<Path> dirs = Files.list(CORPUS)) {
      return dirs
          .filter(Files::isDirectory)
          .map(p -> p.getFileName().toString())
          .sorted()
          .toList()
          .stream();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void corpusCase_reportsExactlyTheExpectedFindings(String name) throws IOException {
    Path source = CORPUS.resolve(name);
    Path project = copy(source, tmp.resolve(name));
    Expected expected = Expected.read(source.resolve("expected.txt"));
    LintOptions options = LintOptions.defaults();
    if (expected.group() != null) {
      options = options.group(expected.group());
    }

    LintReport report = Linter.lint(project, options);

    assertThat(report.findings().stream().map(LintCorpusTest::line).sorted().toList())
        .as("findings of %s: %s", name, report.findings())
        .isEqualTo(expected.lines().stream().sorted().toList());
  }

  @Test
  void corpus_holdsAtLeast25CasesAndEveryRuleThatReadsFiles() throws IOException {
    List<String> cases = cases().toList();
    List<String> ids = new ArrayList<>();
    for (String c : cases) {
      ids.addAll(
          Expected.read(CORPUS.resolve(c).resolve("expected.txt")).lines().stream()
              .map(l -> l.split(" ")[0])
              .toList());
    }

    assertThat(cases).hasSizeGreaterThanOrEqualTo(25);
    assertThat(cases.stream().filter(c -> c.startsWith("good-"))).hasSizeGreaterThanOrEqualTo(4);
    // The rules about the bundle as git makes it (EB018, EB019, EB023, EB024) are in LinterTest.
    for (Rule rule : Rule.values()) {
      if (rule != Rule.BUNDLE_TOO_BIG
          && rule != Rule.BUNDLE_TOO_MANY_FILES
          && rule != Rule.BUNDLE_REFUSED
          && rule != Rule.NOT_BUNDLED) {
        assertThat(ids).as("a corpus case for " + rule.id()).contains(rule.id());
      }
    }
  }

  /** A finding as expected.txt writes it: {@code RULE FILE[:LINE] SEVERITY}. */
  static String line(Finding f) {
    return f.rule().id() + " " + f.location() + " " + f.severity().label();
  }

  record Expected(List<Tier> group, List<String> lines) {
    static Expected read(Path file) throws IOException {
      List<Tier> group = null;
      List<String> lines = new ArrayList<>();
      for (String raw : Files.readAllLines(file)) {
        String line = raw.strip();
        if (line.startsWith("# group:")) {
          group =
              Stream.of(line.substring("# group:".length()).strip().split(","))
                  .map(t -> Tier.valueOf(t.strip().toUpperCase(Locale.ROOT)))
                  .toList();
          continue;
        }
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        String[] parts = line.split("\\s+");
        Rule rule = Rule.find(parts[0]).orElseThrow(() -> new AssertionError("rule? " + raw));
        String severity = parts.length > 2 ? parts[2] : rule.severity().label();
        lines.add(rule.id() + " " + parts[1] + " " + severity);
      }
      return new Expected(group, lines);
    }
  }

  /** Copies a case keeping the executable bits (git records them; the copy must keep them). */
  static Path copy(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        }
      }
    }
    return to;
  }
}
