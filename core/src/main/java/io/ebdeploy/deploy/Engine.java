package io.ebdeploy.deploy;

import io.ebdeploy.api.AssetsResult;
import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.DeployFailedException;
import io.ebdeploy.api.DeployListener;
import io.ebdeploy.api.DeployPlan;
import io.ebdeploy.api.DeployResult;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.EnvironmentOutcome;
import io.ebdeploy.api.EnvironmentResult;
import io.ebdeploy.api.GroupStatus;
import io.ebdeploy.assets.StaticSync;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
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
      Optional<ClientOverrideConfiguration> clientOverride) {}

  /** Discovery, build, bundle, upload, version, deploy and the verdict. */
  public static DeployResult deploy(Request request) {
    requireSource(request);
    try (AwsClients aws = clients(request);
        Discard discard = new Discard(source(request))) {
      DeployContext ctx = context(request, aws, discard.source);
      ctx = FindEnvironmentsStep.run(ctx);
      ctx = LintBundleStep.run(ctx);
      ctx = BuildAssetsStep.run(ctx);
      ctx = CreateBundleStep.run(ctx);
      ctx = CreateApplicationVersionStep.check(ctx);
      Optional<SyncAssetsStep.Assets> assets = SyncAssetsStep.check(ctx);
      // The first change to AWS happens below this line.
      Optional<AssetsResult> synced = SyncAssetsStep.run(ctx, assets);
      ctx = UploadBundleStep.run(ctx);
      List<GroupWatcher.Run> runs;
      Optional<String> failure = Optional.empty();
      try {
        ctx = CreateApplicationVersionStep.run(ctx);
        runs = DeployGroupStep.run(ctx);
      } catch (CreateApplicationVersionStep.VersionFailed e) {
        failure = Optional.of(e.getMessage());
        runs = notStarted(ctx, "not started: " + e.getMessage());
      }
      List<EnvironmentResult> results =
          runs.stream().map(r -> (EnvironmentResult) Results.EnvironmentResultImpl.of(r)).toList();
      if (failure.isEmpty() && !results.stream().allMatch(r -> r.outcome().succeeded())) {
        failure = Optional.of(failureSummary(ctx, results));
      }
      Optional<AssetsResult> assetsResult =
          PruneAssetsStep.run(ctx, assets, synced, failure.isEmpty() && !results.isEmpty());
      DeployResult result =
          new Results.DeployResultImpl(
              request.group(),
              ctx.group().application(),
              ctx.label(),
              ctx.bundle(),
              ctx.versionExists(),
              ctx.uploadSkipped(),
              ctx.order().policy(),
              ctx.order().migrator(),
              results,
              failure,
              ctx.startedAt(),
              ctx.events().now(),
              assetsResult);
      ctx.events().emit(new DeployEvent.Done(ctx.events().now(), result));
      if (!result.succeeded()) {
        throw new DeployFailedException(result);
      }
      return result;
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
          assets);
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

  /** Where the group's environments stand: read-only, no validation beyond finding them. */
  public static GroupStatus status(Request request) {
    try (AwsClients aws = clients(request)) {
      DiscoveredGroup g = FindEnvironmentsStep.find(context(request, aws));
      return new Results.GroupStatusImpl(g.group(), g.application(), g.environments());
    }
  }

  static AwsClients clients(Request r) {
    return new AwsClients(
        r.endpoint(),
        r.config().region(),
        r.config().profile(),
        r.credentials(),
        r.clientOverride());
  }

  static DeployContext context(Request r, AwsClients aws) {
    return context(r, aws, source(r));
  }

  private static DeployContext context(Request r, AwsClients aws, SourceBundle source) {
    Clock clock = Clock.systemUTC();
    Pacing pacing = new Pacing(r.pollInitial(), r.pollMax(), r.healthGrace(), Pacing.REAL_SLEEP);
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

  private static List<GroupWatcher.Run> notStarted(DeployContext ctx, String reason) {
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

  private static String failureSummary(DeployContext ctx, List<EnvironmentResult> results) {
    return "deploy of "
        + ctx.label()
        + " to "
        + ctx.request().group()
        + " failed: "
        + results.stream()
            .filter(r -> !r.outcome().succeeded())
            .map(
                r ->
                    r.name()
                        + " "
                        + r.outcome().name().toLowerCase(Locale.ROOT).replace('_', ' ')
                        + r.reason().map(s -> " (" + s + ")").orElse(""))
            .collect(Collectors.joining("; "));
  }
}
