package io.ebdeploy.lint;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean": the candidate nearest a misspelt name. */
final class Closest {
  private Closest() {}

  /**
   * The candidate within a few edits of {@code name} (case ignored), the nearest one; empty when
   * none is close enough to be a typo.
   */
  static Optional<String> to(String name, Collection<String> candidates) {
    String lower = name.toLowerCase(Locale.ROOT);
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    for (String c : candidates) {
      int d = distance(lower, c.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = c;
        bestDistance = d;
      }
    }
    return bestDistance <= allowed(name) ? Optional.ofNullable(best) : Optional.empty();
  }

  /** How many edits still look like a typo: 1 for short names, up to 4 for long namespaces. */
  static int allowed(String name) {
    return Math.max(1, Math.min(4, name.length() / 8 + 1));
  }

  /** Levenshtein distance, with a transposition counted as one edit (optimal string alignment). */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1
            && j > 1
            && a.charAt(i - 1) == b.charAt(j - 2)
            && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
