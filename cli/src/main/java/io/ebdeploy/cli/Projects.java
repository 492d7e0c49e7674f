package io.ebdeploy.cli;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.EbDeploy;
import io.ebdeploy.config.ConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the AWS-facing commands share: the configuration with flags on top, the library call. */
final class Projects {
  private Projects() {}

  /**
   * The project's {@code eb-deploy.yml}, then the {@code EB_DEPLOY_*} variables, then the flags
   * ({@code --region}, {@code --profile}). Refuses a project directory that does not exist.
   */
  static DeployConfig config(GlobalOptions global, CliContext ctx) {
    Path dir = global.projectDir();
    if (!Files.isDirectory(dir)) {
      throw CliException.usage(
          "the project directory "
              + dir
              + (Files.exists(dir) ? " is not a directory" : " does not exist")
              + ": pass --project-dir DIR (default: the current directory)");
    }
    DeployConfig config = ConfigLoader.load(dir, ctx.configEnv());
    DeployConfig.Builder b = config.toBuilder();
    global.region().ifPresent(r -> b.region(r, global.source("--region", "EB_DEPLOY_REGION")));
    global.profile().ifPresent(p -> b.profile(p, global.source("--profile", "EB_DEPLOY_PROFILE")));
    return b.build();
  }

  /**
   * {@code deploy} with the flags and the context applied: the environment (AWS_REGION,
   * AWS_ENDPOINT_URL...), endpoint, polling, credentials.
   */
  static EbDeploy configure(
      EbDeploy deploy, GlobalOptions global, CliContext ctx, DeployConfig config) {
    deploy
        .config(config)
        .pollInterval(ctx.pollInitial(), ctx.pollMax())
        .healthGrace(ctx.healthGrace())
        .environment(ctx.env());
    global
        .endpointUrl()
        .ifPresent(
            e -> deploy.endpoint(e, global.source("--endpoint-url", "EB_DEPLOY_ENDPOINT_URL")));
    ctx.credentials().ifPresent(deploy::credentials);
    ctx.clientOverride().ifPresent(deploy::clientOverride);
    return deploy;
  }
}
