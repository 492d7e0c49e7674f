package io.ebdeploy.deploy;

import io.ebdeploy.api.AssetsResult;
import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployControl;
import io.ebdeploy.api.DeployListener;
import io.ebdeploy.api.DeployPlan;
import io.ebdeploy.api.DeployResult;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.EnvironmentOutcome;
import io.ebdeploy.api.GroupStatus;
import io.ebdeploy.assets.StaticSync;
import io.ebdeploy.bundle.Attribution;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;

/**
 * INTERNAL: the engine behind {@link io.ebdeploy.api.EbDeploy}; use that instead. Runs the steps in
 * order; everything before {@link SyncAssetsStep#run} (then {@link UploadBundleStep}) only reads,
 * so bad input changes nothing.
 */
public final class Engine {
  private Engine() {}

  /** What {@link io.ebdeploy.api.EbDeploy} collected. */
  public record Request(
      Optional<Path> projectDir,
      Optional<Path> bundleZip,
      String group,
      DeployConfig config,
      Optional<URI> endpoint,
      Optional<String> label,
      boolean staged,
      DeployListener listener,
      Duration pollInitial,
      Duration pollMax,
      Duration healthGrace,
      Optional<AwsCredentialsProvider> credentials,
      Optional<ClientOverrideConfiguration> clientOverride,
      DeployControl control,
      Optional<URI> rdsEndpoint,
      Map<String, String> environment,
      String endpointSource,
      Attribution attribution) {

    /**
     * Without a control (never cancelled), RDS at {@code endpoint}, and this process's environment.
     */
    public Request(
        Optional<Path> projectDir,
        Optional<Path> bundleZip,
        String group,
        DeployConfig config,
        Optional<URI> endpoint,
        Optional<String> label,
        boolean staged,
        DeployListener listener,
        Duration pollInitial,
        Duration pollMax,
        Duration healthGrace,
        Optional<AwsCredentialsProvider> credentials,
        Optional<ClientOverrideConfiguration> clientOverride) {
      this(
          projectDir,
          bundleZip,
          group,
          config,
          endpoint,
          label,
          staged,
          listener,
          pollInitial,
          pollMax,
          healthGrace,
          credentials,
          clientOverride,
          new DeployControl(),
          Optional.empty(),
          System.getenv(),
          "EbDeploy.endpoint",
          Attribution.of(System.getenv(), projectDir));
    }
  }

  /**
   * Discovery, build, bundle, upload, version, deploy and the verdict. Everything before the lock
   * only reads; from the lock on, {@link GroupRun} rolls the group back as a pair on any failure.
   */
  public static DeployResult deploy(Request request) {
    requireSource(request);
    try (AwsClients aws = clients(request);
        Discard discard = new Discard(source(request))) {
      DeployContext ctx = context(request, aws, discard.source);
      Interrupts.check(ctx, "nothing was changed");
      ctx = FindEnvironmentsStep.discover(ctx);
      GroupRun.Peek peek = GroupRun.peek(ctx);
      ctx = FindEnvironmentsStep.ready(ctx, !peek.recordLeft());
      ctx = LintBundleStep.run(ctx);
      ctx = BuildAssetsStep.run(ctx);
      ctx = CreateBundleStep.run(ctx);
      ctx = CreateApplicationVersionStep.check(ctx);
      if (!peek.recordLeft()) {
        GroupRun.checkPreviousVersions(ctx, ctx.group().environments());
      }
      Optional<SyncAssetsStep.Assets> assets = SyncAssetsStep.check(ctx);
      Interrupts.check(ctx, "nothing was changed");
      // The first change to AWS happens below this line (CreateStorageLocation, the lock).
      return GroupRun.deploy(ctx, assets);
    }
  }

