package io.ebdeploy.deploy;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.EnvironmentInfo;
import io.ebdeploy.api.EnvironmentOutcome;
import io.ebdeploy.api.Role;
import io.ebdeploy.api.Tier;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.elasticbeanstalk.ElasticBeanstalkClient;
import software.amazon.awssdk.services.elasticbeanstalk.model.ConfigurationOptionSetting;
import software.amazon.awssdk.services.elasticbeanstalk.model.UpdateEnvironmentRequest;

/**
 * Deploys the version to the group in waves (web-first: the migrator, then the others; parallel:
 * all) and watches each wave with one {@link GroupWatcher}. Each UpdateEnvironment carries the
 * version label and {@code EB_DEPLOY_ROLE} together. A wave that did not fully succeed stops the
 * deploy: later waves are never started. Every environment's label is recorded before the first
 * update, for a later rollback.
 */
final class DeployGroupStep {
  private DeployGroupStep() {}

  /** The runs of every environment, in deploy order, each with a verdict. */
  static List<GroupWatcher.Run> run(DeployContext ctx) {
    DiscoveredGroup group = ctx.group();
    GroupOrder order = ctx.order();
    DeployConfig config = ctx.request().config();
    // Labels before: described now, after the version is ready, just before the first update.
    List<EnvironmentInfo> before =
        FindEnvironmentsStep.awaitReady(
            ctx,
            Aws.call("DescribeEnvironments", () -> Aws.describeByIds(ctx.aws().eb(), group.ids()))
                .stream()
                .map(Aws::info)
                .toList(),
            "deploy",
            "no environment was updated");
    Map<String, EnvironmentInfo> byName = new java.util.HashMap<>();
    before.forEach(e -> byName.put(e.name(), e));
    List<GroupWatcher.Run> runs = new ArrayList<>();
    for (List<String> wave : order.waves()) {
      for (String name : wave) {
        EnvironmentInfo e = byName.get(name);
        if (e == null) {
          throw io.ebdeploy.api.EbDeployException.invalidInput(
              name + " disappeared from the group before the deploy; nothing was updated");
        }
        Set<String> accepted =
            e.tier() == Tier.WORKER ? config.health().worker() : config.health().web();
        runs.add(
            new GroupWatcher.Run(
                e,
                order.roles().get(name),
                order.migrator().map(name::equals).orElse(false),
                accepted,
                config.timeouts().deploy()));
      }
    }
    GroupWatcher watcher =
        new GroupWatcher(
            ctx.aws().eb(),
            group.application(),
            ctx.label(),
            runs,
            ctx.events(),
            ctx.pacing(),
            config.timeouts().readyWait());
    int index = 0;
    for (List<String> names : order.waves()) {
      List<GroupWatcher.Run> wave = runs.subList(index, index + names.size());
      index += names.size();
      for (GroupWatcher.Run r : wave) {
        request(ctx, watcher, r);
      }
      watcher.watch(wave);
      if (!wave.stream().allMatch(r -> r.outcome == EnvironmentOutcome.SUCCEEDED)) {
        String failed =
            wave.stream()
                .filter(r -> r.outcome != EnvironmentOutcome.SUCCEEDED)
                .map(GroupWatcher.Run::name)
                .toList()
                .toString();
        String why =
            wave.size() == 1 && wave.get(0).migrator
                ? "not started: the migrator " + wave.get(0).name() + " did not succeed"
                : "not started: " + failed + " did not succeed";
        for (GroupWatcher.Run r : runs.subList(index, runs.size())) {
          watcher.decide(r, EnvironmentOutcome.NOT_STARTED, why);
        }
        break;
      }
    }
    return runs;
  }

  private static void request(DeployContext ctx, GroupWatcher watcher, GroupWatcher.Run r) {
    ElasticBeanstalkClient eb = ctx.aws().eb();
    Role role = r.role;
    Instant at = ctx.events().now();
    watcher.requested(r, at);
    try {
      eb.updateEnvironment(
          UpdateEnvironmentRequest.builder()
              .environmentId(r.before.id())
              .versionLabel(ctx.label())
              .optionSettings(
                  ConfigurationOptionSetting.builder()
                      .namespace(Role.NAMESPACE)
                      .optionName(Role.VARIABLE)
                      .value(role.value())
                      .build())
              .build());
      ctx.events()
          .emit(new DeployEvent.UpdateRequested(ctx.events().now(), r.name(), ctx.label(), role));
    } catch (SdkException e) {
      watcher.decide(
          r,
          EnvironmentOutcome.FAILED,
          "UpdateEnvironment was refused: " + Aws.awsError("UpdateEnvironment", e).getMessage());
    }
  }
}
