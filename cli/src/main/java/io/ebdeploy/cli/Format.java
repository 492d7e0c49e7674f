package io.ebdeploy.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Small text helpers for people-facing output: durations, sizes, aligned columns. */
final class Format {
  private Format() {}

  /** {@code 850ms}, {@code 14s}, {@code 1m02s}, {@code 1h03m}. */
  static String duration(Duration d) {
    long millis = Math.max(0, d.toMillis());
    if (millis < 1000) {
      return millis + "ms";
    }
    long seconds = Math.round(millis / 1000.0);
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
  }

  /** {@code 0:07}, {@code 1:42}, {@code 1:02:03}: a running clock. */
  static String clock(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  /** {@code 812 B}, {@code 14.2 KiB}, {@code 3.4 MiB}, {@code 1.1 GiB}. */
  static String size(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB"};
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < units.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
  }

  /** A label for people: {@code (none)} when empty. */
  static String label(String label) {
    return label == null || label.isEmpty() ? "(none)" : label;
  }

  /** Lower case, underscores as spaces: {@code TIMED_OUT} is {@code timed out}. */
  static String words(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }

  static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  /**
   * Rows as aligned columns, two spaces apart, each line indented by {@code indent}; the last
   * column is not padded. {@code paint} colors a cell after padding (so colors do not break the
   * alignment): it gets the column index and the padded text.
   */
  static List<String> table(List<List<String>> rows, String indent, Painter paint) {
    int columns = rows.stream().mapToInt(List::size).max().orElse(0);
    int[] widths = new int[columns];
    for (List<String> row : rows) {
      for (int i = 0; i < row.size(); i++) {
        widths[i] = Math.max(widths[i], row.get(i).length());
      }
    }
    List<String> lines = new ArrayList<>();
    for (int r = 0; r < rows.size(); r++) {
      List<String> row = rows.get(r);
      StringBuilder line = new StringBuilder(indent);
      for (int i = 0; i < row.size(); i++) {
        String cell = i == row.size() - 1 ? row.get(i) : pad(row.get(i), widths[i]);
        line.append(paint.paint(r, i, cell));
        if (i < row.size() - 1) {
          line.append("  ");
        }
      }
      lines.add(line.toString().stripTrailing());
    }
    return lines;
  }

  /** Colors one padded cell of {@link #table}. */
  @FunctionalInterface
  interface Painter {
    String paint(int row, int column, String paddedCell);

    Painter NONE = (r, c, cell) -> cell;
  }
}
