package io.ebdeploy.bundle;

import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.text.Printable;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * What is being deployed: the version label and the commit it comes from.
 *
 * <p>The label is the explicit one ({@code --label}) if given, else {@code git describe --tags
 * --match 'v[0-9]*'} (e.g. {@code v1.4.0} or {@code v1.4.0-3-g1a2b3c4}), else the short commit; a
 * derived label gets {@code -dirty} when tracked files under the project directory differ from HEAD
 * (in the index or the working tree). An explicit label is used as given. Labels follow Beanstalk's
 * rules: 1 to 100 characters, and no {@code /} (the bundle is stored at {@code
 * <application>/<label>.zip}).
 */
public final class SourceVersion {
  /** Beanstalk's limit on {@code VersionLabel}. */
  static final int MAX_LABEL_LENGTH = 100;

  static final String UNKNOWN = "unknown";

  private final String label;
  private final String commit;
  private final String shortCommit;
  private final boolean dirty;
  private final Optional<Instant> commitTime;

  private SourceVersion(
      String label, String commit, String shortCommit, boolean dirty, Optional<Instant> time) {
    this.label = label;
    this.commit = commit;
    this.shortCommit = shortCommit;
    this.dirty = dirty;
    this.commitTime = time;
  }

  /**
   * Resolves the version of the project in {@code projectDir}.
   *
   * @param explicitLabel the label to use instead of the derived one
   * @throws EbDeployException INVALID_INPUT when the directory is not in a git repository (or has
   *     no commit) and no label is given, or when the label breaks Beanstalk's rules
   */
  public static SourceVersion resolve(Path projectDir, Optional<String> explicitLabel) {
    explicitLabel.ifPresent(SourceVersion::checkLabel);
    // The commit, its short form and its time in one process: each git run costs milliseconds.
    Git.Result head =
        Git.run(
            projectDir,
            "show",
            "-s",
            "--no-show-signature",
            "--format=%H %h %ct",
            "HEAD^{commit}",
            "--");
    if (head.exit() != 0) {
      if (explicitLabel.isPresent()) {
        return new SourceVersion(explicitLabel.get(), UNKNOWN, UNKNOWN, false, Optional.empty());
      }
      boolean inRepo = Git.run(projectDir, "rev-parse", "--git-dir").exit() == 0;
      throw EbDeployException.invalidInput(
          Printable.of(projectDir.toString())
              + (inRepo
                  ? " is in a git repository without any commit"
                  : " is not in a git repository")
              + ", so no version label can be derived; commit first, or pass a label (--label)");
    }
    String[] fields = head.text().split(" ");
    String commit = fields[0];
    String shortCommit = fields[1];
    boolean dirty =
        Git.check(projectDir, "status", "--porcelain", "--untracked-files=no", "-z", "--", ".")
                .stdout()
                .length
            > 0;
    Instant time = Instant.ofEpochSecond(Long.parseLong(fields[2]));
    String label =
        explicitLabel.orElseGet(
            () -> {
              Git.Result described =
                  Git.run(projectDir, "describe", "--tags", "--match", "v[0-9]*", commit);
              String derived = described.exit() == 0 ? described.text() : shortCommit;
              return checkLabel(dirty ? derived + "-dirty" : derived);
            });
    return new SourceVersion(label, commit, shortCommit, dirty, Optional.of(time));
  }

  /** Returns {@code label} if Beanstalk accepts it, else throws saying why. */
  static String checkLabel(String label) {
    String problem = null;
    if (label.isBlank()) {
      problem = "is empty";
    } else if (label.length() > MAX_LABEL_LENGTH) {
      problem =
          "is " + label.length() + " characters long; Beanstalk allows at most " + MAX_LABEL_LENGTH;
    } else if (label.contains("/")) {
      problem =
          "contains '/', which cannot be in a Beanstalk version label (the bundle is stored at"
              + " <application>/<label>.zip); use e.g. '"
              + label.replace('/', '-')
              + "'";
    } else if (Printable.needsEscaping(label)) {
      // A newline or a bidirectional override (U+202E) in a label would forge what every message
      // and command that names it shows.
      problem = "contains a control or invisible formatting character (such as U+202E)";
    } else if (!label.strip().equals(label)) {
      problem = "starts or ends with whitespace";
    }
    if (problem != null) {
      throw EbDeployException.invalidInput(
          "version label '" + Printable.of(label) + "' " + problem);
    }
    return label;
  }

  /** The application version label. */
  public String label() {
    return label;
  }

  /** The full commit sha, or {@code unknown} outside git (explicit label only). */
  public String commit() {
    return commit;
  }

  /** The abbreviated commit, as git abbreviates it, or {@code unknown}. */
  public String shortCommit() {
    return shortCommit;
  }

  /** Whether tracked files under the project differ from the commit. */
  public boolean dirty() {
    return dirty;
  }

  /** The committer time of the commit; empty outside git. The bundle's entries carry it. */
  public Optional<Instant> commitTime() {
    return commitTime;
  }

  @Override
  public String toString() {
    return label + " (" + shortCommit + (dirty ? ", dirty" : "") + ")";
  }
}
