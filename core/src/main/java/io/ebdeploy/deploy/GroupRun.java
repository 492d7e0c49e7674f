package io.ebdeploy.deploy;

import io.ebdeploy.api.AssetsResult;
import io.ebdeploy.api.DeployControl;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.DeployFailedException;
import io.ebdeploy.api.DeployOutcome;
import io.ebdeploy.api.DeployResult;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.EnvironmentInfo;
import io.ebdeploy.api.EnvironmentOutcome;
import io.ebdeploy.api.EnvironmentResult;
import io.ebdeploy.api.InterruptedDeploy;
import io.ebdeploy.api.RollbackReport;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.elasticbeanstalk.model.ApplicationVersionDescription;
import software.amazon.awssdk.services.elasticbeanstalk.model.DescribeApplicationVersionsRequest;
import software.amazon.awssdk.services.elasticbeanstalk.model.EnvironmentDescription;

/**
 * A deploy or rollback from its first change to its end, with the group's lock held: converge a
 * killed run, write the record, change the group, roll it back as a pair when that failed, write
 * the history, release the lock. Every exit path releases the lock; every run that took it writes a
 * history entry (or leaves its finished record for the next run to write it).
 */
final class GroupRun {
  private static final Logger LOG = LoggerFactory.getLogger(GroupRun.class);
  private static final DateTimeFormatter ID =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private GroupRun() {}

  /**
   * What a read-only look at the group's objects found before the first change.
   *
   * @param recordLeft a killed run's record is there: the deploy's recovery waits for the group,
   *     not discovery
   */
  record Peek(boolean recordLeft) {}

  /**
   * Read-only, before the first change: throws LOCKED at once when a live deploy holds the group
   * (rather than waiting for its environments to be Ready), and tells whether a killed run left its
   * record. The bucket is named from an environment's ARN, without CreateStorageLocation. Advisory:
   * an S3 failure here is logged and ignored (the lock itself is taken atomically).
   */
  static Peek peek(DeployContext ctx) {
    try {
      Optional<GroupStore> store = readableStore(ctx);
      if (store.isEmpty()) {
        return new Peek(false);
      }
      Duration ttl = ctx.request().config().lock().ttl();
      Optional<DeployLock.Held> held = DeployLock.peek(store.get(), ttl);
      Instant now = ctx.events().now();
      if (held.isPresent() && DeployLock.takeable(held.get(), Identity.current(), now).isEmpty()) {
        throw DeployLock.locked(
            ctx.request().group(), ctx.group().application(), held.get(), now, ttl);
      }
      return new Peek(store.get().read(GroupStore.RECORD).isPresent());
    } catch (SdkException e) {
      LOG.debug("could not look at the deploy lock before starting: {}", e.toString());
      return new Peek(false);
    }
  }

  /** The group's objects in the bucket named from an environment's ARN; read-only. */
  static Optional<GroupStore> readableStore(DeployContext ctx) {
    List<String> ids = ctx.group().ids();
    if (ids.isEmpty()) {
      return Optional.empty();
    }
    List<EnvironmentDescription> d =
        Aws.call(
            "DescribeEnvironments", () -> Aws.describeByIds(ctx.aws().eb(), List.of(ids.get(0))));
    return d.stream()
        .findFirst()
        .flatMap(e -> GroupStore.bucketFromArn(e.environmentArn()))
        .map(
            bucket ->
                new GroupStore(
                    ctx.aws().s3(), bucket, ctx.group().application(), ctx.request().group()));
  }

  /** The group's objects in Beanstalk's storage bucket (CreateStorageLocation: a change). */
  static GroupStore writableStore(DeployContext ctx) {
    String bucket =
        Aws.call("CreateStorageLocation", () -> ctx.aws().eb().createStorageLocation()).s3Bucket();
    return new GroupStore(ctx.aws().s3(), bucket, ctx.group().application(), ctx.request().group());
  }

