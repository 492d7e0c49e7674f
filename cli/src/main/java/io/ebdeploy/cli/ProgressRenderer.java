package io.ebdeploy.cli;

import io.ebdeploy.api.BeanstalkEvent;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.DeployListener;
import io.ebdeploy.api.EnvironmentInfo;
import io.ebdeploy.api.EnvironmentOutcome;
import io.ebdeploy.api.Role;
import io.ebdeploy.api.Tier;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Renders a deploy's {@link DeployEvent}s for people. Core prints nothing; this is the console.
 *
 * <ul>
 *   <li><b>Plain</b> (CI, a pipe, a file, and stderr under {@code --output json}): one timestamped
 *       line per event, never an escape code: {@code 12:00:03 Iaso-staging-worker Updating Grey
 *       "Deploying new version to instance(s)."}
 *   <li><b>Live</b> (a terminal): a block with one line per environment (status, health, label,
 *       what it is doing, a running clock) rewritten in place with ANSI cursor movement, and the
 *       Beanstalk events and steps scrolling above it; colors unless {@code NO_COLOR} is set.
 * </ul>
 *
 * <p>The final summary is not printed here but by the command ({@link Reports}), once the deploy
 * returned. Thread-safe: the deploy's thread and the live clock's both draw.
 */
final class ProgressRenderer implements DeployListener, AutoCloseable {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");
  private static final String[] SPINNER = {"|", "/", "-", "\\"};
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-?]*[ -/]*[@-~]|\u001B[@-_]");
  private static final Pattern CONTROL = Pattern.compile("[\\p{Cntrl}&&[^\t]]");

  private final PrintWriter out;
  private final Style style;
  private final ZoneId zone;
  private final Clock clock;
  private final Map<String, Env> envs = new LinkedHashMap<>();
  private String application = "";
  private int nameWidth;
  private int drawn;
  private int frame;
  private ScheduledExecutorService ticker;
  private boolean ticking;
  private boolean done;
  private final List<DeployEvent.EnvironmentChanged> pending = new ArrayList<>();
  private boolean flushScheduled;

  /** One environment as the renderer last heard of it. */
  private static final class Env {
    final String name;
    Tier tier;
    Role role;
    String label = "";
    String status = "";
    String health = "";
    String target;
    Instant requestedAt;
    Instant endedAt;
    boolean waitingForReady;
    EnvironmentOutcome outcome;
    String reason;
    String lastMessage = "";
    String shownStatus;
    String shownHealth;

    Env(String name) {
      this.name = name;
    }
  }

  ProgressRenderer(PrintWriter out, Style style, ZoneId zone, Clock clock) {
    this.out = out;
    this.style = style;
    this.zone = zone;
    this.clock = clock;
  }

  /** Plain lines, without escape codes, whatever the terminal. */
  static ProgressRenderer plain(PrintWriter out, ZoneId zone) {
    return new ProgressRenderer(out, Style.PLAIN, zone, Clock.systemUTC());
  }

  /** Live or plain as {@code style} says. */
  static ProgressRenderer of(PrintWriter out, Style style, ZoneId zone) {
    return new ProgressRenderer(out, style, zone, Clock.systemUTC());
  }

  @Override
  public synchronized void onEvent(DeployEvent event) {
    if (done && !(event instanceof DeployEvent.Done)) {
      return;
    }
    if (!(event instanceof DeployEvent.BeanstalkEventReceived)
        && !(event instanceof DeployEvent.EnvironmentChanged)) {
      flushPending();
    }
    List<String> lines = new ArrayList<>();
    boolean block = handle(event, lines);
    if (event instanceof DeployEvent.Done) {
      finish(lines);
      return;
    }
    emit(lines, block);
  }

  /** Updates the state from one event; adds the lines to print; true when the block changed. */
  private boolean handle(DeployEvent event, List<String> lines) {
    Instant t = event.time();
    if (event instanceof DeployEvent.DiscoveryDone d) {
      application = d.application();
      for (EnvironmentInfo i : d.environments()) {
        Env e = env(i.name());
        e.tier = i.tier();
        e.label = i.versionLabel();
        e.status = i.status();
        e.health = i.health();
        e.shownStatus = i.status();
        e.shownHealth = i.health();
      }
      String how =
          d.matchedTagValues().isEmpty()
              ? "named " + d.group()
              : "tagged " + String.join(" / ", d.matchedTagValues());
      lines.add(
          line(
              t,
              "found "
                  + d.environments().size()
                  + (d.environments().size() == 1 ? " environment" : " environments")
                  + " of "
                  + d.application()
                  + " "
                  + how));
      if (!style.live()) {
        for (EnvironmentInfo i : d.environments()) {
          lines.add(
              envLine(
                  t,
                  i.name(),
                  i.status(),
                  i.health(),
                  tier(i.tier()) + ", running " + Format.label(i.versionLabel())));
        }
      }
      return true;
    }
    if (event instanceof DeployEvent.WaitingForReady w) {
      Env e = env(w.environment());
      e.status = w.status();
      e.shownStatus = w.status();
      e.waitingForReady = true;
      lines.add(
          envLine(
              t,
              e.name,
              w.status(),
              null,
              "not Ready: waiting for the update in progress (timeouts.ready-wait)"));
      return true;
    }
    if (event instanceof DeployEvent.LintWarning w) {
      lines.add(
          line(t, style.paint("lint warning", Style.YELLOW) + " " + clean(w.finding().toString())));
      return false;
    }
    if (event instanceof DeployEvent.BuildLine b) {
      lines.add(line(t, style.paint("build |", Style.DIM) + " " + clean(b.line())));
      return false;
    }
    if (event instanceof DeployEvent.BundleCreated c) {
      envs.values().forEach(e -> e.waitingForReady = false);
      lines.add(
          line(
              t,
              "bundle "
                  + c.label()
                  + ": "
                  + c.bundle().fileCount()
                  + " files, "
                  + Format.size(c.bundle().size())
                  + ", sha256 "
                  + c.bundle().sha8()));
      return false;
    }
    if (event instanceof DeployEvent.UploadSkipped u) {
      lines.add(line(t, "upload skipped: " + u.reason()));
      return false;
    }
    if (event instanceof DeployEvent.UploadDone u) {
      lines.add(
          line(
              t,
              "uploaded s3://"
                  + u.bucket()
                  + "/"
                  + u.key()
                  + " ("
                  + Format.size(u.bytes())
                  + " in "
                  + Format.duration(u.took())
                  + (u.parts() > 1 ? ", " + u.parts() + " parts" : "")
                  + ")"));
      return false;
    }
    if (event instanceof DeployEvent.AssetsPlanned a) {
      lines.add(line(t, "static files: " + Reports.assetsPlanned(a.plan())));
      return false;
    }
    if (event instanceof DeployEvent.AssetsUploaded a) {
      lines.add(line(t, "static files: " + Reports.assetsUploaded(a.result())));
      return false;
    }
    if (event instanceof DeployEvent.AssetsPruned a) {
      lines.add(line(t, "static files: " + Reports.assetsPruned(a.result())));
      return false;
    }
    if (event instanceof DeployEvent.AssetsPruneFailed a) {
      lines.add(
          line(
              t,
              style.paint("static files: deleting stale files failed", Style.YELLOW)
                  + " (the deploy succeeded): "
                  + clean(a.reason())));
      return false;
    }
    if (event instanceof DeployEvent.AssetsSkipped a) {
      lines.add(line(t, "static files: skipped: " + clean(a.reason())));
      return false;
    }
    if (event instanceof DeployEvent.VersionProcessing v) {
      lines.add(
          line(t, "application version " + v.label() + ": " + v.status().toLowerCase(Locale.ROOT)));
      return false;
    }
    if (event instanceof DeployEvent.UpdateRequested u) {
      Env e = env(u.environment());
      e.role = u.role();
      e.target = u.label();
      e.requestedAt = t;
      e.waitingForReady = false;
      // Beanstalk marks the environment Updating as it accepts the request (core reports the
      // request once accepted): the events that follow are about an update in progress.
      e.status = "Updating";
      e.shownStatus = "Updating";
      lines.add(
          envLine(
              t,
              e.name,
              null,
              null,
              "deploying " + u.label() + " (" + Role.VARIABLE + "=" + u.role().value() + ")"));
      return true;
    }
    if (event instanceof DeployEvent.BeanstalkEventReceived r) {
      BeanstalkEvent be = r.event();
      if (!style.live() && be.time() != null) {
        flushPending(be.time());
      }
      String message = clean(be.message());
      Env e =
          be.environment() == null || be.environment().isEmpty()
              ? null
              : envs.get(be.environment());
      String subject =
          e != null
              ? e.name
              : be.environment() == null || be.environment().isEmpty()
                  ? application
                  : be.environment();
      if (e != null) {
        e.lastMessage = message;
      }
      String severity =
          be.severity() == null || be.severity().equalsIgnoreCase("INFO")
              ? ""
              : be.severity().toUpperCase(Locale.ROOT) + " ";
      // Plain: the state of the environment's last printed line (the events of a poll happened
      // before the state change seen in the same poll, whose line is printed after them). Live:
      // the block shows the state.
      lines.add(
          envLine(
              be.time() == null ? t : be.time(),
              subject,
              e == null || style.live() ? null : e.shownStatus,
              e == null || style.live() ? null : e.shownHealth,
              style.severity(be.severity(), severity + "\"" + message + "\"")));
      return e != null;
    }
    if (event instanceof DeployEvent.EnvironmentChanged c) {
      Env e = env(c.environment());
      e.status = c.status();
      e.health = c.health();
      e.label = c.label() == null ? "" : c.label();
      if (!style.live()) {
        // Printed after the Beanstalk events of the same poll, which happened before it.
        pending.add(c);
        schedulePendingFlush();
      }
      return true;
    }
    if (event instanceof DeployEvent.EnvironmentSucceeded s) {
      Env e = env(s.environment());
      e.outcome = EnvironmentOutcome.SUCCEEDED;
      e.endedAt = t;
      lines.add(
          envLine(
              t,
              e.name,
              null,
              null,
              style.paint("succeeded", Style.GREEN) + " in " + Format.duration(s.took())));
      return true;
    }
    if (event instanceof DeployEvent.EnvironmentFailed f) {
      Env e = env(f.environment());
      e.outcome = f.outcome();
      e.reason = f.reason();
      e.endedAt = t;
      lines.add(
          envLine(
              t,
              e.name,
              null,
              null,
              style.paint(Format.words(f.outcome()), Style.RED)
                  + (f.reason() == null ? "" : ": " + clean(f.reason()))));
      return true;
    }
    if (event instanceof DeployEvent.Aborted a) {
      Env e = env(a.environment());
      lines.add(
          envLine(
              t,
              e.name,
              null,
              null,
              style.paint("aborting the update", Style.YELLOW) + ": " + clean(a.reason())));
      return true;
    }
    return lockAndRollback(event, t, lines);
  }

  /** The lock, a killed deploy's recovery, the snapshot, a cancellation and the rollback. */
  private boolean lockAndRollback(DeployEvent event, Instant t, List<String> lines) {
    if (event instanceof DeployEvent.LabelsDiffer d) {
      lines.add(
          line(
              t,
              style.paint("the environments run different labels already", Style.YELLOW)
                  + ": "
                  + d.labels().entrySet().stream()
                      .map(en -> en.getKey() + " " + Format.label(en.getValue()))
                      .collect(java.util.stream.Collectors.joining(", "))
                  + "; on failure each returns to its own"));
    } else if (event instanceof DeployEvent.LockAcquired l) {
      lines.add(
          line(
              t,
              "locked the group"
                  + l.takenOverFrom()
                      .map(
                          h ->
                              style.paint(
                                  " (took over the lock of " + h.describe(t) + ")", Style.YELLOW))
                      .orElse("")));
    } else if (event instanceof DeployEvent.LockReleased r) {
      if (!r.released()) {
        lines.add(line(t, style.paint("lock " + r.detail(), Style.YELLOW)));
      }
    } else if (event instanceof DeployEvent.InterruptedDeployFound f) {
      var d = f.record();
      lines.add(
          line(
              t,
              style.paint("interrupted " + d.command() + " found", Style.YELLOW)
                  + ": "
                  + d.label()
                  + " by "
                  + d.who()
                  + " on "
                  + d.host()
                  + ", killed during "
                  + d.phase()
                  + "; converging the group first"));
    } else if (event instanceof DeployEvent.InterruptedDeployConverged c) {
      lines.add(
          line(
              t,
              "the interrupted "
                  + c.record().command()
                  + " of "
                  + c.record().label()
                  + " is converged: "
                  + c.record().convergedTo().orElse("?")));
    } else if (event instanceof DeployEvent.PreviousReleaseRecorded p) {
      lines.add(
          line(
              t,
              "previous release recorded: "
                  + p.labels().entrySet().stream()
                      .map(en -> en.getKey() + " " + Format.label(en.getValue()))
                      .collect(java.util.stream.Collectors.joining(", "))));
    } else if (event instanceof DeployEvent.CancelRequested c) {
      lines.add(
          line(
              t,
              style.paint(c.reason() + ": stopping", Style.YELLOW)
                  + " (no new update; updates in progress are aborted and the group rolled back)"));
    } else if (event instanceof DeployEvent.SnapshotStarted s) {
      lines.add(line(t, "database snapshot " + s.snapshotId() + " of " + s.dbInstance() + "..."));
    } else if (event instanceof DeployEvent.SnapshotDone s) {
      lines.add(
          line(
              t,
              "database snapshot "
                  + s.snapshotId()
                  + " available in "
                  + Format.duration(s.took())));
    } else if (event instanceof DeployEvent.RollbackStarted r) {
      lines.add(
          line(
              t,
              style.paint("rolling back", Style.BOLD + Style.YELLOW)
                  + (r.targets().isEmpty()
                      ? ": nothing to send (no environment left its previous label, or none can"
                          + " return to one)"
                      : ": "
                          + r.targets().entrySet().stream()
                              .map(en -> en.getKey() + " to " + Format.label(en.getValue()))
                              .collect(java.util.stream.Collectors.joining(", ")))));
      for (Env e : envs.values()) {
        if (r.targets().containsKey(e.name)) {
          e.outcome = null;
          e.reason = null;
        }
      }
      return true;
    } else if (event instanceof DeployEvent.RollbackDone r) {
      lines.add(
          line(
              t,
              r.report().succeeded()
                  ? style.paint("rolled back", Style.GREEN)
                      + ": every environment runs its previous label"
                  : style.paint("THE ROLLBACK FAILED", Style.BOLD + Style.RED)));
      return true;
    }
    return false;
  }

  /**
   * Shows an environment before any deploy event names it (the demo creates its environments
   * first).
   */
  synchronized void announce(String name, Tier tier) {
    env(name).tier = tier;
  }

  /** A line of the command's own, printed like the events' (above the live block). */
  synchronized void note(String text) {
    if (!done) {
      emit(List.of(line(clock.instant(), text)), false);
    }
  }

  private Env env(String name) {
    nameWidth = Math.max(nameWidth, name.length());
    return envs.computeIfAbsent(name, Env::new);
  }

  /** {@code HH:mm:ss text}. */
  private String line(Instant time, String text) {
    return style.paint(TIME.format(time.atZone(zone)), Style.DIM) + " " + text;
  }

  /** {@code HH:mm:ss NAME STATUS HEALTH text}, the name padded to the widest one. */
  private String envLine(Instant time, String name, String status, String health, String text) {
    StringBuilder b = new StringBuilder();
    b.append(style.paint(TIME.format(time.atZone(zone)), Style.DIM)).append(' ');
    b.append(Format.pad(name, nameWidth)).append("  ");
    if (status != null && !status.isEmpty()) {
      b.append(style.status(status)).append("  ");
    }
    if (health != null && !health.isEmpty()) {
      b.append(style.health(health)).append("  ");
    }
    b.append(text);
    return b.toString();
  }

  private static String tier(Tier tier) {
    return tier == null ? "" : tier.name().toLowerCase(Locale.ROOT);
  }

  /** Text from outside (build output, Beanstalk messages) without escape or control codes. */
  static String clean(String text) {
    if (text == null) {
      return "";
    }
    return CONTROL.matcher(ANSI.matcher(text).replaceAll("")).replaceAll(" ");
  }

  /** Prints the state changes held back (plain mode), in the order they came. */
  private void flushPending() {
    flushPending(Instant.MAX);
  }

  /** Prints the held-back state changes seen no later than {@code upTo}. */
  private void flushPending(Instant upTo) {
    List<DeployEvent.EnvironmentChanged> due =
        pending.stream().filter(c -> !c.time().isAfter(upTo)).toList();
    if (due.isEmpty()) {
      return;
    }
    pending.removeAll(due);
    List<String> lines = new ArrayList<>();
    for (DeployEvent.EnvironmentChanged c : due) {
      Env e = env(c.environment());
      e.shownStatus = c.status();
      e.shownHealth = c.health();
      lines.add(
          envLine(
              c.time(),
              e.name,
              c.status(),
              c.health(),
              "on " + Format.label(c.label() == null ? "" : c.label())));
    }
    emit(lines, false);
  }

  /** A poll's events come within milliseconds: a quiet second later, held changes are printed. */
  private void schedulePendingFlush() {
    if (flushScheduled) {
      return;
    }
    flushScheduled = true;
    timer()
        .schedule(
            () -> {
              synchronized (this) {
                flushScheduled = false;
                if (!done) {
                  flushPending();
                }
              }
            },
            1,
            TimeUnit.SECONDS);
  }

  // ---- drawing

  private void emit(List<String> lines, boolean blockChanged) {
    if (!style.live()) {
      for (String l : lines) {
        out.print(l);
        out.print('\n');
      }
      out.flush();
      return;
    }
    if (lines.isEmpty() && !blockChanged) {
      return;
    }
    draw(lines);
    startTicker();
  }

  /** Erases the block, prints the scrolling lines, draws the block again below them. */
  private void draw(List<String> lines) {
    StringBuilder b = new StringBuilder();
    erase(b);
    for (String l : lines) {
      b.append(l).append('\n');
    }
    List<String> block = block();
    for (String l : block) {
      b.append(l).append('\n');
    }
    drawn = block.size();
    out.print(b);
    out.flush();
  }

  private void erase(StringBuilder b) {
    if (drawn > 0) {
      b.append('\r').append("\033[").append(drawn).append('A').append("\033[J");
      drawn = 0;
    }
  }

  private List<String> block() {
    List<String> lines = new ArrayList<>();
    Instant now = clock.instant();
    for (Env e : envs.values()) {
      lines.add(blockLine(e, now));
    }
    return lines;
  }

  /** {@code | NAME web Updating Grey v1.0.0 deploying 0:42 "Deploying new version..."}. */
  private String blockLine(Env e, Instant now) {
    int max = style.width() - 1;
    Segments s = new Segments(max);
    String icon;
    String iconColor;
    if (e.outcome == EnvironmentOutcome.SUCCEEDED) {
      icon = "+";
      iconColor = Style.GREEN;
    } else if (e.outcome != null) {
      icon = "x";
      iconColor = Style.RED;
    } else if (e.requestedAt != null || e.waitingForReady || "Launching".equals(e.status)) {
      icon = SPINNER[frame % SPINNER.length];
      iconColor = Style.CYAN;
    } else {
      icon = ".";
      iconColor = Style.DIM;
    }
    s.add(icon, iconColor).add(" ");
    s.add(Format.pad(e.name, nameWidth), Style.BOLD).add("  ");
    s.add(Format.pad(tier(e.tier), 6)).add("  ");
    s.add(Format.pad(e.status, 9), statusColor(e.status)).add("  ");
    s.add(Format.pad(e.health, 6), healthColor(e.health)).add("  ");
    s.add(Format.label(e.label)).add("  ");
    if (e.outcome == EnvironmentOutcome.SUCCEEDED) {
      s.add("succeeded", Style.GREEN);
      if (e.requestedAt != null && e.endedAt != null) {
        s.add(" in " + Format.duration(Duration.between(e.requestedAt, e.endedAt)));
      }
    } else if (e.outcome != null) {
      s.add(Format.words(e.outcome), Style.RED);
      if (e.reason != null) {
        s.add(": " + clean(e.reason), Style.RED);
      }
    } else if (e.requestedAt != null) {
      s.add("deploying " + e.target + " " + Format.clock(Duration.between(e.requestedAt, now)));
      if (!e.lastMessage.isEmpty()) {
        s.add("  \"" + e.lastMessage + "\"", Style.DIM);
      }
    } else if (e.waitingForReady) {
      s.add("waiting for it to be Ready", Style.YELLOW);
    } else if ("Launching".equals(e.status)) {
      s.add("launching");
      if (!e.lastMessage.isEmpty()) {
        s.add("  \"" + e.lastMessage + "\"", Style.DIM);
      }
    } else if (!envs.values().stream().allMatch(x -> x.requestedAt == null)) {
      s.add("waiting for its turn", Style.DIM);
    }
    return s.render(style);
  }

  private static String statusColor(String status) {
    return switch (status == null ? "" : status) {
      case "Ready" -> Style.GREEN;
      case "Updating", "Launching", "Aborting" -> Style.YELLOW;
      case "Terminating", "Terminated" -> Style.RED;
      default -> null;
    };
  }

  private static String healthColor(String health) {
    return switch (health == null ? "" : health) {
      case "Green" -> Style.GREEN;
      case "Yellow" -> Style.YELLOW;
      case "Red" -> Style.RED;
      case "Grey" -> Style.DIM;
      default -> null;
    };
  }

  private void startTicker() {
    if (ticking || done) {
      return;
    }
    ticking = true;
    timer().scheduleAtFixedRate(this::tick, 250, 250, TimeUnit.MILLISECONDS);
  }

  /** One daemon thread for the live clock and the held-back lines. */
  private ScheduledExecutorService timer() {
    if (ticker == null) {
      ticker =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread t = new Thread(r, "eb-deploy-progress");
                t.setDaemon(true);
                return t;
              });
    }
    return ticker;
  }

  private synchronized void tick() {
    if (done || drawn == 0) {
      return;
    }
    frame++;
    draw(List.of());
  }

  /** The deploy ended: the block is erased (the summary follows) and the clock stops. */
  private void finish(List<String> lines) {
    flushPending();
    done = true;
    stopTicker();
    if (style.live()) {
      StringBuilder b = new StringBuilder();
      erase(b);
      lines.forEach(l -> b.append(l).append('\n'));
      out.print(b);
      out.flush();
    } else {
      emit(lines, false);
    }
  }

  private void stopTicker() {
    if (ticker != null) {
      ticker.shutdownNow();
      ticker = null;
    }
  }

  /** Stops the clock; a live block stays on screen as last drawn (the deploy stopped early). */
  @Override
  public synchronized void close() {
    flushPending();
    done = true;
    stopTicker();
    out.flush();
  }

  /** Text in colored pieces, cut at a visible width so that a line never wraps. */
  private static final class Segments {
    private final int max;
    private final List<String[]> parts = new ArrayList<>();
    private int length;

    Segments(int max) {
      this.max = max;
    }

    Segments add(String text) {
      return add(text, null);
    }

    Segments add(String text, String sgr) {
      if (length >= max || text.isEmpty()) {
        return this;
      }
      String cut = text.length() > max - length ? text.substring(0, max - length) : text;
      parts.add(new String[] {cut, sgr});
      length += cut.length();
      return this;
    }

    String render(Style style) {
      StringBuilder b = new StringBuilder();
      for (String[] p : parts) {
        b.append(p[1] == null ? p[0] : style.paint(p[0], p[1]));
      }
      return b.toString().stripTrailing();
    }
  }
}
