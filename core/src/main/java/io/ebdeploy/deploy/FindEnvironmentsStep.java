package io.ebdeploy.deploy;

import io.ebdeploy.api.DeployConfig;
import io.ebdeploy.api.DeployEvent;
import io.ebdeploy.api.EbDeployException;
import io.ebdeploy.api.EnvironmentInfo;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.elasticbeanstalk.ElasticBeanstalkClient;
import software.amazon.awssdk.services.elasticbeanstalk.model.EnvironmentDescription;
import software.amazon.awssdk.services.resourcegroupstaggingapi.ResourceGroupsTaggingApiClient;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetResourcesRequest;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetResourcesResponse;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetTagValuesRequest;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.GetTagValuesResponse;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.ResourceTagMapping;
import software.amazon.awssdk.services.resourcegroupstaggingapi.model.TagFilter;

/**
 * Finds the group's environments and refuses, before any change, a group that cannot be deployed.
 *
 * <p>The tag value matches case-insensitively, as the reference team's scripts did: GetTagValues
 * lists the key's values, every case variant of the group is put in one GetResources filter (its
 * values are ORed), so a group tagged {@code staging} on one environment and {@code Staging} on
 * another is never deployed half way. When no live environment carries the tag, the group is tried
 * as an exact environment name. Terminated and terminating environments are ignored.
 */
final class FindEnvironmentsStep {
  static final String RESOURCE_TYPE = "elasticbeanstalk:environment";

  private FindEnvironmentsStep() {}

  /** Discovery for deploy and plan: validated, migrator chosen, every environment Ready. */
  static DeployContext run(DeployContext ctx) {
    return ready(discover(ctx), true);
  }

  /** Finds and validates the group, migrator chosen; does not wait for it to be Ready. */
  static DeployContext discover(DeployContext ctx) {
    DiscoveredGroup found = find(ctx);
    DeployConfig config = ctx.request().config();
    String application = singleApplication(found, config);
    checkPlatform(found.environments(), config);
    GroupOrder order = GroupOrder.of(found.environments(), config.migration());
    return ctx.withGroup(
        new DiscoveredGroup(
            found.group(), application, found.environments(), found.matchedTagValues()),
        order);
  }

  /**
   * Waits for every environment to be Ready (unless {@code wait} is false: a killed deploy's
   * recovery waits instead), then reports the group found, and whether its labels differ already.
   */
  static DeployContext ready(DeployContext ctx, boolean wait) {
    DiscoveredGroup found = ctx.group();
    List<EnvironmentInfo> ready =
        wait
            ? awaitReady(ctx, found.environments(), "deploy", "the deploy changed nothing")
            : found.environments();
    DiscoveredGroup group =
        new DiscoveredGroup(found.group(), found.application(), ready, found.matchedTagValues());
    ctx.events()
        .emit(
            new DeployEvent.DiscoveryDone(
                ctx.events().now(),
                group.group(),
                group.application(),
                group.environments(),
                group.matchedTagValues()));
    Map<String, String> labels = new LinkedHashMap<>();
    ready.forEach(e -> labels.put(e.name(), e.versionLabel()));
    if (new java.util.HashSet<>(labels.values()).size() > 1) {
      ctx.events().emit(new DeployEvent.LabelsDiffer(ctx.events().now(), labels));
    }
    return ctx.withGroup(group, ctx.order());
  }

  /** The live environments the group names, in name order; refuses an empty group. */
  static DiscoveredGroup find(DeployContext ctx) {
    String group = ctx.request().group();
    String key = ctx.request().config().tag();
    ElasticBeanstalkClient eb = ctx.aws().eb();
    ResourceGroupsTaggingApiClient tagging = ctx.aws().tagging();

    List<String> tagValues = Aws.call("GetTagValues", () -> tagValues(tagging, key));
    List<String> matched = tagValues.stream().filter(v -> v.equalsIgnoreCase(group)).toList();
    List<EnvironmentInfo> envs = List.of();
    if (!matched.isEmpty()) {
      Map<String, String> appByName = Aws.call("GetResources", () -> tagged(tagging, key, matched));
      if (!appByName.isEmpty()) {
        envs =
            Aws.call("DescribeEnvironments", () -> Aws.describeByNames(eb, appByName.keySet()))
                .stream()
                .filter(Aws::live)
                .filter(e -> e.applicationName().equals(appByName.get(e.environmentName())))
                .map(Aws::info)
                .toList();
      }
    }
    List<String> matchedValues = matched;
    if (envs.isEmpty()) {
      matchedValues = List.of();
      envs =
          Aws.call("DescribeEnvironments", () -> Aws.describeByNames(eb, List.of(group))).stream()
              .filter(Aws::live)
              .filter(e -> e.environmentName().equals(group))
              .map(Aws::info)
              .toList();
    }
    if (envs.isEmpty()) {
      throw EbDeployException.invalidInput(noMatch(group, key, tagValues, matched));
    }
    List<EnvironmentInfo> sorted =
        envs.stream().sorted(Comparator.comparing(EnvironmentInfo::name)).toList();
    String apps =
        sorted.stream()
            .map(EnvironmentInfo::application)
            .distinct()
            .collect(Collectors.joining(", "));
    return new DiscoveredGroup(group, apps, sorted, matchedValues);
  }