  /**
   * The whole group to {@code to}, or to the last release on which it was consistent: the same
   * lock, record, waves, wait, verification and paired rollback as a deploy.
   */
  public static DeployResult rollback(Request request, Optional<String> to) {
    try (AwsClients aws = clients(request)) {
      DeployContext ctx = context(request, aws);
      Interrupts.check(ctx, "nothing was changed");
      ctx = FindEnvironmentsStep.discover(ctx);
      GroupRun.Peek peek = GroupRun.peek(ctx);
      ctx = FindEnvironmentsStep.ready(ctx, !peek.recordLeft());
      Interrupts.check(ctx, "nothing was changed");
      return GroupRun.rollback(ctx, to);
    }
  }

  /** Removes the group's lock, whoever holds it; returns who did. */
  public static Optional<io.ebdeploy.api.LockInfo> unlock(Request request) {
    try (AwsClients aws = clients(request)) {
      DeployContext ctx = context(request, aws);
      DiscoveredGroup g = FindEnvironmentsStep.find(ctx);
      String application = FindEnvironmentsStep.singleApplication(g, request.config());
      ctx =
          ctx.withGroup(
              new DiscoveredGroup(g.group(), application, g.environments(), g.matchedTagValues()),
              null);
      DeployContext c = ctx;
      Optional<GroupStore> store = Aws.call("reading the lock", () -> GroupRun.readableStore(c));
      if (store.isEmpty()) {
        return Optional.empty();
      }
      Optional<DeployLock.Held> held =
          Aws.call(
              "GetObject " + store.get().key(GroupStore.LOCK),
              () -> DeployLock.peek(store.get(), request.config().lock().ttl()));
      if (held.isPresent()) {
        Aws.call(
            "DeleteObject " + store.get().key(GroupStore.LOCK),
            () -> {
              store.get().delete(GroupStore.LOCK, Optional.empty());
              return null;
            });
      }
      return held.map(DeployLock.Held::info);
    }
  }

  /** Everything up to the first change: no mutating AWS call. */
  public static DeployPlan plan(Request request) {
    requireSource(request);
    try (AwsClients aws = clients(request);
        Discard discard = new Discard(source(request))) {
      DeployContext ctx = context(request, aws, discard.source);
      ctx = FindEnvironmentsStep.run(ctx);
      ctx = LintBundleStep.run(ctx);
      ctx = BuildAssetsStep.run(ctx);
      ctx = CreateBundleStep.run(ctx);
      ctx = CreateApplicationVersionStep.check(ctx);
      Optional<AssetsResult> assets = SyncAssetsStep.check(ctx).map(SyncAssetsStep.Assets::preview);
      return new Results.DeployPlanImpl(
          request.group(),
          ctx.group().application(),
          ctx.label(),
          ctx.group().environments(),
          ctx.order().roles(),
          ctx.order().policy(),
          ctx.order().migrator(),
          ctx.order().waves(),
          ctx.bundle(),
          ctx.bundleEntries(),
          ctx.versionExists(),
          assets,
          Optional.of(AwsSetup.region(aws.settings())),
          AwsSetup.endpoints(aws.settings(), request.config()));
    }
  }

  /**
   * The static files alone: uploads what is new or changed in {@code static.dir} (no build, no
   * environment, never a deletion); with {@code dryRun}, only compares.
   */
  public static AssetsResult assets(Request request, boolean dryRun) {
    Path dir =
        request
            .projectDir()
            .orElseThrow(
                () ->
                    EbDeployException.invalidInput(
                        "static files are pushed from a project folder (EbDeploy.forProject)"));
    DeployConfig.StaticAssets config =
        request
            .config()
            .staticAssets()
            .orElseThrow(
                () ->
                    EbDeployException.invalidInput(
                        "eb-deploy.yml in "
                            + dir
                            + " has no static: section, so there are no static files to push"
                            + " (see docs/assets.md)"));
    try (AwsClients aws = clients(request)) {
      // The client is built while the folder is hashed.
      return StaticSync.of(aws::s3, dir, config, SyncAssetsStep.scope(request)).sync(dryRun);
    }
  }

