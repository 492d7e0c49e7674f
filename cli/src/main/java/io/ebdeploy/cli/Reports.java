package io.ebdeploy.cli;

import io.ebdeploy.api.AssetsResult;
import io.ebdeploy.api.BundleInfo;
import io.ebdeploy.api.DeployOutcome;
import io.ebdeploy.api.DeployPlan;
import io.ebdeploy.api.DeployResult;
import io.ebdeploy.api.EnvironmentInfo;
import io.ebdeploy.api.EnvironmentOutcome;
import io.ebdeploy.api.EnvironmentResult;
import io.ebdeploy.api.GroupStatus;
import io.ebdeploy.api.HistoryEntry;
import io.ebdeploy.api.Notification;
import io.ebdeploy.api.RollbackReport;
import io.ebdeploy.api.Sourced;
import java.io.PrintWriter;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The text form of results: the deploy summary, the status table, the plan. */
final class Reports {
  /** How many bundle files {@code plan} lists in text before it says how many more there are. */
  static final int PLAN_FILES_SHOWN = 40;

  private Reports() {}

  /**
   * The final summary of a deploy: one line for the verdict, then per environment its name, tier,
   * role, label before and after, status, health, outcome and duration, then why each failure.
   */
  static void deploy(PrintWriter out, DeployResult r, Style style) {
    long ok = r.environments().stream().filter(e -> e.outcome().succeeded()).count();
    int n = r.environments().size();
    boolean rollbackCommand = "rollback".equals(r.command());
    if (r.succeeded()) {
      out.println(
          style.paint(
                  (rollbackCommand
                      ? "Rolled back " + r.group() + " to " + r.label()
                      : "Deployed " + r.label() + " to " + r.group()),
                  Style.BOLD + Style.GREEN)
              + " ("
              + r.application()
              + "): "
              + n
              + (n == 1 ? " environment" : " environments")
              + " in "
              + Format.duration(r.duration())
              + ".");
    } else {
      out.println(
          style.paint(
                  (rollbackCommand ? "Rollback of " : "Deploy of ")
                      + r.label()
                      + " to "
                      + r.group()
                      + (r.outcome() == DeployOutcome.INTERRUPTED ? " INTERRUPTED" : " FAILED"),
                  Style.BOLD + Style.RED)
              + " ("
              + r.application()
              + ") after "
              + Format.duration(r.duration())
              + ": "
              + ok
              + " of "
              + n
              + " environments succeeded. "
              + verdict(r, style));
    }
    List<List<String>> rows = new ArrayList<>();
    rows.add(
        List.of("ENVIRONMENT", "TIER", "ROLE", "LABEL", "STATUS", "HEALTH", "OUTCOME", "DURATION"));
    for (EnvironmentResult e : r.environments()) {
      rows.add(
          List.of(
              e.name(),
              e.tier().name().toLowerCase(Locale.ROOT),
              e.role().value() + (e.migrator() ? " (migrates)" : ""),
              Format.label(e.labelBefore()) + " -> " + Format.label(e.labelAfter()),
              e.status(),
              e.health(),
              Format.words(e.outcome()),
              e.requestedAt().isPresent() ? Format.duration(e.duration()) : "-"));
    }
    Format.table(
            rows,
            "  ",
            (row, col, cell) -> {
              if (row == 0) {
                return style.paint(cell, Style.DIM);
              }
              return switch (col) {
                case 4 -> Style.keepPad(cell, style::status);
                case 5 -> Style.keepPad(cell, style::health);
                case 6 ->
                    style.paint(
                        cell,
                        cell.startsWith(Format.words(EnvironmentOutcome.SUCCEEDED))
                            ? Style.GREEN
                            : Style.RED);
                default -> cell;
              };
            })
        .forEach(out::println);
    for (EnvironmentResult e : r.environments()) {
      if (!e.outcome().succeeded() && e.reason().isPresent()) {
        out.println(
            "  "
                + e.name()
                + ": "
                + style.paint(
                    Format.words(e.outcome()) + ": " + ProgressRenderer.clean(e.reason().get()),
                    Style.RED));
      }
    }
    rollback(out, r, style);
    BundleInfo b = r.bundle();
    if (b != null) {
      out.println(
          "  bundle "
              + (b.bucket() == null || b.bucket().isEmpty()
                  ? b.key()
                  : "s3://" + b.bucket() + "/" + b.key())
              + " ("
              + b.fileCount()
              + " files, "
              + Format.size(b.size())
              + (r.versionReused() ? "; existing version reused" : "")
              + (r.uploadSkipped() && !r.versionReused() ? "; already uploaded" : "")
              + ")");
    }
    r.assets().ifPresent(a -> out.println("  static files " + where(a) + ": " + assetsDone(a)));
    r.snapshot()
        .ifPresent(
            id ->
                out.println("  database snapshot " + id + " (taken before the migrator deployed)"));
    r.recovered()
        .ifPresent(
            d ->
                out.println(
                    "  converged first: the "
                        + d.command()
                        + " of "
                        + d.label()
                        + " by "
                        + d.who()
                        + " killed during "
                        + d.phase()
                        + " ("
                        + d.convergedTo().orElse("?")
                        + ")"));
    out.println(
        style.paint(
            "  "
                + r.calls().calls()
                + " AWS calls ("
                + r.calls().retries()
                + (r.calls().retries() == 1 ? " retry" : " retries")
                + ")",
            Style.DIM));
    out.flush();
    for (Notification note : r.notifications()) {
      note.error()
          .ifPresent(
              e ->
                  out.println(
                      style.paint(
                          "Slack " + note.kind() + " notification failed: " + e, Style.YELLOW)));
    }
  }

