package io.ebdeploy.deploy;

import io.ebdeploy.api.AssetsResult;
import io.ebdeploy.api.BeanstalkEvent;
import io.ebdeploy.api.BundleInfo;
import io.ebdeploy.api.CallStats;
import io.ebdeploy.api.DeployConfig.MigrationPolicy;
import io.ebdeploy.api.DeployOutcome;
import io.ebdeploy.api.DeployPlan;
import io.ebdeploy.api.DeployResult;
import io.ebdeploy.api.EnvironmentInfo;
import io.ebdeploy.api.EnvironmentOutcome;
import io.ebdeploy.api.EnvironmentResult;
import io.ebdeploy.api.GroupStatus;
import io.ebdeploy.api.HistoryEntry;
import io.ebdeploy.api.InterruptedDeploy;
import io.ebdeploy.api.LockInfo;
import io.ebdeploy.api.Role;
import io.ebdeploy.api.RollbackReport;
import io.ebdeploy.api.Sourced;
import io.ebdeploy.api.Tier;
import io.ebdeploy.bundle.Attribution;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** The immutable implementations of the API's result interfaces. */
final class Results {
  private Results() {}

  record EnvironmentResultImpl(
      String name,
      String id,
      Tier tier,
      Role role,
      boolean migrator,
      String labelBefore,
      String labelAfter,
      String status,
      String health,
      EnvironmentOutcome outcome,
      Optional<String> reason,
      Optional<Instant> requestedAt,
      Duration duration,
      List<BeanstalkEvent> events)
      implements EnvironmentResult {
    EnvironmentResultImpl {
      events = List.copyOf(events);
    }

    static EnvironmentResultImpl of(GroupWatcher.Run r) {
      Duration took =
          r.requestedAt == null || r.decidedAt == null
              ? Duration.ZERO
              : Duration.between(r.requestedAt, r.decidedAt);
      return new EnvironmentResultImpl(
          r.name(),
          r.before.id(),
          r.before.tier(),
          r.role,
          r.migrator,
          r.before.versionLabel(),
          r.label,
          r.status,
          r.health,
          r.outcome,
          r.reason == null || r.reason.isEmpty() ? Optional.empty() : Optional.of(r.reason),
          Optional.ofNullable(r.requestedAt),
          took,
          r.events);
    }
  }

  record DeployResultImpl(
      String group,
      String application,
      String label,
      BundleInfo bundle,
      boolean versionReused,
      boolean uploadSkipped,
      MigrationPolicy policy,
      Optional<String> migrator,
      List<EnvironmentResult> environments,
      Optional<String> failure,
      Instant startedAt,
      Instant finishedAt,
      DeployOutcome outcome,
      String command,
      Map<String, String> previousLabels,
      Optional<RollbackReport> rollback,
      Optional<String> snapshot,
      Optional<String> interruption,
      Optional<InterruptedDeploy> recovered,
      CallStats calls,
      Optional<AssetsResult> assets,
      Attribution attribution)
      implements DeployResult {
    DeployResultImpl {
      environments = List.copyOf(environments);
      previousLabels = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(previousLabels));
    }

