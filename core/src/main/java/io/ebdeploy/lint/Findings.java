package io.ebdeploy.lint;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Collects findings and the files the rules read, while linting. */
final class Findings {
  private final List<Finding> findings = new ArrayList<>();
  private final TreeSet<String> files = new TreeSet<>();

  void add(String file, int line, Rule rule, String message, String fix) {
    add(file, line, rule, rule.severity(), message, fix);
  }

  void add(String file, int line, Rule rule, Severity severity, String message, String fix) {
    findings.add(new Finding(file, line, rule, severity, message, fix));
  }

  void read(String file) {
    files.add(file);
  }

  List<Finding> findings() {
    return findings;
  }

  List<String> files() {
    return new ArrayList<>(files);
  }
}
