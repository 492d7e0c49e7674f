package io.ebdeploy.deploy;

import io.ebdeploy.api.AssetsResult;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.EbDeployException;
import java.time.Duration;
import java.util.Optional;

/**
 * After the verdict: only when the whole group succeeded, records the release's manifest and
 * deletes the static files no kept release references. On a failed or rolled-back deploy it deletes
 * nothing. Call it once, wherever the final outcome is decided; it never throws, because the
 * deploy's outcome is already decided: a failure to delete is reported as {@link
 * DeployEvent.AssetsPruneFailed} and in the result's {@code notDeleted}.
 */
final class PruneAssetsStep {
  private PruneAssetsStep() {}

  /**
   * @param succeeded the group's final outcome: true only when every environment succeeded (and
   *     none was rolled back)
   * @return the assets result to report, with the deletion's outcome
   */
  static Optional<AssetsResult> run(
      DeployContext ctx,
      Optional<SyncAssetsStep.Assets> assets,
      Optional<AssetsResult> uploaded,
      boolean succeeded) {
    if (assets.isEmpty() || uploaded.isEmpty()) {
      return uploaded;
    }
    if (!succeeded) {
      return Optional.of(
          uploaded
              .get()
              .withPrune(
                  0,
                  0,
                  Optional.empty(),
                  Optional.of("the deploy did not succeed: nothing is deleted"),
                  Duration.ZERO));
    }
    try {
      AssetsResult result = assets.get().plan().release(ctx.label(), uploaded.get());
      ctx.events().emit(new DeployEvent.AssetsPruned(ctx.events().now(), result));
      return Optional.of(result);
    } catch (EbDeployException e) {
      ctx.events().emit(new DeployEvent.AssetsPruneFailed(ctx.events().now(), e.getMessage()));
      return Optional.of(
          uploaded
              .get()
              .withPrune(
                  0,
                  0,
                  Optional.empty(),
                  Optional.of("deleting failed: " + e.getMessage()),
                  Duration.ZERO));
    }
  }
}