  /**
   * Refuses, before the first change, a group whose environments run labels that no longer exist as
   * application versions: a failed deploy could not return them.
   */
  static void checkPreviousVersions(DeployContext ctx, List<EnvironmentInfo> envs) {
    Set<String> labels = new java.util.TreeSet<>();
    envs.forEach(
        e -> {
          if (!e.versionLabel().isEmpty()) {
            labels.add(e.versionLabel());
          }
        });
    if (labels.isEmpty()) {
      return;
    }
    Set<String> existing = new HashSet<>();
    String token = null;
    do {
      String t = token;
      var r =
          Aws.call(
              "DescribeApplicationVersions",
              () ->
                  ctx.aws()
                      .eb()
                      .describeApplicationVersions(
                          DescribeApplicationVersionsRequest.builder()
                              .applicationName(ctx.group().application())
                              .versionLabels(labels)
                              .nextToken(t)
                              .build()));
      r.applicationVersions().stream()
          .map(ApplicationVersionDescription::versionLabel)
          .forEach(existing::add);
      token = r.nextToken();
    } while (token != null && !token.isEmpty());
    List<String> gone =
        envs.stream()
            .filter(e -> !e.versionLabel().isEmpty() && !existing.contains(e.versionLabel()))
            .map(e -> e.name() + " runs " + e.versionLabel())
            .toList();
    if (!gone.isEmpty()) {
      throw EbDeployException.invalidInput(
          String.join(", ", gone)
              + ", whose application version no longer exists (deleted), so a failed deploy could"
              + " not return it there and the group would be left split. Nothing was changed."
              + " Make the group consistent on an existing version first (eb-deploy rollback "
              + ctx.request().group()
              + " --to LABEL), or recreate the version from its bundle (aws elasticbeanstalk"
              + " create-application-version --application-name "
              + ctx.group().application()
              + " --version-label LABEL --source-bundle S3Bucket=...,S3Key=...)");
    }
  }

  /** A new run's id: its start time and a random suffix. */
  static String newId(Instant at) {
    return ID.format(at) + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
  }

  /** The deploy from its first change: the line of docs/deploy.md. */
  static DeployResult deploy(DeployContext start, Optional<SyncAssetsStep.Assets> assets) {
    return locked(start, "deploy", start.label(), Optional.empty(), assets);
  }

  /** The rollback command: the group to {@code to}, else to the last consistent release. */
  static DeployResult rollback(DeployContext start, Optional<String> to) {
    return locked(start, "rollback", to.orElse(""), to, Optional.empty());
  }

  /** What the locked part produced, turned into a result once the lock is released. */
  private record Ended(
      DeployContext ctx,
      String command,
      List<GroupWatcher.Run> runs,
      Map<String, String> previousLabels,
      Optional<String> failure,
      DeployOutcome outcome,
      Optional<RollbackReport> rollback,
      Optional<String> snapshot,
      Optional<InterruptedDeploy> recovered,
      RuntimeException rethrow) {}

  private static DeployResult locked(
      DeployContext ctx,
      String command,
      String lockLabel,
      Optional<String> rollbackTo,
      Optional<SyncAssetsStep.Assets> assets) {
    DeployControl control = ctx.request().control();
    Identity me = Identity.current();
    String runId = newId(ctx.events().now());
    GroupStore store = writableStore(ctx);
    DeployLock lock =
        DeployLock.acquire(
            store,
            me,
            runId,
            ctx.group().application(),
            ctx.request().group(),
            command,
            lockLabel.isEmpty() ? "the last consistent release" : lockLabel,
            ctx.request().config().lock().ttl(),
            java.time.Clock.systemUTC(),
            control);
    ctx.events()
        .emit(new DeployEvent.LockAcquired(ctx.events().now(), lock.info(), lock.takenOverFrom()));
    Ended ended;
    Optional<AssetsResult> assetsResult;
    try {
      // Static files are only added (never deleted) before the environments switch, under the
      // lock; stale ones go only once the whole group succeeded.
      Optional<AssetsResult> synced = SyncAssetsStep.run(ctx, assets);
      ended = body(ctx, command, rollbackTo, store, me, runId);
      assetsResult =
          ended.rethrow() == null
              ? PruneAssetsStep.run(
                  ctx,
                  assets,
                  synced,
                  ended.outcome() == DeployOutcome.SUCCEEDED && !ended.runs().isEmpty())
              : synced;
    } finally {
      ctx.aws().protectGroup(); // a lock left behind would block the next run
      String how;
      boolean released;
      try {
        how = lock.release();
        released = how.equals("released");
      } catch (RuntimeException e) {
        how = "not released: " + e.getMessage();
        released = false;
        LOG.warn(
            "could not release the deploy lock {}: {}", store.key(GroupStore.LOCK), e.toString());
      }
      ctx.events().emit(new DeployEvent.LockReleased(ctx.events().now(), released, how));
    }
    if (ended.rethrow() != null) {
      throw ended.rethrow();
    }
    return result(ended, assetsResult);
  }