  static String noMatch(String group, String key, List<String> tagValues, List<String> matched) {
    String fix = "; deploy one of those values, or tag the environments " + key + "=" + group;
    if (!matched.isEmpty()) {
      return "the environments tagged "
          + key
          + "="
          + group
          + " are all terminated, and no live environment is named "
          + group
          + ": tag live environments "
          + key
          + "="
          + group;
    }
    if (tagValues.isEmpty()) {
      return "no environment is tagged "
          + key
          + "="
          + group
          + " or named "
          + group
          + ", and no resource has the tag key "
          + key
          + " at all: tag the group's environments "
          + key
          + "="
          + group
          + " (or set tag: in eb-deploy.yml to the key you use)";
    }
    return "no environment is tagged "
        + key
        + "="
        + group
        + " or named "
        + group
        + "; the values of tag "
        + key
        + " are: "
        + String.join(", ", new java.util.TreeSet<>(tagValues))
        + fix;
  }

  static List<String> tagValues(ResourceGroupsTaggingApiClient tagging, String key) {
    Set<String> values = new LinkedHashSet<>();
    String token = null;
    do {
      GetTagValuesResponse r =
          tagging.getTagValues(
              GetTagValuesRequest.builder().key(key).paginationToken(token).build());
      values.addAll(r.tagValues());
      token = r.paginationToken();
    } while (token != null && !token.isEmpty());
    return List.copyOf(values);
  }

  /** Environment name to application name of every environment carrying one of the values. */
  static Map<String, String> tagged(
      ResourceGroupsTaggingApiClient tagging, String key, List<String> values) {
    Map<String, String> out = new LinkedHashMap<>();
    String token = null;
    do {
      GetResourcesResponse r =
          tagging.getResources(
              GetResourcesRequest.builder()
                  .resourceTypeFilters(RESOURCE_TYPE)
                  .tagFilters(TagFilter.builder().key(key).values(values).build())
                  .paginationToken(token)
                  .build());
      for (ResourceTagMapping m : r.resourceTagMappingList()) {
        String[] appAndName = appAndName(m.resourceARN());
        if (appAndName != null) {
          out.put(appAndName[1], appAndName[0]);
        }
      }
      token = r.paginationToken();
    } while (token != null && !token.isEmpty());
    return out;
  }

  /** {@code arn:aws:elasticbeanstalk:REGION:ACCOUNT:environment/APP/NAME} to {APP, NAME}. */
  static String[] appAndName(String arn) {
    int i = arn == null ? -1 : arn.indexOf(":environment/");
    if (i < 0) {
      return null;
    }
    String rest = arn.substring(i + ":environment/".length());
    int slash = rest.lastIndexOf('/');
    if (slash <= 0 || slash == rest.length() - 1) {
      return null;
    }
    return new String[] {rest.substring(0, slash), rest.substring(slash + 1)};
  }

  /** The one application of the group; refuses several, or one other than configured. */
  static String singleApplication(DiscoveredGroup group, DeployConfig config) {
    Map<String, List<String>> byApp = new TreeMap<>();
    for (EnvironmentInfo e : group.environments()) {
      byApp.computeIfAbsent(e.application(), a -> new ArrayList<>()).add(e.name());
    }
    if (byApp.size() > 1) {
      throw EbDeployException.invalidInput(
          "the group "
              + group.group()
              + " spans "
              + byApp.size()
              + " applications ("
              + byApp.entrySet().stream()
                  .map(en -> en.getKey() + ": " + String.join(", ", en.getValue()))
                  .collect(Collectors.joining("; "))
              + "); one deploy ships one application version: tag one application's"
              + " environments only, or deploy them by environment name");
    }
    String app = byApp.keySet().iterator().next();
    if (config.application().isPresent() && !config.application().get().equals(app)) {
      throw EbDeployException.invalidInput(
          "application: eb-deploy.yml says "
              + config.application().get()
              + " but the group "
              + group.group()
              + " belongs to "
              + app
              + ": fix application: or the group name");
    }
    return app;
  }

