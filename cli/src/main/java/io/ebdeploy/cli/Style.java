package io.ebdeploy.cli;

import java.util.Locale;

/**
 * How text goes to stdout: live (a terminal: lines rewritten in place) or plain (CI, a pipe, a
 * file: one line per event, never an escape code), with or without colors, and how wide.
 *
 * <ul>
 *   <li>plain when {@code CI} is set (to anything but {@code false} or {@code 0}), when stdout is
 *       not a terminal, or when {@code TERM=dumb};
 *   <li>colors only when live and {@code NO_COLOR} is unset or empty (no-color.org); live output
 *       without colors still moves the cursor to rewrite its lines;
 *   <li>width from {@code COLUMNS}, else {@code stty size} on a terminal, else 100.
 * </ul>
 */
record Style(boolean live, boolean color, int width) {
  static final Style PLAIN = new Style(false, false, 100);

  static final String RESET = "\033[0m";
  static final String BOLD = "\033[1m";
  static final String DIM = "\033[2m";
  static final String RED = "\033[31m";
  static final String GREEN = "\033[32m";
  static final String YELLOW = "\033[33m";
  static final String CYAN = "\033[36m";

  /** The style of stdout in this context. */
  static Style of(CliContext ctx) {
    boolean ci =
        ctx.variable("CI").map(v -> !v.equalsIgnoreCase("false") && !v.equals("0")).orElse(false);
    boolean dumb = ctx.variable("TERM").map(t -> t.equalsIgnoreCase("dumb")).orElse(false);
    boolean live = ctx.terminal() && !ci && !dumb;
    boolean color = live && ctx.variable("NO_COLOR").isEmpty();
    return new Style(live, color, width(ctx));
  }

  private static int width(CliContext ctx) {
    String columns = ctx.variable("COLUMNS").orElseGet(() -> ctx.terminal() ? sttyColumns() : "");
    try {
      int n = Integer.parseInt(columns.trim());
      return n >= 40 ? n : 100;
    } catch (NumberFormatException e) {
      return 100;
    }
  }

  /** The terminal's width from {@code stty size} (shells do not export COLUMNS); empty if none. */
  private static String sttyColumns() {
    try {
      Process p =
          new ProcessBuilder("sh", "-c", "stty size < /dev/tty")
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      p.getOutputStream().close();
      if (!p.waitFor(1, java.util.concurrent.TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "";
      }
      String[] rowsColumns =
          new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
              .trim()
              .split("\\s+");
      return p.exitValue() == 0 && rowsColumns.length == 2 ? rowsColumns[1] : "";
    } catch (java.io.IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  /** {@code text} in the given SGR color when colors are on, else as it is. */
  String paint(String text, String sgr) {
    return color && !text.isEmpty() ? sgr + text + RESET : text;
  }

  /** A status colored by what it means: Ready green, in progress yellow, else as it is. */
  String status(String status) {
    if (status == null) {
      return "";
    }
    return switch (status) {
      case "Ready" -> paint(status, GREEN);
      case "Updating", "Launching", "Aborting" -> paint(status, YELLOW);
      case "Terminating", "Terminated" -> paint(status, RED);
      default -> status;
    };
  }

  /** A health colored as Beanstalk's console shows it. */
  String health(String health) {
    if (health == null) {
      return "";
    }
    return switch (health) {
      case "Green" -> paint(health, GREEN);
      case "Yellow" -> paint(health, YELLOW);
      case "Red" -> paint(health, RED);
      case "Grey" -> paint(health, DIM);
      default -> health;
    };
  }

  /** Applies {@code f} to a padded cell's text, keeping its padding outside the color. */
  static String keepPad(String cell, java.util.function.UnaryOperator<String> f) {
    String text = cell.stripTrailing();
    return f.apply(text) + cell.substring(text.length());
  }

  /** A Beanstalk event severity: errors red, warnings yellow. */
  String severity(String severity, String text) {
    String s = severity == null ? "" : severity.toUpperCase(Locale.ROOT);
    return switch (s) {
      case "ERROR", "FATAL" -> paint(text, RED);
      case "WARN" -> paint(text, YELLOW);
      default -> text;
    };
  }
}