  private static Ended body(
      DeployContext ctx,
      String command,
      Optional<String> rollbackTo,
      GroupStore store,
      Identity me,
      String runId) {
    DeployControl control = ctx.request().control();
    Optional<RecoverDeployStep.Recovery> recovery = RecoverDeployStep.run(ctx, store);
    Optional<InterruptedDeploy> recovered = recovery.map(RecoverDeployStep.Recovery::converged);
    Instant startedAt = ctx.events().now();
    String label = ctx.label();
    if (recovery.isPresent() && recovery.get().failed()) {
      String why =
          "the interrupted "
              + recovery.get().found().command()
              + " of "
              + recovery.get().found().label()
              + " could not be converged, so nothing new was done: "
              + String.join(
                  " ",
                  recovery.get().rollback().map(RollbackReport::instructions).orElse(List.of()));
      List<GroupWatcher.Run> runs = Engine.notStarted(ctx, "not started: " + why);
      historyOnly(
          store,
          runId,
          command,
          label == null ? "" : label,
          History.FAILED,
          startedAt,
          ctx,
          me,
          Map.of(),
          labels(ctx),
          why);
      return new Ended(
          ctx,
          command,
          runs,
          Map.of(),
          Optional.of(why),
          DeployOutcome.ROLLBACK_FAILED,
          recovery.get().rollback(),
          Optional.empty(),
          recovered,
          null);
    }
    if ("rollback".equals(command)) {
      try {
        ctx = rollbackTarget(ctx, store, rollbackTo);
      } catch (RuntimeException e) {
        return refusedBeforeChange(
            store, runId, command, rollbackTo.orElse(""), startedAt, ctx, me, recovered, e);
      }
      label = ctx.label();
    } else if (recovery.isPresent()) {
      try {
        List<EnvironmentInfo> now =
            FindEnvironmentsStep.awaitGroupReady(ctx, "deploy", "the deploy changed nothing");
        checkPreviousVersions(ctx, now);
      } catch (RuntimeException e) {
        return refusedBeforeChange(store, runId, command, label, startedAt, ctx, me, recovered, e);
      }
    }
    DeployRecord record;
    try {
      record =
          DeployRecord.start(
              store,
              runId,
              command,
              ctx.group().application(),
              ctx.request().group(),
              label,
              me,
              startedAt);
    } catch (RuntimeException e) {
      return new Ended(
          ctx,
          command,
          List.of(),
          Map.of(),
          Optional.empty(),
          DeployOutcome.ROLLED_BACK,
          Optional.empty(),
          Optional.empty(),
          recovered,
          e instanceof SdkException s
              ? Aws.awsError("writing the deploy record " + store.key(GroupStore.RECORD), s)
              : e);
    }
    RecordHooks hooks = new RecordHooks(record, ctx, "rollback".equals(command));
    Optional<String> snapshot = Optional.empty();
    DeployGroupStep.Outcome dg;
    Optional<String> failure = Optional.empty();
    try {
      if ("deploy".equals(command)) {
        Interrupts.check(ctx, "nothing was changed");
        ctx = UploadBundleStep.run(ctx);
        Interrupts.check(ctx, "no environment was updated");
        ctx = CreateApplicationVersionStep.run(ctx);
        Interrupts.check(ctx, "no environment was updated");
        snapshot = SnapshotDatabaseStep.run(ctx);
      }
      dg = DeployGroupStep.run(ctx, hooks);
    } catch (CreateApplicationVersionStep.VersionFailed e) {
      List<GroupWatcher.Run> runs = Engine.notStarted(ctx, "not started: " + e.getMessage());
      return finish(
          store,
          record,
          new Ended(
              ctx,
              command,
              runs,
              Map.of(),
              Optional.of(e.getMessage()),
              DeployOutcome.ROLLED_BACK,
              Optional.empty(),
              snapshot,
              recovered,
              null),
          me);
    } catch (Interrupts.Cancelled e) {
      if (hooks.sent) {
        throw new IllegalStateException("cancelled after an update was sent", e);
      }
      List<GroupWatcher.Run> runs = Engine.notStarted(ctx, "not started: " + e.getMessage());
      return finish(
          store,
          record,
          new Ended(
              ctx,
              command,
              runs,
              Map.of(),
              Optional.of(e.getMessage()),
              DeployOutcome.INTERRUPTED,
              Optional.empty(),
              snapshot,
              recovered,
              null),
          me);
    } catch (RuntimeException e) {
      if (!hooks.sent) {
        // Nothing was updated: the failure as it is (AWS_ERROR, INVALID_INPUT...), in the history.
        record.finished(History.FAILED, labels(ctx), ctx.events().now());
        writeHistory(
            store,
            record,
            ctx,
            me,
            History.FAILED,
            Map.of(),
            labels(ctx),
            Optional.ofNullable(e.getMessage()));
        return new Ended(
            ctx,
            command,
            List.of(),
            Map.of(),
            Optional.empty(),
            DeployOutcome.ROLLED_BACK,
            Optional.empty(),
            snapshot,
            recovered,
            e);
      }
      // A bug after the first update: still return the group to where it was, then report it.
      LOG.error("unexpected failure after the first update; rolling the group back", e);
      RollbackReport report =
          RollBackGroupStep.run(
              ctx, "an unexpected error: " + e, hooks.targets(ctx), new HashSet<>(), record);
      Map<String, String> after = new LinkedHashMap<>();
      report.environments().forEach(s -> after.put(s.environment(), s.labelNow()));
      String outcome =
          report.succeeded()
              ? DeployOutcome.ROLLED_BACK.wireName()
              : DeployOutcome.ROLLBACK_FAILED.wireName();
      record.finished(outcome, after, ctx.events().now());
      writeHistory(
          store,
          record,
          ctx,
          me,
          outcome,
          hooks.previous,
          after,
          Optional.of(String.valueOf(e.getMessage())));
      return new Ended(
          ctx,
          command,
          List.of(),
          hooks.previous,
          Optional.empty(),
          DeployOutcome.ROLLED_BACK,
          Optional.of(report),
          snapshot,
          recovered,
          e);
    }
    List<GroupWatcher.Run> runs = dg.runs();
    boolean allOk = runs.stream().allMatch(r -> r.outcome == EnvironmentOutcome.SUCCEEDED);
    DeployOutcome outcome = DeployOutcome.SUCCEEDED;
    Optional<RollbackReport> rollback = Optional.empty();
    if (!allOk) {
      String summary = summary(ctx, command, runs);
      failure = Optional.of(summary);
      if (dg.updated()) {
        String reason =
            control.isCancelled()
                ? "interrupted (" + control.reason().orElse("cancelled") + ")"
                : summary;
        List<RollBackGroupStep.Target> targets = new ArrayList<>();
        for (GroupWatcher.Run r : runs) {
          targets.add(
              new RollBackGroupStep.Target(
                  r.before,
                  r.role,
                  r.migrator,
                  r.before.versionLabel(),
                  r.before.health(),
                  r.acceptedHealth,
                  r.deadline == null ? ctx.events().now() : r.deadline));
        }
        RollbackReport report =
            RollBackGroupStep.run(ctx, reason, targets, dg.seenEvents(), record);
        rollback = Optional.of(report);
        for (GroupWatcher.Run r : runs) {
          report.environments().stream()
              .filter(s -> s.environment().equals(r.name()))
              .findFirst()
              .ifPresent(s -> r.label = s.labelNow());
        }
      }
      if (rollback.isPresent() && !rollback.get().succeeded()) {
        outcome = DeployOutcome.ROLLBACK_FAILED;
      } else if (control.isCancelled()) {
        outcome = DeployOutcome.INTERRUPTED;
      } else {
        outcome = DeployOutcome.ROLLED_BACK;
      }
    }
    return finish(
        store,
        record,
        new Ended(
            ctx,
            command,
            runs,
            dg.previousLabels(),
            failure,
            outcome,
            rollback,
            snapshot,
            recovered,
            null),
        me);
  }

