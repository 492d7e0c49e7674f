package io.ebdeploy.cli;

/** How a command prints its result on stdout: {@code --output text|json}. */
public enum OutputFormat {
  /** For people: aligned columns and sentences. */
  text,
  /** For scripts: one JSON document on stdout; messages and logs still go to stderr. */
  json
}
