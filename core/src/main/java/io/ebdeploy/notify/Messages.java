package io.ebdeploy.notify;

import static com.slack.api.model.block.Blocks.context;
import static com.slack.api.model.block.Blocks.header;
import static com.slack.api.model.block.Blocks.section;
import static com.slack.api.model.block.composition.BlockCompositions.markdownText;
import static com.slack.api.model.block.composition.BlockCompositions.plainText;

import com.slack.api.model.block.LayoutBlock;
import com.slack.api.model.block.composition.TextObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Renders a {@link DeployState} as Block Kit with a plain-text fallback. */
final class Messages {
  private Messages() {}

  /** The headline: what, where, how it stands. */
  static String headline(DeployState s) {
    if (s.rollback()) {
      String what =
          (s.application + " " + s.group).strip() + (s.label.isEmpty() ? "" : " to " + s.label);
      return switch (s.outcome) {
        case IN_PROGRESS -> "Rolling back " + what;
        case SUCCEEDED -> "Rolled back " + what + ": succeeded";
        default -> "Rollback of " + what + ": " + s.outcome.words;
      };
    }
    String what =
        (s.application + " " + s.label).strip() + (s.label.isEmpty() ? "" : " ") + "to " + s.group;
    return switch (s.outcome) {
      case IN_PROGRESS -> s.rollingBack.isPresent() ? "Rolling back " + what : "Deploying " + what;
      case SUCCEEDED -> "Deployed " + what + ": succeeded";
      default -> "Deploy of " + what + ": " + s.outcome.words;
    };
  }

  /** The start notice, the progress updates and the final notice share this shape. */
  static Message deploy(DeployState s) {
    List<String> facts = facts(s);
    List<String> table = table(s);
    StringBuilder text = new StringBuilder(s.outcome.emoji + " " + headline(s) + "\n");
    facts.forEach(f -> text.append(f).append('\n'));
    table.forEach(t -> text.append(t).append('\n'));
    boolean ended = s.outcome != DeployState.Outcome.IN_PROGRESS;
    Optional<String> why = ended ? s.failure : Optional.empty();
    why.ifPresent(w -> text.append(w).append('\n'));
    if (ended && !s.failureEvents.isEmpty()) {
      text.append("First failure events:\n");
      s.failureEvents.forEach(f -> text.append("- ").append(f).append('\n'));
    }
    s.snapshot.ifPresent(id -> text.append("RDS snapshot: ").append(id).append('\n'));

    List<LayoutBlock> blocks = new ArrayList<>();
    blocks.add(header(h -> h.text(plainText(trim(s.outcome.emoji + " " + headline(s), 150)))));
    List<TextObject> fields = new ArrayList<>();
    for (String f : facts) {
      int colon = f.indexOf(": ");
      fields.add(markdownText("*" + f.substring(0, colon) + "*\n" + f.substring(colon + 2)));
    }
    blocks.add(section(b -> b.fields(fields.subList(0, Math.min(10, fields.size())))));
    if (!table.isEmpty()) {
      blocks.add(
          section(b -> b.text(markdownText(trim("```" + String.join("\n", table) + "```", 3000)))));
    }
    why.ifPresent(w -> blocks.add(section(b -> b.text(markdownText(trim(w, 3000))))));
    if (ended && !s.failureEvents.isEmpty()) {
      StringBuilder ev = new StringBuilder("*First failure events*\n");
      s.failureEvents.forEach(f -> ev.append("• ").append(f).append('\n'));
      blocks.add(section(b -> b.text(markdownText(trim(ev.toString(), 3000)))));
    }
    s.snapshot.ifPresent(
        id ->
            blocks.add(
                context(c -> c.elements(List.of(markdownText("RDS snapshot: `" + id + "`"))))));
    return new Message(text.toString().strip(), blocks);
  }

  /** The thread reply of token mode: everything known about the failure. */
  static Message details(DeployState s) {
    StringBuilder t = new StringBuilder("Failure details for " + s.label + " on " + s.group + "\n");
    s.failure.ifPresent(f -> t.append(f).append('\n'));
    s.failureEvents.forEach(f -> t.append("- ").append(f).append('\n'));
    String text = t.toString().strip();
    return new Message(text, List.of(section(b -> b.text(markdownText(trim(text, 3000))))));
  }

  /** What {@code notify-test} sends. */
  static Message test(String mode, String actor) {
    String text =
        ":wave: eb-deploy notification test ("
            + mode
            + " mode), sent by "
            + actor
            + ": deploy notices will look like this one's neighbours.";
    return new Message(text, List.of(section(b -> b.text(markdownText(text)))));
  }

  static List<String> facts(DeployState s) {
    List<String> f = new ArrayList<>();
    f.add("Application: " + s.application);
    f.add("Group: " + s.group);
    f.add("Label: " + s.label);
    if (!s.rollback()) {
      f.add("Commit: " + s.commit.orElse("unknown"));
    }
    f.add("Started by: " + s.actor);
    s.ciUrl.ifPresent(u -> f.add("CI run: " + u));
    if (s.finishedAt != null) {
      f.add("Duration: " + duration(Duration.between(s.startedAt, s.finishedAt)));
    }
    f.add("Outcome: " + s.outcome.words);
    return f;
  }

  /** One line per environment: name, tier, label before -> after, health, verdict. */
  static List<String> table(DeployState s) {
    if (s.envs.isEmpty()) {
      return List.of();
    }
    int w = Math.max(11, s.envs.keySet().stream().mapToInt(String::length).max().orElse(0));
    List<String> rows = new ArrayList<>();
    rows.add(
        String.format(
            "%-" + w + "s  %-6s  %-30s  %-6s  %s",
            "environment",
            "tier",
            "label",
            "health",
            "state"));
    for (DeployState.Env e : s.envs.values()) {
      String labels = blank(e.labelBefore) + " -> " + blank(e.labelAfter);
      rows.add(
          String.format(
              "%-" + w + "s  %-6s  %-30s  %-6s  %s",
              e.name,
              e.tier.name().toLowerCase(java.util.Locale.ROOT),
              labels,
              blank(e.health),
              e.result));
    }
    return rows;
  }

  static String duration(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s >= 60 ? (s / 60) + "m " + (s % 60) + "s" : s + "s";
  }

  private static String blank(String s) {
    return s == null || s.isEmpty() ? "-" : s;
  }

  private static String trim(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