    /** The shape of results before rollback existed: succeeded or rolled back, nothing more. */
    DeployResultImpl(
        String group,
        String application,
        String label,
        BundleInfo bundle,
        boolean versionReused,
        boolean uploadSkipped,
        MigrationPolicy policy,
        Optional<String> migrator,
        List<EnvironmentResult> environments,
        Optional<String> failure,
        Instant startedAt,
        Instant finishedAt) {
      this(
          group,
          application,
          label,
          bundle,
          versionReused,
          uploadSkipped,
          policy,
          migrator,
          environments,
          failure,
          startedAt,
          finishedAt,
          failure.isEmpty() ? DeployOutcome.SUCCEEDED : DeployOutcome.ROLLED_BACK,
          "deploy",
          Map.of(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          Optional.empty(),
          CallStats.NONE,
          Optional.empty(),
          new Attribution(Optional.empty(), "unknown"));
    }

    @Override
    public Optional<String> commit() {
      return attribution.commit();
    }

    @Override
    public String startedBy() {
      return attribution.startedBy();
    }

    @Override
    public boolean succeeded() {
      return outcome == DeployOutcome.SUCCEEDED
          && failure.isEmpty()
          && !environments.isEmpty()
          && environments.stream().allMatch(e -> e.outcome().succeeded());
    }

    @Override
    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("succeeded", succeeded());
      m.put("outcome", outcome.wireName());
      m.put("command", command);
      m.put("failure", failure.orElse(null));
      m.put("interrupted", interruption.isPresent());
      m.put("interruption", interruption.orElse(null));
      m.put("group", group);
      m.put("application", application);
      m.put("label", label);
      m.put("commit", commit().orElse(null));
      m.put("startedBy", startedBy());
      m.put("policy", policy.name());
      m.put("migrator", migrator.orElse(null));
      m.put("versionReused", versionReused);
      m.put("uploadSkipped", uploadSkipped);
      m.put("bundle", bundle == null ? null : JsonShapes.bundle(bundle));
      m.put("previousLabels", previousLabels);
      m.put("rollback", rollback.map(JsonShapes::rollback).orElse(null));
      m.put("schemaNotReverted", schemaNotReverted());
      if (schemaNotReverted()) {
        m.put(
            "schemaNote",
            "the rollback returned the code, not the database schema: migrations that ran stay"
                + " applied (see docs/migrations.md)"
                + snapshot.map(s -> "; the snapshot taken before them is " + s).orElse(""));
      }
      m.put("snapshot", snapshot.orElse(null));
      m.put("recovered", recovered.map(JsonShapes::interrupted).orElse(null));
      m.put("calls", JsonShapes.calls(calls));
      m.put("startedAt", startedAt.toString());
      m.put("finishedAt", finishedAt.toString());
      m.put("durationMillis", duration().toMillis());
      m.put("environments", environments.stream().map(JsonShapes::result).toList());
      m.put("assets", assets.map(AssetsResult::toMap).orElse(null));
      return JsonShapes.write(m);
    }
  }

  record DeployPlanImpl(
      String group,
      String application,
      String label,
      List<EnvironmentInfo> environments,
      Map<String, Role> roles,
      MigrationPolicy policy,
      Optional<String> migrator,
      List<List<String>> waves,
      BundleInfo bundle,
      List<String> bundleEntries,
      boolean versionExists,
      Optional<AssetsResult> assets,
      Optional<Sourced<String>> region,
      Map<String, Sourced<java.net.URI>> endpoints)
      implements DeployPlan {
    DeployPlanImpl {
      endpoints = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
      environments = List.copyOf(environments);
      roles = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(roles));
      waves = waves.stream().map(List::copyOf).toList();
      bundleEntries = List.copyOf(bundleEntries);
    }

    @Override
    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("group", group);
      m.put("application", application);
      m.put("label", label);
      m.put("region", region.map(Sourced::value).orElse(null));
      m.put("regionSource", region.map(Sourced::source).orElse(null));
      Map<String, Object> ends = new LinkedHashMap<>();
      endpoints.forEach(
          (service, e) ->
              ends.put(service, Map.of("url", e.value().toString(), "source", e.source())));
      m.put("endpoints", ends);
      m.put("policy", policy.name());
      m.put("migrator", migrator.orElse(null));
      m.put("waves", waves);
      m.put(
          "environments",
          environments.stream()
              .map(
                  e -> {
                    Map<String, Object> em = JsonShapes.environment(e);
                    em.put("role", roles.get(e.name()).value());
                    return em;
                  })
              .toList());
      m.put("versionExists", versionExists);
      m.put("bundle", JsonShapes.bundle(bundle));
      m.put("bundleEntries", bundleEntries);
      m.put("assets", assets.map(AssetsResult::toMap).orElse(null));
      return JsonShapes.write(m);
    }
  }

  record GroupStatusImpl(
      String group,
      String application,
      List<EnvironmentInfo> environments,
      Optional<LockInfo> lock,
      Optional<InterruptedDeploy> interruptedDeploy,
      List<HistoryEntry> history)
      implements GroupStatus {
    GroupStatusImpl {
      environments = List.copyOf(environments);
      history = List.copyOf(history);
    }

    GroupStatusImpl(String group, String application, List<EnvironmentInfo> environments) {
      this(group, application, environments, Optional.empty(), Optional.empty(), List.of());
    }

    @Override
    public Set<String> labels() {
      Set<String> labels = new TreeSet<>();
      environments.forEach(e -> labels.add(e.versionLabel()));
      return java.util.Collections.unmodifiableSet(labels);
    }

    @Override
    public String toJson() {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("group", group);
      m.put("application", application);
      m.put("labels", labels());
      m.put("labelsDiffer", labelsDiffer());
      m.put("environments", environments.stream().map(JsonShapes::environment).toList());
      m.put("lock", lock.map(JsonShapes::lock).orElse(null));
      m.put("interruptedDeploy", interruptedDeploy.map(JsonShapes::interrupted).orElse(null));
      m.put("history", history.stream().map(JsonShapes::history).toList());
      return JsonShapes.write(m);
    }
  }
}