  /**
   * Where the group's environments stand, who holds its lock, a killed deploy not yet converged,
   * and its last runs: read-only, no validation beyond finding them. The lock, record and history
   * are read from the bucket named by the environments' ARN; when S3 cannot be read, they are left
   * out (logged).
   */
  public static GroupStatus status(Request request) {
    try (AwsClients aws = clients(request)) {
      DeployContext ctx = context(request, aws);
      DiscoveredGroup g = FindEnvironmentsStep.find(ctx);
      Optional<io.ebdeploy.api.LockInfo> lock = Optional.empty();
      Optional<io.ebdeploy.api.InterruptedDeploy> interrupted = Optional.empty();
      List<io.ebdeploy.api.HistoryEntry> history = List.of();
      boolean oneApp = g.environments().stream().map(e -> e.application()).distinct().count() == 1;
      if (oneApp) {
        try {
          Optional<GroupStore> store = GroupRun.readableStore(ctx.withGroup(g, null));
          if (store.isPresent()) {
            lock =
                DeployLock.peek(store.get(), request.config().lock().ttl())
                    .map(DeployLock.Held::info);
            interrupted =
                DeployRecord.read(store.get()).map(b -> DeployRecord.describe(b, Optional.empty()));
            history = History.read(store.get()).stream().limit(10).toList();
          }
        } catch (RuntimeException e) {
          org.slf4j.LoggerFactory.getLogger(Engine.class)
              .warn("could not read the group's lock and history: {}", e.toString());
        }
      }
      return new Results.GroupStatusImpl(
          g.group(), g.application(), g.environments(), lock, interrupted, history);
    }
  }

  static AwsClients clients(Request r) {
    // Throttled calls wait at the run's pace: a quarter of its first polling interval, doubled.
    return new AwsClients(
        AwsSetup.settings(r),
        r.credentials(),
        r.clientOverride(),
        r.pollInitial().dividedBy(4),
        r.pollMax());
  }

  static DeployContext context(Request r, AwsClients aws) {
    return context(r, aws, source(r));
  }

  private static DeployContext context(Request r, AwsClients aws, SourceBundle source) {
    Clock clock = Clock.systemUTC();
    Pacing pacing =
        new Pacing(r.pollInitial(), r.pollMax(), r.healthGrace(), Pacing.cancellable(r.control()));
    return DeployContext.start(r, aws, new Emitter(r.listener(), clock), pacing, source);
  }

  /**
   * Discards the source's temporary zip when the run ends, however it ends: the zip has been
   * uploaded (or, for plan, only listed), and nobody else knows to delete it.
   */
  private record Discard(SourceBundle source) implements AutoCloseable {
    @Override
    public void close() {
      source.discard();
    }
  }

  /** The bundle's source; null for status, which needs none. */
  private static SourceBundle source(Request r) {
    if (r.bundleZip().isPresent()) {
      return new ZipBundleSource(r.bundleZip().get(), r.label());
    }
    if (r.projectDir().isPresent()) {
      return ProjectBundleSource.of(r.projectDir().get(), r.config(), r.label(), r.staged());
    }
    return null;
  }

  /** Refuses deploy and plan without a bundle, before any AWS call. */
  private static void requireSource(Request r) {
    if (r.bundleZip().isEmpty() && r.projectDir().isEmpty()) {
      throw EbDeployException.invalidInput(
          "nothing to deploy: start from a project (EbDeploy.forProject) or a zip"
              + " (EbDeploy.forBundle)");
    }
  }

  static List<GroupWatcher.Run> notStarted(DeployContext ctx, String reason) {
    List<GroupWatcher.Run> runs = new ArrayList<>();
    for (List<String> wave : ctx.order().waves()) {
      for (String name : wave) {
        GroupWatcher.Run r =
            new GroupWatcher.Run(
                ctx.group().byName(name),
                ctx.order().roles().get(name),
                ctx.order().migrator().map(name::equals).orElse(false),
                java.util.Set.of(),
                Duration.ZERO);
        r.outcome = EnvironmentOutcome.NOT_STARTED;
        r.reason = reason;
        r.settled = true;
        runs.add(r);
      }
    }
    return runs;
  }
}