  /** Writes the run's history entry and deletes its record (kept when the history failed). */
  private static Ended finish(GroupStore store, DeployRecord record, Ended e, Identity me) {
    e.ctx().aws().protectGroup(); // the record and the history must get through throttling
    Map<String, String> after = new LinkedHashMap<>();
    if (e.runs().isEmpty()) {
      after.putAll(labels(e.ctx()));
    }
    for (GroupWatcher.Run r : e.runs()) {
      after.put(r.name(), r.label);
    }
    String outcome = e.outcome().wireName();
    record.finished(outcome, after, e.ctx().events().now());
    writeHistory(store, record, e.ctx(), me, outcome, e.previousLabels(), after, e.failure());
    return e;
  }

  private static void writeHistory(
      GroupStore store,
      DeployRecord record,
      DeployContext ctx,
      Identity me,
      String outcome,
      Map<String, String> previous,
      Map<String, String> after,
      Optional<String> reason) {
    Map<String, Object> b = record.body();
    boolean written =
        History.append(
            store,
            History.entry(
                record.id(),
                Records.string(b, "command"),
                Records.string(b, "label"),
                outcome,
                Records.instant(b, "startedAt"),
                ctx.events().now(),
                me.owner(),
                me.ciRunUrl(),
                previous,
                after,
                reason,
                false));
    if (written) {
      record.delete();
    }
  }

