package io.ebdeploy.bundle;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.text.Printable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Decides what goes into the bundle (docs/bundle.md): the files git tracks (their working-tree
 * content, or the index's with {@code staged}), plus the files matching {@code bundle.include} even
 * when git ignores them, minus what {@code .ebignore} or {@code bundle.exclude} match, never
 * anything under {@code .git}; then refuses escaping symlinks and obvious secrets.
 *
 * <p>Why {@code .ebignore} only subtracts: the EB CLI, when a {@code .ebignore} exists, zips the
 * whole working tree minus {@code .ebignore} and ignores git (and {@code .gitignore}) entirely.
 * That bundles untracked scratch files, local {@code .env}s and build leftovers. eb-deploy keeps
 * git's list as the base, so what ships is what was reviewed, and uses {@code bundle.include} for
 * the untracked build outputs that must ship. {@code .ebignore} keeps its gitignore meaning and
 * removes from that set, as the EB CLI removes from the tree; like the EB CLI, the {@code
 * .ebignore} file itself is not bundled.
 */
final class Selection {
  static final String EBIGNORE = ".ebignore";

  private final Path projectDir;
  private final DeployConfig.Bundle config;
  private final IgnoreRules ebignore;
  private final IgnoreRules exclude;

  /** Filled by parallel lookups; sorted before it is reported. */
  private final List<String> unreadable = Collections.synchronizedList(new ArrayList<>());

  private Selection(Path projectDir, DeployConfig.Bundle config) {
    this.projectDir = projectDir;
    this.config = config;
    this.ebignore = readEbignore(projectDir);
    this.exclude = IgnoreRules.parse(config.exclude(), "bundle.exclude");
  }

  /** The bundle's files by name, sorted; the version file is not among them. */
  static TreeMap<String, Entry> select(Path projectDir, DeployConfig.Bundle config) {
    return new Selection(projectDir, config).entries();
  }

  private TreeMap<String, Entry> entries() {
    TreeMap<String, Entry> entries = config.staged() ? indexEntries() : trackedWorkTreeEntries();
    for (Entry entry : includedEntries()) {
      entries.putIfAbsent(entry.name(), entry);
    }
    if (!unreadable.isEmpty()) {
      List<String> sorted = new ArrayList<>(unreadable);
      Collections.sort(sorted);
      throw unreadable(sorted);
    }
    return entries;
  }

  private boolean excluded(String path) {
    return path.equals(EBIGNORE)
        || isUnderGit(path)
        || ebignore.matches(path, false)
        || exclude.matches(path, false);
  }

  private static boolean isUnderGit(String path) {
    return path.equals(".git")
        || path.startsWith(".git/")
        || path.contains("/.git/")
        || path.endsWith("/.git");
  }

  /** Tracked files as they are in the working tree; deleted ones are left out, like git stash. */
  private TreeMap<String, Entry> trackedWorkTreeEntries() {
    Git.Result listing = Git.run(projectDir, "ls-files", "-z", "--cached");
    if (listing.exit() != 0) {
      throw notARepository(listing);
    }
    List<String> paths = new ArrayList<>(new TreeSet<>(listing.records()));
    paths.removeIf(this::excluded);
    // One lstat per file, on every core: thousands of them are a visible part of a bundle's time.
    Entry[] found = new Entry[paths.size()];
    IntStream.range(0, found.length)
        .parallel()
        .forEach(i -> found[i] = workTreeEntry(paths.get(i)).orElse(null));
    TreeMap<String, Entry> entries = new TreeMap<>();
    for (Entry entry : found) {
      if (entry != null) {
        entries.put(entry.name(), entry);
      }
    }
    return entries;
  }

  /** The index, as {@code git write-tree} records it (the EB CLI's {@code --staged} does too). */
  private TreeMap<String, Entry> indexEntries() {
    Git.Result tree = Git.run(projectDir, "write-tree");
    if (tree.exit() != 0) {
      if (Git.run(projectDir, "rev-parse", "--git-dir").exit() != 0) {
        throw notARepository(tree);
      }
      throw EbDeployException.invalidInput(
          "cannot bundle the git index of "
              + Printable.of(projectDir.toString())
              + " (staged mode): "
              + tree.stderr()
              + "; resolve the merge conflicts and `git add` the files first");
    }
    Git.Result listing = Git.check(projectDir, "ls-tree", "-r", "-l", "-z", tree.text());
    TreeMap<String, Entry> entries = new TreeMap<>();
    List<String[]> symlinks = new ArrayList<>();
    for (String record : listing.records()) {
      // "<mode> <type> <object> <size>\t<path>"
      int tab = record.indexOf('\t');
      String[] meta = record.substring(0, tab).trim().split(" +");
      String path = record.substring(tab + 1);
      if (excluded(path)) {
        continue;
      }
      switch (meta[0]) {
        case "100644", "100755" ->
            entries.put(
                path,
                Entry.indexFile(path, meta[0].equals("100755"), Long.parseLong(meta[3]), meta[2]));
        case "120000" -> symlinks.add(new String[] {path, meta[2]});
        default -> {} // 160000: a submodule's commit; git archive leaves those out too
      }
    }
    if (!symlinks.isEmpty()) {
      try (BlobReader blobs = new BlobReader(projectDir)) {
        for (String[] link : symlinks) {
          entries.put(link[0], Entry.symlink(link[0], blobs.read(link[1])));
        }
      }
    }
    return entries;
  }

  private EbDeployException notARepository(Git.Result result) {
    return EbDeployException.invalidInput(
        "cannot bundle "
            + Printable.of(projectDir.toString())
            + ": git lists the files to bundle, but "
            + result.stderr()
            + " (run eb-deploy inside a git checkout)");
  }

  /** Files matching {@code bundle.include} in the working tree, tracked or not, even ignored. */
  private List<Entry> includedEntries() {
    IgnoreRules include = IgnoreRules.parse(config.include(), "bundle.include");
    List<Entry> result = new ArrayList<>();
    if (include.isEmpty()) {
      return result;
    }
    for (String root : walkRoots(config.include())) {
      Path start = root.isEmpty() ? projectDir : projectDir.resolve(root);
      if (!Files.isDirectory(start, LinkOption.NOFOLLOW_LINKS)) {
        continue;
      }
      walk(
          start,
          path -> {
            if (include.matches(path, false) && !excluded(path)) {
              workTreeEntry(path).ifPresent(result::add);
            }
          });
    }
    return result;
  }

  private void walk(Path start, java.util.function.Consumer<String> visitor) {
    try {
      Files.walkFileTree(
          start,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              String path = relative(dir);
              // Nothing below an excluded directory can come back (gitignore rule): prune it.
              if (!path.isEmpty()
                  && (isUnderGit(path)
                      || ebignore.matches(path, true)
                      || exclude.matches(path, true))) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof AccessDeniedException) {
                unreadable.add(Printable.of(relative(file)) + " (permission denied)");
                return FileVisitResult.CONTINUE;
              }
              throw e;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (attrs.isRegularFile() || attrs.isSymbolicLink()) {
                visitor.accept(relative(file));
              }
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String relative(Path path) {
    return projectDir.relativize(path).toString().replace('\\', '/');
  }

  /**
   * Where to look for include matches: the literal leading directories of each anchored pattern
   * ({@code hat/assets/webpack/**} needs only {@code hat/assets/webpack}); the whole project for a
   * pattern without a slash, which matches at any depth.
   */
  static List<String> walkRoots(List<String> patterns) {
    TreeSet<String> roots = new TreeSet<>();
    for (String pattern : patterns) {
      if (pattern.startsWith("!") || pattern.startsWith("#") || pattern.isBlank()) {
        continue;
      }
      boolean dirOnly = pattern.endsWith("/");
      String p = dirOnly ? pattern.substring(0, pattern.length() - 1) : pattern;
      if (p.indexOf('/') < 0) {
        return List.of("");
      }
      String[] segments = (p.startsWith("/") ? p.substring(1) : p).split("/");
      // The last segment may name a file, unless the pattern is for directories only.
      int directories = dirOnly ? segments.length : segments.length - 1;
      List<String> literal = new ArrayList<>();
      for (String segment : Arrays.asList(segments).subList(0, directories)) {
        if (segment.chars().anyMatch(c -> Wildmatch.isSpecial((char) c))) {
          break;
        }
        literal.add(segment);
      }
      roots.add(String.join("/", literal));
    }
    List<String> result = new ArrayList<>();
    for (String root : roots) {
      boolean nested = result.stream().anyMatch(r -> r.isEmpty() || root.startsWith(r + "/"));
      if (!nested) {
        result.add(root);
      }
    }
    return result;
  }

  /** The working-tree file at {@code path}, if it is a regular file or a symlink. */
  private Optional<Entry> workTreeEntry(String path) {
    Path file = projectDir.resolve(path);
    try {
      PosixFileAttributes attrs =
          Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (attrs.isSymbolicLink()) {
        byte[] target = Files.readSymbolicLink(file).toString().getBytes(StandardCharsets.UTF_8);
        return Optional.of(Entry.symlink(path, target));
      }
      if (attrs.isRegularFile()) {
        boolean executable = attrs.permissions().contains(PosixFilePermission.OWNER_EXECUTE);
        return Optional.of(Entry.workTreeFile(path, executable, attrs.size()));
      }
      return Optional.empty(); // a submodule's directory, or a tracked path now a directory
    } catch (NoSuchFileException e) {
      return Optional.empty(); // deleted in the working tree: the deletion is what gets deployed
    } catch (AccessDeniedException e) {
      unreadable.add(Printable.of(path) + " (permission denied: a directory above it)");
      return Optional.empty();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static IgnoreRules readEbignore(Path projectDir) {
    Path file = projectDir.resolve(EBIGNORE);
    if (!Files.isRegularFile(file)) {
      return IgnoreRules.NONE;
    }
    try {
      // Split on LF only, as git does (a CR before it is dropped by the parser).
      String text = Files.readString(file, StandardCharsets.UTF_8);
      return IgnoreRules.parse(Arrays.asList(text.split("\n", -1)), EBIGNORE);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Refuses symlinks that leave the project (absolute, or climbing above it) and obvious secrets
   * (by name, and with {@code sniff} by content: private keys in small text files) unless {@code
   * bundle.allow-secrets} matches them; one error lists every offender. Without {@code sniff} the
   * caller searches the content itself, while zipping, so that each file is read once.
   */
  static void check(
      Path projectDir, Map<String, Entry> entries, DeployConfig.Bundle config, boolean sniff) {
    IgnoreRules allowed = IgnoreRules.parse(config.allowSecrets(), "bundle.allow-secrets");
    List<String> escaping = new ArrayList<>();
    List<String> secrets = new ArrayList<>();
    List<String> unreadable = new ArrayList<>();
    try (ContentSource content = new ContentSource(projectDir)) {
      for (Entry entry : entries.values()) {
        if (entry.isSymlink()) {
          String target = new String(entry.data(), StandardCharsets.UTF_8);
          if (escapes(entry.name(), target)) {
            escaping.add(Printable.of(entry.name()) + " -> " + Printable.of(target));
          }
          continue;
        }
        if (allowed.matches(entry.name(), false)) {
          continue;
        }
        Optional<String> reason = Secrets.byName(entry.name());
        if (sniff && reason.isEmpty() && needsSniffing(entry)) {
          try (InputStream in = content.open(entry)) {
            byte[] bytes = in.readAllBytes();
            reason = Secrets.inContent(bytes, bytes.length);
          } catch (AccessDeniedException e) {
            unreadable.add(Printable.of(entry.name()) + " (permission denied)");
            continue;
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        }
        reason.ifPresent(r -> secrets.add(Printable.of(entry.name()) + " (" + r + ")"));
      }
    }
    if (!escaping.isEmpty()) {
      throw EbDeployException.invalidInput(
          "symlinks that point outside the project cannot be bundled (Beanstalk would unpack"
              + " them dangling or pointing at the instance's own files): "
              + String.join(", ", escaping)
              + ". Make them relative links inside the project, or leave them out with"
              + " .ebignore or bundle.exclude.");
    }
    if (!unreadable.isEmpty()) {
      throw unreadable(unreadable);
    }
    if (!secrets.isEmpty()) {
      throw secretsFound(secrets);
    }
  }

  /** The error for files that cannot be read, each given as "path (reason)". */
  static EbDeployException unreadable(List<String> files) {
    return EbDeployException.invalidInput(
        "cannot read "
            + (files.size() == 1 ? "a file" : files.size() + " files")
            + " to bundle: "
            + String.join(", ", files)
            + ". Make "
            + (files.size() == 1 ? "it" : "them")
            + " readable by the user running eb-deploy (chmod u+r, or chown if another user owns"
            + " them, as files written by a container often are), or leave "
            + (files.size() == 1 ? "it" : "them")
            + " out with .ebignore or bundle.exclude.");
  }

  /** Whether the entry's content must be searched for a private key (when not allowed). */
  static boolean needsSniffing(Entry entry) {
    return !entry.isSymlink() && entry.data() == null && entry.size() <= Secrets.SNIFF_LIMIT;
  }

  /** The error for secrets, each given as "path (reason)". */
  static EbDeployException secretsFound(List<String> secrets) {
    return EbDeployException.invalidInput(
        "refusing to bundle what looks like secrets: "
            + String.join(", ", secrets)
            + ". Remove them from git (and rotate them if they were ever pushed), leave them out"
            + " with .ebignore or bundle.exclude, or, if they are meant to ship, list them in"
            + " eb-deploy.yml under bundle.allow-secrets, e.g. allow-secrets: ["
            + secrets.get(0).substring(0, secrets.get(0).indexOf(" ("))
            + "]");
  }

  /** Whether a link at {@code name} pointing to {@code target} resolves outside the project. */
  static boolean escapes(String name, String target) {
    if (target.isEmpty() || target.startsWith("/") || target.startsWith("\\")) {
      return true;
    }
    int depth = (int) name.chars().filter(c -> c == '/').count(); // the link's directory depth
    for (String segment : target.split("/")) {
      if (segment.equals("..")) {
        depth--;
        if (depth < 0) {
          return true;
        }
      } else if (!segment.isEmpty() && !segment.equals(".")) {
        depth++;
      }
    }
    return false;
  }
}