  /** What the outcome means for the group, after the FAILED line. */
  private static String verdict(DeployResult r, Style style) {
    return switch (r.outcome()) {
      case ROLLED_BACK, INTERRUPTED ->
          r.rollback().isEmpty()
              ? "No environment was updated."
              : style.paint("Rolled back", Style.BOLD)
                  + ": every environment runs its previous label again.";
      case ROLLBACK_FAILED ->
          style.paint(
              "THE ROLLBACK FAILED: the group may run different versions.", Style.BOLD + Style.RED);
      default -> "";
    };
  }

  /** The rollback: each environment, and what to run next when it failed. */
  static void rollback(PrintWriter out, DeployResult r, Style style) {
    if (r.rollback().isEmpty()) {
      return;
    }
    RollbackReport rb = r.rollback().get();
    out.println(
        "  rollback "
            + (rb.succeeded()
                ? style.paint("succeeded", Style.GREEN)
                : style.paint("FAILED", Style.BOLD + Style.RED))
            + ":");
    for (RollbackReport.Step s : rb.environments()) {
      out.println(
          "    "
              + s.environment()
              + " "
              + Format.label(s.labelBefore())
              + " -> "
              + Format.label(s.labelNow())
              + ": "
              + s.outcome().wireName().replace('-', ' ')
              + s.reason().map(why -> " (" + ProgressRenderer.clean(why) + ")").orElse(""));
    }
    for (String line : rb.instructions()) {
      out.println("  " + style.paint(line, Style.BOLD));
    }
    if (r.schemaNotReverted()) {
      out.println(
          "  The database schema was not reverted: the previous release runs on the migrated"
              + " schema (docs/migrations.md).");
    }
  }