  /** A history entry for a run that stopped before writing its record. */
  /** A run refused before its first change: a failed history entry, and nothing else done. */
  private static Ended refusedBeforeChange(
      GroupStore store,
      String runId,
      String command,
      String label,
      Instant startedAt,
      DeployContext ctx,
      Identity me,
      Optional<InterruptedDeploy> recovered,
      RuntimeException e) {
    historyOnly(
        store,
        runId,
        command,
        label,
        History.FAILED,
        startedAt,
        ctx,
        me,
        Map.of(),
        labels(ctx),
        e.getMessage());
    return new Ended(
        ctx,
        command,
        List.of(),
        Map.of(),
        Optional.empty(),
        DeployOutcome.ROLLED_BACK,
        Optional.empty(),
        Optional.empty(),
        recovered,
        e);
  }

  private static void historyOnly(
      GroupStore store,
      String runId,
      String command,
      String label,
      String outcome,
      Instant startedAt,
      DeployContext ctx,
      Identity me,
      Map<String, String> previous,
      Map<String, String> after,
      String reason) {
    History.append(
        store,
        History.entry(
            runId,
            command,
            label,
            outcome,
            startedAt,
            ctx.events().now(),
            me.owner(),
            me.ciRunUrl(),
            previous,
            after,
            Optional.ofNullable(reason),
            false));
  }

  private static Map<String, String> labels(DeployContext ctx) {
    Map<String, String> out = new LinkedHashMap<>();
    ctx.group().environments().forEach(e -> out.put(e.name(), e.versionLabel()));
    return out;
  }

  /**
   * Chooses the rollback's label (from {@code --to} or the history), checks its version exists, and
   * returns the context with it as the label.
   */
  private static DeployContext rollbackTarget(
      DeployContext ctx, GroupStore store, Optional<String> to) {
    List<EnvironmentInfo> now =
        FindEnvironmentsStep.awaitGroupReady(ctx, "roll back", "nothing was changed");
    Map<String, String> current = new LinkedHashMap<>();
    now.forEach(e -> current.put(e.name(), e.versionLabel()));
    String label;
    if (to.isPresent()) {
      label = to.get();
    } else {
      var history = History.read(store);
      label =
          History.rollbackTarget(history, current)
              .orElseThrow(
                  () ->
                      EbDeployException.invalidInput(
                          "no earlier release of "
                              + ctx.request().group()
                              + " to roll back to: "
                              + (history.isEmpty()
                                  ? "its history (" + store.key(GroupStore.HISTORY) + ") is empty"
                                  : "its history has no other release on which the group was"
                                      + " consistent")
                              + "; the environments run "
                              + current
                              + ". Name the label: eb-deploy rollback "
                              + ctx.request().group()
                              + " --to LABEL"));
    }
    Optional<ApplicationVersionDescription> v =
        CreateApplicationVersionStep.describe(ctx.aws().eb(), ctx.group().application(), label);
    if (v.isEmpty()) {
      throw EbDeployException.invalidInput(
          "application version "
              + label
              + " of "
              + ctx.group().application()
              + " does not exist; nothing was changed. The group's history: eb-deploy status "
              + ctx.request().group());
    }
    if ("Failed".equalsIgnoreCase(v.get().statusAsString())) {
      throw EbDeployException.invalidInput(
          "application version " + label + " FAILED processing: it cannot be deployed");
    }
    return ctx.withBundle(label, null, List.of());
  }

