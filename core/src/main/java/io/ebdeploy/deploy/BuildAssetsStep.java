package io.ebdeploy.deploy;

import io.ebdeploy.api.DeployEvent;

/** Runs the project's build commands ({@code build:}); each output line is an event. */
final class BuildAssetsStep {
  private BuildAssetsStep() {}

  static DeployContext run(DeployContext ctx) {
    ctx.source()
        .build(line -> ctx.events().emit(new DeployEvent.BuildLine(ctx.events().now(), line)));
    return ctx;
  }
}
