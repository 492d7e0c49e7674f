package io.ebdeploy.lint;

import io.ebdeploy.bundle.Bundler;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The bundle's size and file count against what Beanstalk takes: a source bundle of at most 500 MB
 * ({@link Bundler#MAX_BUNDLE_BYTES}). A bundle not yet zipped is judged by its files: what is
 * stored as is (images, archives) counts fully, the rest may still compress below the limit.
 */
final class BundleRules {
  /** Entries a zip holds without the ZIP64 extension. */
  static final int ZIP_ENTRIES = 65_535;

  private BundleRules() {}

  static void check(Inventory inventory, Findings findings) {
    long max = Bundler.MAX_BUNDLE_BYTES;
    if (inventory.zipSize().isPresent()) {
      long size = inventory.zipSize().get();
      if (size > max) {
        findings.add(
            "",
            0,
            Rule.BUNDLE_TOO_BIG,
            "the zip is " + mb(size) + ", over Elastic Beanstalk's limit of " + mb(max),
            "leave out what the application does not need at run time" + biggest(inventory));
      }
    } else {
      long stored =
          inventory.files().stream()
              .filter(f -> Bundler.storedAsIs(f.name()))
              .mapToLong(Inventory.Item::size)
              .sum();
      long total = inventory.files().stream().mapToLong(Inventory.Item::size).sum();
      if (stored > max) {
        findings.add(
            "",
            0,
            Rule.BUNDLE_TOO_BIG,
            "the bundle's already-compressed files alone (images, archives, fonts) are "
                + mb(stored)
                + ", over Elastic Beanstalk's limit of "
                + mb(max)
                + " whatever the rest compresses to",
            "leave them out with .ebignore or bundle.exclude" + biggest(inventory));
      } else if (total > max) {
        findings.add(
            "",
            0,
            Rule.BUNDLE_TOO_BIG,
            Severity.WARNING,
            "the bundle's files are "
                + mb(total)
                + " before compression, over Elastic Beanstalk's limit of "
                + mb(max)
                + "; the zip may still fit (eb-deploy stops writing it as soon as it does not)",
            "leave out what the application does not need at run time" + biggest(inventory));
      }
    }
    int entries = inventory.entryCount();
    if (entries > ZIP_ENTRIES) {
      findings.add(
          "",
          0,
          Rule.BUNDLE_TOO_MANY_FILES,
          "the bundle holds "
              + String.format(Locale.ROOT, "%,d", entries)
              + " files; a zip of more than 65,535 entries needs the ZIP64 extension, and Elastic"
              + " Beanstalk does not document that it reads one",
          "leave out what is not needed at run time (tests, sources of compiled assets,"
              + " node_modules)");
    }
  }

  private static String biggest(Inventory inventory) {
    return "; biggest: "
        + inventory.files().stream()
            .sorted(Comparator.comparingLong(Inventory.Item::size).reversed())
            .limit(3)
            .map(f -> f.name() + " (" + mb(f.size()) + ")")
            .collect(Collectors.joining(", "));
  }

  private static String mb(long bytes) {
    return String.format(Locale.ROOT, "%.1f MB", bytes / 1024.0 / 1024.0);
  }
}