  /** The status table and the verdict on labels. */
  static void status(PrintWriter out, GroupStatus s, Style style) {
    out.println(
        "Group "
            + s.group()
            + " ("
            + s.application()
            + "): "
            + s.environments().size()
            + (s.environments().size() == 1 ? " environment" : " environments"));
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("ENVIRONMENT", "TIER", "LABEL", "STATUS", "HEALTH"));
    for (EnvironmentInfo e : s.environments()) {
      rows.add(
          List.of(
              e.name(),
              e.tier().name().toLowerCase(Locale.ROOT),
              Format.label(e.versionLabel()),
              e.status(),
              e.health()));
    }
    Format.table(
            rows,
            "  ",
            (row, col, cell) ->
                row == 0
                    ? style.paint(cell, Style.DIM)
                    : col == 3
                        ? Style.keepPad(cell, style::status)
                        : col == 4 ? Style.keepPad(cell, style::health) : cell)
        .forEach(out::println);
    if (s.labelsDiffer()) {
      Map<String, List<String>> byLabel = new LinkedHashMap<>();
      for (EnvironmentInfo e : s.environments()) {
        byLabel
            .computeIfAbsent(Format.label(e.versionLabel()), l -> new ArrayList<>())
            .add(e.name());
      }
      out.println(
          style.paint("The environments run different versions: ", Style.RED)
              + byLabel.entrySet().stream()
                  .map(en -> en.getKey() + " on " + String.join(", ", en.getValue()))
                  .collect(Collectors.joining("; "))
              + ".");
    } else {
      String label = s.labels().isEmpty() ? "" : s.labels().iterator().next();
      out.println(
          s.environments().size() == 1
              ? "It runs " + Format.label(label) + "."
              : "All " + s.environments().size() + " run " + Format.label(label) + ".");
    }
    java.time.Instant now = java.time.Instant.now();
    s.lock()
        .ifPresentOrElse(
            l ->
                out.println(
                    style.paint("Locked", Style.YELLOW)
                        + " by "
                        + l.describe(now)
                        + (l.stale(now) ? " (stale: the next deploy takes it over)" : "")
                        + "."),
            () -> out.println("Not locked."));
    s.interruptedDeploy()
        .ifPresent(
            d ->
                out.println(
                    style.paint("Interrupted", Style.RED)
                        + ": the "
                        + d.command()
                        + " of "
                        + d.label()
                        + " by "
                        + d.who()
                        + " on "
                        + d.host()
                        + " (started "
                        + d.startedAt()
                        + ") was killed during "
                        + d.phase()
                        + "; the next deploy or rollback of "
                        + s.group()
                        + " converges the group first."));
    if (!s.history().isEmpty()) {
      out.println("Last runs:");
      List<List<String>> runs = new ArrayList<>();
      for (HistoryEntry h : s.history().subList(0, Math.min(5, s.history().size()))) {
        runs.add(
            List.of(
                h.finishedAt().toString(),
                h.command(),
                Format.label(h.label()),
                h.outcome() + (h.recovered() ? " (recovered)" : ""),
                h.who()));
      }
      Format.table(runs, "  ", Format.Painter.NONE).forEach(out::println);
    }
    out.flush();
  }

  /** What a deploy would do. */
  static void plan(PrintWriter out, DeployPlan p, Style style, boolean allFiles) {
    out.println(
        "Plan: deploy "
            + style.paint(p.label(), Style.BOLD)
            + " to "
            + p.group()
            + " ("
            + p.application()
            + "), "
            + p.environments().size()
            + (p.environments().size() == 1 ? " environment" : " environments")
            + ". Nothing was changed.");
    p.region().ifPresent(r -> out.println("  region " + r));
    Map<Sourced<URI>, List<String>> servicesByEndpoint = new LinkedHashMap<>();
    p.endpoints()
        .forEach(
            (service, e) ->
                servicesByEndpoint.computeIfAbsent(e, k -> new ArrayList<>()).add(service));
    servicesByEndpoint.forEach(
        (e, services) -> out.println("  endpoint " + e + " for " + String.join(", ", services)));
    out.println(
        "  application version "
            + p.label()
            + ": "
            + (p.versionExists()
                ? "exists with this bundle, reused (no upload)"
                : "will be created (bundle uploaded once)"));
    out.println(
        "  migrations: policy "
            + p.policy().name().toLowerCase(Locale.ROOT).replace('_', '-')
            + ", migrator "
            + p.migrator().orElse("(none: no web environment)"));
    List<List<String>> rows = new ArrayList<>();
    rows.add(List.of("ENVIRONMENT", "TIER", "ROLE", "LABEL NOW", "STATUS", "HEALTH", "PLATFORM"));
    for (EnvironmentInfo e : p.environments()) {
      rows.add(
          List.of(
              e.name(),
              e.tier().name().toLowerCase(Locale.ROOT),
              p.roles().get(e.name()).value(),
              Format.label(e.versionLabel()),
              e.status(),
              e.health(),
              platform(e.platformArn())));
    }
    Format.table(rows, "  ", (row, col, cell) -> row == 0 ? style.paint(cell, Style.DIM) : cell)
        .forEach(out::println);
    out.println("  order:");
    for (int i = 0; i < p.waves().size(); i++) {
      out.println(
          "    "
              + (i + 1)
              + ". "
              + String.join(", ", p.waves().get(i))
              + (p.waves().size() > 1 && i == 0 ? " (alone; the others wait for it)" : ""));
    }
    BundleInfo b = p.bundle();
    out.println(
        "  bundle: "
            + b.fileCount()
            + " files, "
            + Format.size(b.size())
            + ", sha256 "
            + b.sha256()
            + ", key "
            + b.key());
    p.assets().ifPresent(a -> out.println("  static files " + where(a) + ": " + assetsPlanned(a)));
    List<String> files = p.bundleEntries();
    int shown = allFiles ? files.size() : Math.min(files.size(), PLAN_FILES_SHOWN);
    for (int i = 0; i < shown; i++) {
      out.println("    " + files.get(i));
    }
    if (shown < files.size()) {
      out.println(
          "    ... and " + (files.size() - shown) + " more (-v or --output json lists every file)");
    }
    out.flush();
  }

  /** {@code eb-deploy assets}: what was (or, for a dry run, would be) uploaded. */
  static void assets(PrintWriter out, AssetsResult a, Style style) {
    if (a.dryRun()) {
      out.println(
          "Dry run: static files "
              + where(a)
              + ": "
              + count(a.uploaded(), "file")
              + " would be uploaded ("
              + a.added()
              + " new, "
              + a.changed()
              + " changed, "
              + Format.size(a.uploadedBytes())
              + "), "
              + a.skipped()
              + " unchanged"
              + (a.headersUpdated() > 0 ? ", " + a.headersUpdated() + " with new headers" : "")
              + ". Nothing was changed.");
    } else {
      out.println(
          style.paint("Static files " + where(a), Style.BOLD)
              + ": "
              + assetsUploaded(a)
              + " in "
              + Format.duration(a.syncTook())
              + ".");
    }
    a.notDeleted().ifPresent(why -> out.println("  " + why + "."));
    out.flush();
  }

  static String where(AssetsResult a) {
    return "s3://" + a.bucket() + "/" + a.prefix();
  }

  /** For the plan: what a deploy would upload, skip, and delete after it succeeded. */
  static String assetsPlanned(AssetsResult a) {
    return a.files()
        + " files, "
        + a.uploaded()
        + " to upload ("
        + a.added()
        + " new, "
        + a.changed()
        + " changed, "
        + Format.size(a.uploadedBytes())
        + "), "
        + a.skipped()
        + " unchanged"
        + (a.headersUpdated() > 0 ? ", " + a.headersUpdated() + " with new headers" : "")
        + ", "
        + a.deleted()
        + " to delete once the deploy succeeded"
        + a.notDeleted().map(w -> " (" + w + ")").orElse("");
  }

  static String assetsUploaded(AssetsResult a) {
    return count(a.uploaded(), "file")
        + " uploaded ("
        + a.added()
        + " new, "
        + a.changed()
        + " changed, "
        + Format.size(a.uploadedBytes())
        + "), "
        + a.skipped()
        + " unchanged"
        + (a.headersUpdated() > 0 ? ", " + a.headersUpdated() + " headers updated" : "");
  }

  static String assetsPruned(AssetsResult a) {
    return "release recorded"
        + a.manifest().map(m -> " (" + m + ")").orElse("")
        + ", "
        + count(a.deleted(), "stale file")
        + " deleted ("
        + Format.size(a.deletedBytes())
        + ")"
        + a.notDeleted().map(w -> ": " + w).orElse("");
  }

  /** The deploy summary's line: uploads, then what happened after the verdict. */
  static String assetsDone(AssetsResult a) {
    return assetsUploaded(a)
        + "; "
        + (a.notDeleted().isPresent()
            ? "nothing deleted: " + a.notDeleted().get()
            : count(a.deleted(), "stale file") + " deleted");
  }

  private static String count(int n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** The platform's name from its ARN: what follows {@code platform/}. */
  static String platform(String arn) {
    int i = arn == null ? -1 : arn.indexOf(":platform/");
    return i < 0 ? (arn == null || arn.isEmpty() ? "-" : arn) : arn.substring(i + 10);
  }
}
