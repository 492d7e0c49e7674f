package io.ebdeploy.lint;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What {@link Linter} found: immutable. */
public final class LintReport {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final String source;
  private final List<String> files;
  private final List<Finding> findings;
  private final boolean strict;

  LintReport(String source, List<String> files, List<Finding> findings, boolean strict) {
    this.source = source;
    this.files = List.copyOf(files);
    List<Finding> sorted = new ArrayList<>(findings);
    sorted.sort(
        Comparator.comparing(Finding::file)
            .thenComparingInt(Finding::line)
            .thenComparing(f -> f.rule().id()));
    this.findings = List.copyOf(sorted);
    this.strict = strict;
  }

  /** What was linted, e.g. {@code the bundle of /src/app (git-tracked files)}. */
  public String source() {
    return source;
  }

  /** The files the rules read, relative to the project, sorted. */
  public List<String> files() {
    return files;
  }

  /** Every finding, by file, line and rule. */
  public List<Finding> findings() {
    return findings;
  }

  public List<Finding> errors() {
    return findings.stream().filter(f -> f.severity() == Severity.ERROR).toList();
  }

  public List<Finding> warnings() {
    return findings.stream().filter(f -> f.severity() == Severity.WARNING).toList();
  }

  /** Whether warnings block too ({@code --strict}). */
  public boolean strict() {
    return strict;
  }

  /** The findings that stop a deploy: the errors, and the warnings when strict. */
  public List<Finding> blocking() {
    return strict ? findings : errors();
  }

  /** True when nothing blocks. */
  public boolean passed() {
    return blocking().isEmpty();
  }

  /** {@code 2 errors, 1 warning in 7 files}. */
  public String summary() {
    return count(errors().size(), "error")
        + ", "
        + count(warnings().size(), "warning")
        + " in "
        + count(files.size(), "file");
  }

  private static String count(int n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  /** The report as pretty-printed JSON: the shape of {@code eb-deploy lint --output json}. */
  public String toJson() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", source);
    m.put("strict", strict);
    m.put("passed", passed());
    m.put("errors", errors().size());
    m.put("warnings", warnings().size());
    m.put("files", files);
    List<Map<String, Object>> list = new ArrayList<>();
    for (Finding f : findings) {
      Map<String, Object> o = new LinkedHashMap<>();
      o.put("file", f.file().isEmpty() ? null : f.file());
      o.put("line", f.line() > 0 ? f.line() : null);
      o.put("rule", f.rule().id());
      o.put("name", f.rule().slug());
      o.put("severity", f.severity().label());
      o.put("message", f.message());
      o.put("fix", f.fix());
      list.add(o);
    }
    m.put("findings", list);
    try {
      return MAPPER.writeValueAsString(m);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String toString() {
    return summary() + (findings.isEmpty() ? "" : ": " + findings);
  }
}
