package io.ebdeploy.deploy;

import io.ebdeploy.api.AssetsResult;
import io.ebdeploy.api.DeployConfig.StaticAssets;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.assets.StaticSync;
import java.util.Locale;
import java.util.Optional;

/**
 * The static files of a deploy (docs/assets.md): {@link #check} compares the folder with the bucket
 * before the line (read-only: a missing folder or unknown bucket stops the deploy with nothing
 * changed); {@link #run}, the first change of the deploy, uploads new then changed files before any
 * Elastic Beanstalk call that changes anything. Deletion waits for {@link PruneAssetsStep}.
 */
final class SyncAssetsStep {
  private SyncAssetsStep() {}

  /** What {@link #check} found: the sync's plan and its preview. */
  record Assets(StaticSync.Plan plan, AssetsResult preview) {}

  /** Read-only. Empty when {@code static} is not set, or for a zip deploy (no project folder). */
  static Optional<Assets> check(DeployContext ctx) {
    Optional<StaticAssets> config = ctx.request().config().staticAssets();
    if (config.isEmpty()) {
      return Optional.empty();
    }
    if (ctx.request().projectDir().isEmpty()) {
      ctx.events()
          .emit(
              new DeployEvent.AssetsSkipped(
                  ctx.events().now(),
                  "a deploy of a zip has no project folder to take static."
                      + config.get().dir()
                      + " from: push the static files with 'eb-deploy assets' from the project"));
      return Optional.empty();
    }
    StaticSync sync =
        StaticSync.of(
            ctx.aws()::s3, ctx.request().projectDir().get(), config.get(), scope(ctx.request()));
    StaticSync.Plan plan = sync.plan();
    AssetsResult preview = plan.preview(Optional.of(ctx.label()));
    ctx.events().emit(new DeployEvent.AssetsPlanned(ctx.events().now(), preview));
    return Optional.of(new Assets(plan, preview));
  }

  /** Uploads; the first change of a deploy. */
  static Optional<AssetsResult> run(DeployContext ctx, Optional<Assets> assets) {
    if (assets.isEmpty()) {
      return Optional.empty();
    }
    AssetsResult result = assets.get().plan().upload(true);
    ctx.events().emit(new DeployEvent.AssetsUploaded(ctx.events().now(), result));
    return Optional.of(result);
  }

  /** Manifests are kept per group; a group typed in another case is the same group. */
  static String scope(Engine.Request request) {
    return request.group().trim().toLowerCase(Locale.ROOT);
  }
}