  /** One sentence: what failed. */
  static String summary(DeployContext ctx, String command, List<GroupWatcher.Run> runs) {
    return command
        + " of "
        + ctx.label()
        + " to "
        + ctx.request().group()
        + " failed: "
        + runs.stream()
            .filter(r -> r.outcome != EnvironmentOutcome.SUCCEEDED)
            .map(
                r ->
                    r.name()
                        + " "
                        + r.outcome.name().toLowerCase(Locale.ROOT).replace('_', ' ')
                        + (r.reason == null || r.reason.isEmpty() ? "" : " (" + r.reason + ")"))
            .collect(Collectors.joining("; "));
  }

  private static DeployResult result(Ended e, Optional<AssetsResult> assets) {
    DeployContext ctx = e.ctx();
    List<EnvironmentResult> results =
        e.runs().stream()
            .map(r -> (EnvironmentResult) Results.EnvironmentResultImpl.of(r))
            .toList();
    Optional<String> failure = e.failure().map(f -> f + verdict(e));
    DeployControl control = ctx.request().control();
    DeployResult result =
        new Results.DeployResultImpl(
            ctx.request().group(),
            ctx.group().application(),
            ctx.label(),
            ctx.bundle(),
            ctx.versionExists(),
            ctx.uploadSkipped(),
            ctx.order().policy(),
            ctx.order().migrator(),
            results,
            e.outcome() == DeployOutcome.SUCCEEDED ? Optional.empty() : failure,
            ctx.startedAt(),
            ctx.events().now(),
            e.outcome(),
            e.command(),
            e.previousLabels(),
            e.rollback(),
            e.snapshot(),
            control.isCancelled() ? control.reason() : Optional.empty(),
            e.recovered(),
            ctx.aws().stats(),
            assets,
            ctx.request().attribution());
    ctx.events().emit(new DeployEvent.Done(ctx.events().now(), result));
    if (!result.succeeded()) {
      throw new DeployFailedException(result);
    }
    return result;
  }

  /** What the outcome means for the group, appended to the failure sentence. */
  private static String verdict(Ended e) {
    return switch (e.outcome()) {
      case ROLLED_BACK, INTERRUPTED ->
          e.rollback().isEmpty()
              ? "; no environment was updated"
              : "; rolled back: every environment runs its previous label again (the database"
                  + " schema is not reverted)";
      case ROLLBACK_FAILED ->
          "; THE ROLLBACK FAILED: "
              + String.join(" ", e.rollback().map(RollbackReport::instructions).orElse(List.of()));
      default -> "";
    };
  }

  /** Keeps the deploy record up to date as DeployGroupStep goes. */
  private static final class RecordHooks implements DeployGroupStep.Hooks {
    final DeployRecord record;
    final DeployContext ctx;
    final boolean skipOnTarget;
    Map<String, String> previous = Map.of();
    boolean sent;

    RecordHooks(DeployRecord record, DeployContext ctx, boolean skipOnTarget) {
      this.record = record;
      this.ctx = ctx;
      this.skipOnTarget = skipOnTarget;
    }

    @Override
    public void previousRelease(Map<String, String> labels, Map<String, String> ids) {
      previous = new LinkedHashMap<>(labels);
      try {
        record.previousRelease(labels, ids, ctx.events().now());
      } catch (SdkException e) {
        throw Aws.awsError(
            "writing the deploy record (each environment's previous label) before the first update",
            e);
      }
    }

    @Override
    public void requesting(List<String> environments) {
      sent = true;
      record.requested(environments, ctx.events().now());
    }

    @Override
    public boolean skipOnTarget() {
      return skipOnTarget;
    }

    /** Every environment with its previous label, for a rollback after an unexpected error. */
    List<RollBackGroupStep.Target> targets(DeployContext ctx) {
      List<RollBackGroupStep.Target> out = new ArrayList<>();
      for (EnvironmentInfo e : ctx.group().environments()) {
        var h = ctx.request().config().health();
        out.add(
            new RollBackGroupStep.Target(
                e,
                ctx.order().roles().get(e.name()),
                ctx.order().migrator().map(e.name()::equals).orElse(false),
                previous.getOrDefault(e.name(), e.versionLabel()),
                e.health(),
                e.tier() == io.ebdeploy.api.Tier.WORKER ? h.worker() : h.web(),
                ctx.events().now().plus(ctx.request().config().timeouts().deploy())));
      }
      return out;
    }
  }
}