  /** Refuses environments whose PlatformArn does not match {@code platform:}. */
  static void checkPlatform(List<EnvironmentInfo> envs, DeployConfig config) {
    if (config.platform().isEmpty()) {
      return;
    }
    Pattern p = config.platform().get();
    List<String> wrong =
        envs.stream()
            .filter(e -> !p.matcher(e.platformArn()).find())
            .map(
                e ->
                    e.name()
                        + " runs "
                        + (e.platformArn().isEmpty() ? "no platform" : e.platformArn()))
            .toList();
    if (!wrong.isEmpty()) {
      throw EbDeployException.invalidInput(
          "platform: "
              + String.join("; ", wrong)
              + " — not matching \""
              + p.pattern()
              + "\": this bundle is for another platform; fix platform: in eb-deploy.yml or the"
              + " group's tags");
    }
  }

  /**
   * The group's environments described afresh, then {@link #awaitReady waited} Ready: what the
   * deploy, the rollback and a recovery each need just before their first update.
   */
  static List<EnvironmentInfo> awaitGroupReady(DeployContext ctx, String verb, String consequence) {
    return awaitReady(
        ctx,
        Aws.call("DescribeEnvironments", () -> Aws.describeByIds(ctx.aws().eb(), ctx.group().ids()))
            .stream()
            .map(Aws::info)
            .toList(),
        verb,
        consequence);
  }

  /**
   * Waits, up to {@code timeouts.ready-wait}, for environments not Ready (an update in progress);
   * refuses those still not Ready then. Returns the environments as last described.
   */
  static List<EnvironmentInfo> awaitReady(
      DeployContext ctx, List<EnvironmentInfo> envs, String what, String consequence) {
    Duration wait = ctx.request().config().timeouts().readyWait();
    Instant deadline = ctx.events().now().plus(wait);
    Duration interval = ctx.pacing().initial();
    Map<String, String> lastStatus = new HashMap<>();
    List<EnvironmentInfo> current = envs;
    while (true) {
      List<EnvironmentInfo> notReady =
          current.stream().filter(e -> !"Ready".equals(e.status())).toList();
      if (notReady.isEmpty()) {
        return current;
      }
      boolean changed = false;
      for (EnvironmentInfo e : notReady) {
        if (!e.status().equals(lastStatus.put(e.name(), e.status()))) {
          changed = true;
          ctx.events()
              .emit(new DeployEvent.WaitingForReady(ctx.events().now(), e.name(), e.status()));
        }
      }
      Interrupts.check(ctx, consequence);
      if (!ctx.events().now().isBefore(deadline)) {
        throw EbDeployException.invalidInput(
            notReady.stream()
                    .map(e -> e.name() + " is " + e.status())
                    .collect(Collectors.joining(", "))
                + ", not Ready, after waiting "
                + human(wait)
                + " (timeouts.ready-wait), so "
                + consequence
                + ": let the update in progress finish (or abort it: aws elasticbeanstalk"
                + " abort-environment-update --environment-name "
                + notReady.get(0).name()
                + ") and "
                + what
                + " again");
      }
      interval = ctx.pacing().next(interval, changed);
      Duration left = Duration.between(ctx.events().now(), deadline);
      ctx.pacing().sleep(left.compareTo(interval) < 0 ? left : interval);
      List<String> ids = current.stream().map(EnvironmentInfo::id).toList();
      Map<String, EnvironmentInfo> byId = new HashMap<>();
      for (EnvironmentDescription d :
          Aws.call("DescribeEnvironments", () -> Aws.describeByIds(ctx.aws().eb(), ids))) {
        byId.put(d.environmentId(), Aws.info(d));
      }
      List<EnvironmentInfo> next = new ArrayList<>();
      for (EnvironmentInfo e : current) {
        EnvironmentInfo now = byId.get(e.id());
        if (now == null || !Aws.live(now.status())) {
          throw EbDeployException.invalidInput(
              e.name() + " was terminated while waiting for it to be Ready; " + consequence);
        }
        next.add(now);
      }
      current = next;
    }
  }

  static String human(Duration d) {
    if (d.toSeconds() % 60 == 0 && d.toMinutes() > 0) {
      return d.toMinutes() + "m";
    }
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }
}
